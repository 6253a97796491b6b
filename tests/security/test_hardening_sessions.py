"""Access ends on the very next request: deactivated accounts, revoked roles, ended relationships.
Sessions rotate at sign-in; staff MFA survives a password reset; sensitive changes re-ask."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken, Role
from accounts.services import api_token_create, membership_grant, membership_revoke, user_deactivate
from audit.models import AuditEvent
from mentoring.models import EndReason
from mentoring.services.ending import relationship_close
from tests.factories import TEST_PASSWORD

KNOWN_SECRET = "JBSWY3DPEHPK3PXP"
NEW_PASSWORD = "a quiet harbour at noon 17"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def sign_in(client: Client, email: str, password: str = TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def is_sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))


# Deactivation ---------------------------------------------------------------------------------


def test_deactivated_person_is_sent_to_sign_in_on_their_very_next_request(
    client, mentee, coordinator
):
    sign_in(client, mentee.email)
    assert client.get(reverse("dashboard")).status_code == 200

    user_deactivate(actor=coordinator, user=mentee)

    assert is_sent_to_sign_in(client.get(reverse("dashboard")))


def test_deactivation_deletes_every_session_of_that_person_and_only_theirs(
    mentee, mentor, coordinator
):
    phone, laptop, someone_else = Client(), Client(), Client()
    sign_in(phone, mentee.email)
    sign_in(laptop, mentee.email)
    sign_in(someone_else, mentor.email)
    assert Session.objects.count() == 3

    user_deactivate(actor=coordinator, user=mentee)

    remaining = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert remaining == [str(mentor.pk)]
    assert someone_else.get(reverse("dashboard")).status_code == 200
    event = AuditEvent.objects.get(action="user.deactivated")
    assert event.actor == coordinator
    assert event.metadata["sessions_ended"] == 2


def test_deactivated_persons_api_token_is_refused(referrer, organisation, coordinator):
    _token, key = api_token_create(
        actor=coordinator, user=referrer, organisation=organisation, name="GP system"
    )
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 200

    user_deactivate(actor=coordinator, user=referrer)

    assert api.get("/api/v1/me/").status_code == 401
    assert ApiToken.objects.get(user=referrer).revoked_at is not None


def test_deactivated_person_cannot_sign_in_again(client, mentee, coordinator):
    user_deactivate(actor=coordinator, user=mentee)
    response = sign_in(client, mentee.email)
    assert not (response.status_code == 302 and response.url == reverse("dashboard"))
    assert is_sent_to_sign_in(client.get(reverse("dashboard")))


def test_coordinator_of_another_organisation_cannot_deactivate_someone(
    mentee, other_org_coordinator
):
    with pytest.raises(PermissionDenied):
        user_deactivate(actor=other_org_coordinator, user=mentee)
    mentee.refresh_from_db()
    assert mentee.is_active


@pytest.mark.parametrize("role", ["mentor", "supervisor", "referrer"])
def test_people_who_do_not_manage_the_organisation_cannot_deactivate_anyone(role, request, mentee):
    with pytest.raises(PermissionDenied):
        user_deactivate(actor=request.getfixturevalue(role), user=mentee)


def test_platform_operator_deactivates_from_the_command_line(client, mentee):
    sign_in(client, mentee.email)
    call_command("deactivate_user", email=mentee.email.upper(), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert is_sent_to_sign_in(client.get(reverse("dashboard")))
    assert AuditEvent.objects.filter(action="user.deactivated", actor=None).exists()


# Roles and relationships ----------------------------------------------------------------------


def test_revoked_membership_no_longer_acts_in_that_organisation_on_the_next_request(
    client, referrer, coordinator
):
    sign_in(client, referrer.email)
    assert client.get(reverse("referrals:partner_list")).status_code == 200

    membership_revoke(actor=coordinator, membership=referrer.memberships.get())

    assert client.get(reverse("referrals:partner_list")).status_code == 404
    assert client.get("/api/v1/me/").json()["memberships"] == []


def test_revoked_membership_stops_the_api_token_for_that_organisation(
    referrer, organisation, coordinator
):
    _token, key = api_token_create(
        actor=coordinator, user=referrer, organisation=organisation, name="GP system"
    )
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:referral-list")).status_code == 200
    membership_revoke(actor=coordinator, membership=referrer.memberships.get())
    assert api.get(reverse("api:referral-list")).status_code == 404


def test_person_with_two_organisations_loses_only_the_revoked_one(
    client, mentor, other_organisation, coordinator
):
    other = membership_grant(
        actor=None, organisation=other_organisation, user=mentor, role=Role.REFERRER
    )
    sign_in(client, mentor.email)
    client.post(reverse("choose_organisation"), {"membership": other.pk})
    assert client.get(reverse("referrals:partner_list")).status_code == 200

    membership_revoke(actor=None, membership=other)

    # Left with one organisation, the next request acts in that one and no longer as a referrer.
    assert client.get(reverse("referrals:partner_list")).status_code == 404
    assert client.get(reverse("dashboard")).status_code == 200


def test_mentor_loses_the_relationship_page_on_the_request_after_it_ends(
    client, mentor, coordinator, active_relationship
):
    sign_in(client, mentor.email)
    page = reverse("mentoring:overview", args=[active_relationship.pk])
    sessions_page = reverse("mentoring:sessions", args=[active_relationship.pk])
    assert client.get(page).status_code == 200

    relationship_close(
        actor=coordinator, relationship=active_relationship, reason=EndReason.GOALS_MET
    )

    assert client.get(page).status_code == 404
    assert client.get(sessions_page).status_code == 404


def test_mentor_loses_the_relationship_in_the_api_on_the_request_after_it_ends(
    client, mentor, coordinator, active_relationship
):
    sign_in(client, mentor.email)
    detail = reverse("api:mentoring-relationship-detail", args=[active_relationship.pk])
    sessions = reverse("api:mentoring-sessions", args=[active_relationship.pk])
    assert client.get(detail).status_code == 200

    relationship_close(
        actor=coordinator, relationship=active_relationship, reason=EndReason.GOALS_MET
    )

    assert client.get(detail).status_code == 404
    assert client.get(sessions).status_code == 404
    listed = client.get(reverse("api:mentoring-relationship-list")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert active_relationship.pk not in [row["id"] for row in rows]


# Sessions rotate at sign-in -------------------------------------------------------------------


def test_session_key_changes_when_signing_in_through_the_form(client, mentee):
    before = client.session.session_key  # a session planted before sign-in (fixation attempt)
    assert before

    response = sign_in(client, mentee.email)

    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    planted = Client()
    planted.cookies[settings.SESSION_COOKIE_NAME] = before
    assert is_sent_to_sign_in(planted.get(reverse("dashboard")))


# Staff MFA after a password reset -------------------------------------------------------------


def reset_password_by_email(client: Client, email: str, capture) -> None:
    """Go through allauth's real reset flow: ask, open the emailed link, choose a password."""
    with capture(execute=True):
        client.post(reverse("account_reset_password"), {"email": email})
    (message,) = [m for m in mail.outbox if m.to == [email]]
    link = re.search(r"https?://[^\s]+/accounts/password/reset/key/[^\s]+/", message.body)
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]
    set_password_page = client.get(path, follow=True).redirect_chain[-1][0]
    done = client.post(set_password_page, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302


def current_code(secret: str) -> str:
    import time

    period = 30
    if period - time.time() % period < 2:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def test_staff_sign_in_after_a_password_reset_still_asks_for_the_authenticator_code(
    client, coordinator, django_capture_on_commit_callbacks
):
    Authenticator.objects.filter(user=coordinator).delete()
    TOTP.activate(coordinator, KNOWN_SECRET)
    reset_password_by_email(client, coordinator.email, django_capture_on_commit_callbacks)

    response = sign_in(client, coordinator.email, NEW_PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert is_sent_to_sign_in(client.get(reverse("dashboard")))  # not signed in yet
    finished = client.post(reverse("mfa_authenticate"), {"code": current_code(KNOWN_SECRET)})
    assert finished.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_reset_link_does_not_sign_staff_in_by_itself(
    client, coordinator, django_capture_on_commit_callbacks
):
    reset_password_by_email(client, coordinator.email, django_capture_on_commit_callbacks)
    assert is_sent_to_sign_in(client.get(reverse("dashboard")))


def test_staff_without_mfa_is_sent_to_set_it_up_after_a_password_reset(
    client, staff_without_mfa, django_capture_on_commit_callbacks
):
    reset_password_by_email(client, staff_without_mfa.email, django_capture_on_commit_callbacks)
    sign_in(client, staff_without_mfa.email, NEW_PASSWORD)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


# Re-authentication before changing email, password or MFA -------------------------------------


def reauthenticate(client: Client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302


AFTER_THE_WINDOW = timedelta(minutes=10)  # past allauth's 5 minutes, within the 30-minute idle


def test_adding_an_email_address_asks_for_the_password_again_once_the_window_has_passed(
    client, mentee
):
    client.force_login(mentee)
    reauthenticate(client)
    with time_machine.travel(timezone.now() + AFTER_THE_WINDOW, tick=False):
        response = client.post(
            reverse("account_email"), {"action_add": "", "email": "new.address@example.org"}
        )
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not mentee.emailaddress_set.filter(email="new.address@example.org").exists()


def test_adding_an_email_address_just_after_confirming_the_password_goes_ahead(client, mentee):
    client.force_login(mentee)
    reauthenticate(client)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "new.address@example.org"}
    )
    assert not response.url.startswith(reverse("account_reauthenticate"))
    assert mentee.emailaddress_set.filter(email="new.address@example.org").exists()


def test_staff_with_mfa_cannot_add_an_email_address_at_all(client, coordinator):
    client.force_login(coordinator)
    reauthenticate(client)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "new.address@example.org"}
    )
    assert "protected by two-factor authentication" in response.content.decode()


