"""The retention policy: how long each organisation keeps finished records, applied daily.

``apply_retention`` anonymises, with the erasure functions in ``privacy.erasure``:

- mentees whose every relationship ended longer ago than ``closed_relationship_months`` (and
  who have nothing open): their relationships, referrals, answers, toolkit notes and alerts'
  words, and their account unless it is needed elsewhere;
- mentor applications declined or withdrawn longer ago than ``declined_applicant_months``;
- referrals closed (declined, signposted, withdrawn, unable to contact, merged) longer ago than
  ``closed_referral_months`` that never led to a relationship.

What it has done is remembered in ``AnonymisedRecord``, so a second run the same day removes
nothing and counts nothing. Audit events are never deleted by the app: on PostgreSQL a trigger
forbids it, so removing events older than ``audit_months`` is a task for the database owner.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from audit.services import audit_record
from privacy.erasure import Subject, erase_subject, mark_anonymised, subject_for_person
from privacy.models import AnonymisedRecord, RetentionPolicy, RetentionRun

POLICY_FIELDS = (
    "closed_relationship_months",
    "declined_applicant_months",
    "closed_referral_months",
    "audit_months",
)


def policy_for(organisation: Organisation) -> RetentionPolicy:
    """The organisation's policy; the defaults until an admin changes them."""
    policy, _created = RetentionPolicy.objects.get_or_create(organisation=organisation)
    return policy


@transaction.atomic
def retention_policy_update(
    *, actor: User, organisation: Organisation, values: dict[str, int]
) -> RetentionPolicy:
    """Change how long records are kept. The audit event names the periods that changed."""
    policy = RetentionPolicy.objects.select_for_update().get(pk=policy_for(organisation).pk)
    changed: dict[str, Any] = {}
    for name in POLICY_FIELDS:
        if name in values and getattr(policy, name) != values[name]:
            changed[name] = values[name]
            setattr(policy, name, values[name])
    if changed:
        policy.updated_at = timezone.now()
        policy.updated_by = actor
        policy.save(update_fields=[*changed, "updated_at", "updated_by"])
        audit_record(
            actor=actor,
            action="privacy.retention_policy_changed",
            organisation=organisation,
            target=policy,
            metadata=changed,
        )
    return policy


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the month's last day when
    that month is shorter)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _already_done(model_label: str, organisation: Organisation) -> set[str]:
    return set(
        AnonymisedRecord.objects.filter(
            organisation=organisation, object_type=model_label
        ).values_list("object_id", flat=True)
    )


@dataclass
class Due:
    """What the policy says should go now, as subjects for the erasers, with what they are."""

    subjects: list[Subject] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def due_for_removal(organisation: Organisation, now: datetime) -> Due:
    from mentoring.models import Relationship, RelationshipStatus
    from mentors.models import MentorApplication, Stage
    from referrals.models import Referral, Status

    policy = policy_for(organisation)
    due = Due()

    # Mentees: only once every relationship of theirs here is past the period.
    relationship_cutoff = months_before(now, policy.closed_relationship_months)
    done_relationships = _already_done("mentoring.relationship", organisation)
    relationships = Relationship.objects.filter(organisation=organisation)
    old = relationships.filter(status=RelationshipStatus.ENDED, ended_at__lt=relationship_cutoff)
    mentee_ids = {
        mentee_id
        for pk, mentee_id in old.values_list("pk", "mentee_id")
        if str(pk) not in done_relationships
    }
    still_kept = set(
        relationships.filter(mentee_id__in=mentee_ids)
        .exclude(status=RelationshipStatus.ENDED, ended_at__lt=relationship_cutoff)
        .values_list("mentee_id", flat=True)
    ) | set(
        Referral.objects.filter(
            organisation=organisation, mentee_id__in=mentee_ids, status__in=Status.open_statuses()
        ).values_list("mentee_id", flat=True)
    )
    for mentee in User.objects.filter(pk__in=mentee_ids - still_kept).order_by("pk"):
        subject = subject_for_person(organisation, user=mentee, mentee_only=True)
        due.subjects.append(subject)
        due.counts["relationships"] += sum(
            1 for item in subject.relationships if str(item.pk) not in done_relationships
        )
        due.counts["mentee_accounts"] += int(subject.erase_account)

    # Referrals that never led to a relationship.
    referral_cutoff = months_before(now, policy.closed_referral_months)
    done_referrals = _already_done("referrals.referral", organisation)
    closed = [
        Status.SIGNPOSTED,
        Status.DECLINED,
        Status.UNABLE_TO_CONTACT,
        Status.WITHDRAWN,
        Status.MERGED,
    ]
    for referral in Referral.objects.filter(
        organisation=organisation,
        status__in=closed,
        status_changed_at__lt=referral_cutoff,
        relationships__isnull=True,
    ).order_by("pk"):
        if str(referral.pk) not in done_referrals:
            due.subjects.append(Subject(organisation=organisation, referrals=[referral]))
            due.counts["referrals"] += 1

    # Applicants who did not become mentors.
    applicant_cutoff = months_before(now, policy.declined_applicant_months)
    done_applications = _already_done("mentors.mentorapplication", organisation)
    for application in MentorApplication.objects.filter(
        organisation=organisation,
        stage__in=[Stage.DECLINED, Stage.WITHDRAWN],
        stage_entered_at__lt=applicant_cutoff,
        profile__isnull=True,
    ).order_by("pk"):
        if str(application.pk) not in done_applications:
            due.subjects.append(Subject(organisation=organisation, applications=[application]))
            due.counts["mentor_applications"] += 1
    return due


def apply_retention(
    *, organisation: Organisation, now: datetime | None = None, dry_run: bool = False
) -> dict[str, int]:
    """Anonymise what the organisation's policy says should go, record a ``RetentionRun`` and
    an audit event with the counts. ``dry_run`` only counts."""
    now = now or timezone.now()
    with transaction.atomic():
        due = due_for_removal(organisation, now)
        counts = {
            key: due.counts[key]
            for key in ("relationships", "mentee_accounts", "referrals", "mentor_applications")
        }
        if dry_run:
            return counts
        rows: Counter[str] = Counter()
        for subject in due.subjects:
            rows.update(erase_subject(subject))
            mark_anonymised(subject, reason="retention")
        counts["rows"] = sum(rows.values())
        run = RetentionRun.objects.create(
            organisation=organisation, ran_at=now, removed_counts=counts
        )
        audit_record(
            actor=None,
            action="privacy.retention_applied",
            organisation=organisation,
            target=run,
            metadata=counts,
        )
    return counts


def apply_retention_everywhere(
    *, now: datetime | None = None, dry_run: bool = False
) -> dict[Organisation, dict[str, int]]:
    """Every active organisation, each in its own transaction."""
    return {
        organisation: apply_retention(organisation=organisation, now=now, dry_run=dry_run)
        for organisation in Organisation.objects.filter(is_active=True).order_by("pk")
    }
