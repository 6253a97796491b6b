"""What the outcome-measures API sends and accepts: the instruments a programme may use, the
measures people are asked to complete, answers sent in one go, and scored responses. Lists
never carry answers; a response's answers are only in its detail, for the people entitled."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from outcomes.models import CompletedWith, Occasion, RequestStatus
from referrals.serializers import CrisisResourceSerializer

# The largest id the database holds (a 64-bit key): a bigger one in a filter is a 400, not an
# overflow inside the database driver.
LARGEST_ID = 2**63 - 1

# Instruments ------------------------------------------------------------------------------------


# DRF's metaclass takes declared fields off the class, so a field may be called ``label`` even
# though ``Field.label`` exists; mypy cannot know that.
class OptionSerializer(serializers.Serializer[Any]):
    value = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]


class ItemSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="The question's key, used when sending answers.")
    text = serializers.CharField()


class InstrumentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    key = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    version = serializers.IntegerField()
    is_builtin = serializers.BooleanField(
        help_text="True for the instruments shipped with Alongside; false for the "
        "organisation's own."
    )
    about = serializers.CharField(help_text="What it asks about, in a sentence.")
    minutes = serializers.IntegerField(help_text="About how long it takes.")
    stem = serializers.CharField(help_text="The words before every question.")
    attribution = serializers.CharField(help_text="Show this wherever the instrument is shown.")
    options = OptionSerializer(many=True, help_text="The answers offered for every question.")
    items = ItemSerializer(many=True, help_text="The questions, in order.")


# Requests ---------------------------------------------------------------------------------------


class MeasureRequestSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id", help_text="The person asked.")
    instrument = serializers.CharField(source="instrument.key", help_text="The instrument key.")
    occasion = serializers.ChoiceField(choices=Occasion.choices)
    occasion_number = serializers.IntegerField(
        help_text="The session count or week number it belongs to; 0 otherwise."
    )
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    due_on = serializers.DateField()
    closes_on = serializers.DateField()
    relationship = serializers.IntegerField(source="relationship_id", allow_null=True)


class RequestFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=[("open", "open"), ("all", "all")],
        required=False,
        default="open",
        help_text="`open` (the default): only measures due now and not yet sent; `all`: every "
        "measure, whatever its status.",
    )
    person = serializers.IntegerField(
        required=False, min_value=1, max_value=LARGEST_ID, help_text="Only this person's measures."
    )


class AnswersField(serializers.DictField):
    """Answers by question key: a whole number from the instrument's options, or null for a
    question the person chose not to answer. Strict on purpose: "2" or true is refused rather
    than guessed at, so a client's mistake never becomes someone's answer."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.IntegerField(allow_null=True), **kwargs)

    def to_internal_value(self, data: Any) -> dict[str, int | None]:
        if not isinstance(data, dict):
            self.fail("not_a_dict", input_type=type(data).__name__)
        problems = [
            f"Question {key}: send a whole number, or null to leave it unanswered."
            for key, value in data.items()
            if value is not None and (isinstance(value, bool) or not isinstance(value, int))
        ]
        if problems:
            raise serializers.ValidationError(problems)
        return {str(key): value for key, value in data.items()}


class AnswersSerializer(serializers.Serializer[Any]):
    answers = AnswersField(
        help_text='Question key to answer value, e.g. {"1": 0, "2": 1, "9": null}. A question '
        "left out, or null, is unanswered and is handled by the instrument's missing-answer "
        "rule (never counted as 0)."
    )


# Responses --------------------------------------------------------------------------------------


class MeasureResponseSerializer(serializers.Serializer[Any]):
    """A response in a list: how the person scored, never what they answered."""

    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    instrument = serializers.CharField(source="instrument.key", help_text="The instrument key.")
    occasion = serializers.ChoiceField(choices=Occasion.choices)
    completed_at = serializers.DateTimeField(allow_null=True, help_text="Null while in progress.")
    total = serializers.IntegerField(
        allow_null=True, help_text="Null when too many questions were left unanswered to score."
    )
    percentage = serializers.IntegerField(
        allow_null=True, help_text="For instruments scored as a percentage (WHO-5)."
    )
    band = serializers.CharField(help_text="The band's key; empty when there is no total.")
    flags = serializers.ListField(
        child=serializers.CharField(), help_text="Flag keys, e.g. self_harm_thoughts."
    )
    completed_with = serializers.ChoiceField(choices=CompletedWith.choices)


class ResponseFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=[("completed", "completed"), ("all", "all")],
        required=False,
        default="completed",
        help_text="`completed` (the default): only sent responses; `all`: also those still "
        "being answered.",
    )
    person = serializers.IntegerField(
        required=False, min_value=1, max_value=LARGEST_ID, help_text="Only this person's responses."
    )
    instrument = serializers.SlugField(required=False, help_text="Only this instrument (its key).")


class AnswerSerializer(serializers.Serializer[Any]):
    question = serializers.CharField(help_text="The question's key.")
    text = serializers.CharField()
    value = serializers.IntegerField(allow_null=True, help_text="Null: not answered.")
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="The answer as the person saw it."
    )


class MeasureResponseDetailSerializer(MeasureResponseSerializer):
    instrument_name = serializers.CharField()
    attribution = serializers.CharField(help_text="Show this wherever the scores are shown.")
    started_at = serializers.DateTimeField()
    answered = serializers.IntegerField(help_text="How many questions were answered.")
    prorated = serializers.BooleanField(
        help_text="True when a few unanswered questions were filled in by the instrument's rule."
    )
    meaning = serializers.CharField(
        help_text="The band in plain, calm words, as the person themselves is shown it."
    )
    answers = AnswerSerializer(many=True)


class MeasureResponseSentSerializer(MeasureResponseDetailSerializer):
    show_help = serializers.BooleanField(
        help_text="True when an answer calls for help now (PHQ-9 question 9 above 0): show "
        "the person the crisis resources. A safeguarding alert has been raised."
    )
    crisis_resources = CrisisResourceSerializer(many=True)
