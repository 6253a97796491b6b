"""The audit search filters. Sent with GET, so a search can be bookmarked, shared with a
colleague who may also see it, and exported with exactly the same choices."""

from __future__ import annotations

from typing import Any

from django import forms

from audit.selectors import AuditFilters


class AuditSearchForm(forms.Form):
    person = forms.CharField(
        label="About or by a person",
        required=False,
        max_length=254,
        help_text="Email address or name. Finds what was done to their records and what they did.",
    )
    actor = forms.CharField(
        label="Done by",
        required=False,
        max_length=254,
        help_text="Email address or name of the person who acted.",
    )
    action = forms.CharField(
        label="Action",
        required=False,
        max_length=80,
        help_text="The start of an action's name, e.g. “mentoring.” or “account.signed_in”.",
    )
    object_type = forms.ChoiceField(label="Kind of record", required=False)
    date_from = forms.DateField(
        label="From (date)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To (date)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, object_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["object_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Any kind"), *((label, label) for label in object_types)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return cleaned

    def filters(self) -> AuditFilters:
        """The valid choices; fields with errors are ignored (the page shows the errors)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return AuditFilters(
            person=(data.get("person") or "").strip(),
            actor=(data.get("actor") or "").strip(),
            action=(data.get("action") or "").strip(),
            object_type=data.get("object_type") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class DataProtectionLeadForm(forms.Form):
    """Make one member a data protection lead, or stop them being one."""

    membership = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.TypedChoiceField(
        choices=[("1", "Make lead"), ("0", "Remove")],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
