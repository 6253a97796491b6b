from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Membership, Organisation, Role, User
from audit.models import AuditEvent


@pytest.mark.django_db
def test_operator_creates_an_organisation_with_its_first_admin():
    out = StringIO()
    call_command(
        "create_organisation",
        name="Brookside Mind",
        admin_email="Lead@Brookside.example",
        stdout=out,
    )
    organisation = Organisation.objects.get(slug="brookside-mind")
    admin = User.objects.get(email="lead@brookside.example")
    assert not admin.has_usable_password()
    assert Membership.objects.get(user=admin, organisation=organisation).role == Role.ADMIN
    assert AuditEvent.objects.filter(action="organisation.created").exists()
    assert "Forgotten your password?" in out.getvalue()


@pytest.mark.django_db
def test_existing_person_keeps_their_account_and_gains_the_role(mentor):
    call_command("create_organisation", name="Second", admin_email=mentor.email, stdout=StringIO())
    assert User.objects.filter(email=mentor.email).count() == 1
    assert mentor.memberships.filter(role=Role.ADMIN).exists()


@pytest.mark.django_db
def test_duplicate_slug_is_refused_with_a_clear_message(organisation):
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_organisation", name="Riverside", slug="riverside", admin_email="a@b.c")
