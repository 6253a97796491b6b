"""The alert queue: waiting, being responded to and closed; most serious and oldest first, with
deadlines, overdue alerts and escalation in words; what each responder sees; filtering by level;
paging with the totals; queries that stay the same however many alerts there are; and the
overdue count on the coordinator's home page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguarding.access import waiting_alert_counts
from safeguarding.models import Alert, AlertLevel, AlertStatus
from safeguarding.services.alerts import alert_acknowledge, alert_raise
from tests.safeguarding.fixtures import raise_for
from tests.safeguarding.fixtures_alerts import close, text

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def test_a_row_says_the_level_who_what_raised_it_when_and_the_deadline(
    client_for, coordinator, pair
):
    with time_machine.travel(NOW, tick=False):
        raise_for(pair, level=AlertLevel.URGENT, now=NOW - timedelta(minutes=6))
        page = text(client_for(coordinator).get(reverse("safeguarding:alerts")))
    assert "Urgent" in page
    assert "About Samira Quinlan" in page
    assert "A message, written by the mentee" in page
    assert "Raised" in page and "6 minutes ago" in page
    assert "Due in 9 minutes" in page
    assert "Overdue" not in page


def test_an_overdue_alert_says_so_in_words_and_is_marked(client_for, coordinator, pair):
    with time_machine.travel(NOW, tick=False):
        raise_for(pair, level=AlertLevel.HIGH, now=NOW - timedelta(hours=2))
        response = client_for(coordinator).get(reverse("safeguarding:alerts"))
    page = text(response)
    assert "Overdue by 1 hour: nobody has said they are responding" in page
    assert re.search(r'<span class="badge [^"]*">Overdue</span>', page)
    assert "border-danger border-3" in page
    assert response.context["counts"]["overdue"] == 1


def test_a_row_names_the_latest_sign_and_how_many_there_are(client_for, coordinator, pair):
    raise_for(pair, now=timezone.now() - timedelta(minutes=5))
    alert_raise(
        actor=pair.mentor.user,
        organisation=pair.organisation,
        person=pair.mentee,
        level=AlertLevel.HIGH,
        categories=["self_harm"],
        source="session log",
        source_label="A session log, written by the mentor",
        excerpt="She said she hurt herself.",
    )
    page = text(client_for(coordinator).get(reverse("safeguarding:alerts")))
    assert "A session log, written by the mentor" in page
    assert "(2 signs)" in page


def test_an_escalated_alert_says_how_far(client_for, coordinator, alert):
    Alert.objects.filter(pk=alert.pk).update(escalation_level=1)
    page = text(client_for(coordinator).get(reverse("safeguarding:alerts")))
    assert "Escalated: every safeguarding lead and coordinator told" in page


def test_responding_and_closed_alerts_say_who_and_the_outcome(
    client_for, coordinator, supervisor, pair, other_relationship
):
    coordinator.name = "Cora Ordinator"
    coordinator.save(update_fields=["name"])
    responding = raise_for(pair)
    alert_acknowledge(actor=coordinator, alert=responding)
    false_alarm = raise_for(other_relationship)
    close(false_alarm, coordinator, outcome="no_risk")
    response = client_for(coordinator).get(reverse("safeguarding:alerts"))
    assert [row.alert for row in response.context["responded"]] == [responding]
    assert [row.alert for row in response.context["closed"]] == [false_alarm]
    page = text(response)
    assert "Someone is responding: Cora Ordinator" in page
    assert "No risk found: a false alarm" in page
    assert "False alarm</span>" in page
    assert response.context["waiting"] == []


def test_the_queue_can_show_one_level(client_for, coordinator, pair, other_relationship):
    urgent = raise_for(pair, level=AlertLevel.URGENT)
    raise_for(other_relationship, level=AlertLevel.CONCERN)
    response = client_for(coordinator).get(reverse("safeguarding:alerts"), {"level": "urgent"})
    assert [row.alert for row in response.context["waiting"]] == [urgent]
    assert 'aria-current="page">Urgent<' in text(response)
    everything = client_for(coordinator).get(reverse("safeguarding:alerts"), {"level": "nonsense"})
    assert len(everything.context["waiting"]) == 2


def test_a_supervisor_sees_only_the_alerts_of_their_mentors_mentees(
    client_for, supervisor, other_supervisor, pair, other_relationship
):
    mine = raise_for(pair)
    theirs = raise_for(other_relationship)
    response = client_for(supervisor).get(reverse("safeguarding:alerts"))
    assert [row.alert for row in response.context["waiting"]] == [mine]
    assert "mentors you supervise" in text(response)
    other = client_for(other_supervisor).get(reverse("safeguarding:alerts"))
    assert [row.alert for row in other.context["waiting"]] == [theirs]


def test_a_duty_lead_sees_every_alert_of_the_organisation(
    client_for, pair, other_relationship, duty_lead
):
    raise_for(pair)
    raise_for(other_relationship)
    response = client_for(duty_lead).get(reverse("safeguarding:alerts"))
    assert len(response.context["waiting"]) == 2
    assert "mentors you supervise" not in text(response)


def test_closed_alerts_are_paged(client_for, coordinator, organisation, mentee):
    now = timezone.now()
    Alert.objects.bulk_create(
        Alert(
            organisation=organisation,
            person=mentee,
            level=AlertLevel.CONCERN,
            source="message",
            source_label="A message",
            status=AlertStatus.CLOSED,
            closed_at=now - timedelta(minutes=number),
            outcome="safe_for_now",
        )
        for number in range(55)
    )
    first = client_for(coordinator).get(reverse("safeguarding:alerts"))
    assert len(first.context["closed"]) == 25
    assert "Page 1 of 3" in text(first)
    assert 'href="?page=2#closed-heading">Next page</a>' in text(first)
    last = client_for(coordinator).get(reverse("safeguarding:alerts"), {"page": 3})
    assert len(last.context["closed"]) == 5
    closed_at = [row.alert.closed_at for row in first.context["closed"]]
    assert closed_at == sorted(closed_at, reverse=True)


def waiting_alerts(organisation, person, level: str, count: int, *, hours_ago: int = 0, **extra):
    """``count`` alerts at ``level`` waiting for a response, raised a minute apart, the oldest
    first."""
    now = timezone.now()
    return Alert.objects.bulk_create(
        Alert(
            organisation=organisation,
            person=person,
            level=level,
            source="message",
            source_label="A message",
            created_at=now - timedelta(hours=hours_ago, minutes=count - number),
            **extra,
        )
        for number in range(count)
    )


def test_waiting_alerts_are_paged_most_serious_first_with_the_totals(
    client_for, coordinator, organisation, mentee
):
    concerns = waiting_alerts(organisation, mentee, AlertLevel.CONCERN, 10, hours_ago=3)
    urgent = waiting_alerts(organisation, mentee, AlertLevel.URGENT, 30, hours_ago=1)
    high = waiting_alerts(organisation, mentee, AlertLevel.HIGH, 20, hours_ago=2)
    client = client_for(coordinator)
    pages = [client.get(reverse("safeguarding:alerts"), {"waiting": n}) for n in (1, 2, 3)]
    shown = [row.alert for page in pages for row in page.context["waiting"]]
    assert shown == urgent + high + concerns
    assert [len(page.context["waiting"]) for page in pages] == [25, 25, 10]
    assert all(page.context["counts"]["waiting"] == 60 for page in pages)
    first, second, last = (text(page) for page in pages)
    assert re.search(r'id="waiting-heading">Waiting for a response <span [^>]*>\(60\)', first)
    assert (
        "Showing 1 to 25 of 60, most serious first. In all: 30 urgent, 20 high and 10 concerns."
        in first
    )
    assert "More urgent alerts are waiting on the" in first
    assert 'href="?waiting=2#waiting-heading">next page of waiting alerts</a>' in first
    assert 'href="?waiting=2#waiting-heading">Next page</a>' in first
    assert "Page 1 of 3" in first
    assert "Showing 26 to 50 of 60" in second
    assert "More urgent alerts" not in second
    assert 'href="?waiting=1#waiting-heading">Previous page</a>' in second
    assert "Page 3 of 3" in last and "Next page" not in last.split("responding-heading")[0]


def test_paging_waiting_alerts_keeps_the_level_and_the_other_pages(
    client_for, coordinator, organisation, mentee
):
    waiting_alerts(organisation, mentee, AlertLevel.HIGH, 30)
    waiting_alerts(organisation, mentee, AlertLevel.URGENT, 3)
    response = client_for(coordinator).get(
        reverse("safeguarding:alerts"), {"level": "high", "page": "2"}
    )
    assert len(response.context["waiting"]) == 25
    assert {row.alert.level for row in response.context["waiting"]} == {"high"}
    assert not response.context["more_urgent"]
    page = text(response)
    assert 'href="?level=high&amp;page=2&amp;waiting=2#waiting-heading">Next page</a>' in page
    assert "In all:" not in page


def test_a_waiting_page_out_of_range_shows_the_nearest(
    client_for, coordinator, organisation, mentee
):
    made = waiting_alerts(organisation, mentee, AlertLevel.HIGH, 30)
    client = client_for(coordinator)
    beyond = client.get(reverse("safeguarding:alerts"), {"waiting": 99})
    assert [row.alert for row in beyond.context["waiting"]] == made[25:]
    nonsense = client.get(reverse("safeguarding:alerts"), {"waiting": "x"})
    assert [row.alert for row in nonsense.context["waiting"]] == made[:25]


def test_a_short_queue_has_no_page_links(client_for, coordinator, alert):
    page = text(client_for(coordinator).get(reverse("safeguarding:alerts")))
    assert "Showing 1 to" not in page and "Page 1 of" not in page


def test_the_queue_costs_the_same_queries_empty_or_with_many_pages_of_alerts(
    client_for, coordinator, supervisor, organisation, mentee, django_assert_num_queries
):
    def make(count: int) -> None:
        now = timezone.now()
        for level in AlertLevel.values:
            waiting_alerts(organisation, mentee, level, count, supervisor=supervisor)
        waiting_alerts(  # overdue, and picked up once before it was reopened
            organisation, mentee, AlertLevel.HIGH, count, due_at=now, acknowledged_by=coordinator
        )
        waiting_alerts(
            organisation,
            mentee,
            AlertLevel.CONCERN,
            count,
            supervisor=supervisor,
            status=AlertStatus.ACKNOWLEDGED,
            acknowledged_by=coordinator,
            acknowledged_at=now,
        )
        waiting_alerts(
            organisation,
            mentee,
            AlertLevel.URGENT,
            count,
            supervisor=supervisor,
            status=AlertStatus.CLOSED,
            acknowledged_by=coordinator,
            acknowledged_at=now,
            closed_by=coordinator,
            closed_at=now,
            outcome="no_risk",
            false_positive=True,
            escalation_level=1,
        )

    for person in (coordinator, supervisor):
        client = client_for(person)
        Alert.objects.all().delete()
        with CaptureQueriesContext(connection) as few:
            assert client.get(reverse("safeguarding:alerts")).status_code == 200
        make(1)
        with django_assert_num_queries(len(few)):
            assert client.get(reverse("safeguarding:alerts")).status_code == 200
        make(40)
        with django_assert_num_queries(len(few)):
            response = client.get(reverse("safeguarding:alerts"))
        assert len(response.context["waiting"]) == 25
        assert len(response.context["responded"]) == 25
        assert len(response.context["closed"]) == 25
        assert len(few) <= (9 if person == coordinator else 11)


# The coordinator's home page --------------------------------------------------------------------


def test_the_dashboard_counts_overdue_alerts(
    client_for, coordinator, pair, django_assert_num_queries
):
    with time_machine.travel(NOW, tick=False):
        raise_for(pair, level=AlertLevel.URGENT, now=NOW - timedelta(hours=1))
        page = text(client_for(coordinator).get(reverse("dashboard")))
        membership = coordinator.memberships.select_related("organisation").get()
        with django_assert_num_queries(1):
            counts = waiting_alert_counts(coordinator, membership)
    assert counts["overdue"] == 1 and counts["total"] == 1 and counts["urgent"] == 1
    assert "1 overdue — nobody has responded in time" in page
    assert 'href="/safeguarding/alerts/#waiting-heading"' in page


def test_an_acknowledged_alert_is_not_overdue(coordinator, pair):
    found = raise_for(pair, now=timezone.now() - timedelta(hours=5))
    alert_acknowledge(actor=coordinator, alert=found)
    assert waiting_alert_counts(coordinator, coordinator.memberships.get())["overdue"] == 0
