"""Erasure: removing one person's personal data from every table, keeping the statistics.

Each app area has one function here that knows which of its fields hold personal data
(``ERASERS``, declared with ``@eraser``). Rows are anonymised, not deleted, wherever they count
towards the programme's figures (referrals, relationships, sessions, messages, measure scores), so
those figures stay true; text people wrote or that describes someone is blanked. Audit events
stay: they hold ids, never content. ``tests/privacy/test_erasure_registry.py`` fails when a model
gains a field that looks personal and no eraser covers it.

The retention task runs ``erase_subject`` directly; erasure requests and their holds are in
``privacy.erasure_requests``.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from accounts.services import ERASED_EMAIL_END
from privacy.models import AnonymisedRecord

if TYPE_CHECKING:
    pass

Counts = Counter[str]

ERASED_NAME = "Erased"
ERASED_DISPLAY_NAME = "Former mentor"


def erased_email(kind: str, pk: int | None) -> str:
    """An address that cannot receive mail (``.invalid``) and says nothing about the person."""
    return f"erased-{kind}-{pk}{ERASED_EMAIL_END}"


@dataclass
class Subject:
    """Everything of one person's that an erasure (or the retention policy) reaches, in one
    organisation. ``erase_account`` is false when the account is still needed elsewhere (another
    organisation, or another role here), so only this organisation's records are erased."""

    organisation: Organisation
    user: User | None = None
    erase_account: bool = False
    referrals: list[models.Model] = field(default_factory=list)
    relationships: list[models.Model] = field(default_factory=list)
    applications: list[models.Model] = field(default_factory=list)
    profiles: list[models.Model] = field(default_factory=list)

    def ids(self, records: Iterable[models.Model]) -> list[int]:
        return [record.pk for record in records]


@dataclass(frozen=True)
class Eraser:
    area: str
    covers: dict[str, tuple[str, ...]]
    erase: Callable[[Subject], Counts]


ERASERS: list[Eraser] = []


def eraser(area: str, covers: dict[str, tuple[str, ...]]) -> Callable[..., Callable[..., Counts]]:
    """Register the eraser of one app area, with the fields (by model label) it erases."""

    def register(function: Callable[[Subject], Counts]) -> Callable[[Subject], Counts]:
        ERASERS.append(Eraser(area=area, covers=covers, erase=function))
        return function

    return register


def covered_fields() -> set[tuple[str, str]]:
    """(model label, field name) pairs some eraser takes care of."""
    return {
        (label, name) for item in ERASERS for label, names in item.covers.items() for name in names
    }


def _blank(counts: Counts, queryset: models.QuerySet, **values: object) -> None:
    """Overwrite fields on every row of ``queryset`` (empty text is stored as it is, never
    encrypted, so blanked encrypted fields hold nothing at all)."""
    changed = queryset.update(**values)
    if changed:
        counts[queryset.model._meta.label_lower] += changed


def _delete(counts: Counts, queryset: models.QuerySet) -> None:
    label = queryset.model._meta.label_lower
    _deleted, per_model = queryset.delete()
    if per_model.get(queryset.model._meta.label, 0):
        counts[label] += per_model[queryset.model._meta.label]


# Accounts and sign-in -------------------------------------------------------------------------


