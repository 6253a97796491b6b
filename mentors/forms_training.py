"""Forms for training modules, completing them, recording attendance, and continuing education.

The services check the same rules again; these forms give the message next to the field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from mentors.models import Delivery, TrainingModule
from mentors.services.training import CPD_MAX_HOURS, CPD_MIN_HOURS, format_minutes

_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _not_in_future(value: Any) -> Any:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError("The date cannot be in the future.")
    return value


class ModuleForm(forms.ModelForm[TrainingModule]):
    delivery = forms.ChoiceField(
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        label="How is it delivered?",
        initial=Delivery.SELF_PACED,
    )

    class Meta:
        model = TrainingModule
        fields = [
            "title",
            "summary",
            "content",
            "min_minutes",
            "required_before_matching",
            "delivery",
            "position",
        ]
        labels = {
            "title": "Title",
            "summary": "Short summary (optional)",
            "content": "What trainees read or do",
            "min_minutes": "Minimum time, in minutes",
            "required_before_matching": "Required before a mentor can be matched",
            "position": "Position in the list",
        }
        help_texts = {
            "summary": "One line shown in the list of modules.",
            "content": "Plain text. Leave a blank line to start a new paragraph.",
            "min_minutes": "Trainees say how long they spent; it must be at least this.",
            "position": "Lower numbers come first.",
        }
        widgets = {
            "content": forms.Textarea(attrs={"rows": 10}),
            "min_minutes": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "position": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }
        error_messages = {
            "title": {"required": "Give the module a title."},
            "min_minutes": {"required": "Enter the minimum time in minutes."},
        }

    def clean_title(self) -> str:
        return str(self.cleaned_data["title"]).strip()

    def clean_min_minutes(self) -> int:
        minutes = int(self.cleaned_data["min_minutes"])
        if minutes < 1:
            raise forms.ValidationError("A module takes at least 1 minute.")
        return minutes


class CompletionForm(forms.Form):
    minutes = forms.IntegerField(
        label="How many minutes did you spend on it?",
        min_value=0,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "Enter roughly how many minutes you spent."},
    )
    reflection = forms.CharField(
        label="A private reflection (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What stayed with you? Only you can see this; it is stored encrypted.",
    )

    def __init__(self, *args: Any, module: TrainingModule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.module = module
        self.fields[
            "minutes"
        ].help_text = f"This module takes at least {format_minutes(module.min_minutes)}."

    def clean_minutes(self) -> int:
        minutes = int(self.cleaned_data["minutes"])
        if minutes < self.module.min_minutes:
            raise forms.ValidationError(
                f"This module takes at least {format_minutes(self.module.min_minutes)}. "
                "If you have not finished yet, that is fine: come back to it when you have."
            )
        return minutes


class AttendanceForm(forms.Form):
    attended_on = forms.DateField(
        label="Date attended",
        widget=_DATE_WIDGET,
        validators=[_not_in_future],
        error_messages={"required": "Enter the date of the session."},
    )
    minutes = forms.IntegerField(
        label="Minutes attended",
        min_value=0,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "Enter how many minutes they attended."},
    )

    def __init__(self, *args: Any, module: TrainingModule, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"module-{module.pk}")
        kwargs.setdefault(
            "initial", {"attended_on": timezone.localdate(), "minutes": module.min_minutes}
        )
        super().__init__(*args, **kwargs)
        self.module = module

    def clean_minutes(self) -> int:
        minutes = int(self.cleaned_data["minutes"])
        if minutes < self.module.min_minutes:
            raise forms.ValidationError(
                f"This session counts as completed from {format_minutes(self.module.min_minutes)}."
            )
        return minutes


class CpdForm(forms.Form):
    done_on = forms.DateField(
        label="When did you do it?",
        widget=_DATE_WIDGET,
        validators=[_not_in_future],
        error_messages={"required": "Enter the date."},
    )
    hours = forms.DecimalField(
        label="Hours",
        max_digits=4,
        decimal_places=1,
        help_text="Between 0.5 and 40, in steps of half an hour (for example 1.5).",
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
        error_messages={
            "required": "Enter how many hours.",
            "max_decimal_places": "Use at most one decimal place, for example 1.5.",
        },
    )
    description = forms.CharField(
        label="What did you do?",
        max_length=200,
        help_text="For example: safeguarding refresher, or a workshop on self-harm awareness.",
        error_messages={"required": "Say briefly what you did."},
    )

    def clean_hours(self) -> Decimal:
        hours = Decimal(self.cleaned_data["hours"])
        if not CPD_MIN_HOURS <= hours <= CPD_MAX_HOURS:
            raise forms.ValidationError("Enter between 0.5 and 40 hours.")
        return hours
