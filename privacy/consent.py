"""Consent to optional processing: versioned wordings per organisation and purpose, each person's
answers, and the checks processing code makes before it uses someone's data.

Two questions, kept apart on purpose:

- ``has_consent(person, purpose)``: did they agree to the wording in force now? True only for a
  live (not withdrawn) record on the current version. The consent page uses it to ask again.
- ``processing_allowed(person, purpose)`` / ``allowed_people_q(purpose, ...)``: may the
  programme go ahead? Processing that ran before consent was recorded (reminder emails,
  programme figures, follow-up contact) keeps running for people who have not answered yet, and
  stops the moment someone says no. A purpose listed in ``OPT_IN_PURPOSES`` instead needs a live
  agreement to the current wording (``has_consent``).

Saying no without ever having said yes is kept as a record withdrawn at the moment it was made,
so the refusal is on file with the wording the person was shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Organisation, User
from audit.services import audit_record
from mentoring.models import CheckIn, CheckInKind, CheckInStatus
from outcomes.models import MeasureRequest, Occasion, RequestStatus
from privacy.models import ConsentRecord, ConsentVersion, Purpose

# A person, or ``OuterRef`` to one when the check runs inside another query.
PersonRef = Any

# Purposes whose processing needs a live agreement to the current wording. Empty for now: every
# purpose's processing ran before consent was recorded; see the module docstring.
OPT_IN_PURPOSES: frozenset[str] = frozenset()

DEFAULT_WORDINGS: dict[str, str] = {
    Purpose.EMAIL_REMINDERS: (
        "We send you short emails when a session is coming up or a questionnaire is waiting. "
        "The emails never say what they are about: they ask you to sign in to Alongside. "
        "You can stop them at any time here."
    ),
    Purpose.PROGRAMME_EVALUATION: (
        "We add your questionnaire scores, without your name, to figures about how well the "
        "programme helps people. Small groups are never shown, so nobody can be picked out. "
        "If you say no, your scores are left out of those figures from now on."
    ),
    Purpose.FOLLOW_UP: (
        "After your mentoring ends, the coordinator may contact you once to ask how you are "
        "getting on, and may ask you to fill in a last questionnaire. You can say no at any time."
    ),
}


# Reading ------------------------------------------------------------------------------------------


def _newest_version_number() -> Subquery:
    """The newest version number for the organisation and purpose of the outer consent version."""
    return Subquery(
        ConsentVersion.objects.filter(
            organisation=OuterRef("organisation"), purpose=OuterRef("purpose")
        )
        .order_by("-version")
        .values("version")[:1]
    )


def current_versions(organisation: Organisation) -> dict[str, ConsentVersion]:
    """The wording in force for each purpose of ``organisation`` (purposes never published are
    missing)."""
    versions = ConsentVersion.objects.filter(organisation=organisation).filter(
        version=_newest_version_number()
    )
    return {version.purpose: version for version in versions}


def _live_records(person: PersonRef, purpose: str) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(
        person=person, consent_version__purpose=purpose, withdrawn_at__isnull=True
    )


def _current_live_records(person: PersonRef, purpose: str) -> QuerySet[ConsentRecord]:
    return _live_records(person, purpose).filter(
        consent_version__version=Subquery(
            ConsentVersion.objects.filter(
                organisation=OuterRef("consent_version__organisation"), purpose=purpose
            )
            .order_by("-version")
            .values("version")[:1]
        )
    )


def has_consent(person: User, purpose: str) -> bool:
    """True only while ``person`` has a live agreement to the current wording of ``purpose``."""
    return _current_live_records(person, purpose).exists()


def _said_no(person: PersonRef, purpose: str) -> Q:
    """The person withdrew (or declined) and has not agreed again since."""
    withdrawn = ConsentRecord.objects.filter(
        person=person, consent_version__purpose=purpose, withdrawn_at__isnull=False
    )
    return Q(Exists(withdrawn)) & ~Q(Exists(_live_records(person, purpose)))


def has_withdrawn(person: User, purpose: str) -> bool:
    """``person`` said no to ``purpose`` (withdrew or declined) and has not agreed again."""
    return User.objects.filter(pk=person.pk).filter(_said_no(OuterRef("pk"), purpose)).exists()


def processing_allowed(person: User, purpose: str) -> bool:
    """Whether processing for ``purpose`` may use ``person``'s data now (see module docstring)."""
    if purpose in OPT_IN_PURPOSES:
        return has_consent(person, purpose)
    return not has_withdrawn(person, purpose)


