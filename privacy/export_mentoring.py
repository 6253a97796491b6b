"""The mentoring relationships in a person's data download, each from what that side can see.
Part of ``privacy.export.subject_export``."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone

from accounts.models import Organisation, User
from mentoring.models import (
    CheckIn,
    CheckInPerson,
    Concern,
    ExitSurvey,
    Goal,
    MentoringSession,
    Message,
    Relationship,
    Step,
)
from mentoring.services.ending import MenteeRecord, mentee_record_data
from privacy.export_common import (
    CHECK_IN_NOTES_WITHHELD,
    CONCERN_NOTES_WITHHELD,
    PRIVATE_NOTES_WITHHELD,
)
from privacy.export_common import label as _label
from privacy.export_common import when as _when


def relationships_section(person: User, organisation: Organisation) -> list[dict[str, Any]]:
    """Each relationship the person is in, as mentee or mentor, from what that side can see.
    A fixed number of queries however many sessions, goals or messages there are."""
    relationships = (
        Relationship.objects.filter(organisation=organisation)
        .filter(Q(mentee=person) | Q(mentor__user=person))
        .select_related("mentor", "mentee", "wellbeing_plan")
        .prefetch_related(
            "agreements",
            Prefetch("sessions", queryset=MentoringSession.objects.order_by("scheduled_for", "pk")),
            Prefetch(
                "goals",
                queryset=Goal.objects.order_by("created_at", "pk").prefetch_related(
                    Prefetch(
                        "steps", queryset=Step.objects.order_by("position", "created_at", "pk")
                    )
                ),
            ),
            "strengths",
            "step_suggestions",
            "milestones",
            Prefetch("messages", queryset=Message.objects.order_by("sent_at", "pk")),
            Prefetch("check_ins", queryset=CheckIn.objects.order_by("due_on", "pk")),
            Prefetch("exit_surveys", queryset=ExitSurvey.objects.filter(respondent=person)),
            Prefetch("concerns", queryset=Concern.objects.filter(raised_by=person)),
        )
        .order_by("started_at", "pk")
    )
    return [_relationship(relationship, person) for relationship in relationships]


def _relationship(relationship: Relationship, person: User) -> dict[str, Any]:
    as_mentee = relationship.mentee_id == person.pk
    side = CheckInPerson.MENTEE if as_mentee else CheckInPerson.MENTOR
    other = "your mentor" if as_mentee else "your mentee"
    entry: dict[str, Any] = {
        "id": relationship.pk,
        "your_role": side.value,
        "mentor": relationship.mentor.display_name,
        "mentee": relationship.mentee.name or "your mentee",
        "status": relationship.status,
        "status_label": relationship.get_status_display(),
        "started_at": _when(relationship.started_at),
        "active_from": _when(relationship.activated_at),
        "planned_end_on": _when(relationship.planned_end_on),
        "ended_at": _when(relationship.ended_at),
        "end_reason": _label(relationship, "end_reason"),
        "agreements": [_agreement(agreement, as_mentee) for agreement in _agreements(relationship)],
        "sessions": [_session(s, as_mentee) for s in relationship.sessions.all()],
        "messages": [
            {
                "sent_at": _when(message.sent_at),
                "from": "you" if message.sender_id == person.pk else other,
                "body": message.body,
                "read_at": _when(message.read_at),
            }
            for message in relationship.messages.all()
        ],
        "check_ins": [
            {
                "kind": check_in.get_kind_display(),
                "due_on": _when(check_in.due_on),
                "status": check_in.get_status_display(),
                "done_at": _when(check_in.done_at),
                "method": check_in.method,
            }
            for check_in in relationship.check_ins.all()
            if check_in.person == side
        ],
        "check_in_notes_withheld": CHECK_IN_NOTES_WITHHELD,
        "concerns_you_raised": [
            {
                "raised_at": _when(concern.raised_at),
                "topic": concern.get_topic_display(),
                "request": concern.get_request_display(),
                "details": concern.details,
                "outcome": _label(concern, "outcome"),
                "resolved_at": _when(concern.resolved_at),
                "withheld": CONCERN_NOTES_WITHHELD if concern.outcome_note else "",
            }
            for concern in relationship.concerns.all()
        ],
        "exit_survey": [
            {
                "sent_at": _when(survey.sent_at),
                "answered_at": _when(survey.answered_at),
                "overall": survey.overall,
                "what_helped": survey.what_helped,
                "could_be_better": survey.could_be_better,
                "would_recommend": survey.would_recommend,
            }
            for survey in relationship.exit_surveys.all()
        ],
    }
    if as_mentee:
        entry.update(_mentee_side(relationship))
    else:
        entry.update(_mentor_side(relationship, person))
    return entry


def _agreements(relationship: Relationship) -> list[Any]:
    return sorted(relationship.agreements.all(), key=lambda agreement: agreement.version)


def _agreement(agreement: Any, as_mentee: bool) -> dict[str, Any]:
    mine, theirs = (
        (agreement.mentee_acknowledged_at, agreement.mentor_acknowledged_at)
        if as_mentee
        else (agreement.mentor_acknowledged_at, agreement.mentee_acknowledged_at)
    )
    return {
        "version": agreement.version,
        "made_at": _when(agreement.created_at),
        "goals_in_own_words": agreement.goals_in_own_words,
        "meeting_frequency": agreement.get_meeting_frequency_display(),
        "meeting_format": agreement.meeting_format,
        "usual_slot": agreement.usual_slot,
        "usual_slot_note": agreement.usual_slot_note,
        "contact_channels": list(agreement.contact_channels),
        "contact_days": list(agreement.contact_days),
        "contact_from": _when(agreement.contact_from),
        "contact_until": _when(agreement.contact_until),
        "reply_within_hours": agreement.reply_within_hours,
        "planned_sessions": agreement.planned_sessions,
        "planned_end_on": _when(agreement.planned_end_on),
        "anything_else": agreement.anything_else,
        "statement_version": agreement.statement_version,
        "change_note": agreement.change_note,
        "you_acknowledged_at": _when(mine),
        "they_acknowledged_at": _when(theirs),
    }


def _session(session: MentoringSession, as_mentee: bool) -> dict[str, Any]:
    """A session as its viewer sees it: the mentee never gets the mentor's private fields."""
    data: dict[str, Any] = {
        "scheduled_for": _when(session.scheduled_for),
        "status": session.status,
        "status_label": session.get_status_display(),
        "format": session.format,
        "place": session.place,
        "planned_minutes": session.planned_minutes,
        "length_minutes": session.length_minutes,
        "final_session": session.is_final,
        "topics": session.topics,
        "skills_shared": session.skills_shared,
        "summary": session.summary,
        "mentee_reflection": session.mentee_reflection,
        "mentee_rating": session.mentee_rating,
    }
    if as_mentee:
        kept = session.private_notes or session.mood_before is not None or session.concern
        data["withheld"] = PRIVATE_NOTES_WITHHELD if kept else ""
    else:
        data.update(
            {
                "your_private_notes": session.private_notes,
                "mood_before": session.mood_before,
                "mood_after": session.mood_after,
                "raised_with_supervisor": session.concern,
            }
        )
    return data


