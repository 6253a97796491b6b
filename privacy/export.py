"""Everything the programme holds about one person, for their right of access and portability.

``subject_export(person, organisation)`` gathers one section per app into plain data (strings,
numbers, booleans, lists and dicts), which is both the JSON download and what the readable page
shows, so the page can never show more than the file. One organisation at a time: nothing
crosses organisations, and a coordinator downloading on someone's behalf sees only their own
organisation's records.

What is left out, and why, is said where it is left out (``withheld`` keys) and listed once at
the top (``withheld``): other people's private notes and contact details, staff working notes,
and the words of other people outside the person's own conversations.

Top-level keys (``schema_version`` 1):

- ``schema_version``, ``made_at``, ``organisation``, ``about``, ``withheld``
- ``account``: the person's sign-in details and their role in this organisation
- ``referrals``: how they came to the programme, with their intake answers
- ``mentor_requests``: mentors they asked the coordinator for by name
- ``matches``: matches offered to them, as mentee or mentor, as they saw them (``your_role``)
- ``mentor``: their mentor application, training, profile and supervision (mentors only)
- ``relationships``: each mentoring relationship, with agreement, sessions, goals, messages,
  check-ins, wellbeing plan and exit survey
- ``measures``: questionnaires they were asked to fill in, their answers and scores
- ``toolkit``: skills in their toolkit, their practice, resources recommended to them, and
  whether the weekly email with an idea from it is on
- ``safeguarding_alerts``: alerts raised about them (level, dates, outcome)
- ``consents``: what they agreed to, which wording, and when they withdrew
- ``activity``: what they did in Alongside (actions and times, from the audit trail)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet, TextChoices
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from audit.models import AuditEvent
from audit.services import audit_record
from matching.dashboard import (
    MENTEE_STATUS_TEXT,
    MENTOR_STATUS_TEXT,
    first_name,
    shareable_reasons,
)
from matching.models import MatchProposal, Origin, ProposalStatus
from matching.selectors import offers_for_mentor, proposals_for_mentee
from mentors.models import MentorApplication, MentorProfile, MentorRequest
from outcomes.models import MeasureRequest, MeasureResponse
from outcomes.services.instruments import definition_of
from privacy.consent import is_declined
from privacy.export_common import (
    ALERT_NOTES_WITHHELD,
    APPLICATION_NOTES_WITHHELD,
    CHECK_IN_NOTES_WITHHELD,
    CONTACT_NOTES_WITHHELD,
    INTAKE_NOTES_WITHHELD,
    MATCH_NOTES_WITHHELD,
    OTHER_PEOPLES_DETAILS_WITHHELD,
    PRIVATE_NOTES_WITHHELD,
    SUPERVISION_NOTES_WITHHELD,
)
from privacy.export_common import label as _label
from privacy.export_common import when as _when
from privacy.export_mentoring import relationships_section
from privacy.models import ConsentRecord
from referrals.availability import slot_labels
from referrals.models import Referral
from safeguarding.models import Alert
from toolkit.models import Recommendation, ToolkitEntry, ToolkitPreferences

SCHEMA_VERSION = 1

# Account ------------------------------------------------------------------------------------------


def account_section(person: User, organisation: Organisation) -> dict[str, Any]:
    membership = Membership.objects.filter(user=person, organisation=organisation).first()
    return {
        "email": person.email,
        "name": person.name,
        "joined_at": _when(person.date_joined),
        "last_signed_in_at": _when(person.last_login),
        "is_active": person.is_active,
        "membership": None
        if membership is None
        else {
            "role": membership.role,
            "role_label": membership.get_role_display(),
            "is_active": membership.is_active,
            "since": _when(membership.created_at),
        },
    }


# Referrals ----------------------------------------------------------------------------------------


def referrals_queryset() -> QuerySet[Referral]:
    """Referrals with everything ``referral_data`` reads, in a fixed number of queries."""
    return (
        Referral.objects.select_related("intake")
        .prefetch_related("support_areas", "languages", "contact_attempts")
        .order_by("created_at", "pk")
    )


def referrals_section(person: User, organisation: Organisation) -> list[dict[str, Any]]:
    referrals = referrals_queryset().filter(organisation=organisation, mentee=person)
    return [referral_data(referral) for referral in referrals]


def referral_data(referral: Referral) -> dict[str, Any]:
    """One referral as the person sent it, with the labels of each contact attempt (waiting
    list check-ins included) and their intake answers; staff notes are withheld."""
    intake = getattr(referral, "intake", None)
    return {
        "id": referral.pk,
        "made_at": _when(referral.created_at),
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "source_label": referral.get_source_display(),
        "full_name": referral.full_name,
        "preferred_name": referral.preferred_name,
        "email": referral.email,
        "phone": referral.phone,
        "year_of_birth": referral.year_of_birth,
        "gender": referral.gender,
        "ok_to_leave_voicemail": referral.voicemail_ok,
        "ok_to_email": referral.email_ok,
        "ok_to_text": referral.text_ok,
        "best_time_to_contact": referral.best_time_to_contact,
        "support_wanted_with": [area.name for area in referral.support_areas.all()],
        "hopes": referral.hopes,
        "languages": [language.name for language in referral.languages.all()],
        "formats": list(referral.formats),
        "area": referral.area,
        "times_that_suit": slot_labels(referral.availability_slots),
        "availability": referral.availability,
        "mentor_preferences": {
            "gender": referral.mentor_gender,
            "gender_importance": referral.mentor_gender_importance,
            "age_min": referral.mentor_age_min,
            "age_max": referral.mentor_age_max,
            "age_importance": referral.mentor_age_importance,
            "shared_experience_importance": referral.shared_experience_importance,
        },
        "consent_version": referral.consent_version,
        "consent_given_at": _when(referral.consent_given_at),
        "waiting_since": _when(referral.waiting_since),
        "signposted_to": referral.signposted_to,
        "contact_attempts": [
            {
                "at": _when(attempt.attempted_at),
                "method": attempt.get_method_display(),
                "outcome": attempt.get_outcome_display(),
            }
            for attempt in referral.contact_attempts.all()
        ],
        "contact_attempt_notes_withheld": CONTACT_NOTES_WITHHELD,
        "intake": None
        if intake is None
        else {
            "goals": intake.goals,
            "accessibility_needs": intake.accessibility_needs,
            "gp_details": intake.gp_details,
            "completed_at": _when(intake.completed_at),
            "withheld": INTAKE_NOTES_WITHHELD,
        },
    }


# Asking for a mentor, and matches offered ---------------------------------------------------------


def mentor_requests_section(person: User, organisation: Organisation) -> list[dict[str, Any]]:
    """Mentors the person asked for by name. Who on the staff handled it is left out."""
    requests = (
        MentorRequest.objects.filter(organisation=organisation, mentee=person)
        .select_related("profile")
        .order_by("created_at", "pk")
    )
    return [
        {
            "mentor": request.profile.display_name,
            "asked_at": _when(request.created_at),
            "your_note": request.note,
            "status": request.status,
            "status_label": request.get_status_display(),
            "handled_at": _when(request.handled_at),
        }
        for request in requests
    ]


def matches_section(person: User, organisation: Organisation) -> list[dict[str, Any]]:
    """Matches offered to the person, from the same selectors as their offer pages: as a mentee
    only those that reached them (the mentor said yes first), as a mentor only those the
    coordinator sent. Mentee offers first, then mentor offers, each oldest first."""
    as_mentee = proposals_for_mentee(person.pk, organisation).order_by("mentor_responded_at", "pk")
    as_mentor = offers_for_mentor(person, organisation).order_by("approved_at", "pk")
    return [offer_to_mentee_data(proposal) for proposal in as_mentee] + [
        _offer_to_mentor(proposal) for proposal in as_mentor
    ]


def _answer(responded_at: datetime | None, declined: bool) -> str | None:
    if responded_at is None:
        return None
    return "no" if declined else "yes"


def offer_to_mentee_data(proposal: MatchProposal) -> dict[str, Any]:
    """A match as the mentee saw it: the mentor's public name, the shareable reasons and their
    own answer. The score, and the mentor's answer and reason, are not part of it."""
    declined = proposal.status == ProposalStatus.MENTEE_DECLINED
    return {
        "your_role": "mentee",
        "mentor": proposal.mentor.display_name,
        "offered_at": _when(proposal.mentor_responded_at),
        "answer_by": _when(proposal.respond_by),
        "status": proposal.status,
        "status_label": MENTEE_STATUS_TEXT.get(
            ProposalStatus(proposal.status), proposal.get_status_display()
        ),
        "asked_for_this_mentor": proposal.origin == Origin.REQUEST,
        "why_suggested": shareable_reasons(proposal.reasons),
        "your_answer": _answer(proposal.mentee_responded_at, declined),
        "answered_at": _when(proposal.mentee_responded_at),
        "your_reason": proposal.decline_reason if declined else "",
    }