def allowed_people_q(purpose: str, person_field: str = "person") -> Q:
    """A filter for rows whose person (``person_field``, a foreign key to the user) may be
    processed for ``purpose``: one subquery, so bulk jobs stay at a fixed number of queries."""
    person = OuterRef(person_field)
    if purpose in OPT_IN_PURPOSES:
        return Q(Exists(_current_live_records(person, purpose)))
    return ~_said_no(person, purpose)


# What a person sees on their consent page --------------------------------------------------------


@dataclass(frozen=True)
class ConsentState:
    """Where one person stands on one purpose."""

    purpose: str
    label: str
    version: ConsentVersion
    agreed_at: datetime | None  # a live agreement to the current wording
    older_agreement: ConsentRecord | None  # a live agreement to an older wording
    said_no_at: datetime | None  # withdrew or declined, with nothing live since

    @property
    def status(self) -> str:
        if self.agreed_at is not None:
            return "agreed"
        if self.older_agreement is not None:
            return "asked_again"
        if self.said_no_at is not None:
            return "said_no"
        return "not_answered"


def consent_states(person: User, organisation: Organisation) -> list[ConsentState]:
    """One state per purpose, in the order purposes are listed (two queries)."""
    versions = current_versions(organisation)
    records = list(
        ConsentRecord.objects.filter(person=person, consent_version__organisation=organisation)
        .select_related("consent_version")
        .order_by("-given_at", "-pk")
    )
    states = []
    for purpose in Purpose:
        version = versions.get(purpose.value)
        if version is None:
            continue
        mine = [r for r in records if r.consent_version.purpose == purpose.value]
        live = [r for r in mine if r.withdrawn_at is None]
        current = next((r for r in live if r.consent_version_id == version.pk), None)
        older = next((r for r in live if r.consent_version_id != version.pk), None)
        withdrawn = [r.withdrawn_at for r in mine if r.withdrawn_at is not None]
        states.append(
            ConsentState(
                purpose=purpose.value,
                label=str(purpose.label),
                version=version,
                agreed_at=current.given_at if current else None,
                older_agreement=older if current is None else None,
                said_no_at=max(withdrawn) if withdrawn and not live else None,
            )
        )
    return states


def consent_version_for(organisation: Organisation, purpose: str) -> ConsentVersion:
    """The current wording of ``purpose`` (published lazily as version 1 if there is none)."""
    versions = current_versions(organisation)
    if purpose not in versions:
        versions = consent_versions_ensure(organisation)
    return versions[purpose]


# Writing ------------------------------------------------------------------------------------------


@transaction.atomic
def consent_versions_ensure(organisation: Organisation) -> dict[str, ConsentVersion]:
    """Publish version 1 with the default wording for every purpose ``organisation`` has no
    wording for yet, so the consent page always has something to ask. Returns the current
    versions."""
    existing = set(
        ConsentVersion.objects.filter(organisation=organisation).values_list("purpose", flat=True)
    )
    for purpose in Purpose:
        if purpose.value in existing:
            continue
        version = ConsentVersion.objects.create(
            organisation=organisation,
            purpose=purpose.value,
            version=1,
            wording=DEFAULT_WORDINGS[purpose.value],
            published_by=None,
        )
        audit_record(
            actor=None,
            action="consent.version_published",
            organisation=organisation,
            target=version,
            metadata={"purpose": purpose.value, "version": 1, "default_wording": True},
        )
    return current_versions(organisation)


@transaction.atomic
def consent_version_publish(
    *, actor: User, organisation: Organisation, purpose: str, wording: str
) -> ConsentVersion:
    """Publish new wording for ``purpose`` as the next version. Everyone who agreed to an older
    wording is asked again (``has_consent`` is false for them until they do)."""
    if purpose not in Purpose.values:
        raise ValueError(f"Unknown purpose {purpose!r}.")
    newest = (
        ConsentVersion.objects.select_for_update()
        .filter(organisation=organisation, purpose=purpose)
        .order_by("-version")
        .first()
    )
    version = ConsentVersion.objects.create(
        organisation=organisation,
        purpose=purpose,
        version=(newest.version if newest else 0) + 1,
        wording=wording.strip(),
        published_by=actor,
    )
    audit_record(
        actor=actor,
        action="consent.version_published",
        organisation=organisation,
        target=version,
        metadata={"purpose": purpose, "version": version.version},
    )
    return version


