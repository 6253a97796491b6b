from __future__ import annotations

from django import forms

from accounts.models import Membership


class ChooseOrganisationForm(forms.Form):
    membership = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        widget=forms.RadioSelect,
        label="Which organisation are you working with now?",
        empty_label=None,
        error_messages={"required": "Choose one organisation to continue."},
    )

    def __init__(self, *args: object, memberships: list[Membership], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Membership.objects.filter(pk__in=[m.pk for m in memberships])
        field.label_from_instance = _describe  # type: ignore[method-assign, assignment]


def _describe(membership: Membership) -> str:
    return f"{membership.organisation.name} — as {membership.get_role_display()}"