def _mentee_side(relationship: Relationship) -> dict[str, Any]:
    """Goals, steps and strengths come from the mentee's own record download (mentoring's
    ``mentee_record_data``), built here from the prefetched rows."""
    agreements = _agreements(relationship)
    record = mentee_record_data(
        MenteeRecord(
            relationship=relationship,
            mentor_name=relationship.mentor.display_name,
            goals_in_own_words=agreements[-1].goals_in_own_words if agreements else "",
            goals=list(relationship.goals.all()),
            sessions=[],
            strengths=list(relationship.strengths.all()),
            made_on=timezone.localdate(),
        )
    )
    plan = getattr(relationship, "wellbeing_plan", None)
    return {
        "goals": record["goals"],
        "strengths_your_mentor_sees": record["strengths"],
        "step_suggestions": [
            {
                "text": suggestion.text,
                "suggested_at": _when(suggestion.suggested_at),
                "status": suggestion.get_status_display(),
            }
            for suggestion in relationship.step_suggestions.all()
        ],
        "milestones": [
            {"kind": m.get_kind_display(), "reached_at": _when(m.reached_at)}
            for m in relationship.milestones.all()
        ],
        "wellbeing_plan": None
        if plan is None
        else {
            "what_helps": plan.what_helps,
            "my_toolkit": plan.my_toolkit,
            "my_people_and_places": plan.my_people_and_places,
            "warning_signs": plan.warning_signs,
            "what_i_will_do": plan.what_i_will_do,
            "updated_at": _when(plan.updated_at),
            "ready_at": _when(plan.ready_at),
        },
    }


def _mentor_side(relationship: Relationship, person: User) -> dict[str, Any]:
    """What the mentor wrote for their mentee. The mentee's goals and plan are the mentee's
    record, not the mentor's, so they are not part of the mentor's download."""
    return {
        "strengths_you_wrote": [
            {"text": note.text, "written_at": _when(note.written_at)}
            for note in relationship.strengths.all()
            if note.written_by_id == person.pk
        ],
        "steps_you_suggested": [
            {
                "text": suggestion.text,
                "suggested_at": _when(suggestion.suggested_at),
                "status": suggestion.get_status_display(),
            }
            for suggestion in relationship.step_suggestions.all()
            if suggestion.suggested_by_id == person.pk
        ],
    }