def test_changing_the_password_needs_the_current_password_however_long_signed_in(client, mentee):
    client.force_login(mentee)
    with time_machine.travel(timezone.now() + AFTER_THE_WINDOW, tick=False):
        page = client.get(reverse("account_change_password")).content.decode()
        assert 'name="oldpassword"' in page
        refused = client.post(
            reverse("account_change_password"),
            {"oldpassword": "a guess", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    assert refused.status_code == 200
    mentee.refresh_from_db()
    assert mentee.check_password(TEST_PASSWORD)


@pytest.mark.parametrize("url_name", ["mfa_deactivate_totp", "mfa_generate_recovery_codes"])
def test_changing_mfa_asks_for_the_password_again_once_the_window_has_passed(
    client, coordinator, url_name
):
    client.force_login(coordinator)
    reauthenticate(client)
    assert client.get(reverse(url_name)).status_code == 200  # just confirmed: no second ask

    with time_machine.travel(timezone.now() + AFTER_THE_WINDOW, tick=False):
        for response in (client.get(reverse(url_name)), client.post(reverse(url_name), {})):
            assert response.status_code == 302
            assert response.url.startswith(reverse("account_reauthenticate"))
    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()


def test_reauthentication_is_required_by_settings():
    assert settings.ACCOUNT_REAUTHENTICATION_REQUIRED is True
