from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY
from tests.factories import TEST_PASSWORD


@pytest.fixture
def signed_in_mentee(client, mentee):
    client.post(reverse("account_login"), {"login": mentee.email, "password": TEST_PASSWORD})
    return client


def age_session(client, **times):
    session = client.session
    for key, value in times.items():
        session[key] = (timezone.now() - value).isoformat()
    session.save()


def test_activity_keeps_the_session_alive(signed_in_mentee):
    age_session(signed_in_mentee, **{SESSION_SEEN_KEY: timedelta(minutes=29)})
    assert signed_in_mentee.get(reverse("dashboard")).status_code == 200


def test_thirty_minutes_without_activity_signs_out(signed_in_mentee):
    age_session(signed_in_mentee, **{SESSION_SEEN_KEY: timedelta(minutes=31)})
    response = signed_in_mentee.get(reverse("dashboard"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "signed out to keep your information private" in response.content.decode()


def test_idle_timeout_is_configurable(signed_in_mentee, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 5
    age_session(signed_in_mentee, **{SESSION_SEEN_KEY: timedelta(minutes=6)})
    assert signed_in_mentee.get(reverse("dashboard")).status_code == 302


def test_session_ends_after_twelve_hours_even_when_active(signed_in_mentee):
    age_session(
        signed_in_mentee,
        **{SESSION_STARTED_KEY: timedelta(hours=12, minutes=1), SESSION_SEEN_KEY: timedelta(0)},
    )
    assert signed_in_mentee.get(reverse("dashboard")).status_code == 302


def test_session_cookie_is_not_kept_after_the_browser_closes(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