@eraser(
    "accounts",
    {
        "accounts.user": ("email", "name", "password"),
        "accounts.apitoken": ("name",),
        "account.emailaddress": ("email",),
        "mfa.authenticator": ("data",),
        "admin.logentry": ("object_repr", "change_message"),
        "django_tasks_database.dbtaskresult": ("args_kwargs", "return_value", "traceback"),
    },
)
def erase_account(subject: Subject) -> Counts:
    """The account itself: name and email replaced, no password, signed out everywhere, its
    email addresses, two-factor authenticators and queued emails gone. With ``erase_account``
    false, only the membership of this organisation ends."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from accounts.services import sessions_end_for

    counts: Counts = Counter()
    user = subject.user
    if user is None:
        return counts
    memberships = Membership.objects.filter(user=user)
    if not subject.erase_account:
        memberships = memberships.filter(organisation=subject.organisation)
    _blank(counts, memberships, is_active=False, is_data_protection_lead=False)
    if not subject.erase_account:
        return counts

    old_email = user.email
    user.name = ""
    user.email = erased_email("person", user.pk)
    user.password = make_password(None)
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.save(update_fields=["name", "email", "password", "is_active", "is_staff", "is_superuser"])
    counts["accounts.user"] += 1
    _blank(counts, user.api_tokens.all(), name="", revoked_at=timezone.now())
    _delete(counts, EmailAddress.objects.filter(user=user))
    _delete(counts, Authenticator.objects.filter(user=user))
    ended = sessions_end_for(user)
    if ended:
        counts["sessions.session"] += ended
    _blank(
        counts,
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
        ),
        object_repr=f"User {user.pk} (erased)",
        change_message="",
    )
    counts.update(_forget_queued_emails(old_email))
    return counts


def _forget_queued_emails(email: str) -> Counts:
    """Task results keep the arguments they ran with (an email's recipient and text)."""
    from django_tasks_db.models import DBTaskResult

    counts: Counts = Counter()
    if email:
        _delete(counts, DBTaskResult.objects.filter(args_kwargs__icontains=email))
    return counts


# Referrals and matching -----------------------------------------------------------------------


@eraser(
    "referrals",
    {
        "referrals.referral": (
            "full_name",
            "preferred_name",
            "email",
            "phone",
            "year_of_birth",
            "gender",
            "best_time_to_contact",
            "hopes",
            "area",
            "availability",
            "availability_slots",
            "referrer_organisation_name",
            "mentor_gender",
            "closed_reason",
            "signposted_to",
            "access_token_hash",
            "idempotency_key",
        ),
        "referrals.contactattempt": ("note",),
        "referrals.intake": (
            "goals",
            "accessibility_needs",
            "emergency_contact",
            "gp_details",
            "notes",
        ),
        "matching.matchproposal": ("decline_reason",),
    },
)
def erase_referrals(subject: Subject) -> Counts:
    """Referrals stay (they count towards waiting times and outcomes), without who or why."""
    from matching.models import MatchProposal
    from referrals.models import ContactAttempt, Intake, Referral

    counts: Counts = Counter()
    referral_ids = subject.ids(subject.referrals)
    if referral_ids:
        for referral_id in referral_ids:
            _blank(
                counts,
                Referral.objects.filter(pk=referral_id),
                full_name=ERASED_NAME,
                preferred_name="",
                email="",
                phone="",
                year_of_birth=None,
                gender="",
                best_time_to_contact="",
                hopes="",
                area="",
                availability="",
                availability_slots=[],
                referrer_organisation_name="",
                mentor_gender="",
                closed_reason="",
                signposted_to="",
                access_token_hash="",
                idempotency_key=f"erased-{referral_id}",
            )
        _blank(counts, ContactAttempt.objects.filter(referral_id__in=referral_ids), note="")
        _blank(
            counts,
            Intake.objects.filter(referral_id__in=referral_ids),
            goals="",
            accessibility_needs="",
            emergency_contact="",
            gp_details="",
            notes="",
        )
    proposals = Q(referral_id__in=referral_ids) | Q(mentor_id__in=subject.ids(subject.profiles))
    _blank(
        counts,
        MatchProposal.objects.filter(proposals),
        decline_reason="",
    )
    return counts


# Mentoring ------------------------------------------------------------------------------------


@eraser(
    "mentoring",
    {
        "mentoring.relationship": ("introduction_place", "end_note"),
        "mentoring.agreement": (
            "goals_in_own_words",
            "anything_else",
            "usual_slot_note",
            "change_note",
        ),
        "mentoring.mentoringsession": (
            "place",
            "topics",
            "skills_shared",
            "summary",
            "private_notes",
            "mentee_reflection",
        ),
        "mentoring.goal": ("title", "why_it_matters", "how_it_went"),
        "mentoring.step": ("text", "how_it_went"),
        "mentoring.stepsuggestion": ("text",),
        "mentoring.strengthnote": ("text",),
        "mentoring.message": ("body",),
        "mentoring.checkin": ("how_it_is_going", "concerns", "actions"),
        "mentoring.concern": ("details", "outcome_note"),
        "mentoring.wellbeingplan": (
            "what_helps",
            "my_toolkit",
            "my_people_and_places",
            "warning_signs",
            "what_i_will_do",
        ),
        "mentoring.exitsurvey": ("what_helped", "could_be_better"),
        "audit.breakglassgrant": ("reason",),
    },
)
def erase_mentoring(subject: Subject) -> Counts:
    """A mentee's relationships keep their shape (sessions held, messages sent, goals reached)
    with every word blanked. A mentor's erasure blanks what they wrote that is theirs: their
    messages, private notes, concerns and check-ins about them; session summaries stay with the
    mentee they describe."""
    from mentoring.models import (
        Agreement,
        CheckIn,
        CheckInPerson,
        Concern,
        ExitSurvey,
        Goal,
        MentoringSession,
        Message,
        Relationship,
        Step,
        StepSuggestion,
        StrengthNote,
        WellbeingPlan,
    )

    counts: Counts = Counter()
    mentee_ids = subject.ids(subject.relationships)
    if mentee_ids:
        within = {"relationship_id__in": mentee_ids}
        _blank(
            counts,
            Relationship.objects.filter(pk__in=mentee_ids),
            introduction_place="",
            end_note="",
        )
        _blank(
            counts,
            Agreement.objects.filter(**within),
            goals_in_own_words="",
            anything_else="",
            usual_slot_note="",
            change_note="",
        )
        _blank(
            counts,
            MentoringSession.objects.filter(**within),
            place="",
            topics="",
            skills_shared="",
            summary="",
            private_notes="",
            mentee_reflection="",
        )
        _blank(counts, Goal.objects.filter(**within), title="", why_it_matters="", how_it_went="")
        _blank(counts, Step.objects.filter(**within), text="", how_it_went="")
        _blank(counts, StepSuggestion.objects.filter(**within), text="")
        _blank(counts, StrengthNote.objects.filter(**within), text="")
        _blank(counts, Message.objects.filter(**within), body="")
        _blank(
            counts, CheckIn.objects.filter(**within), how_it_is_going="", concerns="", actions=""
        )
        _blank(counts, Concern.objects.filter(**within), details="", outcome_note="")
        _blank(
            counts,
            WellbeingPlan.objects.filter(**within),
            what_helps="",
            my_toolkit="",
            my_people_and_places="",
            warning_signs="",
            what_i_will_do="",
        )
        _blank(counts, ExitSurvey.objects.filter(**within), what_helped="", could_be_better="")
        _blank_break_glass_reasons(counts, mentee_ids)

    user = subject.user
    if user is not None:
        # Their words in relationships not already blanked above (where they were the mentor).
        mine = Q(relationship__organisation=subject.organisation) & ~Q(
            relationship_id__in=mentee_ids
        )
        _blank(counts, Message.objects.filter(mine, sender=user), body="")
        _blank(counts, Concern.objects.filter(mine, raised_by=user), details="", outcome_note="")
        _blank(
            counts,
            ExitSurvey.objects.filter(mine, respondent=user),
            what_helped="",
            could_be_better="",
        )
        profile_ids = subject.ids(subject.profiles)
        if profile_ids:
            as_mentor = Q(relationship__mentor_id__in=profile_ids)
            _blank(
                counts,
                MentoringSession.objects.filter(as_mentor),
                private_notes="",
            )
            _blank(
                counts,
                CheckIn.objects.filter(as_mentor, person=CheckInPerson.MENTOR),
                how_it_is_going="",
                concerns="",
                actions="",
            )
    return counts


def _blank_break_glass_reasons(counts: Counts, relationship_ids: list[int]) -> None:
    """Emergency-access grants stay (who opened the records, and when); the reason given,
    which may describe the mentee, is blanked."""
    from audit.models import BreakGlassGrant

    _blank(counts, BreakGlassGrant.objects.filter(relationship_id__in=relationship_ids), reason="")


# Outcomes -------------------------------------------------------------------------------------


@eraser("outcomes", {"outcomes.answer": ("value",)})
def erase_outcomes(subject: Subject) -> Counts:
    """Answers go; each response's total, band and flags stay, because programme figures are
    built from scores, never from answers."""
    from outcomes.models import Answer

    counts: Counts = Counter()
    reach = Q(response__relationship_id__in=subject.ids(subject.relationships))
    if subject.user is not None:
        reach |= Q(response__person=subject.user, response__organisation=subject.organisation)
    _delete(counts, Answer.objects.filter(reach))
    return counts


# Toolkit --------------------------------------------------------------------------------------


@eraser(
    "toolkit",
    {
        "toolkit.toolkitentry": ("note",),
        "toolkit.practice": ("note",),
        "toolkit.recommendation": ("note",),
    },
)
def erase_toolkit(subject: Subject) -> Counts:
    from toolkit.models import Practice, Recommendation, ToolkitEntry

    counts: Counts = Counter()
    entries = Q(relationship_id__in=subject.ids(subject.relationships))
    recommendations = Q(relationship_id__in=subject.ids(subject.relationships))
    if subject.user is not None:
        entries |= Q(person=subject.user, organisation=subject.organisation)
        recommendations |= Q(person=subject.user, resource__organisation=subject.organisation)
    entry_ids = list(ToolkitEntry.objects.filter(entries).values_list("pk", flat=True))
    _blank(counts, ToolkitEntry.objects.filter(pk__in=entry_ids), note="")
    _blank(counts, Practice.objects.filter(entry_id__in=entry_ids), note="")
    _blank(counts, Recommendation.objects.filter(recommendations), note="")
    return counts


# Safeguarding ---------------------------------------------------------------------------------


@eraser(
    "safeguarding",
    {
        "safeguarding.alert": ("closing_note",),
        "safeguarding.alertsign": ("excerpt", "matches"),
        "safeguarding.alertaction": ("note",),
    },
)
def erase_safeguarding(subject: Subject) -> Counts:
    """Alerts about the person stay as counts and levels; the words that raised them and the
    notes of the response are blanked. Someone erased is no longer a safeguarding lead."""
    from safeguarding.models import Alert, AlertAction, AlertSign, SafeguardingLead

    counts: Counts = Counter()
    if subject.user is None:
        return counts
    alert_ids = list(
        Alert.objects.filter(organisation=subject.organisation, person=subject.user).values_list(
            "pk", flat=True
        )
    )
    _blank(counts, Alert.objects.filter(pk__in=alert_ids), closing_note="")
    _blank(counts, AlertSign.objects.filter(alert_id__in=alert_ids), excerpt="", matches="")
    _blank(counts, AlertAction.objects.filter(alert_id__in=alert_ids), note="")
    _blank(
        counts,
        SafeguardingLead.objects.filter(
            organisation=subject.organisation, user=subject.user, is_active=True
        ),
        is_active=False,
    )
    return counts


# Mentors --------------------------------------------------------------------------------------


@eraser(
    "mentors",
    {
        "mentors.mentorapplication": (
            "full_name",
            "preferred_name",
            "email",
            "phone",
            "motivation",
            "lived_experience_notes",
            "availability",
            "area",
            "decision_reason",
            "resume_token_hash",
        ),
        "mentors.interview": ("notes",),
        "mentors.interviewanswer": ("notes",),
        "mentors.reference": (
            "referee_name",
            "referee_email",
            "relationship",
            "known_for",
            "suitability",
            "concerns",
            "token_hash",
        ),
        "mentors.backgroundcheck": ("reference_number",),
        "mentors.trainingcompletion": ("reflection",),
        "mentors.mentorprofile": (
            "display_name",
            "bio",
            "specialisms",
            "gender",
            "year_of_birth",
            "area",
            "pending_changes",
        ),
        "mentors.cpdrecord": ("description",),
        "mentors.supervisionsession": ("topics", "actions"),
        "mentors.wellbeingcheckin": ("note",),
        "mentors.mentorrequest": ("note",),
    },
)
def erase_mentors(subject: Subject) -> Counts:
    """Applications, screening, training and the mentor's profile. The profile stays (it counts
    towards relationships and capacity) as "Former mentor", no longer available."""
    from mentors.models import (
        BackgroundCheck,
        CpdRecord,
        Interview,
        InterviewAnswer,
        MentorApplication,
        MentorProfile,
        MentorRequest,
        Reference,
        SupervisionSession,
        TrainingCompletion,
        WellbeingCheckIn,
    )

    counts: Counts = Counter()
    application_ids = subject.ids(subject.applications)
    for application_id in application_ids:
        _blank(
            counts,
            MentorApplication.objects.filter(pk=application_id),
            full_name=ERASED_NAME,
            preferred_name="",
            email=erased_email("applicant", application_id),
            phone="",
            motivation="",
            lived_experience_notes="",
            availability="",
            area="",
            decision_reason="",
            resume_token_hash=f"erased-{secrets.token_hex(16)}",
        )
    for reference in Reference.objects.filter(application_id__in=application_ids):
        _blank(
            counts,
            Reference.objects.filter(pk=reference.pk),
            referee_name=ERASED_NAME,
            referee_email=erased_email("referee", reference.pk),
            relationship="",
            known_for="",
            suitability="",
            concerns="",
            token_hash=f"erased-{secrets.token_hex(16)}",
        )
    _blank(counts, Interview.objects.filter(application_id__in=application_ids), notes="")
    _blank(
        counts,
        InterviewAnswer.objects.filter(interview__application_id__in=application_ids),
        notes="",
    )
    _blank(
        counts,
        BackgroundCheck.objects.filter(application_id__in=application_ids),
        reference_number="",
    )
    _blank(
        counts,
        TrainingCompletion.objects.filter(application_id__in=application_ids),
        reflection="",
    )

    profile_ids = subject.ids(subject.profiles)
    if profile_ids:
        _blank(
            counts,
            MentorProfile.objects.filter(pk__in=profile_ids),
            display_name=ERASED_DISPLAY_NAME,
            bio="",
            specialisms="",
            gender="",
            show_gender=False,
            year_of_birth=None,
            area="",
            pending_changes={},
            pending_since=None,
            is_available=False,
        )
        _blank(
            counts,
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(MentorProfile),
                object_id__in=[str(pk) for pk in profile_ids],
            ),
            object_repr="Mentor profile (erased)",
            change_message="",
        )
        _blank(counts, CpdRecord.objects.filter(profile_id__in=profile_ids), description="")
        _blank(
            counts,
            SupervisionSession.objects.filter(profile_id__in=profile_ids),
            topics="",
            actions="",
        )
        _blank(counts, WellbeingCheckIn.objects.filter(profile_id__in=profile_ids), note="")
    requests = Q(profile_id__in=profile_ids)
    if subject.user is not None:
        requests |= Q(mentee=subject.user, organisation=subject.organisation)
    _blank(counts, MentorRequest.objects.filter(requests), note="")
    return counts