def _offer_to_mentor(proposal: MatchProposal) -> dict[str, Any]:
    """A match as the mentor saw it: the mentee's first name only, the shareable reasons and
    their own answer. The mentee's answer and reason stay with the mentee."""
    declined = proposal.status == ProposalStatus.MENTOR_DECLINED
    return {
        "your_role": "mentor",
        "mentee": first_name(proposal.referral),
        "offered_at": _when(proposal.approved_at),
        "status": proposal.status,
        "status_label": MENTOR_STATUS_TEXT.get(
            ProposalStatus(proposal.status), proposal.get_status_display()
        ),
        "why_suggested": shareable_reasons(proposal.reasons),
        "your_answer": _answer(proposal.mentor_responded_at, declined),
        "answered_at": _when(proposal.mentor_responded_at),
        "your_reason": proposal.decline_reason if declined else "",
    }


# Becoming and being a mentor ----------------------------------------------------------------------


def mentor_section(person: User, organisation: Organisation) -> dict[str, Any] | None:
    applications = list(
        MentorApplication.objects.filter(organisation=organisation, user=person)
        .select_related("interview")
        .prefetch_related(
            "lived_experience_areas",
            "languages",
            "references",
            "background_checks",
            "training_completions__module",
        )
        .order_by("created_at", "pk")
    )
    profile = (
        MentorProfile.objects.filter(organisation=organisation, user=person)
        .prefetch_related(
            "lived_experience_areas",
            "languages",
            "availability_slots",
            "cpd",
            "supervision_sessions",
            "wellbeing_check_ins",
        )
        .first()
    )
    if not applications and profile is None:
        return None
    return {
        "applications": [_application(application) for application in applications],
        "profile": _profile(profile) if profile is not None else None,
    }


