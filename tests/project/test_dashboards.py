import pytest
from django.urls import reverse

from tests.conftest import DASHBOARD_HEADINGS, ROLE_FIXTURES


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_each_role_sees_its_own_dashboard(role, request, client_for):
    user = request.getfixturevalue(role)
    response = client_for(user).get(reverse("dashboard"))
    assert response.status_code == 200
    assert f'<h1 class="h2 mb-1">{DASHBOARD_HEADINGS[role]}</h1>' in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_person_without_a_role_sees_a_welcome_not_an_error(outsider, client_for):
    response = client_for(outsider).get(reverse("dashboard"))
    assert response.status_code == 200
    assert "You do not have a role in any organisation yet" in response.content.decode()
