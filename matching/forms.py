"""Forms on the coordinator's matching pages."""

from __future__ import annotations

from typing import Any

from django import forms


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Why reject this match?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For the record; only staff see it. This pair will not be proposed again.",
    )


class MentorChoiceForm(forms.Form):
    """The mentor picked from a list of suggestions (the button sends their id)."""

    mentor = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class PlaceForm(forms.Form):
    """A place and its coordinates. Maps copy both numbers at once ("51.5072, -0.1276"); pasted
    into Latitude with Longitude left empty, they are split between the two."""

    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="As mentors and mentees write it in their area, for example: Hackney. "
        "Capital letters do not matter.",
    )
    latitude = forms.FloatField(
        label="Latitude",
        min_value=-90,
        max_value=90,
        help_text="How far north or south, between -90 and 90. London is about 51.5072.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    longitude = forms.FloatField(
        label="Longitude",
        min_value=-180,
        max_value=180,
        help_text="How far east or west, between -180 and 180; west of Greenwich is negative. "
        "London is about -0.1276.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None:
            data = data.copy()
            pasted = str(data.get("latitude", ""))
            if "," in pasted and not str(data.get("longitude", "")).strip():
                data["latitude"], data["longitude"] = (
                    part.strip() for part in pasted.split(",", 1)
                )
        super().__init__(data, *args, **kwargs)