def _application(application: MentorApplication) -> dict[str, Any]:
    interview = getattr(application, "interview", None)
    return {
        "stage": application.stage,
        "stage_label": application.get_stage_display(),
        "started_at": _when(application.created_at),
        "sent_at": _when(application.submitted_at),
        "decided_at": _when(application.decided_at),
        "full_name": application.full_name,
        "preferred_name": application.preferred_name,
        "email": application.email,
        "phone": application.phone,
        "motivation": application.motivation,
        "lived_experience_areas": [a.name for a in application.lived_experience_areas.all()],
        "lived_experience_notes": application.lived_experience_notes,
        "languages": [language.name for language in application.languages.all()],
        "availability": application.availability,
        "formats": list(application.formats),
        "area": application.area,
        "consent_to_checks": application.consent_to_checks,
        "consented_at": _when(application.consented_at),
        "interview": None
        if interview is None
        else {"held_on": _when(interview.held_on), "outcome": interview.get_outcome_display()},
        "references": [
            {
                "status": reference.get_status_display(),
                "requested_at": _when(reference.requested_at),
                "received_at": _when(reference.received_at),
            }
            for reference in application.references.all()
        ],
        "background_checks": [
            {
                "type": check.get_check_type_display(),
                "reference_number": check.reference_number,
                "checked_on": _when(check.checked_on),
                "expires_on": _when(check.expires_on),
                "outcome": check.get_outcome_display(),
            }
            for check in application.background_checks.all()
        ],
        "training": [
            {
                "module": completion.module.title,
                "completed_at": _when(completion.completed_at),
                "minutes": completion.minutes,
                "reflection": completion.reflection,
            }
            for completion in application.training_completions.all()
        ],
        "withheld": APPLICATION_NOTES_WITHHELD,
    }


def _profile(profile: MentorProfile) -> dict[str, Any]:
    return {
        "display_name": profile.display_name,
        "bio": profile.bio,
        "specialisms": profile.specialisms,
        "gender": profile.gender,
        "show_gender": profile.show_gender,
        "year_of_birth": profile.year_of_birth,
        "lived_experience_areas": [a.name for a in profile.lived_experience_areas.all()],
        "languages": [language.name for language in profile.languages.all()],
        "formats": list(profile.formats),
        "area": profile.area,
        "travel_km": profile.travel_km,
        "capacity": profile.capacity,
        "is_available": profile.is_available,
        "changes_waiting_for_approval": dict(profile.pending_changes),
        "certified_at": _when(profile.certified_at),
        "certification_expires_at": _when(profile.certification_expires_at),
        "availability": [str(slot) for slot in profile.availability_slots.all()],
        "cpd": [
            {"done_on": _when(c.done_on), "hours": str(c.hours), "description": c.description}
            for c in profile.cpd.all()
        ],
        "supervision": [
            {
                "held_on": _when(s.held_on),
                "kind": s.get_kind_display(),
                "follow_up_on": _when(s.follow_up_on),
            }
            for s in profile.supervision_sessions.all()
        ],
        "supervision_notes_withheld": SUPERVISION_NOTES_WITHHELD,
        "wellbeing_check_ins": [
            {
                "submitted_at": _when(w.submitted_at),
                "coping": w.coping,
                "load": w.load,
                "wants_support": w.wants_support,
                "note": w.note,
            }
            for w in profile.wellbeing_check_ins.all()
        ],
    }


