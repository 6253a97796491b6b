"""Triage services: contact attempts and each way a referral leaves the queue, with refusals,
audit rows, emails and merging duplicates."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Language
from audit.models import AuditEvent
from referrals.models import (
    ContactAttempt,
    ContactMethod,
    ContactOutcome,
    Referral,
    ReferralProgrammeSettings,
    Status,
    Urgency,
)
from referrals.services.creating import hash_token, referral_for_access_token
from referrals.services.triage import (
    contact_attempt_record,
    merge_plan,
    referral_accept_to_intake,
    referral_decline,
    referral_dismiss_duplicate,
    referral_mark_unable_to_contact,
    referral_merge,
    referral_signpost,
)
from tests.referrals.factories import IntakeFactory, ReferralFactory

pytestmark = pytest.mark.django_db

CLOSED = [
    Status.SIGNPOSTED,
    Status.DECLINED,
    Status.UNABLE_TO_CONTACT,
    Status.WITHDRAWN,
    Status.MERGED,
    Status.MATCHED,
]


def fresh(referral: Referral) -> Referral:
    return Referral.objects.get(pk=referral.pk)


def attempt(actor, referral, outcome=ContactOutcome.NO_ANSWER, note="", method=ContactMethod.PHONE):
    return contact_attempt_record(
        actor=actor, referral=referral, method=method, outcome=outcome, note=note
    )


def events(action):
    return list(AuditEvent.objects.filter(action=action))


def assert_metadata_has_no_text(event, *texts):
    values = " ".join(str(value) for value in event.metadata.values())
    for text in texts:
        assert text not in values


# Contact attempts -----------------------------------------------------------------------------


def test_first_contact_attempt_moves_a_new_referral_to_contacting(coordinator, new_referral):
    logged = attempt(coordinator, new_referral, note="Rang twice, no voicemail set up")
    referral = fresh(new_referral)
    assert referral.status == Status.CONTACTING
    assert logged.by == coordinator
    assert logged.note == "Rang twice, no voicemail set up"
    assert referral.last_contacted_at is None
    (event,) = events("referral.contact_attempted")
    assert event.metadata == {"method": "phone", "outcome": "no_answer"}
    assert event.actor == coordinator
    assert event.object_id == str(referral.pk)
    assert_metadata_has_no_text(event, "Rang twice")


def test_speaking_with_them_sets_last_contacted(coordinator, new_referral):
    before = timezone.now()
    attempt(coordinator, new_referral, outcome=ContactOutcome.SPOKE)
    referral = fresh(new_referral)
    assert referral.last_contacted_at is not None and referral.last_contacted_at >= before


@pytest.mark.parametrize("status", [Status.CONTACTING, Status.INTAKE, Status.WAITING])
def test_contact_attempts_are_logged_without_moving_later_statuses(
    coordinator, organisation, status
):
    referral = ReferralFactory(organisation=organisation, status=status)
    attempt(coordinator, referral)
    assert fresh(referral).status == status
    assert referral.contact_attempts.count() == 1


@pytest.mark.parametrize("status", CLOSED)
def test_contact_attempts_on_a_closed_referral_are_refused(coordinator, organisation, status):
    referral = ReferralFactory(organisation=organisation, status=status)
    with pytest.raises(ValidationError, match="already closed"):
        attempt(coordinator, referral)
    assert not ContactAttempt.objects.exists()


def test_the_same_attempt_clicked_twice_is_logged_once(coordinator, new_referral):
    first = attempt(coordinator, new_referral, note="Left a message")
    second = attempt(coordinator, new_referral, note="Left a message")
    assert first == second
    assert ContactAttempt.objects.count() == 1
    assert len(events("referral.contact_attempted")) == 1


def test_a_later_attempt_of_the_same_kind_is_a_new_attempt(coordinator, new_referral):
    first = attempt(coordinator, new_referral)
    ContactAttempt.objects.filter(pk=first.pk).update(
        attempted_at=timezone.now() - timedelta(hours=3)
    )
    attempt(coordinator, new_referral)
    assert ContactAttempt.objects.count() == 2


def test_contact_attempt_needs_a_known_method_and_outcome(coordinator, new_referral):
    with pytest.raises(ValidationError) as error:
        attempt(coordinator, new_referral, method="pigeon")
    assert "method" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        attempt(coordinator, new_referral, outcome="maybe")
    assert "outcome" in error.value.message_dict
    assert not ContactAttempt.objects.exists()


# Accepting to intake --------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.NEW, Status.CONTACTING])
def test_accepting_moves_to_intake_and_emails_a_new_private_link(
    coordinator, organisation, areas, status, django_capture_on_commit_callbacks
):
    referral = ReferralFactory(
        organisation=organisation,
        status=status,
        full_name="Sam Person",
        email="sam@example.net",
        email_ok=True,
        hopes="I want to stop feeling so anxious and low.",
        urgency_reasons="",
        access_token_hash=hash_token("old-link"),
    )
    referral.support_areas.set(areas)
    with django_capture_on_commit_callbacks(execute=True):
        referral_accept_to_intake(actor=coordinator, referral=referral)
    referral = fresh(referral)
    assert referral.status == Status.INTAKE
    (message,) = mail.outbox
    assert message.to == ["sam@example.net"]
    link = re.search(r"/referrals/status/([^/\s]+)/", message.body)
    assert link, message.body
    assert referral_for_access_token(link.group(1)) == referral
    assert referral_for_access_token("old-link") is None
    text = (message.subject + message.body).lower()
    for word in [
        "anxious",
        "low",
        "mental",
        "health",
        "crisis",
        "urgent",
        "therapy",
        *(area.name.lower() for area in areas),
    ]:
        assert word not in text, word
    (event,) = events("referral.accepted_to_intake")
    assert event.metadata == {"invited_online": True}


@pytest.mark.parametrize(("email", "email_ok"), [("sam@example.net", False), ("", True)])
def test_accepting_sends_no_email_unless_they_said_email_is_fine(
    coordinator, organisation, email, email_ok, django_capture_on_commit_callbacks
):
    referral = ReferralFactory(organisation=organisation, email=email, email_ok=email_ok)
    with django_capture_on_commit_callbacks(execute=True):
        referral_accept_to_intake(actor=coordinator, referral=referral)
    assert fresh(referral).status == Status.INTAKE
    assert mail.outbox == []
    assert fresh(referral).access_token_hash == referral.access_token_hash
    assert events("referral.accepted_to_intake")[0].metadata == {"invited_online": False}


def test_accepting_twice_changes_nothing_the_second_time(
    coordinator, new_referral, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral_accept_to_intake(actor=coordinator, referral=new_referral)
        token_hash = fresh(new_referral).access_token_hash
        referral_accept_to_intake(actor=coordinator, referral=new_referral)
    assert len(mail.outbox) == 1
    assert fresh(new_referral).access_token_hash == token_hash
    assert len(events("referral.accepted_to_intake")) == 1


def test_accepting_a_possible_duplicate_is_refused_until_decided(
    coordinator, organisation, new_referral
):
    later = ReferralFactory(organisation=organisation, possible_duplicate_of=new_referral)
    with pytest.raises(ValidationError, match="same person"):
        referral_accept_to_intake(actor=coordinator, referral=later)
    assert fresh(later).status == Status.NEW
    referral_dismiss_duplicate(actor=coordinator, referral=later)
    referral_accept_to_intake(actor=coordinator, referral=later)
    assert fresh(later).status == Status.INTAKE


def test_accepting_someone_already_waiting_is_refused(coordinator, waiting_referral):
    with pytest.raises(ValidationError, match="waiting list"):
        referral_accept_to_intake(actor=coordinator, referral=waiting_referral)


@pytest.mark.parametrize("status", CLOSED)
def test_accepting_a_closed_referral_is_refused(coordinator, organisation, status):
    referral = ReferralFactory(organisation=organisation, status=status)
    with pytest.raises(ValidationError, match="already closed"):
        referral_accept_to_intake(actor=coordinator, referral=referral)
    assert fresh(referral).status == status
    assert not events("referral.accepted_to_intake")


# Signposting and declining --------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.NEW, Status.CONTACTING, Status.INTAKE, Status.WAITING])
def test_signposting_closes_the_referral_with_the_service_named(coordinator, organisation, status):
    referral = ReferralFactory(organisation=organisation, status=status)
    referral_signpost(
        actor=coordinator,
        referral=referral,
        service_name="  Talking Therapies Riverside ",
        note="Wants CBT first",
    )
    referral = fresh(referral)
    assert referral.status == Status.SIGNPOSTED
    assert referral.signposted_to == "Talking Therapies Riverside"
    assert referral.closed_reason == "Wants CBT first"
    (event,) = events("referral.signposted")
    assert event.metadata == {"from_status": status.value}
    assert_metadata_has_no_text(event, "Talking Therapies", "CBT")


def test_signposting_needs_a_service_name(coordinator, new_referral):
    with pytest.raises(ValidationError) as error:
        referral_signpost(actor=coordinator, referral=new_referral, service_name="   ")
    assert "service_name" in error.value.message_dict
    assert fresh(new_referral).status == Status.NEW


def test_signposting_twice_changes_nothing(coordinator, new_referral):
    referral_signpost(actor=coordinator, referral=new_referral, service_name="Carers' group")
    referral_signpost(actor=coordinator, referral=new_referral, service_name="Something else")
    assert fresh(new_referral).signposted_to == "Carers' group"
    assert len(events("referral.signposted")) == 1


def test_declining_records_the_reason_and_closes(coordinator, new_referral):
    referral_decline(actor=coordinator, referral=new_referral, reason="Lives outside our area")
    referral = fresh(new_referral)
    assert referral.status == Status.DECLINED
    assert referral.closed_reason == "Lives outside our area"
    (event,) = events("referral.declined")
    assert_metadata_has_no_text(event, "outside our area")
    referral_decline(actor=coordinator, referral=new_referral, reason="Again")
    assert fresh(new_referral).closed_reason == "Lives outside our area"
    assert len(events("referral.declined")) == 1


def test_declining_needs_a_reason(coordinator, new_referral):
    with pytest.raises(ValidationError) as error:
        referral_decline(actor=coordinator, referral=new_referral, reason=" ")
    assert "reason" in error.value.message_dict


@pytest.mark.parametrize(
    ("service", "kwargs"),
    [
        (referral_signpost, {"service_name": "Somewhere"}),
        (referral_decline, {"reason": "Because"}),
        (referral_mark_unable_to_contact, {}),
    ],
)
def test_closing_an_already_closed_referral_another_way_is_refused(
    coordinator, organisation, service, kwargs
):
    referral = ReferralFactory(organisation=organisation, status=Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="already closed"):
        service(actor=coordinator, referral=referral, **kwargs)
    assert fresh(referral).status == Status.WITHDRAWN


# Unable to contact ----------------------------------------------------------------------------


def test_unable_to_contact_needs_the_organisations_number_of_attempts(
    coordinator, organisation, new_referral
):
    ReferralProgrammeSettings.objects.create(
        organisation=organisation, contact_attempts_before_unable=2
    )
    attempt(coordinator, new_referral, outcome=ContactOutcome.SPOKE)
    attempt(coordinator, new_referral, outcome=ContactOutcome.LEFT_MESSAGE)
    with pytest.raises(ValidationError, match=r"2 attempts are needed first; 1 so far\."):
        referral_mark_unable_to_contact(actor=coordinator, referral=new_referral)
    assert fresh(new_referral).status == Status.CONTACTING
    attempt(coordinator, new_referral, outcome=ContactOutcome.WRONG_DETAILS)
    referral_mark_unable_to_contact(actor=coordinator, referral=new_referral)
    assert fresh(new_referral).status == Status.UNABLE_TO_CONTACT
    (event,) = events("referral.unable_to_contact")
    assert event.metadata == {"from_status": "contacting", "attempts": 2}
    referral_mark_unable_to_contact(actor=coordinator, referral=new_referral)
    assert len(events("referral.unable_to_contact")) == 1


def test_unable_to_contact_uses_the_default_of_three_attempts(coordinator, new_referral):
    with pytest.raises(ValidationError, match=r"3 attempts are needed first; 0 so far\."):
        referral_mark_unable_to_contact(actor=coordinator, referral=new_referral)


# Duplicates -----------------------------------------------------------------------------------


@pytest.fixture
def languages():
    return [
        Language.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in [("cy", "Welsh"), ("pl", "Polish")]
    ]


@pytest.fixture
def pair(organisation, areas, languages):
    """An earlier referral and a later one from the same person, flagged as a duplicate."""
    earlier = ReferralFactory(
        organisation=organisation,
        full_name="Jo Earlier",
        email="jo@example.net",
        phone="",
        preferred_name="",
        year_of_birth=None,
        voicemail_ok=True,
        text_ok=True,
        created_at=timezone.now() - timedelta(days=5),
    )
    earlier.support_areas.set(areas[:1])
    earlier.languages.set(languages[:1])
    later = ReferralFactory(
        organisation=organisation,
        full_name="Jo Later",
        email="jo@example.net",
        phone="07700 900123",
        preferred_name="Jo",
        year_of_birth=1990,
        voicemail_ok=False,
        text_ok=True,
        urgency=Urgency.URGENT,
        urgency_reasons="not safe right now",
        possible_duplicate_of=earlier,
    )
    later.support_areas.set(areas[:3])
    later.languages.set(languages)
    return earlier, later


def test_merging_keeps_the_earlier_referral_and_closes_the_later(coordinator, pair):
    earlier, later = pair
    attempt(coordinator, later, note="Rang the later one")
    kept = referral_merge(actor=coordinator, duplicate=later, into=earlier)
    assert kept == earlier
    later, earlier = fresh(later), fresh(earlier)
    assert later.status == Status.MERGED
    assert later.merged_into == earlier
    assert later.possible_duplicate_of is None
    assert earlier.status == Status.NEW
    assert [a.note for a in earlier.contact_attempts.all()] == ["Rang the later one"]
    assert not later.contact_attempts.exists()
    assert earlier.urgency == Urgency.URGENT
    assert earlier.urgency_reasons == "not safe right now"
    assert {area.name for area in earlier.support_areas.all()} == {
        "Anxiety",
        "Depression",
        "Grief",
    }
    assert {language.name for language in earlier.languages.all()} == {"Welsh", "Polish"}
    assert earlier.full_name == "Jo Earlier"
    assert earlier.phone == "07700 900123"
    assert earlier.preferred_name == "Jo"
    assert earlier.year_of_birth == 1990
    assert earlier.voicemail_ok is False
    assert earlier.text_ok is True


def test_merging_combines_urgency_reasons_without_repeating_them(coordinator, pair):
    earlier, later = pair
    Referral.objects.filter(pk=earlier.pk).update(
        urgency=Urgency.URGENT, urgency_reasons="risk words in what they wrote, not safe right now"
    )
    referral_merge(actor=coordinator, duplicate=later, into=fresh(earlier))
    assert fresh(earlier).urgency_reasons == "risk words in what they wrote, not safe right now"


def test_merging_a_routine_duplicate_keeps_the_kept_referrals_urgency(
    coordinator, organisation, pair
):
    earlier, later = pair
    Referral.objects.filter(pk=later.pk).update(urgency=Urgency.ROUTINE, urgency_reasons="")
    referral_merge(actor=coordinator, duplicate=fresh(later), into=earlier)
    assert fresh(earlier).urgency == Urgency.ROUTINE


def test_merging_is_audited_on_both_referrals_without_content(coordinator, pair):
    earlier, later = pair
    attempt(coordinator, later)
    referral_merge(actor=coordinator, duplicate=later, into=earlier)
    by_target = {event.object_id: event for event in events("referral.merged")}
    assert by_target[str(later.pk)].metadata == {"role": "merged_away", "into": earlier.pk}
    kept = by_target[str(earlier.pk)].metadata
    assert kept["role"] == "kept"
    assert kept["from"] == later.pk
    assert kept["attempts_moved"] == 1
    assert kept["became_urgent"] is True
    for event in by_target.values():
        assert_metadata_has_no_text(event, "07700", "jo@example.net", "not safe")


def test_merging_twice_changes_nothing(coordinator, pair):
    earlier, later = pair
    referral_merge(actor=coordinator, duplicate=later, into=earlier)
    referral_merge(actor=coordinator, duplicate=later, into=earlier)
    assert len(events("referral.merged")) == 2


def test_merge_plan_matches_what_the_merge_does(coordinator, pair):
    earlier, later = pair
    attempt(coordinator, later)
    plan = merge_plan(duplicate=later, into=earlier)
    assert plan.filled_fields == ["preferred_name", "phone", "year_of_birth"]
    assert sorted(plan.support_areas_added) == ["Depression", "Grief"]
    assert plan.languages_added == ["Polish"]
    assert plan.attempts_moved == 1
    assert plan.becomes_urgent
    assert plan.safer_contact_labels == ["No voicemail"]


def test_merging_gives_the_kept_referral_the_private_link_it_lacked(coordinator, pair):
    earlier, later = pair
    Referral.objects.filter(pk=earlier.pk).update(access_token_hash="")
    Referral.objects.filter(pk=later.pk).update(access_token_hash=hash_token("later-link"))
    referral_merge(actor=coordinator, duplicate=fresh(later), into=fresh(earlier))
    assert referral_for_access_token("later-link") == earlier


def test_other_referrals_flagged_against_the_merged_one_now_point_at_the_kept_one(
    coordinator, organisation, pair
):
    earlier, later = pair
    third = ReferralFactory(organisation=organisation, possible_duplicate_of=later)
    referral_merge(actor=coordinator, duplicate=later, into=earlier)
    assert fresh(third).possible_duplicate_of == earlier


def test_merging_clears_the_kept_referrals_flag_when_it_pointed_at_the_duplicate(
    coordinator, organisation
):
    first = ReferralFactory(organisation=organisation)
    second = ReferralFactory(organisation=organisation)
    Referral.objects.filter(pk=first.pk).update(possible_duplicate_of=second)
    referral_merge(actor=coordinator, duplicate=second, into=fresh(first))
    assert fresh(first).possible_duplicate_of is None


def test_merging_refuses_impossible_pairs(
    coordinator, organisation, new_referral, other_org_referral
):
    with pytest.raises(ValidationError, match="itself"):
        referral_merge(actor=coordinator, duplicate=new_referral, into=new_referral)
    with pytest.raises(ValidationError, match="different organisations"):
        referral_merge(actor=coordinator, duplicate=new_referral, into=other_org_referral)
    closed = ReferralFactory(organisation=organisation, status=Status.DECLINED)
    with pytest.raises(ValidationError, match="still be open"):
        referral_merge(actor=coordinator, duplicate=new_referral, into=closed)
    with pytest.raises(ValidationError, match="still be open"):
        referral_merge(actor=coordinator, duplicate=closed, into=new_referral)
    assert fresh(new_referral).status == Status.NEW
    assert not events("referral.merged")


def test_a_referral_with_intake_notes_is_not_merged_away(coordinator, organisation, pair):
    earlier, later = pair
    IntakeFactory(referral=later)
    with pytest.raises(ValidationError, match="intake notes"):
        referral_merge(actor=coordinator, duplicate=later, into=earlier)
    assert fresh(later).status == Status.NEW


def test_dismissing_a_duplicate_clears_the_flag_once(coordinator, pair):
    earlier, later = pair
    referral_dismiss_duplicate(actor=coordinator, referral=later)
    referral_dismiss_duplicate(actor=coordinator, referral=later)
    assert fresh(later).possible_duplicate_of is None
    assert fresh(later).status == Status.NEW
    (event,) = events("referral.duplicate_dismissed")
    assert event.metadata == {"other": earlier.pk}
