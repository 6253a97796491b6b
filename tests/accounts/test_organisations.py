import pytest
from django.urls import reverse

from accounts.models import Membership, Role
from accounts.services import membership_grant, membership_revoke
from audit.models import AuditEvent


@pytest.fixture
def two_hat_mentor(mentor, other_organisation):
    membership_grant(
        actor=None, organisation=other_organisation, user=mentor, role=Role.COORDINATOR
    )
    return mentor


def test_person_in_two_organisations_chooses_one_first(two_hat_mentor, client_for):
    response = client_for(two_hat_mentor).get(reverse("dashboard"))
    assert response.url == reverse("choose_organisation")


def test_choosing_an_organisation_sets_the_role_used(two_hat_mentor, organisation, client_for):
    client = client_for(two_hat_mentor)
    membership = Membership.objects.get(user=two_hat_mentor, organisation=organisation)
    response = client.post(reverse("choose_organisation"), {"membership": membership.pk})
    assert response.url == reverse("dashboard")
    page = client.get(reverse("dashboard")).content.decode()
    assert "Your mentoring" in page
    assert "Switch organisation" in page


def test_cannot_choose_someone_elses_membership(two_hat_mentor, coordinator, client_for):
    client = client_for(two_hat_mentor)
    not_mine = Membership.objects.get(user=coordinator)
    response = client.post(reverse("choose_organisation"), {"membership": not_mine.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_empty_choice_gets_a_message_next_to_the_question(two_hat_mentor, client_for):
    response = client_for(two_hat_mentor).post(reverse("choose_organisation"), {})
    page = response.content.decode()
    assert "Choose one organisation to continue." in page
    assert 'aria-invalid="true"' in page or "id_membership_error" in page


def test_revoked_membership_no_longer_gives_access(mentor, client_for):
    membership = Membership.objects.get(user=mentor)
    membership_revoke(actor=None, membership=membership)
    page = client_for(mentor).get(reverse("dashboard")).content.decode()
    assert "You do not have a role in any organisation yet" in page
    assert AuditEvent.objects.filter(action="membership.revoked").exists()


def test_one_role_per_organisation_changing_role_updates_it(mentor, organisation):
    membership_grant(actor=None, organisation=organisation, user=mentor, role=Role.SUPERVISOR)
    assert Membership.objects.filter(user=mentor).count() == 1
    assert Membership.objects.get(user=mentor).role == Role.SUPERVISOR
