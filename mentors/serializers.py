"""What the API shows of mentors and applications: the same fields the pages show each role."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Language, SupportArea
from mentors.models import AvailabilitySlot, Format, MentorApplication, MentorProfile

_FORMAT_LABELS = dict(Format.choices)


class LanguageSerializer(serializers.ModelSerializer[Language]):
    class Meta:
        model = Language
        fields = ["code", "name"]


class FormatSerializer(serializers.Serializer[Any]):
    value = serializers.ChoiceField(choices=Format.choices)
    name = serializers.CharField()


def _formats(values: list[str]) -> list[dict[str, str]]:
    return [{"value": value, "name": _FORMAT_LABELS.get(value, value)} for value in values]


class AvailabilitySlotSerializer(serializers.ModelSerializer[AvailabilitySlot]):
    weekday_label = serializers.CharField(source="get_weekday_display")

    class Meta:
        model = AvailabilitySlot
        fields = ["weekday", "weekday_label", "starts_at", "ends_at"]


class MentorSerializer(serializers.ModelSerializer[MentorProfile]):
    """A listed mentor's public profile: never capacity, travel distance or year of birth."""

    gender = serializers.SerializerMethodField(help_text="Only if the mentor chose to show it.")
    lived_experience_areas: serializers.SlugRelatedField[SupportArea] = (
        serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    )
    languages = LanguageSerializer(many=True, read_only=True)
    formats = serializers.SerializerMethodField()
    availability = AvailabilitySlotSerializer(
        source="availability_slots", many=True, read_only=True
    )

    class Meta:
        model = MentorProfile
        fields = [
            "id",
            "display_name",
            "bio",
            "specialisms",
            "gender",
            "lived_experience_areas",
            "languages",
            "formats",
            "area",
            "availability",
        ]

    def get_gender(self, profile: MentorProfile) -> str | None:
        return profile.gender if profile.show_gender and profile.gender else None

    @extend_schema_field(FormatSerializer(many=True))
    def get_formats(self, profile: MentorProfile) -> list[dict[str, str]]:
        return _formats(profile.formats)


class MentorApplicationSerializer(serializers.ModelSerializer[MentorApplication]):
    """An application as the coordinator's board sees it, without the applicant's own words."""

    stage_label = serializers.CharField(source="get_stage_display")
    waiting_days = serializers.SerializerMethodField(help_text="Whole days at this stage.")
    lived_experience_areas: serializers.SlugRelatedField[SupportArea] = (
        serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    )
    languages = LanguageSerializer(many=True, read_only=True)
    formats = serializers.SerializerMethodField()

    class Meta:
        model = MentorApplication
        fields = [
            "id",
            "stage",
            "stage_label",
            "stage_entered_at",
            "waiting_days",
            "submitted_at",
            "full_name",
            "email",
            "lived_experience_areas",
            "languages",
            "formats",
        ]

    def get_waiting_days(self, application: MentorApplication) -> int:
        return application.waiting.days

    @extend_schema_field(FormatSerializer(many=True))
    def get_formats(self, application: MentorApplication) -> list[dict[str, str]]:
        return _formats(application.formats)


class ModuleProgressSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="module.pk")
    title = serializers.CharField(source="module.title")
    required_before_matching = serializers.BooleanField(source="module.required_before_matching")
    min_minutes = serializers.IntegerField(source="module.min_minutes")
    completed = serializers.BooleanField(source="done")
    completed_at = serializers.DateTimeField(source="completion.completed_at", allow_null=True)
    minutes = serializers.IntegerField(
        source="completion.minutes", allow_null=True, help_text="Minutes recorded, once completed."
    )


class TrainingProgressSerializer(serializers.Serializer[Any]):
    """A trainee's modules and the totals certification needs."""

    application = serializers.IntegerField()
    modules = ModuleProgressSerializer(many=True, source="progress.rows")
    minutes_done = serializers.IntegerField(source="progress.minutes_done")
    minutes_needed = serializers.IntegerField(source="progress.minutes_needed")
    required_done = serializers.IntegerField(source="progress.required_done")
    required_total = serializers.IntegerField(source="progress.required_total")
