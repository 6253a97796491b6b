"""The report filter's team and area choices: the organisation's active supervisors and places,
read as plain values, kept a few minutes as the figures are, and written in one pass; the
chosen one kept when the form is refused."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.http import QueryDict
from django.utils import timezone

from accounts.models import Role
from reports.filters import CHOICES_KEPT_SECONDS, ReportFilterForm, report_filter
from tests.factories import MembershipFactory
from tests.matching.factories import PlaceFactory


def supervisor_named(organisation, name: str, *, active: bool = True):
    return MembershipFactory(
        organisation=organisation, role=Role.SUPERVISOR, is_active=active, user__name=name
    ).user


def test_teams_are_the_active_supervisors_by_name(organisation, other_organisation):
    zoe = supervisor_named(organisation, "Zoe Young")
    ada = supervisor_named(organisation, "Ada <Lovelace>")
    supervisor_named(organisation, "Former Supervisor", active=False)
    supervisor_named(other_organisation, "Elsewhere Supervisor")
    choices = list(ReportFilterForm(organisation=organisation).fields["team"].choices)
    assert choices == [("", "All teams"), (ada.pk, "Ada <Lovelace>"), (zoe.pk, "Zoe Young")]


def test_the_choices_are_written_escaped_with_their_labels(organisation):
    ada = supervisor_named(organisation, "Ada <Lovelace>")
    PlaceFactory(organisation=organisation, name="Ashbury & Vale")
    form = ReportFilterForm(organisation=organisation)
    team = str(form["team"].as_field_group())
    assert '<label class="form-label fw-semibold" for="id_team">Team</label>' in team
    assert '<select name="team" aria-describedby="id_team_helptext" id="id_team"' in team
    assert '<option value="" selected>All teams</option>' in team
    assert f'<option value="{ada.pk}">Ada &lt;Lovelace&gt;</option>' in team
    area = str(form["area"].as_field_group())
    assert '<label class="form-label fw-semibold" for="id_area">Area</label>' in area
    assert ">Ashbury &amp; Vale</option>" in area


def test_the_chosen_team_and_area_are_kept_after_a_refused_period(organisation):
    ada = supervisor_named(organisation, "Ada Lovelace")
    place = PlaceFactory(organisation=organisation, name="Ashbury")
    data = QueryDict(f"start=2026-05-01&end=2026-01-01&team={ada.pk}&area={place.pk}")
    form, shown = report_filter(data, organisation)
    assert not form.is_valid() and not shown.is_split
    assert f'<option value="{ada.pk}" selected>Ada Lovelace</option>' in str(form["team"])
    assert f'<option value="{place.pk}" selected>Ashbury</option>' in str(form["area"])


def test_a_chosen_team_is_the_supervisor(organisation):
    ada = supervisor_named(organisation, "Ada Lovelace")
    _form, shown = report_filter(QueryDict(f"team={ada.pk}"), organisation)
    assert shown.team == ada and shown.team.name == "Ada Lovelace"


def test_an_inactive_supervisor_is_not_a_team(organisation):
    former = supervisor_named(organisation, "Former Supervisor", active=False)
    form, shown = report_filter(QueryDict(f"team={former.pk}"), organisation)
    assert "team" in form.errors and shown.team is None


def test_the_form_is_written_in_two_queries_however_many_teams(
    organisation, django_assert_num_queries
):
    for number in range(30):
        supervisor_named(organisation, f"Supervisor {number}")
    form = ReportFilterForm(organisation=organisation)
    with django_assert_num_queries(2):  # the teams, the areas
        html = str(form["team"]) + str(form["area"])
    assert html.count("<option") == 32


def test_supervisors_who_share_a_name_are_told_apart_by_email(organisation):
    first = supervisor_named(organisation, "Zoe Young")
    second = supervisor_named(organisation, "Zoe Young")
    ada = supervisor_named(organisation, "Ada Lovelace")
    choices = list(ReportFilterForm(organisation=organisation).fields["team"].choices)
    assert choices == [
        ("", "All teams"),
        (ada.pk, "Ada Lovelace"),
        (first.pk, f"Zoe Young ({first.email})"),
        (second.pk, f"Zoe Young ({second.email})"),
    ]


def test_the_choices_are_kept_as_long_as_the_figures(organisation, django_assert_num_queries):
    ada = supervisor_named(organisation, "Ada Lovelace")
    PlaceFactory(organisation=organisation, name="Ashbury")
    str(ReportFilterForm(organisation=organisation)["team"])
    str(ReportFilterForm(organisation=organisation)["area"])
    with django_assert_num_queries(0):
        form = ReportFilterForm(organisation=organisation)
        html = str(form["team"]) + str(form["area"])
    assert f'<option value="{ada.pk}">Ada Lovelace</option>' in html
    assert ">Ashbury</option>" in html
    # A supervisor and a place added since appear once the kept choices have expired.
    bea = supervisor_named(organisation, "Bea Newcomer")
    PlaceFactory(organisation=organisation, name="Brookfield")
    later = timezone.now() + timedelta(seconds=CHOICES_KEPT_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        form = ReportFilterForm(organisation=organisation)
        html = str(form["team"]) + str(form["area"])
    assert f'<option value="{bea.pk}">Bea Newcomer</option>' in html
    assert ">Brookfield</option>" in html


def test_a_kept_team_that_is_no_longer_a_supervisor_is_refused(organisation):
    ada = supervisor_named(organisation, "Ada Lovelace")
    str(ReportFilterForm(organisation=organisation)["team"])  # the choices, now kept
    ada.memberships.update(is_active=False)
    form, shown = report_filter(QueryDict(f"team={ada.pk}"), organisation)
    assert "team" in form.errors and shown.team is None


def test_each_organisation_keeps_its_own_choices(organisation, other_organisation):
    supervisor_named(organisation, "Ada Lovelace")
    supervisor_named(other_organisation, "Elsewhere Supervisor")
    ours = str(ReportFilterForm(organisation=organisation)["team"])
    theirs = str(ReportFilterForm(organisation=other_organisation)["team"])
    assert "Ada Lovelace" in ours and "Elsewhere Supervisor" not in ours
    assert "Elsewhere Supervisor" in theirs and "Ada Lovelace" not in theirs
