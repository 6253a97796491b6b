"""The retention policy, applied daily: what is old enough is anonymised, the rest is left,
a second run removes nothing, and each run is recorded with its counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from mentors.models import MentorApplication, Stage
from privacy.models import AnonymisedRecord, RetentionPolicy, RetentionRun
from privacy.retention import apply_retention, months_before
from privacy.tasks import privacy_apply_retention
from referrals.models import Referral, Status
from tests.privacy.records import decrypted_hits, populate_mentee, raw_hits

pytestmark = pytest.mark.django_db

SEVEN_YEARS = timedelta(days=7 * 366)


def _age_relationship(relationship, by: timedelta) -> None:
    relationship.ended_at = timezone.now() - by
    relationship.save(update_fields=["ended_at"])


def test_mentee_whose_relationship_ended_long_ago_is_anonymised(ended_relationship, organisation):
    populate_mentee(ended_relationship)
    _age_relationship(ended_relationship, SEVEN_YEARS)
    counts = apply_retention(organisation=organisation)
    assert counts["relationships"] == 1
    assert counts["mentee_accounts"] == 1
    assert counts["rows"] > 20
    assert raw_hits() == []
    assert decrypted_hits() == []
    run = RetentionRun.objects.get(organisation=organisation)
    assert run.removed_counts == counts
    event = AuditEvent.objects.get(action="privacy.retention_applied")
    assert event.metadata == counts
    assert event.actor is None


def test_second_run_removes_nothing_again(ended_relationship, organisation):
    _age_relationship(ended_relationship, SEVEN_YEARS)
    apply_retention(organisation=organisation)
    marked = AnonymisedRecord.objects.count()
    again = apply_retention(organisation=organisation)
    assert again == {
        "relationships": 0,
        "mentee_accounts": 0,
        "referrals": 0,
        "mentor_applications": 0,
        "rows": 0,
    }
    assert AnonymisedRecord.objects.count() == marked
    assert RetentionRun.objects.count() == 2


def test_recently_ended_relationship_is_kept(ended_relationship, organisation):
    _age_relationship(ended_relationship, timedelta(days=5 * 365))
    assert apply_retention(organisation=organisation)["relationships"] == 0
    assert Referral.objects.get(pk=ended_relationship.referral_id).full_name == "Samira Quinlan"


def test_shorter_policy_takes_effect(ended_relationship, organisation):
    _age_relationship(ended_relationship, timedelta(days=400))
    RetentionPolicy.objects.create(organisation=organisation, closed_relationship_months=12)
    assert apply_retention(organisation=organisation)["relationships"] == 1


def test_mentee_with_a_running_relationship_is_kept(
    ended_relationship, organisation, other_mentor_profile
):
    from mentoring.models import RelationshipStatus
    from tests.matching.factories import RelationshipFactory
    from tests.referrals.factories import ReferralFactory

    _age_relationship(ended_relationship, SEVEN_YEARS)
    referral = ReferralFactory(
        organisation=organisation, mentee=ended_relationship.mentee, status=Status.MATCHED
    )
    RelationshipFactory(
        referral=referral,
        mentor=other_mentor_profile,
        mentee=ended_relationship.mentee,
        status=RelationshipStatus.ACTIVE,
    )
    assert apply_retention(organisation=organisation)["relationships"] == 0
    ended_relationship.mentee.refresh_from_db()
    assert ended_relationship.mentee.is_active


def test_declined_application_is_anonymised_after_the_period(applicant_application, organisation):
    MentorApplication.objects.filter(pk=applicant_application.pk).update(
        stage=Stage.DECLINED, stage_entered_at=timezone.now() - timedelta(days=200)
    )
    assert apply_retention(organisation=organisation)["mentor_applications"] == 1
    applicant_application.refresh_from_db()
    assert applicant_application.full_name == "Erased"
    assert applicant_application.email.endswith("@erased.invalid")
    assert raw_hits(("robin applicant",)) == []


def test_recently_withdrawn_application_is_kept(applicant_application, organisation):
    MentorApplication.objects.filter(pk=applicant_application.pk).update(
        stage=Stage.WITHDRAWN, stage_entered_at=timezone.now() - timedelta(days=90)
    )
    assert apply_retention(organisation=organisation)["mentor_applications"] == 0


def test_closed_referral_is_anonymised_and_open_one_kept(
    new_referral, urgent_referral, organisation
):
    long_ago = timezone.now() - timedelta(days=400)
    Referral.objects.filter(pk=new_referral.pk).update(
        status=Status.DECLINED, status_changed_at=long_ago
    )
    Referral.objects.filter(pk=urgent_referral.pk).update(status_changed_at=long_ago)
    assert apply_retention(organisation=organisation)["referrals"] == 1
    assert raw_hits(("casey waiting",)) == []
    assert Referral.objects.get(pk=urgent_referral.pk).full_name == "Drew Urgent"


def test_dry_run_changes_nothing(new_referral, organisation):
    Referral.objects.filter(pk=new_referral.pk).update(
        status=Status.WITHDRAWN, status_changed_at=timezone.now() - timedelta(days=400)
    )
    assert apply_retention(organisation=organisation, dry_run=True)["referrals"] == 1
    assert Referral.objects.get(pk=new_referral.pk).full_name == "Casey Waiting"
    assert not RetentionRun.objects.exists()
    assert not AuditEvent.objects.filter(action="privacy.retention_applied").exists()


def test_command_prints_counts_and_dry_run_says_would(new_referral, organisation):
    Referral.objects.filter(pk=new_referral.pk).update(
        status=Status.WITHDRAWN, status_changed_at=timezone.now() - timedelta(days=400)
    )
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "riverside: Would anonymise relationships 0, mentee accounts 0, referrals 1" in (
        out.getvalue()
    )
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "riverside: Anonymised" in out.getvalue()
    assert Referral.objects.get(pk=new_referral.pk).full_name == "Erased"


def test_task_applies_every_organisation(new_referral, organisation):
    Referral.objects.filter(pk=new_referral.pk).update(
        status=Status.DECLINED, status_changed_at=timezone.now() - timedelta(days=400)
    )
    result = privacy_apply_retention.enqueue()
    assert result.return_value["riverside"]["referrals"] == 1


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 3, 31, 9, tzinfo=UTC), 1, datetime(2026, 2, 28, 9, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 72, datetime(2020, 1, 15, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 13, datetime(2024, 12, 15, tzinfo=UTC)),
    ],
)
def test_months_before_counts_calendar_months(moment, months, expected):
    assert months_before(moment, months) == expected
