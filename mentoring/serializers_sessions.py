"""What the sessions API shows and accepts. A session is shown as its viewer may see it (see
``SessionVisibility``): private notes, moods and the concern flag appear only for the mentor
and their supervisor; staff see the summary level only."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mentoring.access import Viewer
from mentoring.models import MentoringSession, SessionStatus
from mentoring.serializers_together import SOMEONE_WILL_BE_IN_TOUCH
from mentoring.services.sessions import (
    LENGTH_MINUTES_MAX,
    LENGTH_MINUTES_MIN,
    LOG_OUTCOMES,
    MOOD_MAX,
    MOOD_MIN,
    PLACE_MAX,
    PLANNED_MINUTES_MAX,
    PLANNED_MINUTES_MIN,
    PRIVATE_NOTES_MAX,
    RATINGS,
    REFLECTION_MAX,
    SKILLS_MAX,
    SUMMARY_MAX,
    TOPICS_MAX,
    SessionVisibility,
    rating_label,
)
from mentors.models import Format
from referrals.serializers import CrisisResourceSerializer

PLACE_FIELDS = ("place",)
SHARED_DETAIL_FIELDS = ("topics", "skills_shared")
REFLECTION_FIELDS = ("mentee_reflection", "mentee_rating", "mentee_rating_label", "reflected_at")
PRIVATE_FIELDS = ("private_notes", "mood_before", "mood_after", "concern", "concern_seen_at")


@extend_schema_field(
    {"type": "string", "description": "How you meet: " + ", ".join(Format.values) + "."}
)
class SessionFormatField(serializers.ChoiceField):
    """How the pair meet. Described rather than an enum in the schema, where other apps'
    ``format`` enums would collide with it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Format.choices, **kwargs)


