"""The people list's filters (sent with GET, so a search can be bookmarked) and the confirmation
that stands between a coordinator and removing someone's role or switching their account off."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from accounts.models import Role

STATUS_CHOICES = [
    ("", "Everyone"),
    ("active", "Active"),
    ("removed", "Role removed"),
    ("switched_off", "Account switched off"),
]


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label="Name or email",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label="Role", required=False, choices=[("", "Any role"), *Role.choices]
    )
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_CHOICES)

    def values(self) -> dict[str, str]:
        """The valid choices; a field with an error is ignored (the page shows the error)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {
            "q": (data.get("q") or "").strip(),
            "role": data.get("role") or "",
            "status": data.get("status") or "",
        }


class ConfirmForm(forms.Form):
    """A tick box the person must tick, so a stray click on the button changes nothing."""

    confirm = forms.BooleanField(
        required=True,
        error_messages={"required": "Tick the box to confirm."},
    )

    def __init__(self, data: QueryDict | None = None, *, label: str, prefix: str) -> None:
        super().__init__(data, prefix=prefix)
        self.fields["confirm"].label = label
