"""One service makes every referral: consent, crisis screen, duplicates and repeats."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from referrals import consent
from referrals.models import Referral, Source, Urgency
from referrals.services.creating import referral_create, referral_for_access_token
from safeguarding.detector import assess
from safeguarding.models import Alert, AlertLevel
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def answers(**overrides):
    data = {
        "full_name": "Alex Rivera",
        "email": "alex@example.net",
        "email_ok": True,
        "hopes": "I would like to feel more confident going out.",
        "safe_now": "yes",
        "formats": ["video"],
    }
    data.update(overrides)
    return data


def test_self_referral_records_consent_version_and_gives_a_private_link(organisation):
    referral, created, token = referral_create(
        organisation=organisation, data=answers(), source=Source.SELF, consent_given=True
    )
    assert created and token
    assert referral.consent_version == consent.CURRENT_VERSION
    assert referral.consent_given_at is not None
    assert referral_for_access_token(token) == referral
    assert token not in referral.access_token_hash
    assert AuditEvent.objects.get(action="referral.created").metadata["source"] == "self"


def test_referral_without_consent_is_refused(organisation):
    with pytest.raises(ValidationError, match="agreed"):
        referral_create(
            organisation=organisation, data=answers(), source=Source.SELF, consent_given=False
        )
    assert not Referral.objects.exists()


def test_referral_needs_a_way_to_reach_the_person(organisation):
    with pytest.raises(ValidationError, match="email address or a phone number"):
        referral_create(
            organisation=organisation,
            data=answers(email=""),
            source=Source.SELF,
            consent_given=True,
        )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email_ok": False}, "email_ok"),
        ({"phone": "call me maybe"}, "phone"),
        ({"year_of_birth": 2020}, "year_of_birth"),
        ({"mentor_gender_importance": "must"}, "mentor_gender"),
        ({"mentor_age_min": 50, "mentor_age_max": 30}, "mentor_age_max"),
        ({"mentor_age_importance": "must"}, "mentor_age_min"),
        ({"shared_experience_importance": "must"}, "shared_experience_importance"),
    ],
)
def test_answers_that_do_not_make_sense_are_refused_by_every_route(organisation, overrides, field):
    with pytest.raises(ValidationError) as refused:
        referral_create(
            organisation=organisation,
            data=answers(**overrides),
            source=Source.GP,
            consent_given=True,
        )
    assert field in refused.value.message_dict
    assert not Referral.objects.exists()


def test_a_preference_given_counts_as_nice_to_have(organisation):
    referral, _, _ = referral_create(
        organisation=organisation,
        data=answers(mentor_gender="Woman"),
        source=Source.SELF,
        consent_given=True,
    )
    assert referral.mentor_gender_importance == "nice"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"safe_now": "no"}, "not safe right now"),
        ({"safe_now": "unsure"}, "unsure if safe"),
        ({"hopes": "Some days I want to kill myself."}, "risk words in what they wrote"),
    ],
)
def test_crisis_screen_flags_the_referral_urgent_and_tells_coordinators(
    organisation, coordinator, data, reason, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral, _, _ = referral_create(
            organisation=organisation,
            data=answers(**data),
            source=Source.SELF,
            consent_given=True,
        )
    assert referral.urgency == Urgency.URGENT
    assert reason in referral.urgency_reasons
    urgent = [email for email in mail.outbox if "a referral needs attention" in email.subject]
    assert len(urgent) == 1 and urgent[0].to == [coordinator.email]
    assert all("kill myself" not in email.body for email in mail.outbox)
    # Each sign of risk also raises a safeguarding alert, pointing at the referral.
    alert = Alert.objects.get()
    assert (alert.source, alert.object_id) == ("referral", str(referral.pk))
    expected = {"no": AlertLevel.URGENT, "unsure": AlertLevel.CONCERN}.get(data.get("safe_now"))
    if expected:
        assert alert.level == expected


def test_risk_words_in_a_referral_raise_a_safeguarding_alert_pointing_at_it(
    organisation, coordinator, referrer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral, _, _ = referral_create(
            organisation=organisation,
            data=answers(hopes="Some days I want to kill myself."),
            source=Source.GP,
            referrer=referrer,
            consent_given=True,
        )
    alert = Alert.objects.get(organisation=organisation)
    assert alert.person is None and alert.supervisor is None
    assert (alert.source, alert.object_type) == ("referral", "referrals.referral")
    assert alert.object_id == str(referral.pk)
    assert alert.source_label == "A referral form, written by a referrer"
    assert alert.path == reverse("referrals:detail", args=[referral.pk])
    assert "kill myself" in alert.signs.get().excerpt
    notices = [email for email in mail.outbox if "safeguarding alert" in email.subject]
    assert len(notices) == 1 and notices[0].to == [coordinator.email]
    assert "kill myself" not in notices[0].body


def test_a_self_referral_alert_says_the_person_wrote_it(organisation):
    referral_create(
        organisation=organisation,
        data=answers(hopes="I've taken an overdose."),
        source=Source.SELF,
        consent_given=True,
    )
    assert Alert.objects.get().source_label == "A referral form, written by the person themselves"


def test_an_ordinary_referral_raises_no_alert(organisation):
    referral, _, _ = referral_create(
        organisation=organisation,
        data=answers(hopes="We talked about my job search."),
        source=Source.SELF,
        consent_given=True,
    )
    assert referral.urgency == Urgency.ROUTINE and not Alert.objects.exists()


def test_a_referral_whose_screening_fails_is_kept_and_an_alert_says_so(organisation, monkeypatch):
    def broken(*texts):
        raise RuntimeError("detector broke")

    monkeypatch.setattr("safeguarding.detector.assess", broken)
    referral, created, _ = referral_create(
        organisation=organisation,
        data=answers(hopes="Anything at all."),
        source=Source.SELF,
        consent_given=True,
    )
    assert created and Referral.objects.filter(pk=referral.pk).exists()
    alert = Alert.objects.get()
    assert alert.level == "high" and alert.categories == ["detection_failed"]


def test_when_the_alert_cannot_be_raised_no_referral_is_kept(organisation, monkeypatch):
    def refuse(**kwargs):
        raise RuntimeError("database said no")

    monkeypatch.setattr("safeguarding.services.alerts.alert_raise", refuse)
    with pytest.raises(RuntimeError):
        referral_create(
            organisation=organisation,
            data=answers(hopes="Some days I want to kill myself."),
            source=Source.SELF,
            consent_given=True,
        )
    assert not Referral.objects.exists()


def test_same_idempotency_key_returns_the_first_referral(organisation, referrer):
    first, created, _ = referral_create(
        organisation=organisation,
        data=answers(),
        source=Source.GP,
        referrer=referrer,
        consent_given=True,
        idempotency_key="api:1:abc",
    )
    again, created_again, _ = referral_create(
        organisation=organisation,
        data=answers(full_name="Changed"),
        source=Source.GP,
        referrer=referrer,
        consent_given=True,
        idempotency_key="api:1:abc",
    )
    assert created and not created_again
    assert again == first and Referral.objects.count() == 1


def test_open_referral_for_the_same_person_is_flagged_not_silently_doubled(organisation):
    existing = ReferralFactory(organisation=organisation, email="Alex@Example.net")
    referral, created, _ = referral_create(
        organisation=organisation, data=answers(), source=Source.SELF, consent_given=True
    )
    assert created
    assert referral.possible_duplicate_of == existing


def test_same_phone_number_written_differently_is_a_possible_duplicate(organisation):
    existing = ReferralFactory(organisation=organisation, email="", phone="07700 900123")
    referral, _, _ = referral_create(
        organisation=organisation,
        data=answers(email="", phone="+44 7700-900-123"),
        source=Source.SELF,
        consent_given=True,
    )
    assert referral.possible_duplicate_of == existing


def test_another_organisations_referral_is_not_a_duplicate(organisation, other_org_referral):
    other_org_referral.email = "alex@example.net"
    other_org_referral.save()
    referral, _, _ = referral_create(
        organisation=organisation, data=answers(), source=Source.SELF, consent_given=True
    )
    assert referral.possible_duplicate_of is None


def test_areas_from_another_organisation_are_ignored(organisation, other_organisation):
    from tests.mentors.factories import SupportAreaFactory

    mine = SupportAreaFactory(organisation=organisation, name="Grief")
    theirs = SupportAreaFactory(organisation=other_organisation, name="Theirs")
    referral, _, _ = referral_create(
        organisation=organisation,
        data=answers(support_areas=[mine, theirs]),
        source=Source.SELF,
        consent_given=True,
    )
    assert list(referral.support_areas.all()) == [mine]


@pytest.mark.parametrize(
    "text",
    ["I think about suicide", "I DON’T want to be alive", "sometimes  I want to die"],
)
def test_detector_finds_risk_phrases_however_they_are_written(text):
    assert assess(text).is_risk


def test_detector_stays_quiet_on_ordinary_hopes():
    assessment = assess("I want to make friends and feel less anxious on the bus.")
    assert not assessment.is_risk and assessment.matched == ()
