"""What the coordinator's mentoring endpoints send and accept: check-ins, concerns (all of them
for staff; only their own, without the coordinator's note, for the person who raised them),
and a rematch."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from mentoring.models import CheckIn, Concern, ConcernOutcome, ConcernRequest, ConcernTopic
from mentoring.models import CheckInPerson as Person
from mentoring.selectors_staff import timing
from mentoring.serializers_together import SOMEONE_WILL_BE_IN_TOUCH
from mentoring.services.checkins import TEXT_MAX, CheckInMethod
from mentoring.services.concerns import DETAILS_MAX, NOTE_MAX


class CheckInSerializer(serializers.ModelSerializer[CheckIn]):
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "relationship",
            "person",
            "kind",
            "due_on",
            "status",
            "is_overdue",
            "done_at",
            "method",
            "how_it_is_going",
            "concerns",
            "actions",
            "version",
        ]
        read_only_fields = fields

    def get_is_overdue(self, check_in: CheckIn) -> bool:
        return check_in.status == "due" and timing(check_in.due_on).is_overdue


class DueCheckInSerializer(serializers.ModelSerializer[CheckIn]):
    """A check-in on the organisation's list of those due: when, with whom, no notes."""

    is_overdue = serializers.SerializerMethodField()
    when = serializers.SerializerMethodField()

    class Meta:
        model = CheckIn
        fields = ["id", "relationship", "person", "kind", "due_on", "is_overdue", "when"]
        read_only_fields = fields

    def get_is_overdue(self, check_in: CheckIn) -> bool:
        return timing(check_in.due_on).is_overdue

    def get_when(self, check_in: CheckIn) -> str:
        return timing(check_in.due_on, timezone.localdate()).text


class CheckInRecordSerializer(serializers.Serializer[Any]):
    method = serializers.ChoiceField(choices=CheckInMethod.choices)
    how_it_is_going = serializers.CharField(max_length=TEXT_MAX)
    concerns = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    actions = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The version you last read. Leave out to save over whatever is there now.",
    )


class CheckInAddSerializer(CheckInRecordSerializer):
    person = serializers.ChoiceField(choices=Person.choices)
    client_key = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="Any unique string: sending the same key again returns the first record.",
    )


class StaffConcernSerializer(serializers.ModelSerializer[Concern]):
    """A concern as staff see it; the pair get ``OwnConcernSerializer`` (without these two)."""

    viewer_dependent_fields = ("raised_by_role", "outcome_note")
    is_open = serializers.BooleanField(read_only=True)
    outcome = serializers.ChoiceField(
        choices=ConcernOutcome.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Concern
        fields = [
            "id",
            "relationship",
            "raised_by_role",
            "topic",
            "request",
            "details",
            "raised_at",
            "is_open",
            "outcome",
            "outcome_note",
            "resolved_at",
        ]
        read_only_fields = fields


class OwnConcernSerializer(serializers.ModelSerializer[Concern]):
    """A concern as the person who raised it sees it: its status, never the coordinator's
    note."""

    is_open = serializers.BooleanField(read_only=True)
    outcome = serializers.ChoiceField(
        choices=ConcernOutcome.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Concern
        fields = [
            "id",
            "relationship",
            "topic",
            "request",
            "details",
            "raised_at",
            "is_open",
            "outcome",
            "resolved_at",
        ]
        read_only_fields = fields


class RaisedConcernSerializer(OwnConcernSerializer):
    possible_risk = serializers.SerializerMethodField(
        help_text="What you wrote suggests you may not be safe: please look at the "
        "organisation's crisis services (Get help now)."
    )

    someone_will_be_in_touch = serializers.SerializerMethodField(help_text=SOMEONE_WILL_BE_IN_TOUCH)

    class Meta(OwnConcernSerializer.Meta):
        fields = [*OwnConcernSerializer.Meta.fields, "possible_risk", "someone_will_be_in_touch"]
        read_only_fields = fields

    def get_possible_risk(self, concern: Concern) -> bool:
        return bool(self.context.get("possible_risk", False))

    def get_someone_will_be_in_touch(self, concern: Concern) -> bool:
        return bool(self.context.get("someone_will_be_in_touch", False))


class ConcernRaiseSerializer(serializers.Serializer[Any]):
    topic = serializers.ChoiceField(choices=ConcernTopic.choices)
    request = serializers.ChoiceField(choices=ConcernRequest.choices)
    details = serializers.CharField(max_length=DETAILS_MAX)
    client_key = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="Any unique string: sending the same key again returns the first concern.",
    )


class ConcernResolveSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=ConcernOutcome.choices)
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True)


class RematchSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True)


class RematchedSerializer(serializers.Serializer[Any]):
    relationship = serializers.IntegerField()
    status = serializers.CharField()
    end_reason = serializers.CharField()
    referral_status = serializers.CharField()
