"""What the goals and messages API shows and accepts. The same limits as the pages (the services
check them); messages never carry anyone's contact details."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from mentoring.forms_goals import NOT_NOW, TAKE
from mentoring.models import Goal, GoalStatus, Message, Step, StepSuggestion
from mentoring.services.goals import STEP_MAX, TEXT_MAX, TITLE_MAX
from mentoring.services.messages import MESSAGE_MAX
from referrals.serializers import CrisisResourceSerializer

# Shared by every answer that says whether what was written suggests risk.
SOMEONE_WILL_BE_IN_TOUCH = (
    "True when you are the mentee and what you wrote was flagged as serious: tell the writer, "
    "kindly, that someone from the team will get in touch with them soon, and that if they are "
    "in danger now they should call the emergency number (999)."
)


def _client_key() -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="A one-time key: sending the same key again returns the first record "
        "instead of making a second.",
    )


def _version() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version you last read. A change made against an older one is refused "
        "with 409, so nothing saved elsewhere is overwritten.",
    )


# Goals, steps, suggestions ----------------------------------------------------------------------


class StepSerializer(serializers.ModelSerializer[Step]):
    done = serializers.SerializerMethodField()

    class Meta:
        model = Step
        fields = (
            "id",
            "text",
            "position",
            "done",
            "done_at",
            "how_it_went",
            "from_suggestion",
            "version",
            "created_at",
        )
        read_only_fields = fields

    def get_done(self, step: Step) -> bool:
        return step.done_at is not None


class StepSuggestionSerializer(serializers.ModelSerializer[StepSuggestion]):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = StepSuggestion
        fields = ("id", "goal", "text", "status", "status_label", "suggested_at", "answered_at")
        read_only_fields = fields


class GoalSerializer(serializers.ModelSerializer[Goal]):
    """A goal as the pair see it: everything, with its steps and the mentor's suggestions."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    suggestions = StepSuggestionSerializer(many=True, read_only=True)

    class Meta:
        model = Goal
        fields = (
            "id",
            "title",
            "why_it_matters",
            "status",
            "status_label",
            "reached_at",
            "how_it_went",
            "created_at",
            "version",
            "steps",
            "suggestions",
        )
        read_only_fields = fields


class GoalSummarySerializer(serializers.ModelSerializer[Goal]):
    """A goal as coordinators see it: its title and progress, nothing the pair wrote about it."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    steps = serializers.IntegerField(source="step_count", read_only=True)
    steps_done = serializers.IntegerField(source="done_count", read_only=True)

    class Meta:
        model = Goal
        fields = ("id", "title", "status", "status_label", "reached_at", "steps", "steps_done")
        read_only_fields = fields


class GoalCreateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=TITLE_MAX, allow_blank=True)
    why_it_matters = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )
    client_key = _client_key()


class GoalChangeSerializer(serializers.Serializer[Any]):
    """Any of these; what is left out stays as it is."""

    title = serializers.CharField(max_length=TITLE_MAX, required=False, allow_blank=True)
    why_it_matters = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    status = serializers.ChoiceField(
        choices=GoalStatus.choices,
        required=False,
        help_text="`reached` (with `how_it_went` if you like), `set_aside`, or `active` to "
        "bring it back.",
    )
    how_it_went = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    version = _version()


class StepCreateSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=STEP_MAX, allow_blank=True)
    client_key = _client_key()


class StepChangeSerializer(serializers.Serializer[Any]):
    """Any of these; what is left out stays as it is."""

    done = serializers.BooleanField(required=False, help_text="Tick the step off, or un-tick it.")
    how_it_went = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    text = serializers.CharField(max_length=STEP_MAX, required=False, allow_blank=True)
    version = _version()


class StepSuggestionCreateSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=STEP_MAX, allow_blank=True)
    client_key = _client_key()


class StepSuggestionAnswerSerializer(serializers.Serializer[Any]):
    answer = serializers.ChoiceField(
        choices=[(TAKE, "Take it up as a step"), (NOT_NOW, "Not for now")]
    )


class StepSuggestionAnsweredSerializer(serializers.Serializer[Any]):
    suggestion = StepSuggestionSerializer()
    step = StepSerializer(allow_null=True, help_text="The new step, when it was taken up.")


class SavedSerializer(serializers.Serializer[Any]):
    """Shared by every answer to a change: ``possible_risk`` and ``crisis_resources`` say
    whether what was written suggests the writer may need help now, and where to find it."""

    possible_risk = serializers.BooleanField()
    someone_will_be_in_touch = serializers.BooleanField(help_text=SOMEONE_WILL_BE_IN_TOUCH)
    crisis_resources = CrisisResourceSerializer(many=True)


class GoalSavedSerializer(SavedSerializer):
    goal = GoalSerializer()


class StepSavedSerializer(SavedSerializer):
    step = StepSerializer()


class StepSuggestionSavedSerializer(SavedSerializer):
    suggestion = StepSuggestionSerializer()


# Messages ---------------------------------------------------------------------------------------


class MessageSerializer(serializers.ModelSerializer[Message]):
    """Pass ``context={"user_id": ..., "mentee_id": ...}``: who is asking, and the mentee of
    the relationship, so ``from_me`` and ``sender_role`` need no further queries."""

    from_me = serializers.SerializerMethodField()
    sender_role = serializers.SerializerMethodField(help_text="`mentor` or `mentee`.")

    class Meta:
        model = Message
        fields = (
            "id",
            "from_me",
            "sender_role",
            "body",
            "sent_at",
            "read_at",
            "outside_hours",
            "reply_expected_by",
        )
        read_only_fields = fields

    def get_from_me(self, message: Message) -> bool:
        return bool(message.sender_id == self.context.get("user_id"))

    def get_sender_role(self, message: Message) -> str:
        return "mentee" if message.sender_id == self.context.get("mentee_id") else "mentor"


class MessageThreadSerializer(serializers.Serializer[Any]):
    results = MessageSerializer(many=True, help_text="Oldest first.")
    has_older = serializers.BooleanField(
        help_text="More messages are older than these: ask again with `?before=` the first id."
    )
    contact_hours = serializers.CharField(help_text="For example “Mon–Fri 9:00–20:00”.")
    reply_within_hours = serializers.IntegerField()
    mentor_prompt = serializers.BooleanField(
        help_text="For the mentor: their mentee sent a message flagged as serious in the last "
        "7 days. Show what to do now: their supervisor and the duty safeguarding lead have been "
        "told and will follow it up; reply kindly without promising to keep it secret; share "
        "the crisis numbers; if they are in immediate danger, call 999; talk to the supervisor."
    )


class MessageCreateSerializer(serializers.Serializer[Any]):
    body = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text=f"Up to {MESSAGE_MAX:,} characters.",
    )
    client_key = _client_key()


class MessageSentSerializer(SavedSerializer):
    message = MessageSerializer()
    outside_hours = serializers.BooleanField(
        help_text="Sent outside the agreed contact hours: it arrives, and a reply can be "
        "expected by `reply_expected_by`."
    )
    reply_expected_by = serializers.DateTimeField(allow_null=True)
    contact_hours = serializers.CharField()
