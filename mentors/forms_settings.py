from __future__ import annotations

from django import forms

from mentors.models import MentorProgrammeSettings
from mentors.services.settings import SETTING_FIELDS


class ProgrammeSettingsForm(forms.ModelForm[MentorProgrammeSettings]):
    class Meta:
        model = MentorProgrammeSettings
        fields = list(SETTING_FIELDS)
        labels = {
            "min_training_minutes": "Training a mentor must complete before matching (minutes)",
            "max_capacity": "Most mentees one mentor may have at once",
            "certification_months": "How long a certification lasts (months)",
            "cpd_hours_per_year": "Continuing-education hours needed each year to renew",
            "expiry_warning_days": "Warn this many days before a certification ends",
            "supervision_interval_days": "Supervision at least every (days)",
            "wellbeing_interval_days": "Mentor wellbeing check-in at least every (days)",
            "reference_link_days": "A referee's link works for (days)",
        }
        help_texts = {
            "min_training_minutes": "For example 720 for 12 hours.",
            "max_capacity": "Mentors choose their own capacity up to this number.",
        }


class SupportAreaForm(forms.Form):
    name = forms.CharField(max_length=80, label="Area name")
