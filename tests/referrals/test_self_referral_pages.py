"""The public self-referral form, the private status page and withdrawing through it."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Language
from audit.models import AuditEvent
from referrals import consent
from referrals.models import Referral, SafeNow, Source, Status, Urgency
from referrals.services.creating import hash_token
from referrals.views.self_referral import PERSON_STATUS_WORDS
from safeguarding.services.crisis import crisis_resource_create
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "mentee",
    "mentor",
    "other_mentor",
    "supervisor",
    "coordinator",
    "admin",
    "referrer",
    "outsider",
    "other_org_coordinator",
]
TOKEN = "a-private-link-token-for-tests-0123456789"
HEALTH_WORDS = ["anxiety", "lonely", "alone", "safe", "crisis", "support with", "hope", "mental"]


@pytest.fixture
def refer_url(organisation):
    return reverse("referrals:refer", args=[organisation.slug])


@pytest.fixture
def linked_referral(organisation, areas):
    """A self-referral whose private link we know."""
    referral = ReferralFactory(
        organisation=organisation,
        full_name="Sam Linked",
        email="sam@example.net",
        phone="07700 900555",
        hopes="To feel less alone and walk to the shops again.",
        access_token_hash=hash_token(TOKEN),
        availability_slots=["mon_evening", "sat_morning"],
        availability="Not the first week of the month.",
    )
    referral.support_areas.set(areas[:1])
    return referral


@pytest.fixture
def crisis_line(organisation):
    return crisis_resource_create(
        actor=None,
        organisation=organisation,
        name="Riverside Crisis Line",
        phone="0800 123 4567",
        hours="24 hours a day",
        is_emergency=True,
    )


def answers(key="k" * 24, **overrides):
    data = {
        "idempotency_key": key,
        "full_name": "Alex Rivera",
        "preferred_name": "Al",
        "email": "alex@example.net",
        "phone": "",
        "email_ok": "on",
        "safe_now": SafeNow.YES,
        "hopes": "I would like to feel more confident going out.",
        "formats": ["video"],
        "availability_slots": ["tue_evening", "sat_morning"],
        "availability": "Not on the first Monday.",
        "mentor_gender_importance": "none",
        "mentor_age_importance": "none",
        "shared_experience_importance": "none",
        "consent": "on",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def send(client, url, data):
    return client.post(url, data)


def person_client(request, person, client_for) -> Client:
    if person == "anonymous":
        return Client()
    return client_for(request.getfixturevalue(person))


# The form -------------------------------------------------------------------------------------


def test_form_shows_sections_consent_statement_and_a_private_key(client, refer_url, areas):
    page = client.get(refer_url).content.decode()
    for heading in ("About you", "How to contact you safely", "Your safety", "Your mentor"):
        assert heading in page
    for paragraph in consent.current_statement():
        assert paragraph in page
    assert consent.CURRENT_VERSION in page
    assert "I have read this and agree to be referred" in page
    assert 'href="/help/"' in page
    assert "Anxiety" in page  # the organisation's support areas
    key = re.search(r'name="idempotency_key" value="([\w-]+)"', page)
    assert key and len(key.group(1)) >= 24
    assert page.index(">English<") < page.index(">Arabic<")


def test_unknown_or_inactive_organisation_is_404(client, organisation):
    assert client.get(reverse("referrals:refer", args=["nowhere"])).status_code == 404
    organisation.is_active = False
    organisation.save()
    assert client.get(reverse("referrals:refer", args=[organisation.slug])).status_code == 404


def test_self_referral_is_created_and_lands_on_the_private_status_page(
    client, refer_url, organisation, areas
):
    english = Language.objects.get(code="en")
    response = send(
        client,
        refer_url,
        answers(support_areas=[areas[0].pk], languages=[english.pk], area="LS6"),
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    token = response.url.split("/")[-2]
    assert response.url == reverse("referrals:status", args=[token])
    assert referral.access_token_hash == hash_token(token)
    assert referral.source == Source.SELF and referral.referrer is None
    assert referral.idempotency_key == f"form:{'k' * 24}"
    assert referral.consent_version == consent.CURRENT_VERSION
    assert list(referral.support_areas.all()) == [areas[0]]
    assert list(referral.languages.all()) == [english]
    assert referral.availability_slots == ["tue_evening", "sat_morning"]
    assert referral.formats == ["video"]
    assert referral.urgency == Urgency.ROUTINE
    page = client.get(response.url).content.decode()
    assert "Thank you, we have your referral" in page
    assert "by email" in page
    assert "Bookmark" in page


def test_consent_is_required_and_the_message_sits_next_to_the_box(client, refer_url):
    response = send(client, refer_url, answers(consent=None))
    assert response.status_code == 200
    assert not Referral.objects.exists()
    page = response.content.decode()
    assert 'id="id_consent_error"' in page
    assert "We can only accept a referral with your agreement" in page
    assert 'value="Alex Rivera"' in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"full_name": "  "}, "full_name", "This field is required"),
        ({"email": "", "phone": ""}, "email", "Give an email address or a phone number"),
        ({"email": "not-an-email"}, "email", "valid email address"),
        ({"phone": "call me maybe"}, "phone", "Enter a phone number"),
        ({"email_ok": None}, "email_ok", "We can only reach you by email"),
        ({"safe_now": None}, "safe_now", "This field is required"),
        ({"year_of_birth": str(timezone.localdate().year - 10)}, "year_of_birth", "aged 16"),
        ({"year_of_birth": "1800"}, "year_of_birth", "Check the year of birth"),
        (
            {"mentor_age_min": "50", "mentor_age_max": "30"},
            "mentor_age_max",
            "The oldest age must be",
        ),
        ({"mentor_age_min": "12"}, "mentor_age_min", "greater than or equal to 16"),
        ({"mentor_gender_importance": "must"}, "mentor_gender", "say which gender"),
        ({"mentor_age_importance": "must"}, "mentor_age_min", "give a youngest or oldest age"),
        (
            {"shared_experience_importance": "must"},
            "shared_experience_importance",
            "so we know which experience to look for",
        ),
    ],
)
def test_bad_answers_are_refused_next_to_their_field_and_nothing_typed_is_lost(
    client, refer_url, overrides, field, message
):
    response = send(client, refer_url, answers(**overrides))
    assert response.status_code == 200
    assert not Referral.objects.exists()
    page = response.content.decode()
    error_list = re.search(rf'<ul class="[^"]*" id="id_{field}_error">(.*?)</ul>', page, re.S)
    assert error_list, f"no error list next to {field}"
    assert message in error_list.group(1)
    if "full_name" not in overrides:
        assert 'value="Alex Rivera"' in page
    assert "I would like to feel more confident going out." in page
    assert 'value="tue_evening" checked' in page or re.search(
        r'value="tue_evening"[^>]*checked', page
    )
    assert f'value="{"k" * 24}"' in page  # the same key, so a resend is still recognised


def test_a_must_with_a_value_is_accepted(client, refer_url, areas):
    response = send(
        client,
        refer_url,
        answers(
            mentor_gender="a woman",
            mentor_gender_importance="must",
            mentor_age_min="30",
            mentor_age_max="50",
            mentor_age_importance="nice",
            shared_experience_importance="must",
            support_areas=[areas[1].pk],
        ),
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.mentor_gender, referral.mentor_gender_importance) == ("a woman", "must")
    assert (referral.mentor_age_min, referral.mentor_age_max) == (30, 50)


def test_a_preference_given_with_no_importance_counts_as_nice_to_have(client, refer_url):
    send(client, refer_url, answers(mentor_gender="a man", mentor_age_max="40"))
    referral = Referral.objects.get()
    assert referral.mentor_gender_importance == "nice"
    assert referral.mentor_age_importance == "nice"
    assert referral.shared_experience_importance == "none"


def test_service_refusals_land_next_to_their_field(client, refer_url, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError({"phone": "That number cannot be used."})

    monkeypatch.setattr("referrals.views.self_referral.referral_create", refuse)
    response = send(client, refer_url, answers(phone="07700 900123"))
    assert response.status_code == 200
    page = response.content.decode()
    error_list = re.search(r'id="id_phone_error">(.*?)</ul>', page, re.S)
    assert error_list and "That number cannot be used." in error_list.group(1)
    assert 'value="07700 900123"' in page


def test_the_same_form_sent_twice_makes_one_referral_and_shows_the_same_page(
    client, refer_url, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = send(client, refer_url, answers())
        second = send(client, refer_url, answers())
    assert Referral.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    sent_to_person = [message for message in mail.outbox if message.to == ["alex@example.net"]]
    assert len(sent_to_person) == 1


def test_a_resend_from_another_browser_still_makes_one_referral(client, refer_url):
    send(client, refer_url, answers())
    response = send(Client(), refer_url, answers())
    assert Referral.objects.count() == 1
    assert response.status_code == 200
    assert "We already have your referral" in response.content.decode()


def test_a_new_form_makes_a_new_referral(client, refer_url):
    send(client, refer_url, answers(key="a" * 24))
    send(client, refer_url, answers(key="b" * 24, email="other@example.net"))
    assert Referral.objects.count() == 2


# The crisis screen ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        {"safe_now": SafeNow.NO},
        {"safe_now": SafeNow.UNSURE},
        {"hopes": "Some days I want to kill myself."},
    ],
)
def test_someone_who_may_not_be_safe_sees_crisis_resources_first(
    client, refer_url, crisis_line, overrides
):
    response = send(client, refer_url, answers(**overrides))
    assert Referral.objects.get().urgency == Urgency.URGENT
    page = client.get(response.url).content.decode()
    main = page[page.index('<main id="main"') :]
    assert main.index("Riverside Crisis Line") < main.index("Thank you, we have your referral")
    assert 'href="tel:08001234567"' in page
    assert "you may not be safe right now" in page


def test_routine_referral_shows_no_crisis_block(client, linked_referral, crisis_line):
    page = client.get(reverse("referrals:status", args=[TOKEN])).content.decode()
    assert "Riverside Crisis Line" not in page
    assert "you may not be safe right now" not in page


def test_urgent_status_page_without_resources_still_says_who_to_call(client, linked_referral):
    Referral.objects.filter(pk=linked_referral.pk).update(urgency=Urgency.URGENT)
    page = client.get(reverse("referrals:status", args=[TOKEN])).content.decode()
    assert 'href="tel:999"' in page


# The email with the private link --------------------------------------------------------------


def test_private_link_is_emailed_without_any_health_words(
    client, refer_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            client,
            refer_url,
            answers(hopes="I feel lonely and my anxiety is bad.", support_areas=[]),
        )
    (message,) = [message for message in mail.outbox if message.to == ["alex@example.net"]]
    assert response.url in message.body
    text = (message.subject + message.body).lower()
    for word in HEALTH_WORDS:
        assert word not in text, word


@pytest.mark.parametrize(
    "overrides",
    [{"email_ok": None, "phone": "07700 900123"}, {"email": "", "phone": "07700 900123"}],
)
def test_private_link_is_not_emailed_unless_email_is_given_and_ok(
    client, refer_url, overrides, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, refer_url, answers(**overrides))
    assert response.status_code == 302
    assert not [message for message in mail.outbox if "alex@example.net" in message.to]


# The status page ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [s for s in Status if s != Status.MERGED])
def test_status_page_says_where_the_referral_is_in_plain_words(client, linked_referral, status):
    Referral.objects.filter(pk=linked_referral.pk).update(status=status)
    response = client.get(reverse("referrals:status", args=[TOKEN]))
    page = response.content.decode()
    assert response.status_code == 200
    assert PERSON_STATUS_WORDS[status].headline in page
    assert PERSON_STATUS_WORDS[status].explanation in page
    assert ("Withdraw my referral" in page) == (status in Status.open_statuses())


def test_status_words_cover_every_status():
    assert set(PERSON_STATUS_WORDS) == set(Status)


def test_status_page_shows_what_the_person_sent(client, linked_referral):
    page = client.get(reverse("referrals:status", args=[TOKEN])).content.decode()
    for sent in (
        "Sam Linked",
        "sam@example.net",
        "07700 900555",
        "To feel less alone and walk to the shops again.",
        "Anxiety",
        "Monday evening, Saturday morning",
        "Not the first week of the month.",
        consent.CURRENT_VERSION,
    ):
        assert sent in page, sent


def test_status_page_is_private_and_never_cached(client, linked_referral):
    response = client.get(reverse("referrals:status", args=[TOKEN]))
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="referrer" content="no-referrer">' in response.content.decode()


def test_signed_in_visitors_keep_the_same_origin_policy_so_sign_out_still_works(
    client_for, mentee, linked_referral
):
    """Under no-referrer a browser posts "Origin: null", which the CSRF check refuses."""
    response = client_for(mentee).get(reverse("referrals:status", args=[TOKEN]))
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert 'content="no-referrer"' not in response.content.decode()


def test_withdraw_page_keeps_the_same_origin_policy_so_its_form_can_be_sent(
    client, linked_referral
):
    response = client.get(reverse("referrals:status_withdraw", args=[TOKEN]))
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_intake_status_offers_the_online_intake_when_that_page_exists(client, linked_referral):
    from django.urls import NoReverseMatch

    Referral.objects.filter(pk=linked_referral.pk).update(status=Status.INTAKE)
    page = client.get(reverse("referrals:status", args=[TOKEN])).content.decode()
    try:
        intake_url = reverse("referrals:intake_online", args=[TOKEN])
    except NoReverseMatch:
        assert "Complete your intake online" not in page
    else:
        assert f'href="{intake_url}"' in page
        assert "Complete your intake online" in page


def test_merged_referral_link_explains_and_shows_the_kept_referrals_status(
    client, linked_referral, organisation
):
    kept = ReferralFactory(
        organisation=organisation,
        status=Status.WAITING,
        hopes="Someone else's words about grief.",
        email="kept@example.net",
    )
    Referral.objects.filter(pk=linked_referral.pk).update(status=Status.MERGED, merged_into=kept)
    page = client.get(reverse("referrals:status", args=[TOKEN])).content.decode()
    assert "We have put your referrals together" in page
    assert PERSON_STATUS_WORDS[Status.WAITING].headline in page
    assert "Someone else's words about grief." not in page
    assert "kept@example.net" not in page


def test_unknown_link_is_404(client, linked_referral):
    assert client.get(reverse("referrals:status", args=["not-a-real-token"])).status_code == 404
    assert (
        client.get(reverse("referrals:status_withdraw", args=["not-a-real-token"])).status_code
        == 404
    )
    assert (
        client.post(reverse("referrals:status_withdraw", args=["not-a-real-token"])).status_code
        == 404
    )


# Withdrawing ----------------------------------------------------------------------------------


def test_withdrawing_asks_first_then_closes_the_referral(client, linked_referral):
    url = reverse("referrals:status_withdraw", args=[TOKEN])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Withdraw your referral?" in confirm.content.decode()
    assert Referral.objects.get(pk=linked_referral.pk).status == Status.NEW

    response = client.post(url, {"reason": "I have found other help."}, follow=True)
    referral = Referral.objects.get(pk=linked_referral.pk)
    assert referral.status == Status.WITHDRAWN
    assert referral.closed_reason == "I have found other help."
    assert "Your referral is withdrawn" in response.content.decode()
    event = AuditEvent.objects.get(action="referral.withdrawn")
    assert event.actor is None


def test_withdrawing_twice_changes_nothing(client, linked_referral):
    url = reverse("referrals:status_withdraw", args=[TOKEN])
    client.post(url, {"reason": "First reason"})
    response = client.post(url, {"reason": "Second reason"}, follow=True)
    referral = Referral.objects.get(pk=linked_referral.pk)
    assert referral.status == Status.WITHDRAWN
    assert referral.closed_reason == "First reason"
    assert AuditEvent.objects.filter(action="referral.withdrawn").count() == 1
    assert "already withdrawn" in response.content.decode()


def test_a_closed_referral_cannot_be_withdrawn(client, linked_referral):
    Referral.objects.filter(pk=linked_referral.pk).update(status=Status.DECLINED)
    response = client.post(reverse("referrals:status_withdraw", args=[TOKEN]), follow=True)
    assert Referral.objects.get(pk=linked_referral.pk).status == Status.DECLINED
    assert "already closed" in response.content.decode()


def test_a_merged_link_withdraws_the_kept_referral(client, linked_referral, organisation):
    kept = ReferralFactory(organisation=organisation, status=Status.NEW)
    Referral.objects.filter(pk=linked_referral.pk).update(status=Status.MERGED, merged_into=kept)
    client.post(reverse("referrals:status_withdraw", args=[TOKEN]))
    assert Referral.objects.get(pk=kept.pk).status == Status.WITHDRAWN
    assert Referral.objects.get(pk=linked_referral.pk).status == Status.MERGED


# Who may open what ----------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_public_form_opens_for_everyone(request, person, client_for, refer_url):
    assert person_client(request, person, client_for).get(refer_url).status_code == 200


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", ["referrals:status", "referrals:status_withdraw"])
def test_private_link_pages_open_with_the_right_link_only(
    request, person, name, client_for, linked_referral
):
    client = person_client(request, person, client_for)
    assert client.get(reverse(name, args=[TOKEN])).status_code == 200
    assert client.get(reverse(name, args=[TOKEN + "x"])).status_code == 404


@pytest.mark.parametrize("person", PEOPLE)
def test_withdraw_with_a_wrong_link_is_404_for_everyone(
    request, person, client_for, linked_referral
):
    client = person_client(request, person, client_for)
    response = client.post(reverse("referrals:status_withdraw", args=["wrong-" + TOKEN]))
    assert response.status_code == 404
    assert Referral.objects.get(pk=linked_referral.pk).status == Status.NEW
