"""What the safeguarding alert API sends and accepts. A list row says what raised an alert and
where it stands; an alert's detail adds the signs (with the flagged words, for the people who
respond) and its timeline. Choice sets carry their own names in the schema, so they are not
confused with other apps' statuses, outcomes and methods."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from safeguarding.models import (
    AlertActionKind,
    AlertLevel,
    AlertOutcome,
    AlertStatus,
    ContactMethod,
    SafeguardingAction,
)
from safeguarding.services.alerts import NOTE_LIMIT


def _enum_schema(choices: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "type": "string",
        "enum": [value for value, _ in choices],
        "description": "\n".join(f"* `{value}` - {label}" for value, label in choices),
    }


def _blank_enum_schema(choices: list[tuple[str, str]]) -> dict[str, Any]:
    return _enum_schema([("", "Not set"), *choices])


@extend_schema_field(_enum_schema(AlertLevel.choices), component_name="AlertLevelEnum")
class AlertLevelField(serializers.CharField):
    """How serious: concern, high or urgent."""


@extend_schema_field(_enum_schema(AlertStatus.choices), component_name="AlertStatusEnum")
class AlertStatusField(serializers.CharField):
    """Waiting (open), someone is responding (acknowledged), or closed."""


@extend_schema_field(_blank_enum_schema(AlertOutcome.choices), component_name="AlertOutcomeEnum")
class AlertOutcomeField(serializers.CharField):
    """How a closed alert ended; empty while it is not closed."""


@extend_schema_field(_enum_schema(AlertActionKind.choices), component_name="AlertStepKindEnum")
class AlertStepKindField(serializers.CharField):
    """What kind of step on the timeline."""


@extend_schema_field(
    _blank_enum_schema(ContactMethod.choices), component_name="AlertContactMethodEnum"
)
class ContactMethodOutField(serializers.CharField):
    """How someone tried to reach the person; empty for other steps."""


@extend_schema_field(
    _blank_enum_schema(SafeguardingAction.choices), component_name="SafeguardingActionEnum"
)
class SafeguardingActionOutField(serializers.CharField):
    """The action taken; empty for other steps."""


@extend_schema_field(
    _enum_schema(ContactMethod.choices), component_name="AlertContactMethodChoiceEnum"
)
class ContactMethodField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ContactMethod.choices, **kwargs)


@extend_schema_field(
    _enum_schema(SafeguardingAction.choices), component_name="SafeguardingActionChoiceEnum"
)
class SafeguardingActionField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=SafeguardingAction.choices, **kwargs)


@extend_schema_field(_enum_schema(AlertOutcome.choices), component_name="AlertOutcomeChoiceEnum")
class AlertOutcomeChoiceField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=AlertOutcome.choices, **kwargs)


# What is sent ----------------------------------------------------------------------------------


class AlertPersonSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="Their name, or their email if they gave no name.")


class AlertSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="The alert's page, for people to open.")
    level = AlertLevelField()
    status = AlertStatusField()
    person = AlertPersonSerializer(allow_null=True, help_text="Who the alert is about.")
    categories = serializers.ListField(
        child=serializers.CharField(),
        help_text="What the signs may be about: detector categories and questionnaire flags.",
    )
    category_labels = serializers.ListField(
        child=serializers.CharField(), help_text="The same, in words."
    )
    source_label = serializers.CharField(help_text="What raised the latest sign, in words.")
    sign_count = serializers.IntegerField(help_text="How many signs the alert has gathered.")
    created_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(
        allow_null=True, help_text="When someone must have said they are responding by."
    )
    is_overdue = serializers.BooleanField(
        help_text="Still waiting, and the response deadline has passed."
    )
    deadline = serializers.CharField(
        allow_blank=True,
        help_text='The deadline in words while waiting ("Due in 9 minutes", "Overdue by 1 '
        'hour"); empty once someone is responding.',
    )
    escalation_level = serializers.IntegerField(
        help_text="0: with the supervisor and the duty lead; 1: every lead and coordinator "
        "told; 2: admins told as well."
    )
    escalation = serializers.CharField(help_text="The escalation, in words.")
    acknowledged_by = AlertPersonSerializer(allow_null=True, help_text="Who is responding.")
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    outcome = AlertOutcomeField(allow_blank=True)
    false_positive = serializers.BooleanField(
        help_text="Closed as a false alarm: the words did not mean risk."
    )


class AlertActionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = AlertStepKindField()
    kind_label = serializers.CharField()
    contact_method = ContactMethodOutField(allow_blank=True)
    reached = serializers.BooleanField(
        allow_null=True, help_text="For contact attempts: whether they reached the person."
    )
    action = SafeguardingActionOutField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    actor = AlertPersonSerializer(
        allow_null=True, help_text="Who took the step; null when Alongside did (escalation)."
    )
    created_at = serializers.DateTimeField()


class AlertWithActionsSerializer(AlertSerializer):
    """An alert and its timeline: what a response step sends back."""

    supervisor = AlertPersonSerializer(allow_null=True)
    duty_lead = AlertPersonSerializer(
        allow_null=True, help_text="The safeguarding lead on duty when it was raised."
    )
    closed_by = AlertPersonSerializer(allow_null=True)
    closing_note = serializers.CharField(allow_blank=True)
    actions = AlertActionSerializer(many=True, help_text="The timeline, oldest first.")


class AlertSignSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    level = AlertLevelField()
    categories = serializers.ListField(child=serializers.CharField())
    category_labels = serializers.ListField(child=serializers.CharField())
    # DRF's metaclass takes declared fields off the class, so ``source`` is a field here even
    # though ``Field.source`` exists; mypy cannot know that.
    source = serializers.CharField(  # type: ignore[assignment]
        help_text="A short label: message, measure, session log..."
    )
    source_label = serializers.CharField(help_text="What raised it, in words.")
    path = serializers.CharField(
        allow_blank=True, help_text="The record's page (access-checked there)."
    )
    excerpt = serializers.CharField(allow_blank=True, help_text="The text that was flagged.")
    matches = serializers.ListField(
        child=serializers.CharField(), help_text="The phrases that raised it."
    )
    detection_failed = serializers.BooleanField(
        help_text="Risk detection failed on this text: someone must read it."
    )


class AlertDetailSerializer(AlertWithActionsSerializer):
    signs = AlertSignSerializer(many=True, help_text="Every sign, oldest first.")


# What is accepted ------------------------------------------------------------------------------


class AlertFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=[(value, value) for value in ("open", "acknowledged", "closed", "all")],
        required=False,
        help_text="Left out: the alerts not closed (waiting and being responded to). `open`: "
        "waiting for someone to respond; `acknowledged`: someone is responding; `closed`; "
        "`all`.",
    )


def _note(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=NOTE_LIMIT, **kwargs)


def _client_key() -> serializers.CharField:
    return serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="A one-time key for this request: sent again, the first record is returned.",
    )


class AlertContactAttemptSerializer(serializers.Serializer[Any]):
    method = ContactMethodField(help_text="How you tried to contact them.")
    reached = serializers.BooleanField(help_text="Whether you reached them.")
    note = _note(required=False, allow_blank=True, default="")
    client_key = _client_key()


class AlertActionTakenSerializer(serializers.Serializer[Any]):
    action = SafeguardingActionField()
    note = _note(
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed for `other`, and for `gp_without_consent` (why information was "
        "shared without consent).",
    )
    client_key = _client_key()


class AlertNoteSerializer(serializers.Serializer[Any]):
    note = _note()


class AlertCloseSerializer(serializers.Serializer[Any]):
    outcome = AlertOutcomeChoiceField(
        help_text="`no_risk` marks the alert a false alarm, which helps improve detection."
    )
    note = _note(help_text="The closing note: what happened and what is next.")


class AlertReopenSerializer(serializers.Serializer[Any]):
    note = _note(help_text="Why it is being reopened.")
