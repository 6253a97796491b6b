"""Forms for answering a match (the mentor, the mentee, or a coordinator recording what the mentee
said by phone) and for arranging the introduction meeting."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from matching.services.introductions import PLACE_MAX
from matching.services.responses import REASON_MAX
from mentors.models import Format

ACCEPT, DECLINE = "accept", "decline"


class MentorDeclineForm(forms.Form):
    reason = forms.CharField(
        label="What should your coordinator know?",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A few words are plenty, for example “I cannot take someone new on until "
        "March” or “I do not think I am the right person for this”. Only your coordinator "
        "sees this.",
    )


class MenteeDeclineForm(forms.Form):
    reason = forms.CharField(
        label="Anything you would like to tell us? (optional)",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="You do not have to give a reason. If you do, only your coordinator sees it, "
        "and it helps them find someone who suits you better.",
    )


class OnBehalfForm(forms.Form):
    """A coordinator records the answer a mentee gave by phone or in person."""

    answer = forms.ChoiceField(
        label="What did they say?",
        choices=[
            (ACCEPT, "Yes, they would like to meet this mentor"),
            (DECLINE, "No, not this time"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Their reason, if they gave one (optional)",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only staff see this. Do not press for a reason: they do not have to give one.",
    )


class IntroductionForm(forms.Form):
    date = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label="Time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    format = forms.ChoiceField(
        label="How will they meet?", choices=Format.choices, widget=forms.RadioSelect
    )
    place = forms.CharField(
        label="Where, or the video call link",
        required=False,
        max_length=PLACE_MAX,
        help_text="For in person: a public place such as a café or the community centre. For "
        "video: the link. For phone: who calls whom (optional). Both people see this.",
    )
    coordinator_present = forms.BooleanField(
        label="A coordinator will be there too", required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("date") and cleaned.get("time"):
            cleaned["when"] = timezone.make_aware(
                datetime.combine(cleaned["date"], cleaned["time"])
            )
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "when": data["when"],
            "format": data["format"],
            "place": data["place"],
            "coordinator_present": data["coordinator_present"],
        }