# Questionnaires -----------------------------------------------------------------------------------


def measures_section(person: User, organisation: Organisation) -> dict[str, Any]:
    requests = MeasureRequest.objects.filter(
        organisation=organisation, person=person
    ).select_related("instrument")
    responses = (
        MeasureResponse.objects.filter(organisation=organisation, person=person)
        .select_related("instrument")
        .prefetch_related("answers")
        .order_by("started_at", "pk")
    )
    return {
        "requests": [
            {
                "questionnaire": request.instrument.short_name,
                "occasion": request.get_occasion_display(),
                "status": request.get_status_display(),
                "due_on": _when(request.due_on),
                "closes_on": _when(request.closes_on),
            }
            for request in requests.order_by("due_on", "pk")
        ],
        "responses": [_response(response) for response in responses],
    }


def _response(response: MeasureResponse) -> dict[str, Any]:
    definition = definition_of(response.instrument)
    questions = {item.key: item.text for item in definition.items}
    options = {str(option.value): option.label for option in definition.options}
    return {
        "questionnaire": response.instrument.name,
        "occasion": response.get_occasion_display(),
        "completed_with": response.get_completed_with_display(),
        "started_at": _when(response.started_at),
        "completed_at": _when(response.completed_at),
        "total": response.total,
        "percentage": response.percentage,
        "band": response.band,
        "answers": [
            {
                "question": questions.get(answer.item_key, answer.item_key),
                "answer": options.get(answer.value, answer.value),
                "value": answer.value,
            }
            for answer in response.answers.all()
        ],
    }


# Toolkit ------------------------------------------------------------------------------------------


def toolkit_section(person: User, organisation: Organisation) -> dict[str, Any]:
    entries = (
        ToolkitEntry.objects.filter(organisation=organisation, person=person)
        .select_related("skill")
        .prefetch_related("practices")
        .order_by("added_at", "pk")
    )
    recommendations = (
        Recommendation.objects.filter(resource__organisation=organisation, person=person)
        .select_related("resource")
        .order_by("created_at", "pk")
    )
    preferences = ToolkitPreferences.objects.filter(person=person).first()
    return {
        "entries": [
            {
                "skill": entry.skill.title,
                "added_at": _when(entry.added_at),
                "removed_at": _when(entry.removed_at),
                "shared_by": "you" if entry.shared_by_id in (None, person.pk) else "your mentor",
                "note_from_mentor": entry.note,
                "practice": [
                    {
                        "practised_on": _when(practice.practised_on),
                        "helpfulness": practice.helpfulness,
                        "note": practice.note,
                    }
                    for practice in entry.practices.all()
                ],
            }
            for entry in entries
        ],
        "recommended_resources": [
            {
                "resource": recommendation.resource.name,
                "recommended_at": _when(recommendation.created_at),
                "note": recommendation.note,
            }
            for recommendation in recommendations
        ],
        # On unless they turned it off (no preferences row means the default).
        "weekly_email_idea": preferences.weekly_nudge if preferences is not None else True,
        "weekly_email_last_sent_at": _when(
            preferences.last_nudged_at if preferences is not None else None
        ),
    }


# Safeguarding -------------------------------------------------------------------------------------


def safeguarding_section(person: User, organisation: Organisation) -> list[dict[str, Any]]:
    alerts = Alert.objects.filter(organisation=organisation, person=person).order_by(
        "created_at", "pk"
    )
    return [
        {
            "level": alert.get_level_display(),
            "raised_by": alert.source_label,
            "raised_at": _when(alert.created_at),
            "status": alert.get_status_display(),
            "responded_at": _when(alert.acknowledged_at),
            "closed_at": _when(alert.closed_at),
            "outcome": _label(alert, "outcome"),
            "withheld": ALERT_NOTES_WITHHELD,
        }
        for alert in alerts
    ]


# Consent ------------------------------------------------------------------------------------------


