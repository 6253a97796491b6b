"""The alert pages: the queue (waiting, being responded to, closed; most serious and oldest
first; deadlines and escalation in words), one alert with its signs, what to do next and its
timeline, and every step of responding through its own form — with the problem next to the
field and the typed text kept when something is refused. Every page, for every role."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from safeguarding.access import waiting_alert_counts
from safeguarding.models import (
    Alert,
    AlertAction,
    AlertActionKind,
    AlertLevel,
    AlertStatus,
    CrisisResource,
)
from safeguarding.services.alerts import (
    alert_acknowledge,
    alert_close,
    alert_contact_attempt,
    alert_raise,
)
from tests.conftest import make_member
from tests.mentoring.access import PEOPLE, check_page, client_as
from tests.safeguarding.fixtures import raise_for

pytestmark = pytest.mark.django_db

RESPONDERS = ["supervisor", "coordinator", "admin", "duty_lead"]
EVERYONE = [*PEOPLE, "other_supervisor", "duty_lead"]
NOW = timezone.now().replace(microsecond=0)


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


@pytest.fixture
def pair(active_relationship, mentee):
    mentee.name = "Samira Quinlan"
    mentee.save(update_fields=["name"])
    return active_relationship


@pytest.fixture
def alert(pair):
    """A high alert about Samira raised by a message; nobody was on duty, so it names only the
    supervisor (the duty lead, when asked for, sees it as a safeguarding lead)."""
    return raise_for(pair)


def url(name: str, alert: Alert) -> str:
    return reverse(f"safeguarding:{name}", args=[alert.pk])


def close(alert: Alert, actor, outcome: str = "safe_for_now") -> Alert:
    return alert_close(actor=actor, alert=alert, outcome=outcome, note="Spoke with her.")


# Who may open what -------------------------------------------------------------------------------


@pytest.mark.parametrize("person", EVERYONE)
def test_the_queue_is_for_responders_and_lists_only_their_alerts(
    person, request, client_for, alert
):
    response = client_as(person, request, client_for).get(reverse("safeguarding:alerts"))
    check_page(response, person, [*RESPONDERS, "other_supervisor", "other_org_coordinator"])
    if response.status_code == 200:
        shown = [row.alert.pk for row in response.context["waiting"]]
        assert (alert.pk in shown) == (person in RESPONDERS)
        assert ("Samira Quinlan" in text(response)) == (person in RESPONDERS)


PAGES = [
    ("alert", "get", {}),
    ("alert_close", "get", {}),
    ("alert_acknowledge", "post", {}),
    ("alert_contact", "post", {"contact-method": "phone", "contact-reached": "yes"}),
    ("alert_action", "post", {"action-action": "safety_plan"}),
    ("alert_note", "post", {"note-note": "Left a voicemail."}),
    ("alert_close", "post", {"outcome": "safe_for_now", "note": "Safe for now."}),
]


@pytest.mark.parametrize("person", EVERYONE)
@pytest.mark.parametrize(("name", "method", "data"), PAGES)
def test_every_alert_page_is_for_the_alerts_responders_only(
    name, method, data, person, request, client_for, alert
):
    client = client_as(person, request, client_for)
    if method == "get":
        response = client.get(url(name, alert))
        check_page(response, person, RESPONDERS)
    else:
        response = client.post(url(name, alert), data)
        check_page(response, person, RESPONDERS, ok=302)
    alert.refresh_from_db()
    changed = alert.actions.exclude(kind=AlertActionKind.LEVEL_RAISED).exists()
    assert changed == (method == "post" and person in RESPONDERS)
    viewed = AuditEvent.objects.filter(action="safeguarding.alert_viewed").exists()
    assert viewed == (name == "alert" and person in RESPONDERS)


@pytest.mark.parametrize("person", EVERYONE)
def test_reopening_is_for_the_alerts_responders_only(
    person, request, client_for, alert, coordinator
):
    close(alert, coordinator)
    client = client_as(person, request, client_for)
    response = client.post(url("alert_reopen", alert), {"reopen-note": "She rang again."})
    check_page(response, person, RESPONDERS, ok=302)
    alert.refresh_from_db()
    assert (alert.status == AlertStatus.ACKNOWLEDGED) == (person in RESPONDERS)


def test_another_organisations_alert_is_a_404_for_this_organisations_coordinator(
    client_for, coordinator, other_org_coordinator, other_organisation
):
    person = make_member(other_organisation, Role.MENTEE, "elsewhere.mentee@example.org")
    theirs = alert_raise(
        actor=person,
        organisation=other_organisation,
        person=person,
        level=AlertLevel.URGENT,
        categories=["suicidal_thoughts"],
        source="message",
        source_label="A message, written by the mentee",
        excerpt="I want to die",
        matches=["want to die"],
    )
    client = client_for(coordinator)
    for name in ("alert", "alert_close"):
        assert client.get(url(name, theirs)).status_code == 404
    for name in ("alert_acknowledge", "alert_note", "alert_close", "alert_reopen"):
        assert client.post(url(name, theirs), {"note-note": "x"}).status_code == 404
    assert client_for(other_org_coordinator).get(url("alert", theirs)).status_code == 200
    assert theirs.pk not in [
        row.alert.pk for row in client.get(reverse("safeguarding:alerts")).context["waiting"]
    ]


def test_a_mentee_never_sees_an_alert_about_them(client_for, mentee, alert):
    client = client_for(mentee)
    for path in (reverse("safeguarding:alerts"), url("alert", alert), url("alert_close", alert)):
        assert client.get(path).status_code == 404
    home = text(client.get(reverse("dashboard")))
    assert "want to die" not in home and "safeguarding alert" not in home.lower()


# The queue ---------------------------------------------------------------------------------------


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


# One alert ---------------------------------------------------------------------------------------


def test_the_alert_shows_the_flagged_words_highlighted_and_escaped(client_for, supervisor, pair):
    found = raise_for(
        pair,
        excerpt="<script>alert(1)</script> Some days I WANT to die.\n\nThat's all.",
        matches=("want to die",),
    )
    response = client_for(supervisor).get(url("alert", found))
    page = text(response)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Some days I <mark>WANT to die</mark>." in page
    assert "That&#x27;s all." in page
    assert "Suicidal thoughts" in page
    assert "Words that raised it: “want to die”" in page
    assert f'href="/mentoring/{pair.pk}/"' in page
    assert "Open the record" in page


def test_categories_and_questionnaire_flags_are_in_words(client_for, coordinator, pair):
    found = raise_for(pair, categories=("self_harm", "self_harm_thoughts", "detection_failed"))
    page = text(client_for(coordinator).get(url("alert", found)))
    assert "Self-harm" in page
    assert "Thoughts of being better off dead or of self-harm" in page
    assert "Risk detection failed" in page
    assert "self_harm_thoughts" not in page


def test_a_sign_where_detection_failed_asks_for_it_to_be_read(client_for, coordinator, pair):
    found = alert_raise(
        actor=pair.mentee,
        organisation=pair.organisation,
        person=pair.mentee,
        level=AlertLevel.HIGH,
        categories=["detection_failed"],
        source="message",
        source_label="A message (risk detection failed: please read it)",
        excerpt="Something the detector could not read",
        detection_failed=True,
    )
    page = text(client_for(coordinator).get(url("alert", found)))
    assert "Risk detection failed on this text" in page
    assert "Something the detector could not read" in page


def test_an_urgent_alert_says_contact_now_and_lists_the_crisis_services(
    client_for, coordinator, organisation, pair
):
    CrisisResource.objects.create(
        organisation=organisation, name="Samaritans", phone="116 123", hours="24 hours a day"
    )
    found = raise_for(pair, level=AlertLevel.URGENT)
    page = text(client_for(coordinator).get(url("alert", found)))
    assert "Contact Samira Quinlan now, within minutes" in page
    assert "call 999 (emergency services) now" in page
    assert "safeguarding procedure" in page
    assert 'href="tel:116123"' in page and "Samaritans" in page


def test_a_concern_says_within_a_working_day(client_for, coordinator, pair):
    found = raise_for(pair, level=AlertLevel.CONCERN)
    page = text(client_for(coordinator).get(url("alert", found)))
    assert "within a working day" in page
    assert "Your organisation has not listed any crisis services yet" in page


def test_the_alert_names_supervisor_duty_lead_and_escalation(
    client_for, coordinator, supervisor, duty_lead, pair
):
    supervisor.name = "Sue Pervisor"
    supervisor.save(update_fields=["name"])
    found = raise_for(pair)
    page = text(client_for(coordinator).get(url("alert", found)))
    assert "Sue Pervisor" in page
    assert "Dana Duty" in page
    assert "Not escalated" in page
    assert "Nobody yet" in page
    assert page.count("<h1") == 1


def test_the_timeline_shows_each_step_with_who_and_when(client_for, coordinator, alert):
    coordinator.name = "Cora Ordinator"
    coordinator.save(update_fields=["name"])
    alert_contact_attempt(
        actor=coordinator, alert=alert, method="phone", reached=False, note="Voicemail."
    )
    page = text(client_for(coordinator).get(url("alert", alert)))
    timeline = page[page.index('id="timeline"') :]
    assert "Alert raised" in timeline
    assert "Said they are responding" in timeline
    assert "Tried to contact the person" in timeline
    assert "Phone call: did not reach them" in timeline
    assert "Voicemail." in timeline
    assert "Cora Ordinator ·" in timeline
    assert "Alongside, automatically" in timeline


# Responding through the forms --------------------------------------------------------------------


def test_recording_a_contact_attempt(client_for, supervisor, alert):
    client = client_for(supervisor)
    response = client.post(
        url("alert_contact", alert),
        {"contact-method": "phone", "contact-reached": "yes", "contact-note": "She is safe."},
    )
    assert response.status_code == 302
    assert response.url == url("alert", alert) + "#timeline"
    attempt = AlertAction.objects.get(kind=AlertActionKind.CONTACT_ATTEMPT)
    assert (attempt.contact_method, attempt.reached, attempt.note) == (
        "phone",
        True,
        "She is safe.",
    )
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, supervisor)
    page = text(client.get(response.url))
    assert "Your contact attempt is recorded." in page
    assert "Phone call: reached them" in page


def test_a_contact_attempt_without_an_answer_keeps_what_was_typed(client_for, supervisor, alert):
    response = client_for(supervisor).post(
        url("alert_contact", alert),
        {"contact-method": "text", "contact-note": "Sent a text at 3pm."},
    )
    assert response.status_code == 400
    page = text(response)
    assert "Say whether you reached them." in page
    assert "Sent a text at 3pm.</textarea>" in page
    assert re.search(r'value="text"[^>]*checked', page)
    assert response.context["forms"]["action"].is_bound is False
    assert response.context["forms"]["note"].is_bound is False
    assert not AlertAction.objects.filter(kind=AlertActionKind.CONTACT_ATTEMPT).exists()


def test_recording_an_action(client_for, coordinator, alert):
    response = client_for(coordinator).post(
        url("alert_action", alert), {"action-action": "safety_plan"}
    )
    assert response.status_code == 302
    action = AlertAction.objects.get(kind=AlertActionKind.ACTION_TAKEN)
    assert (action.action, action.actor) == ("safety_plan", coordinator)
    assert AuditEvent.objects.filter(action="safeguarding.alert_action_taken").count() == 1


@pytest.mark.parametrize(
    ("action", "problem"),
    [
        ("other", "Say what you did."),
        ("gp_without_consent", "Record why you shared information without consent."),
    ],
)
def test_some_actions_need_a_note_next_to_the_field(
    action, problem, client_for, coordinator, alert
):
    response = client_for(coordinator).post(url("alert_action", alert), {"action-action": action})
    assert response.status_code == 400
    page = text(response)
    assert (
        f'<ul class="errorlist field-errors list-unstyled" id="id_action-note_error"><li>{problem}'
        in page
    )
    assert re.search(rf'value="{action}"[^>]*checked', page)
    assert not AlertAction.objects.filter(kind=AlertActionKind.ACTION_TAKEN).exists()


def test_adding_a_note_and_an_empty_note(client_for, coordinator, alert):
    client = client_for(coordinator)
    refused = client.post(url("alert_note", alert), {"note-note": "  "})
    assert refused.status_code == 400
    assert "Write the note." in text(refused)
    assert client.post(url("alert_note", alert), {"note-note": "Mentor told."}).status_code == 302
    assert AlertAction.objects.get(kind=AlertActionKind.NOTE).note == "Mentor told."


def test_acknowledging_a_closed_alert_explains_instead_of_failing(client_for, coordinator, alert):
    close(alert, coordinator)
    response = client_for(coordinator).post(url("alert_acknowledge", alert), follow=True)
    assert response.status_code == 200
    assert "This alert is closed. Reopen it to add to it." in text(response)


def test_adding_to_a_closed_alert_keeps_the_words(client_for, coordinator, supervisor, alert):
    page_client = client_for(supervisor)
    close(alert, coordinator)
    response = page_client.post(url("alert_note", alert), {"note-note": "She called back."})
    assert response.status_code == 400
    page = text(response)
    assert "closed before your entry could be added" in page
    assert "She called back.</textarea>" in page
    assert not AlertAction.objects.filter(kind=AlertActionKind.NOTE).exists()


# Closing and reopening ---------------------------------------------------------------------------


def test_the_close_page_warns_when_nothing_was_recorded(client_for, coordinator, alert):
    page = text(client_for(coordinator).get(url("alert_close", alert)))
    assert "Nobody has recorded a contact attempt or an action yet" in page
    assert "are you sure?" in page
    assert "No risk found: a false alarm" in page
    assert "helps improve how risk is spotted" in page
    alert_contact_attempt(actor=coordinator, alert=alert, method="phone", reached=True)
    page = text(client_for(coordinator).get(url("alert_close", alert)))
    assert "Nobody has recorded" not in page


def test_closing_needs_a_note_and_keeps_the_outcome(client_for, coordinator, alert):
    response = client_for(coordinator).post(url("alert_close", alert), {"outcome": "referred_on"})
    assert response.status_code == 400
    page = text(response)
    assert "Write a closing note: what happened and what is next." in page
    assert re.search(r'value="referred_on"[^>]*checked', page)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_closing_as_a_false_alarm(client_for, coordinator, alert):
    coordinator.name = "Cora Ordinator"
    coordinator.save(update_fields=["name"])
    client = client_for(coordinator)
    response = client.post(
        url("alert_close", alert), {"outcome": "no_risk", "note": "She was quoting a song."}
    )
    assert response.status_code == 302
    assert response.url == url("alert", alert) + "#timeline"
    alert.refresh_from_db()
    assert (alert.status, alert.false_positive, alert.closed_by) == ("closed", True, coordinator)
    page = text(client.get(response.url))
    assert "The alert is closed." in page
    assert "No risk found: a false alarm" in page and "False alarm</span>" in page
    assert "She was quoting a song." in page
    assert "Cora Ordinator" in page
    assert "Record a contact attempt" not in page
    assert "I&#x27;m responding to this" not in page
    assert "Reopen this alert" in page
    assert "What to do next" not in page


def test_closing_an_alert_someone_else_just_closed_keeps_the_note(
    client_for, coordinator, supervisor, alert
):
    close(alert, coordinator)
    response = client_for(supervisor).post(
        url("alert_close", alert), {"outcome": "referred_on", "note": "Passed to the crisis team."}
    )
    assert response.status_code == 400
    page = text(response)
    assert "This alert is closed. Reopen it to add to it." in page
    assert "Passed to the crisis team.</textarea>" in page
    alert.refresh_from_db()
    assert (alert.closed_by, alert.outcome) == (coordinator, "safe_for_now")


def test_the_close_page_of_a_closed_alert_goes_back_to_it(client_for, coordinator, alert):
    close(alert, coordinator)
    response = client_for(coordinator).get(url("alert_close", alert))
    assert (response.status_code, response.url) == (302, url("alert", alert))


def test_reopening_needs_a_reason(client_for, supervisor, coordinator, alert):
    close(alert, coordinator)
    client = client_for(supervisor)
    refused = client.post(url("alert_reopen", alert), {"reopen-note": ""})
    assert refused.status_code == 400
    assert "Say why you are reopening it." in text(refused)
    done = client.post(url("alert_reopen", alert), {"reopen-note": "She rang again."})
    assert done.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, supervisor)
    page = text(client.get(url("alert", alert)))
    assert "Reopened" in page and "She rang again." in page


def test_reopening_an_alert_that_is_not_closed_changes_nothing(client_for, coordinator, alert):
    response = client_for(coordinator).post(
        url("alert_reopen", alert), {"reopen-note": "Why not"}, follow=True
    )
    assert "This alert is not closed" in text(response)
    assert not AlertAction.objects.filter(kind=AlertActionKind.REOPENED).exists()


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


def test_the_alert_page_costs_the_same_queries_however_long_its_history(
    client_for, coordinator, supervisor, pair, alert, django_assert_max_num_queries
):
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as short:
        assert client.get(url("alert", alert)).status_code == 200
    for number in range(4):
        raise_for(pair, excerpt=f"Message {number}: I want to die")
        alert_contact_attempt(actor=supervisor, alert=alert, method="phone", reached=False)
    with django_assert_max_num_queries(len(short)):
        response = client.get(url("alert", alert))
    assert len(response.context["signs"]) == 5


# Sent twice ------------------------------------------------------------------------------------


def test_the_contact_form_carries_a_one_time_key(client_for, supervisor, alert):
    page = text(client_for(supervisor).get(url("alert", alert)))
    keys = re.findall(r'name="(contact|action)-client_key" value="([0-9a-f]{32})"', page)
    assert {name for name, _ in keys} == {"contact", "action"}
    assert len({key for _, key in keys}) == 2


def test_a_contact_attempt_sent_twice_with_the_same_key_is_recorded_once(
    client_for, supervisor, alert
):
    client = client_for(supervisor)
    data = {
        "contact-method": "phone",
        "contact-reached": "no",
        "contact-note": "No answer.",
        "contact-client_key": "a" * 32,
    }
    assert client.post(url("alert_contact", alert), data).status_code == 302
    assert client.post(url("alert_contact", alert), data).status_code == 302
    attempts = AlertAction.objects.filter(alert=alert, kind=AlertActionKind.CONTACT_ATTEMPT)
    assert attempts.count() == 1


def test_two_real_contact_attempts_with_the_same_words_are_both_recorded(
    client_for, supervisor, alert
):
    client = client_for(supervisor)
    for key in ("a" * 32, "b" * 32):
        data = {
            "contact-method": "phone",
            "contact-reached": "no",
            "contact-client_key": key,
        }
        assert client.post(url("alert_contact", alert), data).status_code == 302
    attempts = AlertAction.objects.filter(alert=alert, kind=AlertActionKind.CONTACT_ATTEMPT)
    assert attempts.count() == 2


def test_an_action_sent_twice_with_the_same_key_is_recorded_once(client_for, coordinator, alert):
    client = client_for(coordinator)
    data = {"action-action": "safety_plan", "action-client_key": "c" * 32}
    for _ in range(2):
        assert client.post(url("alert_action", alert), data).status_code == 302
    assert AlertAction.objects.filter(alert=alert, kind=AlertActionKind.ACTION_TAKEN).count() == 1
