"""Forms for data downloads and consent."""

from __future__ import annotations

from typing import Any

from django import forms

from privacy.export import OnBehalfReason


class OnBehalfExportForm(forms.Form):
    """Staff confirm why they are downloading someone else's data, and in which form."""

    FORMATS = (
        ("page", "A page to read or print"),
        ("json", "A data file (JSON) the person can take to another service"),
    )

    reason = forms.ChoiceField(
        label="Why are you downloading this person's data?",
        choices=OnBehalfReason.choices,
        widget=forms.RadioSelect,
    )
    format = forms.ChoiceField(label="Format", choices=FORMATS, widget=forms.RadioSelect)
    identity_checked = forms.BooleanField(
        label="I have checked that the request really comes from this person, or from someone "
        "with authority to act for them",
        error_messages={"required": "Check who is asking before downloading their data."},
    )


class ConsentAnswerForm(forms.Form):
    """A person's answer to one purpose. ``version`` is the wording they read: if it changed
    while they were reading, they are asked to read it again."""

    ANSWERS = (("agree", "I agree"), ("withdraw", "No, I do not agree"))

    answer = forms.ChoiceField(choices=ANSWERS)
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class ConsentWordingForm(forms.Form):
    wording = forms.CharField(
        label="New wording",
        min_length=20,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain words, saying what is done with whose data and how to stop it. "
        "Publishing asks everyone who agreed to the old wording to agree again.",
    )

    def __init__(self, *args: Any, current: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current

    def clean_wording(self) -> str:
        wording = " ".join(self.cleaned_data["wording"].split())
        if wording == " ".join(self.current.split()):
            raise forms.ValidationError("This is the wording already in use: change it first.")
        return self.cleaned_data["wording"].strip()
