"""Forms for erasure requests and the retention policy. The services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from accounts.models import Organisation, User
from accounts.services import ERASED_EMAIL_END
from privacy.models import RetentionPolicy
from referrals.models import Referral


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.email})" if obj.name else obj.email


class ReferralChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"Referral {obj.pk}: {obj.full_name} ({obj.get_status_display()})"


class ErasureRequestForm(forms.Form):
    """Whose data: someone with an account, or someone referred who never had one."""

    person = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Person with an account",
        empty_label="Choose a person",
    )
    referral = ReferralChoiceField(
        queryset=Referral.objects.none(),
        required=False,
        label="Or: a referral of someone without an account",
        empty_label="Choose a referral",
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_field = self.fields["person"]
        referral_field = self.fields["referral"]
        assert isinstance(person_field, forms.ModelChoiceField)
        assert isinstance(referral_field, forms.ModelChoiceField)
        person_field.queryset = (
            User.objects.filter(memberships__organisation=organisation)
            .exclude(email__endswith=ERASED_EMAIL_END)
            .distinct()
            .order_by("name", "email")
        )
        referral_field.queryset = (
            Referral.objects.filter(organisation=organisation, mentee__isnull=True)
            .exclude(idempotency_key__startswith="erased-")
            .order_by("-created_at")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("person") and not data.get("referral"):
            raise forms.ValidationError("Choose the person with an account, or their referral.")
        return data


class Outcome:
    ERASE = "erase"
    HOLD = "hold"
    REFUSE = "refuse"
    CHOICES = (
        (ERASE, "Erase their personal data now"),
        (HOLD, "Put on hold: the data must be kept for now"),
        (REFUSE, "Refuse the request"),
    )


class ErasureDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=Outcome.CHOICES, widget=forms.RadioSelect, label="What happens next"
    )
    confirm_no_hold = forms.BooleanField(
        required=False,
        label="I have checked: there is no legal or safeguarding reason to keep this person's "
        "data.",
        help_text="Needed to erase. Erasure cannot be undone.",
    )
    reason = forms.CharField(
        required=False,
        max_length=200,
        label="Reason (for a hold or a refusal)",
        help_text="A short reason, without the person's name: for example "
        "'open safeguarding enquiry'.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome = data.get("outcome")
        if outcome == Outcome.ERASE and not data.get("confirm_no_hold"):
            self.add_error(
                "confirm_no_hold", "Confirm there is no legal or safeguarding hold first."
            )
        if outcome in (Outcome.HOLD, Outcome.REFUSE) and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why, in a few words.")
        return data


MONTHS_MESSAGE = "Enter a number of months from 1 to 600."
MONTHS = [
    MinValueValidator(1, message=MONTHS_MESSAGE),
    MaxValueValidator(600, message=MONTHS_MESSAGE),
]


class RetentionPolicyForm(forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = [
            "closed_relationship_months",
            "declined_applicant_months",
            "closed_referral_months",
            "audit_months",
        ]
        labels = {
            "closed_relationship_months": "Months to keep a mentee's records after their last "
            "relationship ends",
            "declined_applicant_months": "Months to keep a declined or withdrawn mentor "
            "application",
            "closed_referral_months": "Months to keep a closed referral that never led to "
            "mentoring",
            "audit_months": "Months to keep audit events",
        }
        help_texts = {
            "audit_months": "Alongside never deletes audit events itself. Your database "
            "administrator removes older ones (see the README).",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.validators = list(MONTHS)
            field.widget.attrs.update({"inputmode": "numeric", "min": 1, "max": 600})
