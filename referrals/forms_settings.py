from __future__ import annotations

from django import forms

from referrals.models import ReferralProgrammeSettings
from referrals.services.settings import SETTING_FIELDS


class ReferralSettingsForm(forms.ModelForm[ReferralProgrammeSettings]):
    class Meta:
        model = ReferralProgrammeSettings
        fields = list(SETTING_FIELDS)
        labels = {
            "waiting_alert_days": "Highlight people who have waited longer than (days)",
            "check_in_interval_days": "Remind coordinators to check in with people waiting every "
            "(days)",
            "contact_attempts_before_unable": "Attempts to reach someone before a referral may "
            "be closed as unable to contact",
        }
        help_texts = {
            "waiting_alert_days": "For example 42 for six weeks.",
            "check_in_interval_days": "For example 14 for every two weeks.",
            "contact_attempts_before_unable": "For example 3.",
        }

    def clean_check_in_interval_days(self) -> int:
        days: int = self.cleaned_data["check_in_interval_days"]
        if days < 1:
            raise forms.ValidationError("Check in at least every day, or more days apart.")
        return days

    def clean_waiting_alert_days(self) -> int:
        days: int = self.cleaned_data["waiting_alert_days"]
        if days < 1:
            raise forms.ValidationError("Give a number of days of 1 or more.")
        return days

    def clean_contact_attempts_before_unable(self) -> int:
        attempts: int = self.cleaned_data["contact_attempts_before_unable"]
        if not 1 <= attempts <= 10:
            raise forms.ValidationError("Give a number from 1 to 10.")
        return attempts
