"""Forms for arranging a session, the mentor's log and the mentee's reflection. The services
check everything again; these give each answer its label, help and first checks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from mentoring.forms_base import MentoringForm
from mentoring.models import MentoringSession, SessionStatus
from mentoring.services.sessions import (
    LENGTH_MINUTES_MAX,
    LENGTH_MINUTES_MIN,
    PLACE_MAX,
    PLANNED_MINUTES_MAX,
    PLANNED_MINUTES_MIN,
    PRIVATE_NOTES_MAX,
    RATINGS,
    REFLECTION_MAX,
    SKILLS_MAX,
    SUMMARY_MAX,
    TOPICS_MAX,
)
from mentors.models import Format


class SessionPlanForm(MentoringForm):
    """Arrange a session, or change one that is planned (``instance=``)."""

    date = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label="Start time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    planned_minutes = forms.IntegerField(
        label="How long (minutes)",
        min_value=PLANNED_MINUTES_MIN,
        max_value=PLANNED_MINUTES_MAX,
        initial=60,
        help_text=f"Between {PLANNED_MINUTES_MIN} and {PLANNED_MINUTES_MAX} minutes. "
        "An hour suits most sessions.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    format = forms.ChoiceField(
        label="How will you meet?", choices=Format.choices, widget=forms.RadioSelect
    )
    place = forms.CharField(
        label="Where, or the video call link",
        required=False,
        max_length=PLACE_MAX,
        help_text="In person: a public place such as a café or the community centre. Video: "
        "the link. Phone: who calls whom (optional). You both see this.",
    )
    is_final = forms.BooleanField(
        label="This is our final session",
        required=False,
        help_text="Your last session together, as part of the planned ending.",
    )

    def __init__(self, *args: Any, closing: bool = False, **kwargs: Any) -> None:
        instance: MentoringSession | None = kwargs.get("instance")
        super().__init__(*args, **kwargs)
        if not closing and not (instance is not None and instance.is_final):
            del self.fields["is_final"]
        if not self.is_bound:
            if instance is not None:
                local = timezone.localtime(instance.scheduled_for)
                self.initial.update(
                    {
                        "date": local.date(),
                        "time": local.time().replace(second=0, microsecond=0),
                        "planned_minutes": instance.planned_minutes,
                        "format": instance.format,
                        "place": instance.place,
                        "is_final": instance.is_final,
                    }
                )
            else:
                self.initial.setdefault("format", Format.VIDEO)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("date") and cleaned.get("time"):
            cleaned["scheduled_for"] = timezone.make_aware(
                datetime.combine(cleaned["date"], cleaned["time"])
            )
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "scheduled_for": data["scheduled_for"],
            "planned_minutes": data["planned_minutes"],
            "format": data["format"],
            "place": data["place"],
            "is_final": data.get("is_final", False),
        }


MOOD_WORDS = {1: "1 (very low)", 10: "10 (very good)"}
MOOD_CHOICES = [("", "Not recorded")] + [
    (str(number), MOOD_WORDS.get(number, str(number))) for number in range(1, 11)
]

OUTCOME_CHOICES = [
    (SessionStatus.HELD, "We met"),
    (SessionStatus.CANCELLED_BY_MENTOR, "I cancelled it"),
    (SessionStatus.CANCELLED_BY_MENTEE, "My mentee cancelled it"),
    (SessionStatus.NO_SHOW, "It did not happen (no-show)"),
]


def _text(label: str, limit: int, help_text: str, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class SessionLogForm(MentoringForm):
    outcome = forms.ChoiceField(
        label="What happened?", choices=OUTCOME_CHOICES, widget=forms.RadioSelect
    )
    length_minutes = forms.IntegerField(
        label="How long you met (minutes)",
        required=False,
        min_value=LENGTH_MINUTES_MIN,
        max_value=LENGTH_MINUTES_MAX,
        help_text="Needed if you met. A rough number is fine.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    topics = _text(
        "Topics you talked about",
        TOPICS_MAX,
        "A few words each, for example “sleep, getting to the group on Wednesday”. "
        "Your mentee sees this.",
        rows=2,
    )
    skills_shared = _text(
        "Skills or ideas you shared",
        SKILLS_MAX,
        "For example a breathing exercise or a way to plan the week. Your mentee sees this.",
        rows=2,
    )
    summary = _text(
        "Summary you both see",
        SUMMARY_MAX,
        "A short, kind note of what you did together and anything agreed. Your mentee reads "
        "this, and keeps it after mentoring ends.",
    )
    private_notes = _text(
        "Private notes",
        PRIVATE_NOTES_MAX,
        "Anything you want to think over with your supervisor.",
    )
    mood_before = forms.TypedChoiceField(
        label="How your mentee said they felt at the start (optional)",
        choices=MOOD_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="1 is very low, 10 is very good. Only if they chose to say.",
    )
    mood_after = forms.TypedChoiceField(
        label="How your mentee said they felt at the end (optional)",
        choices=MOOD_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="1 is very low, 10 is very good.",
    )
    concern = forms.BooleanField(
        label="I have a concern I would like my supervisor to look at",
        required=False,
        help_text="Your supervisor is told there is a session to look at, and reads your "
        "private notes.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        instance: MentoringSession | None = kwargs.get("instance")
        super().__init__(*args, **kwargs)
        if not self.is_bound and instance is not None and instance.logged_at is not None:
            self.initial.update(
                {
                    "outcome": instance.status,
                    "length_minutes": instance.length_minutes,
                    "topics": instance.topics,
                    "skills_shared": instance.skills_shared,
                    "summary": instance.summary,
                    "private_notes": instance.private_notes,
                    "mood_before": instance.mood_before,
                    "mood_after": instance.mood_after,
                    "concern": instance.concern,
                }
            )
        elif not self.is_bound and instance is not None:
            self.initial.setdefault("length_minutes", instance.planned_minutes)

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "length_minutes": data["length_minutes"],
            "topics": data["topics"],
            "skills_shared": data["skills_shared"],
            "summary": data["summary"],
            "private_notes": data["private_notes"],
            "mood_before": data["mood_before"],
            "mood_after": data["mood_after"],
            "concern": data["concern"],
            "version": data["version"],
        }


RATING_CHOICES = [(str(number), f"{number}: {words}") for number, words in RATINGS.items()]


class SessionReflectionForm(MentoringForm):
    rating = forms.TypedChoiceField(
        label="How did the session feel?",
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="Choose the one closest to how it felt. There is no wrong answer.",
    )
    reflection = _text(
        "Your reflection (optional)",
        REFLECTION_MAX,
        "Anything you want to remember: what helped, what you might try next. Your mentor "
        "sees this.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        instance: MentoringSession | None = kwargs.get("instance")
        super().__init__(*args, **kwargs)
        if not self.is_bound and instance is not None:
            self.initial.update(
                {"rating": instance.mentee_rating, "reflection": instance.mentee_reflection}
            )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "reflection": data["reflection"],
            "rating": data["rating"],
            "version": data["version"],
        }
