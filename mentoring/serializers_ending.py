"""What the ending API reads and writes: the checklist, closing, the wellbeing plan, the
mentee's record and the exit survey. The same content as the pages, for the same people."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from mentoring.models import EndReason
from mentoring.serializers_together import SOMEONE_WILL_BE_IN_TOUCH
from mentoring.services.ending import NOTE_MAX
from mentoring.services.plans import PLAN_FIELD_MAX
from mentoring.services.surveys import ANSWER_MAX, OVERALL_CHOICES
from referrals.serializers import CrisisResourceSerializer

# The checklist ------------------------------------------------------------------------------------


class ChecklistItemSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(
        help_text="final_session, final_measures, plan or exit_conversation."
    )
    title = serializers.CharField(source="label", help_text="What it is, in plain words.")
    done = serializers.BooleanField()
    detail = serializers.CharField()
    trackable = serializers.BooleanField(
        help_text="False for steps Alongside cannot see yet (the final questionnaires)."
    )


class FinalSessionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    scheduled_for = serializers.DateTimeField()
    status = serializers.CharField()


class EndingSerializer(serializers.Serializer[Any]):
    relationship = serializers.IntegerField()
    status = serializers.CharField()
    planned_end_on = serializers.DateField(allow_null=True)
    planned_sessions = serializers.IntegerField(allow_null=True)
    sessions_held = serializers.IntegerField()
    final_session = FinalSessionSerializer(allow_null=True)
    plan_started = serializers.BooleanField()
    plan_ready = serializers.BooleanField()
    items = ChecklistItemSerializer(many=True)
    complete = serializers.BooleanField(
        help_text="The final session was held and the plan is marked ready."
    )
    closing_started_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    end_kind = serializers.CharField(help_text="planned, unplanned, or empty while not ended.")
    follow_up_on = serializers.DateField(
        allow_null=True, help_text="When the follow-up check-in is due (mentee and staff)."
    )
    end_reason = serializers.CharField(required=False, help_text="Staff only.")
    end_note = serializers.CharField(required=False, help_text="Staff only.")
    exit_conversation_held = serializers.BooleanField(required=False, help_text="Staff only.")


class CloseSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=EndReason.choices)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=NOTE_MAX,
        default="",
        help_text="Needed when the reason is `other`.",
    )
    exit_conversation_held = serializers.BooleanField(required=False, default=False)


# The wellbeing plan -------------------------------------------------------------------------------


def _plan_text(help_text: str) -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, max_length=PLAN_FIELD_MAX, help_text=help_text
    )


class PlanSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        help_text="Send this back with a change; 1 while nothing is saved."
    )
    saved = serializers.BooleanField(help_text="False until someone first saves the plan.")
    what_helps = serializers.CharField()
    my_toolkit = serializers.CharField()
    my_people_and_places = serializers.CharField()
    warning_signs = serializers.CharField()
    what_i_will_do = serializers.CharField()
    ready_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)
    can_edit = serializers.BooleanField()
    skills_shared = serializers.ListField(
        child=serializers.CharField(),
        help_text="Skills shared in sessions that happened: suggestions for the toolkit.",
    )
    crisis_resources = CrisisResourceSerializer(many=True)
    show_help = serializers.BooleanField(
        required=False,
        help_text="After a save: true when what was written suggests the writer may need "
        "help now; show them the crisis resources.",
    )
    someone_will_be_in_touch = serializers.BooleanField(
        required=False, help_text=f"After a save. {SOMEONE_WILL_BE_IN_TOUCH}"
    )


class PlanWriteSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        min_value=1, help_text="The version you last read; 409 if someone saved since."
    )
    what_helps = _plan_text("What helps me.")
    my_toolkit = _plan_text("My toolkit: coping skills.")
    my_people_and_places = _plan_text("My people and places: groups and services.")
    warning_signs = _plan_text("Early warning signs.")
    what_i_will_do = _plan_text("What I will do, including who to contact.")


# The mentee's record ------------------------------------------------------------------------------


class RecordStepSerializer(serializers.Serializer[Any]):
    text = serializers.CharField()
    done_at = serializers.DateTimeField(allow_null=True)
    how_it_went = serializers.CharField()


class RecordGoalSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    why_it_matters = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    reached_at = serializers.DateTimeField(allow_null=True)
    how_it_went = serializers.CharField()
    steps = RecordStepSerializer(many=True)


class RecordSessionSerializer(serializers.Serializer[Any]):
    date = serializers.DateTimeField()
    final = serializers.BooleanField()
    summary = serializers.CharField()
    my_reflection = serializers.CharField()
    my_rating = serializers.IntegerField(allow_null=True)


class RecordStrengthSerializer(serializers.Serializer[Any]):
    text = serializers.CharField()
    written_at = serializers.DateTimeField()


class RecordSerializer(serializers.Serializer[Any]):
    made_on = serializers.DateField()
    mentor = serializers.CharField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    goals_in_own_words = serializers.CharField()
    goals = RecordGoalSerializer(many=True)
    sessions = RecordSessionSerializer(many=True)
    strengths = RecordStrengthSerializer(many=True)


# The exit survey ----------------------------------------------------------------------------------


class ExitSurveySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    role = serializers.CharField(help_text="mentor or mentee: who you answer as.")
    sent_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    overall = serializers.IntegerField(allow_null=True)
    what_helped = serializers.CharField()
    could_be_better = serializers.CharField()
    would_recommend = serializers.BooleanField(allow_null=True)
    show_help = serializers.BooleanField(required=False)
    someone_will_be_in_touch = serializers.BooleanField(
        required=False, help_text=f"After answering. {SOMEONE_WILL_BE_IN_TOUCH}"
    )


class ExitSurveyAnswerSerializer(serializers.Serializer[Any]):
    overall = serializers.ChoiceField(
        choices=[value for value, _ in OVERALL_CHOICES],
        required=False,
        allow_null=True,
        default=None,
        help_text="1 (not good at all) to 5 (very good), or null.",
    )
    what_helped = serializers.CharField(
        required=False, allow_blank=True, max_length=ANSWER_MAX, default=""
    )
    could_be_better = serializers.CharField(
        required=False, allow_blank=True, max_length=ANSWER_MAX, default=""
    )
    would_recommend = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true, false, or null (not sure)."
    )
