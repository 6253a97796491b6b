import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.services import user_create
from audit.models import AuditEvent
from tests.factories import TEST_PASSWORD

WRONG_CREDENTIALS = "The email address and/or password you specified are not correct."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def sign_in(client, email, password, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def test_mentee_signs_in_and_lands_on_their_dashboard(client, mentee):
    response = sign_in(client, mentee.email, TEST_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_wrong_password_keeps_the_email_and_says_what_went_wrong(client, mentee):
    response = sign_in(client, mentee.email, "not-my-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert WRONG_CREDENTIALS in page
    assert f'value="{mentee.email}"' in page
    assert 'role="alert"' in page  # announced to screen readers, not only shown
    assert "Traceback" not in page


def test_sign_in_form_uses_labels_not_placeholders(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assert 'for="id_login"' in page and 'for="id_password"' in page
    assert "placeholder=" not in page


def test_unknown_email_gets_the_same_message_as_a_wrong_password(client, db):
    response = sign_in(client, "nobody@example.org", "whatever-password")
    assert WRONG_CREDENTIALS in response.content.decode()


def test_failed_sign_in_is_audited_without_the_typed_email(client, mentee):
    sign_in(client, mentee.email, "not-my-password")
    sign_in(client, "nobody@example.org", "whatever-password")
    events = AuditEvent.objects.filter(action="account.sign_in_failed")
    assert events.count() == 2
    assert {e.object_id for e in events} == {str(mentee.pk), ""}
    assert all("nobody" not in str(e.metadata) for e in events)


def test_repeated_failures_cool_off_that_account(client, mentee):
    for _ in range(5):
        sign_in(client, mentee.email, "not-my-password")
    response = sign_in(client, mentee.email, TEST_PASSWORD)
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()


def test_failures_from_one_address_cool_off_for_every_account(client, mentee, mentor):
    for n in range(20):
        sign_in(client, f"guess{n}@example.org", "wrong-password", REMOTE_ADDR="203.0.113.9")
    response = sign_in(client, mentor.email, TEST_PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert "Too many failed login attempts" in response.content.decode()
    other_address = sign_in(client, mentor.email, TEST_PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert other_address.status_code == 302


def test_cool_off_ends_so_an_attacker_cannot_lock_someone_out_for_good(client, mentee, settings):
    for _ in range(5):
        sign_in(client, mentee.email, "not-my-password")
    cache.clear()  # the window passes: counters are only kept for the cool-off period
    assert sign_in(client, mentee.email, TEST_PASSWORD).status_code == 302


def test_password_reset_for_unknown_email_looks_the_same_as_for_a_known_one(
    client, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("account_reset_password"), {"email": mentee.email})
        unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    done = client.get(known.url).content.decode()
    assert "If an account uses that email address" in done
    assert "works for 2 hours" in done
    # Only the real account is emailed (by the task worker, after commit); a stranger whose
    # address was typed learns nothing about this service.
    assert [message.to for message in mail.outbox] == [[mentee.email]]
    assert "password" in mail.outbox[0].subject.lower()


def test_expired_or_broken_reset_link_says_so_plainly(client, mentee):
    response = client.get("/accounts/password/reset/key/1-not-a-real-token/", follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "invalid" in page.lower()
    assert "Traceback" not in page


def test_form_without_csrf_token_gets_a_plain_explanation(mentee):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("account_login"), {"login": mentee.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 403
    assert "Please try that again" in response.content.decode()


def test_sign_up_is_closed_people_join_through_their_programme(client, db):
    response = client.get(reverse("account_signup"))
    assert "closed" in response.content.decode().lower()


def test_setting_a_password_from_the_emailed_link_confirms_the_address(db):
    user = user_create(actor=None, email="new.mentee@example.org", email_verified=False)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    client = Client()
    set_password_page = client.get(path, follow=True).redirect_chain[-1][0]
    response = client.post(
        set_password_page,
        {"password1": "a calm river at dawn 42", "password2": "a calm river at dawn 42"},
    )
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