@transaction.atomic
def consent_give(
    *,
    actor: User,
    person: User,
    consent_version: ConsentVersion,
    recorded_by: User | None = None,
) -> ConsentRecord:
    """``person`` agrees to ``consent_version``. Giving it again while a live agreement to the
    same version exists returns that record (a double click records one agreement). An older
    live agreement for the same purpose stays on file; the new one is what counts."""
    existing = _live_records(person, consent_version.purpose).filter(
        consent_version=consent_version
    )
    record = existing.first()
    if record is not None:
        return record
    record = ConsentRecord.objects.create(
        person=person, consent_version=consent_version, recorded_by=recorded_by
    )
    audit_record(
        actor=actor,
        action="consent.given",
        organisation=consent_version.organisation,
        target=record,
        metadata={
            "purpose": consent_version.purpose,
            "version": consent_version.version,
            "on_behalf": recorded_by is not None,
        },
    )
    return record


@transaction.atomic
def consent_withdraw(
    *,
    actor: User,
    person: User,
    purpose: str,
    organisation: Organisation | None = None,
    recorded_by: User | None = None,
) -> int:
    """``person`` says no to ``purpose``, with effect at once: every live agreement is stamped
    ``withdrawn_at``. With nothing live, the refusal is kept as a record of the current wording
    withdrawn when it was made (``organisation`` says which wording; it defaults to the
    organisation of the person's agreements). Saying no to follow-up also calls off follow-up
    contact already planned. Returns how many agreements were withdrawn."""
    now = timezone.now()
    live = list(
        _live_records(person, purpose)
        .select_related("consent_version__organisation")
        .select_for_update(of=("self",))
    )
    if organisation is None and live:
        organisation = live[0].consent_version.organisation
    if live:
        ConsentRecord.objects.filter(pk__in=[r.pk for r in live]).update(withdrawn_at=now)
        target: ConsentRecord = live[0]
    else:
        if organisation is None:
            raise ValueError("Say which organisation's wording the person declined.")
        target = ConsentRecord.objects.create(
            person=person,
            consent_version=consent_version_for(organisation, purpose),
            given_at=now,
            withdrawn_at=now,
            recorded_by=recorded_by,
        )
    stopped = _follow_up_stop(person, organisation) if purpose == Purpose.FOLLOW_UP else 0
    audit_record(
        actor=actor,
        action="consent.withdrawn",
        organisation=organisation,
        target=target,
        metadata={
            "purpose": purpose,
            "withdrawn": len(live),
            "declined_without_agreeing": not live,
            "on_behalf": recorded_by is not None,
            "follow_ups_stopped": stopped,
        },
    )
    return len(live)


def _follow_up_stop(person: User, organisation: Organisation | None) -> int:
    """Follow-up contact already planned for ``person`` is called off: the coordinator's
    follow-up check-in is no longer needed and follow-up questionnaires are cancelled."""
    check_ins = CheckIn.objects.filter(
        relationship__mentee=person, kind=CheckInKind.FOLLOW_UP, status=CheckInStatus.DUE
    )
    requests = MeasureRequest.objects.filter(
        person=person, occasion=Occasion.FOLLOW_UP, status__in=RequestStatus.open()
    )
    if organisation is not None:
        check_ins = check_ins.filter(relationship__organisation=organisation)
        requests = requests.filter(organisation=organisation)
    return check_ins.update(status=CheckInStatus.NOT_NEEDED) + requests.update(
        status=RequestStatus.CANCELLED
    )


def is_declined(record: ConsentRecord) -> bool:
    """A refusal recorded without an agreement before it (withdrawn the moment it was made)."""
    return record.withdrawn_at is not None and record.withdrawn_at == record.given_at


__all__ = [
    "DEFAULT_WORDINGS",
    "OPT_IN_PURPOSES",
    "ConsentState",
    "allowed_people_q",
    "consent_give",
    "consent_states",
    "consent_version_for",
    "consent_version_publish",
    "consent_versions_ensure",
    "consent_withdraw",
    "current_versions",
    "has_consent",
    "has_withdrawn",
    "is_declined",
    "processing_allowed",
]
