"""What the API shows of a relationship, its agreement and its strength notes: the same as the
pages, and never anyone's contact details."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from mentoring.access import Viewer
from mentoring.models import Agreement, ContactChannel, MeetingFrequency, RelationshipStatus
from mentoring.services.agreements import (
    CHANGE_NOTE_MAX,
    NOTE_MAX,
    TEXT_MAX,
    AgreementTerms,
)
from mentoring.services.strengths import STRENGTH_MAX
from mentors.models import Format
from referrals.availability import SLOT_CHOICES


class AgreementSummarySerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    agreed = serializers.BooleanField(help_text="True once both people have acknowledged it.")
    mentor_acknowledged_at = serializers.DateTimeField(allow_null=True)
    mentee_acknowledged_at = serializers.DateTimeField(allow_null=True)


class RelationshipSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RelationshipStatus.choices)
    mentor_name = serializers.CharField(help_text="The name the mentor shows to mentees.")
    mentee_name = serializers.CharField(
        help_text="The name the mentee asked to be called, or their first name."
    )
    started_at = serializers.DateTimeField(help_text="When the match was confirmed.")
    activated_at = serializers.DateTimeField(
        allow_null=True, help_text="When both people acknowledged their first agreement."
    )
    planned_end_on = serializers.DateField(allow_null=True)
    planned_sessions = serializers.IntegerField(allow_null=True)
    next_session_at = serializers.DateTimeField(allow_null=True)
    unread_messages = serializers.IntegerField(
        allow_null=True,
        help_text="Messages to you not yet opened; null unless you are the mentor or mentee.",
    )
    your_role = serializers.ChoiceField(
        choices=[(viewer.value, viewer.value) for viewer in Viewer],
        help_text="As whom you see this relationship.",
    )


class RelationshipDetailSerializer(RelationshipSerializer):
    agreement = AgreementSummarySerializer(
        allow_null=True, help_text="The current version of the agreement, or null if none yet."
    )


class AgreementSerializer(serializers.Serializer[Agreement]):
    version = serializers.IntegerField()
    goals_in_own_words = serializers.CharField()
    meeting_frequency = serializers.ChoiceField(choices=MeetingFrequency.choices)
    meeting_format = serializers.ChoiceField(choices=Format.choices)
    usual_slot = serializers.CharField(
        help_text="A part of the week such as mon_evening, or empty."
    )
    usual_slot_note = serializers.CharField()
    contact_channels = serializers.ListField(
        child=serializers.ChoiceField(choices=ContactChannel.choices)
    )
    contact_days = serializers.ListField(
        child=serializers.IntegerField(), help_text="Weekdays, 0 = Monday."
    )
    contact_from = serializers.TimeField()
    contact_until = serializers.TimeField()
    reply_within_hours = serializers.IntegerField()
    planned_sessions = serializers.IntegerField()
    planned_end_on = serializers.DateField()
    anything_else = serializers.CharField()
    statement_version = serializers.CharField(
        help_text="The version of what mentors do and do not do, and of confidentiality, that "
        "this agreement includes."
    )
    change_note = serializers.CharField()
    created_at = serializers.DateTimeField()
    written_by = serializers.SerializerMethodField(
        help_text="mentor or mentee, or empty if the writer has since left."
    )
    mentor_acknowledged_at = serializers.DateTimeField(allow_null=True)
    mentee_acknowledged_at = serializers.DateTimeField(allow_null=True)
    agreed = serializers.BooleanField(source="is_acknowledged")

    def get_written_by(self, agreement: Agreement) -> str:
        relationship = agreement.relationship
        if agreement.created_by_id == relationship.mentor.user_id:
            return "mentor"
        if agreement.created_by_id == relationship.mentee_id:
            return "mentee"
        return ""


class AgreementWriteSerializer(serializers.Serializer[Any]):
    """A new version of the agreement. The rules (ranges, dates, required change note) are the
    service's, so the API and the pages refuse the same things with the same words."""

    based_on_version = serializers.IntegerField(
        min_value=0,
        help_text="The version you were looking at when you wrote this: 0 for the first.",
    )
    goals_in_own_words = serializers.CharField(max_length=TEXT_MAX)
    meeting_frequency = serializers.ChoiceField(choices=MeetingFrequency.choices)
    meeting_format = serializers.ChoiceField(choices=Format.choices)
    usual_slot = serializers.ChoiceField(
        choices=[("", "No usual time"), *SLOT_CHOICES], required=False, default=""
    )
    usual_slot_note = serializers.CharField(
        max_length=NOTE_MAX, required=False, default="", allow_blank=True
    )
    contact_channels = serializers.ListField(
        child=serializers.ChoiceField(choices=ContactChannel.choices)
    )
    contact_days = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), help_text="Weekdays, 0 = Monday."
    )
    contact_from = serializers.TimeField()
    contact_until = serializers.TimeField()
    reply_within_hours = serializers.IntegerField()
    planned_sessions = serializers.IntegerField()
    planned_end_on = serializers.DateField()
    anything_else = serializers.CharField(
        max_length=TEXT_MAX, required=False, default="", allow_blank=True
    )
    change_note = serializers.CharField(
        max_length=CHANGE_NOTE_MAX,
        required=False,
        default="",
        allow_blank=True,
        help_text="Required from version 2: what changed, in a few words.",
    )

    def terms(self) -> AgreementTerms:
        return AgreementTerms.from_data(dict(self.validated_data))


class AcknowledgeSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        min_value=1, help_text="The version you read and agree to (the current one)."
    )


class StrengthSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    text = serializers.CharField()
    written_at = serializers.DateTimeField()


class StrengthWriteSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=STRENGTH_MAX)
    client_key = serializers.CharField(
        max_length=64,
        required=False,
        default="",
        allow_blank=True,
        help_text="A one-time key: sending the same key again returns the first note.",
    )
