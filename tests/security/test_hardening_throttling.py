"""Throttling: sign-in, password reset, the API, and the public and partner forms. A throttled
person gets a plain message (and what they typed back), never a server error."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.throttling import UserRateThrottle

from accounts.services import api_token_create
from alongside.ratelimit import TOO_MANY_ATTEMPTS
from mentors.models import MentorApplication, Reference, ReferenceStatus
from mentors.services.screening import reference_request
from referrals.models import Referral
from tests.factories import TEST_PASSWORD
from tests.mentors.test_applying import complete_answers
from tests.referrals.test_partner_pages import answers as partner_answers
from tests.referrals.test_self_referral_pages import answers as self_referral_answers

TOO_MANY_SIGN_INS = "Too many failed login attempts"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tight_limits(settings):
    """Each form allows two sends, so the third is the one refused."""
    settings.ALONGSIDE_RATE_LIMITS = {
        action: "2/h/user" if action == "partner_referral" else "2/h/ip"
        for action in settings.ALONGSIDE_RATE_LIMITS
    }
    return settings


def assert_polite_refusal(response, *typed: str) -> str:
    page = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"].isdigit()
    assert TOO_MANY_ATTEMPTS in page
    for text in typed:
        assert text in page
    return page


# Sign-in and password reset (django-allauth) --------------------------------------------------


def test_sixth_failed_sign_in_for_an_account_is_refused_with_a_clear_message(client, mentee):
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": mentee.email, "password": "wrong-password"}
        )
        assert TOO_MANY_SIGN_INS not in response.content.decode()
    refused = client.post(
        reverse("account_login"), {"login": mentee.email, "password": TEST_PASSWORD}
    )
    assert refused.status_code in (200, 429)
    assert TOO_MANY_SIGN_INS in refused.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302  # not signed in


def test_repeated_password_reset_requests_for_one_address_are_refused_plainly(client, mentee):
    statuses = []
    for _ in range(6):
        response = client.post(reverse("account_reset_password"), {"email": mentee.email})
        statuses.append(response.status_code)
    assert statuses[:5] == [302] * 5
    assert statuses[5] in (200, 429)
    page = response.content.decode()
    assert "Too many attempts from your connection" in page
    assert "get help now" in page


# The API --------------------------------------------------------------------------------------


def test_api_answers_429_with_retry_after_once_a_person_passes_their_rate(
    monkeypatch, mentee, client_for
):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/min"})
    client = client_for(mentee)
    assert [client.get("/api/v1/me/").status_code for _ in range(3)] == [200] * 3
    refused = client.get("/api/v1/me/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_wrong_api_tokens_from_one_address_are_throttled(settings, referrer, organisation):
    settings.ALONGSIDE_RATE_LIMITS = {
        **settings.ALONGSIDE_RATE_LIMITS,
        "api_token_failed": "3/h/ip",
    }
    _token, key = api_token_create(
        actor=None, user=referrer, organisation=organisation, name="GP system"
    )
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    guesses = [
        guesser.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token guess-{n}").status_code
        for n in range(3)
    ]
    assert guesses == [401] * 3
    refused = guesser.get("/api/v1/me/", HTTP_AUTHORIZATION="Token guess-4")
    assert refused.status_code == 429
    assert refused["Retry-After"].isdigit()
    same_address_signed_in = Client(REMOTE_ADDR="203.0.113.9")
    same_address_signed_in.force_login(referrer)
    assert same_address_signed_in.get("/api/v1/me/").status_code == 200  # no token: not counted
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert elsewhere.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_anonymous_api_calls_are_refused_before_any_data_is_read(client, db):
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert "WWW-Authenticate" in response


# Public and partner forms ---------------------------------------------------------------------


def test_third_self_referral_from_one_connection_is_refused_and_keeps_what_was_typed(
    client, organisation, tight_limits
):
    url = reverse("referrals:refer", args=[organisation.slug])
    for n in range(2):
        assert client.post(url, self_referral_answers(key=f"{n}" * 24)).status_code == 302
    refused = client.post(url, self_referral_answers(key="z" * 24, full_name="Kept Typed-Name"))
    assert_polite_refusal(refused, 'value="Kept Typed-Name"', "feel more confident going out")
    assert Referral.objects.count() == 2


def test_self_referral_limit_is_per_connection(client, organisation, tight_limits):
    url = reverse("referrals:refer", args=[organisation.slug])
    for n in range(2):
        client.post(url, self_referral_answers(key=f"{n}" * 24), REMOTE_ADDR="203.0.113.9")
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post(url, self_referral_answers(key="y" * 24)).status_code == 302


def test_partner_referrals_are_throttled_per_referrer(referrer, client_for, tight_limits):
    client = client_for(referrer)
    url = reverse("referrals:partner_new")
    for n in range(2):
        assert client.post(url, partner_answers(key=f"{n}" * 24)).status_code == 302
    refused = client.post(url, partner_answers(key="z" * 24, full_name="Jordan Kept"))
    assert_polite_refusal(refused, 'value="Jordan Kept"')
    assert Referral.objects.count() == 2


def test_mentor_applications_are_throttled_per_connection(
    client, organisation, areas, tight_limits
):
    url = reverse("mentors:apply", args=[organisation.slug])
    for n in range(2):
        response = client.post(url, complete_answers(areas, email=f"robin{n}@example.org"))
        assert response.status_code == 302
    refused = client.post(url, complete_answers(areas, full_name="Robin Still-Here"))
    assert_polite_refusal(refused, 'value="Robin Still-Here"')
    assert MentorApplication.objects.count() == 2


def test_reference_answers_are_throttled_per_connection(
    client, applicant_application, coordinator, tight_limits
):
    tokens = []
    for n in range(3):
        _reference, token = reference_request(
            actor=coordinator,
            application=applicant_application,
            referee_name=f"Referee {n}",
            referee_email=f"referee{n}@example.net",
            relationship="Manager",
        )
        tokens.append(token)
    answers = {
        "known_for": "Five years, as their manager",
        "suitability": "Patient and kind with everyone.",
        "concerns": "",
        "recommendation": "yes",
    }
    for token in tokens[:2]:
        response = client.post(reverse("mentors:reference_respond", args=[token]), answers)
        assert response.status_code == 302
    refused = client.post(reverse("mentors:reference_respond", args=[tokens[2]]), answers)
    assert_polite_refusal(refused, "Patient and kind with everyone.")
    statuses = sorted(Reference.objects.values_list("status", flat=True))
    assert statuses.count(ReferenceStatus.RECEIVED) == 2


def test_forms_are_not_throttled_at_the_normal_rates(client, organisation):
    url = reverse("referrals:refer", args=[organisation.slug])
    for n in range(5):
        assert client.post(url, self_referral_answers(key=f"{n}" * 24)).status_code == 302