# Running every eraser -------------------------------------------------------------------------


def erase_subject(subject: Subject) -> Counts:
    """Run every registered eraser over ``subject``. Callers hold the transaction."""
    counts: Counts = Counter()
    for item in ERASERS:
        counts.update(item.erase(subject))
    return counts


def mark_anonymised(subject: Subject, *, reason: str) -> None:
    """Remember what was erased, so the retention run does not do it again."""
    records: list[models.Model] = [
        *subject.referrals,
        *subject.relationships,
        *subject.applications,
    ]
    if subject.user is not None and subject.erase_account:
        records.append(subject.user)
    for record in records:
        AnonymisedRecord.objects.get_or_create(
            object_type=record._meta.label_lower,
            object_id=str(record.pk),
            defaults={"organisation": subject.organisation, "reason": reason},
        )


def account_needed_elsewhere(user: User, organisation: Organisation, *, mentee_only: bool) -> bool:
    """Whether erasing this person here must leave their account alone: they belong to another
    organisation (or, for the retention policy, hold a role here other than mentee)."""
    memberships = Membership.objects.filter(user=user, is_active=True)
    if memberships.exclude(organisation=organisation).exists():
        return True
    return mentee_only and memberships.exclude(role=Role.MENTEE).exists()


def subject_for_person(
    organisation: Organisation,
    *,
    user: User | None,
    referral: models.Model | None = None,
    mentee_only: bool = False,
) -> Subject:
    """Everything of one person's in ``organisation``: their account (unless needed elsewhere),
    referrals, relationships as mentee, applications and mentor profiles."""
    from mentoring.models import Relationship
    from mentors.models import MentorApplication, MentorProfile
    from referrals.models import Referral

    if user is None and referral is not None:
        user = getattr(referral, "mentee", None)
    referrals: dict[int, models.Model] = {}
    if referral is not None:
        referrals[referral.pk] = referral
    subject = Subject(organisation=organisation, user=user)
    if user is not None:
        for item in Referral.objects.filter(organisation=organisation, mentee=user):
            referrals[item.pk] = item
        subject.erase_account = not account_needed_elsewhere(
            user, organisation, mentee_only=mentee_only
        )
    subject.referrals = list(referrals.values())
    relationships = Q(referral_id__in=list(referrals))
    if user is not None:
        relationships |= Q(mentee=user)
    subject.relationships = list(
        Relationship.objects.filter(relationships, organisation=organisation)
    )
    if user is not None and not mentee_only:
        subject.profiles = list(MentorProfile.objects.filter(organisation=organisation, user=user))
        applications = Q(user=user) | Q(profile__in=subject.profiles)
        subject.applications = list(
            MentorApplication.objects.filter(applications, organisation=organisation).distinct()
        )
    return subject
