"""Forms for the mentee's own toolkit. The services check the same rules, so a form and the
service refuse the same things with the same words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from mentoring.forms_base import ClientKeyField, new_client_key
from toolkit.selectors import HELPFULNESS_LABELS
from toolkit.services.practice import HELPFULNESS_REQUIRED, NOTE_MAX

# Where to go back to after logging a practice from the toolkit page instead of the entry page.
RETURN_TO_TOOLKIT = "toolkit"


class PracticeForm(forms.Form):
    """ "I tried this": how helpful it was, when, and a note only the mentee sees."""

    helpfulness = forms.TypedChoiceField(
        label="How helpful was it?",
        choices=[(value, f"{value} – {label}") for value, label in HELPFULNESS_LABELS.items()],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": HELPFULNESS_REQUIRED,
            "invalid_choice": HELPFULNESS_REQUIRED,
        },
    )
    practised_on = forms.DateField(
        label="When did you try it? (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Leave it as it is for today.",
        error_messages={"invalid": "Enter a date, for example 14/03/2026."},
    )
    note = forms.CharField(
        label="A note for yourself (optional)",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What helped, what got in the way. Only you see this, not your mentor.",
    )
    client_key = ClientKeyField()
    return_to = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, return_to: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_key", new_client_key())
            self.initial.setdefault("practised_on", timezone.localdate())
            self.initial.setdefault("return_to", return_to)
        self.fields["practised_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class PreferencesForm(forms.Form):
    weekly_nudge = forms.BooleanField(
        label="Send me a small idea from my toolkit each week",
        required=False,
        help_text="One short email a week suggesting a skill to try: one that helped you before, "
        "or one you have not tried yet. The email does not mention mentoring or anything you "
        "wrote.",
    )
