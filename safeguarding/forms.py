"""The form staff use to keep the organisation's crisis resources (shown on "Get help now")."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.services.crisis import CRISIS_FIELDS, crisis_resource_clean


class CrisisResourceForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=120,
        error_messages={"required": "Give the name of the service."},
    )
    description = forms.CharField(
        label="Who it is for (optional)",
        max_length=300,
        required=False,
        help_text="In a sentence, for example: free, confidential support for anyone struggling "
        "to cope.",
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        max_length=40,
        required=False,
        help_text="Give at least a phone number, a number to text or a website.",
    )
    text_number = forms.CharField(label="Number to text (optional)", max_length=40, required=False)
    text_keyword = forms.CharField(
        label="Word to text (optional)",
        max_length=40,
        required=False,
        help_text="If the service asks people to text a word, such as SHOUT.",
    )
    website = forms.CharField(
        label="Website (optional)",
        max_length=200,
        required=False,
        help_text="The full address, like https://example.org.",
    )
    hours = forms.CharField(
        label="When it is open (optional)",
        max_length=100,
        required=False,
        help_text="For example: 24 hours a day.",
    )
    is_emergency = forms.BooleanField(
        label="For when someone is in immediate danger",
        required=False,
        help_text="Emergency services are shown first, highlighted.",
    )
    position = forms.IntegerField(
        label="Position in the list",
        min_value=0,
        max_value=32767,
        initial=0,
        help_text="Lower numbers come first (after emergency services).",
        error_messages={"invalid": "Enter a whole number.", "required": "Enter a whole number."},
    )
    is_active = forms.BooleanField(
        label="Show it on “Get help now”",
        required=False,
        initial=True,
        help_text="Untick to hide it without losing the details.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        given = {name: cleaned[name] for name in CRISIS_FIELDS if name in cleaned}
        tidied, errors = crisis_resource_clean(given)
        for name, problem in errors.items():
            if name not in self.errors:
                self.add_error(name, problem)
        cleaned.update({name: value for name, value in tidied.items() if name not in errors})
        return cleaned

    def resource_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CRISIS_FIELDS}