@extend_schema_field(
    {
        "type": "string",
        "description": "What happened: " + ", ".join(str(value) for value in LOG_OUTCOMES) + ".",
    }
)
class SessionOutcomeField(serializers.ChoiceField):
    """What happened at a session (described in the schema, like the format)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[(value, value) for value in LOG_OUTCOMES], **kwargs)


class SessionSerializer(serializers.ModelSerializer[MentoringSession]):
    """Pass ``context={"viewer": Viewer}``; fields the viewer may not see are left out."""

    viewer_dependent_fields = (
        *PLACE_FIELDS,
        *SHARED_DETAIL_FIELDS,
        *REFLECTION_FIELDS,
        *PRIVATE_FIELDS,
    )

    status = serializers.CharField(
        read_only=True,
        help_text="One of: " + ", ".join(SessionStatus.values) + ".",
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    mentee_rating_label = serializers.SerializerMethodField(
        help_text="The rating in words, for example “Really helpful”."
    )

    class Meta:
        model = MentoringSession
        fields = (
            "id",
            "scheduled_for",
            "planned_minutes",
            "format",
            "place",
            "is_final",
            "status",
            "status_label",
            "version",
            "ics_sequence",
            "logged_at",
            "length_minutes",
            "summary",
            "topics",
            "skills_shared",
            "mentee_reflection",
            "mentee_rating",
            "mentee_rating_label",
            "reflected_at",
            "private_notes",
            "mood_before",
            "mood_after",
            "concern",
            "concern_seen_at",
        )
        read_only_fields = fields
        extra_kwargs = {
            "place": {"help_text": "Where, or the video link. Only the mentor and mentee see it."},
            "topics": {"help_text": "Mentor, mentee and supervisor only."},
            "skills_shared": {"help_text": "Mentor, mentee and supervisor only."},
            "mentee_reflection": {"help_text": "Mentor and mentee only."},
            "mentee_rating": {"help_text": "1 to 5. Mentor and mentee only."},
            "private_notes": {"help_text": "Mentor and supervisor only."},
            "mood_before": {"help_text": "1 to 10. Mentor and supervisor only."},
            "mood_after": {"help_text": "1 to 10. Mentor and supervisor only."},
            "concern": {"help_text": "Flagged for the supervisor. Mentor and supervisor only."},
        }

    def get_mentee_rating_label(self, session: MentoringSession) -> str:
        return rating_label(session.mentee_rating)

    def to_representation(self, instance: MentoringSession) -> dict[str, Any]:
        data = dict(super().to_representation(instance))
        visibility = self.context.get("visibility") or SessionVisibility.for_viewer(
            self.context.get("viewer", Viewer.STAFF)
        )
        hidden: list[str] = []
        if not visibility.place:
            hidden += PLACE_FIELDS
        if not visibility.shared_detail:
            hidden += SHARED_DETAIL_FIELDS
        if not visibility.reflection:
            hidden += REFLECTION_FIELDS
        if not visibility.private:
            hidden += PRIVATE_FIELDS
        for name in hidden:
            data.pop(name, None)
        return data


class SessionPlanSerializer(serializers.Serializer[Any]):
    scheduled_for = serializers.DateTimeField(help_text="When the session starts; in the future.")
    planned_minutes = serializers.IntegerField(
        min_value=PLANNED_MINUTES_MIN, max_value=PLANNED_MINUTES_MAX, default=60
    )
    format = SessionFormatField()
    place = serializers.CharField(
        max_length=PLACE_MAX,
        allow_blank=True,
        default="",
        help_text="Where, or the video link. Needed for in person and video.",
    )
    is_final = serializers.BooleanField(
        default=False, help_text="The final session; only once the planned ending has started."
    )


class SessionScheduleSerializer(SessionPlanSerializer):
    client_key = serializers.CharField(
        max_length=64,
        allow_blank=True,
        default="",
        help_text="A one-time key: sending the same key again returns the first session.",
    )


class SessionRescheduleSerializer(SessionPlanSerializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The version you last read; a newer one gives 409."
    )


class SessionLogSerializer(serializers.Serializer[Any]):
    outcome = SessionOutcomeField()
    length_minutes = serializers.IntegerField(
        min_value=LENGTH_MINUTES_MIN,
        max_value=LENGTH_MINUTES_MAX,
        required=False,
        allow_null=True,
        default=None,
        help_text="Needed when the outcome is held.",
    )
    topics = serializers.CharField(max_length=TOPICS_MAX, allow_blank=True, default="")
    skills_shared = serializers.CharField(max_length=SKILLS_MAX, allow_blank=True, default="")
    summary = serializers.CharField(max_length=SUMMARY_MAX, allow_blank=True, default="")
    private_notes = serializers.CharField(
        max_length=PRIVATE_NOTES_MAX, allow_blank=True, default=""
    )
    mood_before = serializers.IntegerField(
        min_value=MOOD_MIN, max_value=MOOD_MAX, allow_null=True, default=None
    )
    mood_after = serializers.IntegerField(
        min_value=MOOD_MIN, max_value=MOOD_MAX, allow_null=True, default=None
    )
    concern = serializers.BooleanField(default=False)
    version = serializers.IntegerField(
        min_value=1, help_text="The version you last read; a newer one gives 409."
    )


class SessionReflectionSerializer(serializers.Serializer[Any]):
    reflection = serializers.CharField(max_length=REFLECTION_MAX, allow_blank=True, default="")
    rating = serializers.ChoiceField(
        choices=[(number, words) for number, words in RATINGS.items()],
        allow_null=True,
        default=None,
        help_text="How the session felt: 1 (hard going) to 5 (really helpful).",
    )
    version = serializers.IntegerField(
        min_value=1, help_text="The version you last read; a newer one gives 409."
    )


class SessionSavedSerializer(serializers.Serializer[Any]):
    """A saved log or reflection."""

    session = SessionSerializer(help_text="The session, as you may see it.")
    possible_risk = serializers.BooleanField(
        help_text="True when what was written suggests someone may be at risk. The right "
        "people have been told (never what was written); show the writer crisis_resources."
    )
    someone_will_be_in_touch = serializers.BooleanField(help_text=SOMEONE_WILL_BE_IN_TOUCH)
    crisis_resources = CrisisResourceSerializer(
        many=True,
        help_text="Empty unless possible_risk: the organisation's crisis resources.",
    )
