"""What the API shows a mentor or a mentee about a match: the same as their pages, and never
the other person's contact details."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from matching.dashboard import OfferForMentee, OfferForMentor
from matching.services.responses import REASON_MAX
from mentoring.models import Relationship, RelationshipStatus


class IntroductionSerializer(serializers.Serializer[Relationship]):
    at = serializers.DateTimeField(source="introduction_at")
    format = serializers.CharField(source="introduction_format")
    place = serializers.CharField(
        source="introduction_place", help_text="Where they meet, the video link, or phone details."
    )
    coordinator_present = serializers.BooleanField()


class MenteeSummarySerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField()
    support_areas = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    formats = serializers.ListField(child=serializers.CharField())
    availability = serializers.ListField(child=serializers.CharField())
    area = serializers.CharField(help_text="The general area they gave, or empty.")


class MentorPublicSerializer(serializers.Serializer[Any]):
    display_name = serializers.CharField()
    bio = serializers.CharField()
    specialisms = serializers.CharField()
    gender = serializers.CharField(help_text="Empty unless the mentor chose to show it.")
    lived_experience = serializers.ListField(child=serializers.CharField(), source="areas")
    languages = serializers.ListField(child=serializers.CharField())
    formats = serializers.ListField(child=serializers.CharField())


class _OfferFields(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="proposal.pk")
    status = serializers.CharField(source="proposal.status")
    status_label = serializers.CharField(source="status_text")
    can_answer = serializers.BooleanField(
        help_text="True while the offer waits for your answer and there is still time."
    )
    respond_by = serializers.DateTimeField(allow_null=True)
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why the two of you were matched."
    )
    introduction = serializers.SerializerMethodField()

    @extend_schema_field(IntroductionSerializer(allow_null=True))
    def get_introduction(self, offer: Any) -> dict[str, Any] | None:
        relationship: Relationship | None = offer.relationship
        if (
            relationship is None
            or relationship.status != RelationshipStatus.INTRODUCTION
            or relationship.introduction_at is None
        ):
            return None
        return dict(IntroductionSerializer(relationship).data)


class MentorOfferSerializer(_OfferFields):
    """An offer as its mentor sees it."""

    answering_as = serializers.SerializerMethodField()
    mentee = MenteeSummarySerializer()
    current_mentees = serializers.IntegerField(
        help_text="How many people you mentor now (introductions included)."
    )
    capacity = serializers.IntegerField(help_text="How many people you said you can mentor.")

    def get_answering_as(self, offer: OfferForMentor) -> str:
        return "mentor"


class MenteeOfferSerializer(_OfferFields):
    """An offer as its mentee sees it, once the mentor has said yes."""

    answering_as = serializers.SerializerMethodField()
    mentor = MentorPublicSerializer()
    asked_for_this_mentor = serializers.BooleanField()

    def get_answering_as(self, offer: OfferForMentee) -> str:
        return "mentee"


class DeclineSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=REASON_MAX,
        help_text="Required of a mentor, for the coordinator; optional for a mentee. Only "
        "coordinators see it.",
    )