def consents_section(person: User, organisation: Organisation) -> list[dict[str, Any]]:
    records = (
        ConsentRecord.objects.filter(person=person, consent_version__organisation=organisation)
        .select_related("consent_version")
        .order_by("given_at", "pk")
    )
    return [
        {
            "purpose": record.consent_version.purpose,
            "purpose_label": record.consent_version.get_purpose_display(),
            "version": record.consent_version.version,
            "wording": record.consent_version.wording,
            "answer": "declined" if is_declined(record) else "agreed",
            "given_at": None if is_declined(record) else _when(record.given_at),
            "withdrawn_at": _when(record.withdrawn_at),
            "recorded_for_you_by_staff": record.recorded_by_id is not None,
        }
        for record in records
    ]


# Activity -----------------------------------------------------------------------------------------


def activity_section(person: User, organisation: Organisation) -> list[dict[str, Any]]:
    """What the person did, from the audit trail: actions and times only."""
    events = (
        AuditEvent.objects.filter(actor=person)
        .filter(Q(organisation=organisation) | Q(organisation__isnull=True))
        .order_by("occurred_at", "pk")
        .values_list("action", "occurred_at")
    )
    return [{"action": action, "at": _when(at)} for action, at in events]


# The whole export ---------------------------------------------------------------------------------


def subject_export(person: User, organisation: Organisation) -> dict[str, Any]:
    """Everything ``organisation``'s programme holds about ``person`` (see the module
    docstring for the keys)."""
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "made_at": _when(timezone.now()),
        "organisation": organisation.name,
        "about": (
            "Everything this programme holds about you, as data you can keep or take elsewhere. "
            "Things left out are marked 'withheld', with the reason."
        ),
        "withheld": [],
        "account": account_section(person, organisation),
        "referrals": referrals_section(person, organisation),
        "mentor_requests": mentor_requests_section(person, organisation),
        "matches": matches_section(person, organisation),
        "mentor": mentor_section(person, organisation),
        "relationships": relationships_section(person, organisation),
        "measures": measures_section(person, organisation),
        "toolkit": toolkit_section(person, organisation),
        "safeguarding_alerts": safeguarding_section(person, organisation),
        "consents": consents_section(person, organisation),
        "activity": activity_section(person, organisation),
    }
    data["withheld"] = withheld_summary(data)
    return data


def withheld_summary(data: dict[str, Any]) -> list[str]:
    """Each reason something was left out, once, for the sections this export has (a
    referral's export has only some of them)."""
    relationships = data.get("relationships", [])
    mentor = data.get("mentor")
    reasons = [
        (
            any(s.get("withheld") for r in relationships for s in r["sessions"]),
            PRIVATE_NOTES_WITHHELD,
        ),
        (any(r["check_ins"] for r in relationships), CHECK_IN_NOTES_WITHHELD),
        (bool(data.get("safeguarding_alerts")), ALERT_NOTES_WITHHELD),
        (bool(data["referrals"]), CONTACT_NOTES_WITHHELD),
        (any(r["intake"] for r in data["referrals"]), INTAKE_NOTES_WITHHELD),
        (bool(data["matches"]), MATCH_NOTES_WITHHELD),
        (bool(mentor and mentor["applications"]), APPLICATION_NOTES_WITHHELD),
        (bool(mentor and mentor["profile"]), SUPERVISION_NOTES_WITHHELD),
        (True, OTHER_PEOPLES_DETAILS_WITHHELD),
    ]
    return [reason for applies, reason in reasons if applies]


TOP_LEVEL_KEYS = (
    "schema_version",
    "made_at",
    "organisation",
    "about",
    "withheld",
    "account",
    "referrals",
    "mentor_requests",
    "matches",
    "mentor",
    "relationships",
    "measures",
    "toolkit",
    "safeguarding_alerts",
    "consents",
    "activity",
)


# Recording a download -----------------------------------------------------------------------------


class OnBehalfReason(TextChoices):
    """Why staff downloaded someone's data for them (a label for the audit trail)."""

    ACCESS_REQUEST = "access_request", "They asked for a copy of their data (subject access)"
    PORTABILITY = "portability", "They asked to take their data to another service"
    REPRESENTATIVE = "representative", "Someone with authority to act for them asked"


@transaction.atomic
def subject_export_downloaded(
    *,
    actor: User,
    person: User,
    organisation: Organisation,
    format: str,
    reason: str = "",
) -> None:
    """Note that ``actor`` took a copy of ``person``'s data (``format``: page or json). Staff
    downloading for someone else give a ``reason`` (an ``OnBehalfReason`` value)."""
    on_behalf = actor.pk != person.pk
    metadata: dict[str, Any] = {"format": format, "on_behalf": on_behalf}
    if on_behalf:
        metadata["reason"] = reason
    audit_record(
        actor=actor,
        action="privacy.export_downloaded",
        organisation=organisation,
        target=person,
        metadata=metadata,
    )
