"""The urgent-alert banner: while an urgent alert waits for someone to respond, every staff
member of the organisation sees it on every page — a link to the alert for those who may open
it; for anyone else, who is on duty to contact and nothing about the person. It costs one query
for staff, none for anyone else, and goes away as soon as someone says they are responding.

The page tests need the context processor in settings and the partial in ``base.html``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from safeguarding.access import alerts_visible_to
from safeguarding.context_processors import UrgentBanner, urgent_banner
from safeguarding.models import AlertLevel, DutyShift, SafeguardingLead
from safeguarding.selectors import name_of
from safeguarding.services.alerts import alert_acknowledge, alert_close, alert_raise
from safeguarding.services.rota import duty_lead_at
from tests.conftest import make_member
from tests.safeguarding.fixtures import raise_for

pytestmark = pytest.mark.django_db

STAFF_PEOPLE = ["supervisor", "coordinator", "admin", "other_supervisor", "duty_lead", "lead"]


@pytest.fixture
def lead(organisation):
    """A supervisor named a safeguarding lead, not on duty."""
    user = make_member(organisation, Role.SUPERVISOR, "lead@example.org", mfa=True)
    SafeguardingLead.objects.create(organisation=organisation, user=user)
    return user


@pytest.fixture
def pair(active_relationship, mentee):
    mentee.name = "Samira Quinlan"
    mentee.save(update_fields=["name"])
    return active_relationship


@pytest.fixture
def urgent(pair):
    return raise_for(pair, level=AlertLevel.URGENT)


def banner_for(user, path: str = "/dashboard/") -> UrgentBanner | None:
    request = RequestFactory().get(path)
    request.user = user
    request.membership = (  # type: ignore[attr-defined]
        user.memberships.select_related("organisation").first() if user.is_authenticated else None
    )
    return urgent_banner(request)["urgent_banner"]


# Who sees what -----------------------------------------------------------------------------------


def test_a_coordinator_gets_a_link_to_the_urgent_alert(coordinator, urgent):
    assert banner_for(coordinator) == UrgentBanner(
        alert_url=reverse("safeguarding:alert", args=[urgent.pk])
    )


def test_the_oldest_urgent_alert_is_the_one_linked(coordinator, pair, other_relationship):
    newer = raise_for(pair, level=AlertLevel.URGENT)
    older = raise_for(
        other_relationship, level=AlertLevel.URGENT, now=timezone.now() - timedelta(minutes=3)
    )
    assert newer.created_at > older.created_at
    banner = banner_for(coordinator)
    assert banner is not None
    assert banner.alert_url == reverse("safeguarding:alert", args=[older.pk])


@pytest.mark.parametrize("person", STAFF_PEOPLE)
def test_the_link_is_there_exactly_when_the_person_may_open_the_alert(person, request, urgent):
    user = request.getfixturevalue(person)
    banner = banner_for(user)
    assert banner is not None
    may_open = alerts_visible_to(user, user.memberships.first()).filter(pk=urgent.pk).exists()
    assert bool(banner.alert_url) == may_open
    assert may_open == (person != "other_supervisor")


def test_someone_who_may_not_open_it_is_told_who_is_on_duty(other_supervisor, duty_lead, pair):
    raise_for(pair, level=AlertLevel.URGENT)
    banner = banner_for(other_supervisor)
    assert banner == UrgentBanner(duty_lead_name="Dana Duty", duty_lead_email=duty_lead.email)


def test_with_nobody_on_duty_it_says_to_tell_a_coordinator(other_supervisor, urgent):
    assert banner_for(other_supervisor) == UrgentBanner()


@pytest.mark.parametrize("person", ["mentee", "mentor", "referrer", "outsider"])
def test_people_who_are_not_staff_see_no_banner_and_cost_no_query(
    person, request, urgent, django_assert_num_queries
):
    user = request.getfixturevalue(person)
    signed_in = RequestFactory().get("/")
    signed_in.user = user
    signed_in.membership = user.memberships.first()  # type: ignore[attr-defined]
    with django_assert_num_queries(0):
        assert urgent_banner(signed_in) == {"urgent_banner": None}


def test_nobody_signed_in_sees_no_banner(urgent, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert urgent_banner(request) == {"urgent_banner": None}


def test_staff_cost_one_query(coordinator, supervisor, urgent, django_assert_num_queries):
    for user in (coordinator, supervisor):
        request = RequestFactory().get("/")
        request.user = user
        request.membership = user.memberships.select_related("organisation").get()  # type: ignore[attr-defined]
        with django_assert_num_queries(1):
            assert urgent_banner(request)["urgent_banner"] is not None


def test_someone_who_may_not_open_it_costs_one_query_too(
    other_supervisor, duty_lead, pair, django_assert_num_queries
):
    raise_for(pair, level=AlertLevel.URGENT)
    request = RequestFactory().get("/")
    request.user = other_supervisor
    request.membership = other_supervisor.memberships.select_related("organisation").get()  # type: ignore[attr-defined]
    with django_assert_num_queries(1):
        banner = urgent_banner(request)["urgent_banner"]
    assert banner == UrgentBanner(duty_lead_name="Dana Duty", duty_lead_email=duty_lead.email)


@pytest.mark.parametrize(
    "change",
    ["none", "lead_stood_down", "lead_cannot_sign_in", "earlier_shift_overlaps", "shift_over"],
)
def test_the_banner_names_whoever_the_rota_has_on_duty(
    change, organisation, other_supervisor, duty_lead, pair
):
    raise_for(pair, level=AlertLevel.URGENT)
    now = timezone.now()
    if change == "lead_stood_down":
        SafeguardingLead.objects.filter(user=duty_lead).update(is_active=False)
    elif change == "lead_cannot_sign_in":
        User.objects.filter(pk=duty_lead.pk).update(is_active=False)
    elif change == "earlier_shift_overlaps":
        second = make_member(organisation, Role.COORDINATOR, "second.lead@example.org")
        DutyShift.objects.create(
            organisation=organisation,
            lead=SafeguardingLead.objects.create(organisation=organisation, user=second),
            starts_at=now - timedelta(hours=2),
            ends_at=now + timedelta(hours=1),
        )
    elif change == "shift_over":
        DutyShift.objects.update(starts_at=now - timedelta(hours=2), ends_at=now)
    on_duty = duty_lead_at(organisation, timezone.now())
    assert (on_duty == duty_lead) == (change == "none")
    assert banner_for(other_supervisor) == UrgentBanner(
        duty_lead_name=name_of(on_duty) if on_duty else "",
        duty_lead_email=on_duty.email if on_duty else "",
    )


def test_no_banner_without_an_urgent_alert_waiting(coordinator, pair, other_relationship):
    raise_for(pair, level=AlertLevel.HIGH)
    assert banner_for(coordinator) is None
    responded = raise_for(other_relationship, level=AlertLevel.URGENT)
    alert_acknowledge(actor=coordinator, alert=responded)
    assert banner_for(coordinator) is None
    alert_close(actor=coordinator, alert=responded, outcome="safe_for_now", note="Safe.")
    assert banner_for(coordinator) is None


def test_another_organisations_urgent_alert_shows_nothing_here(
    coordinator, other_organisation, other_org_coordinator
):
    person = make_member(other_organisation, Role.MENTEE, "elsewhere.mentee@example.org")
    alert_raise(
        actor=person,
        organisation=other_organisation,
        person=person,
        level=AlertLevel.URGENT,
        categories=["suicidal_thoughts"],
        source="message",
        source_label="A message",
    )
    assert banner_for(coordinator) is None
    assert banner_for(other_org_coordinator) is not None


def test_on_the_alert_page_itself_it_points_below(coordinator, urgent):
    path = reverse("safeguarding:alert", args=[urgent.pk])
    banner = banner_for(coordinator, path)
    assert banner is not None and banner.on_alert_page


# On the pages ------------------------------------------------------------------------------------


def page(client, path: str = "/dashboard/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_every_staff_page_shows_the_banner_with_a_link(client_for, coordinator, urgent):
    client = client_for(coordinator)
    for path in ("/dashboard/", reverse("safeguarding:alerts"), reverse("account_overview")):
        shown = page(client, path)
        assert 'role="alert"' in shown
        assert "An urgent safeguarding alert is waiting for someone to respond." in shown
        assert f'href="{reverse("safeguarding:alert", args=[urgent.pk])}">Open it' in shown


def test_the_banner_names_the_duty_lead_and_not_the_person(
    client_for, other_supervisor, duty_lead, pair
):
    raise_for(pair, level=AlertLevel.URGENT)
    shown = page(client_for(other_supervisor))
    assert "An urgent safeguarding alert is waiting for someone to respond." in shown
    assert "Dana Duty" in shown and duty_lead.email in shown
    assert "Samira" not in shown and "Quinlan" not in shown
    assert "Open it" not in shown


def test_mentors_and_mentees_never_see_the_banner(client_for, mentor, mentee, urgent):
    for person in (mentor, mentee):
        assert "urgent safeguarding alert" not in page(client_for(person))


def test_the_banner_goes_once_someone_responds(client_for, coordinator, urgent):
    client = client_for(coordinator)
    alert_page = reverse("safeguarding:alert", args=[urgent.pk])
    before = page(client, alert_page)
    assert "It is this one: if you can respond, say so below." in before
    response = client.post(reverse("safeguarding:alert_acknowledge", args=[urgent.pk]))
    after = page(client, response.url)
    assert "urgent safeguarding alert is waiting" not in after
    assert "urgent safeguarding alert is waiting" not in page(client)
