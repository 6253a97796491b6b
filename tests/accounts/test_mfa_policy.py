import pytest
from django.urls import reverse

from accounts.models import Role
from tests.conftest import make_member
from tests.factories import TEST_PASSWORD


def test_staff_without_mfa_cannot_open_data_pages(staff_without_mfa, client_for):
    response = client_for(staff_without_mfa).get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_staff_without_mfa_gets_a_clear_api_refusal(staff_without_mfa, client_for):
    response = client_for(staff_without_mfa).get("/api/v1/me/")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


def test_staff_without_mfa_can_still_set_it_up_and_get_help(staff_without_mfa, client):
    client.post(
        reverse("account_login"), {"login": staff_without_mfa.email, "password": TEST_PASSWORD}
    )
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.get(reverse("get_help_now")).status_code == 200
    assert client.get(reverse("account_overview")).status_code == 200


@pytest.mark.parametrize("role", ["supervisor", "coordinator", "admin"])
def test_staff_with_mfa_open_their_dashboard(role, request, client_for):
    user = request.getfixturevalue(role)
    assert client_for(user).get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize("role", ["mentee", "mentor", "referrer"])
def test_non_staff_roles_are_not_forced_to_set_up_mfa(role, request, client_for):
    user = request.getfixturevalue(role)
    assert client_for(user).get(reverse("dashboard")).status_code == 200


def test_staff_role_in_any_active_organisation_context_requires_mfa(
    organisation, other_organisation, client_for
):
    user = make_member(organisation, Role.MENTOR, "both@example.org")
    from accounts.services import membership_grant

    membership_grant(actor=None, organisation=other_organisation, user=user, role=Role.ADMIN)
    client = client_for(user)
    membership = user.memberships.get(organisation=other_organisation)
    client.post(reverse("choose_organisation"), {"membership": membership.pk})
    assert client.get(reverse("dashboard")).url == reverse("mfa_activate_totp")


def test_demo_staff_account_is_relaxed_only_in_development(organisation, settings, client_for):
    demo = make_member(organisation, Role.COORDINATOR, f"sam@{settings.DEMO_EMAIL_DOMAIN}")
    client = client_for(demo)
    assert client.get(reverse("dashboard")).status_code == 302  # test mode: MFA required

    settings.IS_DEVELOPMENT = True
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "relaxed for this demo account in development mode" in response.content.decode()


def test_real_staff_account_is_not_relaxed_in_development(staff_without_mfa, settings, client_for):
    settings.IS_DEVELOPMENT = True
    assert client_for(staff_without_mfa).get(reverse("dashboard")).status_code == 302


def test_staff_without_mfa_opening_api_docs_is_sent_to_setup_not_shown_json(
    staff_without_mfa, client_for
):
    response = client_for(staff_without_mfa).get("/api/v1/docs/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_people_who_already_use_mfa_confirm_their_password_before_changing_it(coordinator, client):
    from allauth.mfa.totp.internal.auth import TOTP  # noqa: F401 (coordinator has TOTP)

    client.force_login(coordinator)
    response = client.get(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_changing_email_still_asks_for_the_password_again(staff_without_mfa, client):
    client.post(
        reverse("account_login"), {"login": staff_without_mfa.email, "password": TEST_PASSWORD}
    )
    response = client.post(reverse("account_email"), {"action_add": "", "email": "x@example.org"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_platform_operator_must_set_up_mfa_before_opening_the_admin_site(db, client_for):
    from tests.factories import UserFactory

    operator = UserFactory(email="ops@example.org", is_staff=True, is_superuser=True)
    response = client_for(operator).get("/django-admin/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
