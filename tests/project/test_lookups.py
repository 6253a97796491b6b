"""alongside/lookups.py: ``InSubquery`` keeps the rows whose value the subquery gives, written
so that PostgreSQL looks each one up by key and other databases use ``IN``."""

from __future__ import annotations

from django.db import connection
from django.db.models import F

from accounts.models import Membership, Role, User
from alongside.lookups import InSubquery
from tests.factories import MembershipFactory


def test_keeps_exactly_the_rows_the_subquery_names(organisation, other_organisation):
    wanted = {
        MembershipFactory(organisation=organisation, role=Role.SUPERVISOR).user.pk for _ in range(3)
    }
    MembershipFactory(organisation=organisation, role=Role.MENTOR)
    MembershipFactory(organisation=other_organisation, role=Role.SUPERVISOR)
    supervisors = Membership.objects.filter(organisation=organisation, role=Role.SUPERVISOR).values(
        "user_id"
    )
    found = User.objects.filter(InSubquery(F("pk"), supervisors))
    assert set(found.values_list("pk", flat=True)) == wanted
    assert not User.objects.filter(InSubquery(F("pk"), supervisors.none())).exists()


def test_postgresql_reads_the_subquery_as_an_array_other_databases_use_in(organisation):
    supervisors = Membership.objects.filter(organisation=organisation).values("user_id")
    sql = str(User.objects.filter(InSubquery(F("pk"), supervisors)).query)
    if connection.vendor == "postgresql":
        assert '"accounts_user"."id" = ANY(ARRAY(SELECT' in sql
    else:
        assert '"accounts_user"."id" IN (SELECT' in sql
