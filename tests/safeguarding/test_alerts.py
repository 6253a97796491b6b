"""Safeguarding alerts: raising one tells the responders by a content-free email; acknowledging
is idempotent and audited; the alert pages are for coordinators and admins of the organisation
and for the supervisor the alert names, waiting alerts first and most serious first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from outcomes.services.responses import response_complete
from safeguarding.models import Alert, AlertLevel, AlertStatus
from safeguarding.services.alerts import alert_acknowledge, alert_raise
from tests.mentoring.access import PEOPLE, STAFF, check_page, client_as
from tests.outcomes.fixtures import make_response

pytestmark = pytest.mark.django_db

SOURCE_LABEL = "PHQ-9: Thoughts of being better off dead or of self-harm (question 9)"
RESPONDERS = ["supervisor", *STAFF]
# Everyone in PEOPLE, and a supervisor of another mentor (who must not see this alert).
EVERYONE = [*PEOPLE, "other_supervisor"]


@pytest.fixture
def named_mentee(mentee):
    mentee.name = "Samira Quinlan"
    mentee.save(update_fields=["name"])
    return mentee


@pytest.fixture
def measure(named_mentee, active_relationship):
    return make_response(
        named_mentee, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 2], relationship=active_relationship
    )


def raise_alert(organisation, person, supervisor, measure=None, **overrides):
    details = {
        "actor": person,
        "organisation": organisation,
        "person": person,
        "level": AlertLevel.HIGH,
        "categories": ["self_harm_thoughts"],
        "source": "measure",
        "source_label": SOURCE_LABEL,
        "target": measure,
        "path": reverse("outcomes:response", args=[measure.pk]) if measure else "",
        "supervisor": supervisor,
    }
    return alert_raise(**{**details, **overrides})


@pytest.fixture
def alert(organisation, named_mentee, supervisor, measure):
    return raise_alert(organisation, named_mentee, supervisor, measure)


def make_alert(organisation, person, *, level, minutes_ago, supervisor=None, **extra):
    return Alert.objects.create(
        organisation=organisation,
        person=person,
        supervisor=supervisor,
        level=level,
        source="measure",
        source_label=SOURCE_LABEL,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
        **extra,
    )


# Raising ------------------------------------------------------------------------------------------


def test_raising_an_alert_records_it_and_audits_it(organisation, named_mentee, supervisor, measure):
    alert = raise_alert(organisation, named_mentee, supervisor, measure)
    assert (alert.person, alert.supervisor, alert.level) == (named_mentee, supervisor, "high")
    assert alert.status == AlertStatus.OPEN
    assert (alert.object_type, alert.object_id) == ("outcomes.measureresponse", str(measure.pk))
    assert alert.path == f"/outcomes/responses/{measure.pk}/"
    event = AuditEvent.objects.get(action="safeguarding.alert_raised")
    assert event.object_id == str(alert.pk)
    assert event.metadata == {"level": "high", "source": "measure"}


def test_raising_emails_coordinators_and_the_supervisor_without_saying_anything_personal(
    organisation,
    named_mentee,
    supervisor,
    coordinator,
    admin,
    measure,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_alert(organisation, named_mentee, supervisor, measure)
    (message,) = mail.outbox
    assert sorted(message.to) == sorted([coordinator.email, supervisor.email])
    assert f"/safeguarding/alerts/{alert.pk}/" in message.body
    text = f"{message.subject}\n{message.body}"
    for personal in (
        "Samira",
        "Quinlan",
        named_mentee.email,
        "PHQ",
        "question 9",
        "dead",
        "self-harm",
        "Several days",
        "More than half the days",
    ):
        assert personal.lower() not in text.lower(), personal


def test_nothing_is_emailed_if_the_answer_is_rolled_back(
    organisation, named_mentee, supervisor, coordinator, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        raise_alert(organisation, named_mentee, supervisor)
        raise RuntimeError
    assert mail.outbox == []
    assert not Alert.objects.exists()


def test_an_answer_to_question_nine_raises_the_alert_by_email(
    named_mentee,
    supervisor,
    coordinator,
    phq9_request,
    django_capture_on_commit_callbacks,
):
    answers = {str(n): 1 for n in range(1, 10)}
    with django_capture_on_commit_callbacks(execute=True):
        response_complete(actor=named_mentee, request=phq9_request, answers=answers)
    alert = Alert.objects.get()
    assert alert.source_label == SOURCE_LABEL
    (message,) = mail.outbox
    assert "Samira" not in message.body
    assert "Several days" not in message.body


def test_an_inactive_supervisor_is_not_named(organisation, named_mentee, supervisor):
    supervisor.is_active = False
    supervisor.save(update_fields=["is_active"])
    alert = raise_alert(organisation, named_mentee, supervisor)
    assert alert.supervisor is None


def test_an_unknown_level_is_refused(organisation, named_mentee):
    with pytest.raises(ValueError, match="Unknown alert level"):
        raise_alert(organisation, named_mentee, None, level="severe")
    assert not Alert.objects.exists()


# Acknowledging ------------------------------------------------------------------------------------


def test_acknowledging_is_audited_and_idempotent(alert, coordinator, supervisor):
    first = alert_acknowledge(actor=coordinator, alert=alert)
    assert first.status == AlertStatus.ACKNOWLEDGED
    assert first.acknowledged_by == coordinator
    when = first.acknowledged_at
    again = alert_acknowledge(actor=supervisor, alert=alert)
    assert (again.acknowledged_by, again.acknowledged_at) == (coordinator, when)
    events = AuditEvent.objects.filter(action="safeguarding.alert_acknowledged")
    assert [(event.actor, event.metadata) for event in events] == [(coordinator, {"level": "high"})]


# Who may see the pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("person", EVERYONE)
def test_alert_list_access(person, request, client_for, alert):
    response = client_as(person, request, client_for).get(reverse("safeguarding:alerts"))
    allowed = [*RESPONDERS, "other_supervisor", "other_org_coordinator"]
    check_page(response, person, allowed)
    if response.status_code == 200:
        shown = [row.alert.pk for row in response.context["waiting"]]
        assert (alert.pk in shown) == (person in RESPONDERS)


@pytest.mark.parametrize("person", EVERYONE)
def test_alert_page_access(person, request, client_for, alert):
    response = client_as(person, request, client_for).get(
        reverse("safeguarding:alert", args=[alert.pk])
    )
    check_page(response, person, RESPONDERS)
    viewed = AuditEvent.objects.filter(action="safeguarding.alert_viewed")
    assert viewed.count() == (1 if person in RESPONDERS else 0)


@pytest.mark.parametrize("person", EVERYONE)
def test_acknowledge_access(person, request, client_for, alert):
    response = client_as(person, request, client_for).post(
        reverse("safeguarding:alert_acknowledge", args=[alert.pk])
    )
    check_page(response, person, RESPONDERS, ok=302)
    alert.refresh_from_db()
    assert (alert.status == AlertStatus.ACKNOWLEDGED) == (person in RESPONDERS)


# The pages ----------------------------------------------------------------------------------------


def test_waiting_alerts_come_first_most_serious_then_oldest(
    client_for, coordinator, organisation, named_mentee
):
    concern_old = make_alert(organisation, named_mentee, level="concern", minutes_ago=500)
    high_new = make_alert(organisation, named_mentee, level="high", minutes_ago=5)
    urgent_new = make_alert(organisation, named_mentee, level="urgent", minutes_ago=1)
    high_old = make_alert(organisation, named_mentee, level="high", minutes_ago=60)
    urgent_old = make_alert(organisation, named_mentee, level="urgent", minutes_ago=90)
    done_first = make_alert(
        organisation,
        named_mentee,
        level="urgent",
        minutes_ago=900,
        status=AlertStatus.ACKNOWLEDGED,
        acknowledged_at=timezone.now() - timedelta(minutes=800),
        acknowledged_by=coordinator,
    )
    done_later = make_alert(
        organisation,
        named_mentee,
        level="concern",
        minutes_ago=600,
        status=AlertStatus.ACKNOWLEDGED,
        acknowledged_at=timezone.now() - timedelta(minutes=30),
        acknowledged_by=coordinator,
    )
    response = client_for(coordinator).get(reverse("safeguarding:alerts"))
    assert [row.alert for row in response.context["waiting"]] == [
        urgent_old,
        urgent_new,
        high_old,
        high_new,
        concern_old,
    ]
    assert [row.alert for row in response.context["responded"]] == [done_later, done_first]


def test_alerts_being_responded_to_are_paged_the_latest_picked_up_first(
    client_for, coordinator, organisation, named_mentee
):
    made = [
        make_alert(
            organisation,
            named_mentee,
            level="concern",
            minutes_ago=minutes,
            status=AlertStatus.ACKNOWLEDGED,
            acknowledged_at=timezone.now() - timedelta(minutes=minutes),
        )
        for minutes in range(55)
    ]
    client = client_for(coordinator)
    first = client.get(reverse("safeguarding:alerts"))
    assert [row.alert for row in first.context["responded"]] == made[:25]
    page = first.content.decode()
    assert "Most recently picked up first: 1 to 25 of 55." in page
    assert 'href="?responding=2#responding-heading">Next page</a>' in page
    last = client.get(reverse("safeguarding:alerts"), {"responding": 3})
    assert [row.alert for row in last.context["responded"]] == made[50:]


def test_the_list_says_level_in_words_source_person_and_who_responds(
    client_for, supervisor, coordinator, alert
):
    alert_acknowledge(actor=coordinator, alert=alert)
    coordinator.name = "Cora Ordinator"
    coordinator.save(update_fields=["name"])
    make_alert(
        alert.organisation, alert.person, level="urgent", minutes_ago=3, supervisor=supervisor
    )
    page = client_for(supervisor).get(reverse("safeguarding:alerts")).content.decode()
    assert "Urgent" in page
    assert "High" in page
    assert SOURCE_LABEL in page
    assert "Samira Quinlan" in page
    assert "Someone is responding: Cora Ordinator" in page
    assert "Waiting for a response" in page
    assert "ago" in page


def test_a_person_without_a_name_is_shown_by_email(client_for, coordinator, organisation, mentee):
    mentee.name = ""
    mentee.save(update_fields=["name"])
    make_alert(organisation, mentee, level="high", minutes_ago=2)
    page = client_for(coordinator).get(reverse("safeguarding:alerts")).content.decode()
    assert mentee.email in page


def test_alert_list_query_count_does_not_grow(
    client_for, coordinator, organisation, named_mentee, django_assert_max_num_queries
):
    def make(count):
        for minutes in range(count):
            acknowledged = minutes % 3 == 1
            closed = minutes % 3 == 2
            make_alert(
                organisation,
                named_mentee,
                level=["urgent", "high", "concern"][minutes % 3],
                minutes_ago=minutes,
                status="closed" if closed else "acknowledged" if acknowledged else "open",
                acknowledged_at=timezone.now() if acknowledged or closed else None,
                acknowledged_by=coordinator if acknowledged or closed else None,
                closed_at=timezone.now() if closed else None,
                closed_by=coordinator if closed else None,
                outcome="no_risk" if closed else "",
            )

    client = client_for(coordinator)
    make(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("safeguarding:alerts")).status_code == 200
    make(9)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("safeguarding:alerts"))
    assert len(response.context["waiting"]) == 4
    assert len(few) <= 10


def test_the_alert_page_says_what_to_do_and_links_to_the_record(client_for, supervisor, alert):
    page = client_for(supervisor).get(reverse("safeguarding:alert", args=[alert.pk]))
    text = page.content.decode()
    assert text.count("<h1") == 1
    assert f'href="/outcomes/responses/{alert.object_id}/"' in text
    assert "Open the record" in text
    assert "today" in text
    assert "emergency services" in text
    assert "I&#x27;m responding to this" in text or "I'm responding to this" in text
    assert reverse("safeguarding:alert_acknowledge", args=[alert.pk]) in text
    assert "Several days" not in text
    assert " style=" not in text and "<script>" not in text
    event = AuditEvent.objects.get(action="safeguarding.alert_viewed")
    assert (event.actor, event.object_id) == (supervisor, str(alert.pk))


def test_responding_through_the_page(client_for, coordinator, alert):
    client = client_for(coordinator)
    response = client.post(reverse("safeguarding:alert_acknowledge", args=[alert.pk]))
    assert response.status_code == 302
    assert response.url == reverse("safeguarding:alert", args=[alert.pk])
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, coordinator)
    page = client.get(response.url).content.decode()
    assert "you are responding" in page
    assert "I&#x27;m responding to this" not in page and "I'm responding to this" not in page


def test_responding_after_someone_else_says_who_is(client_for, coordinator, supervisor, alert):
    supervisor.name = "Sue Pervisor"
    supervisor.save(update_fields=["name"])
    alert_acknowledge(actor=supervisor, alert=alert)
    response = client_for(coordinator).post(
        reverse("safeguarding:alert_acknowledge", args=[alert.pk]), follow=True
    )
    assert "Sue Pervisor is already responding" in response.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_by == supervisor


def test_acknowledge_needs_a_post(client_for, coordinator, alert):
    response = client_for(coordinator).get(
        reverse("safeguarding:alert_acknowledge", args=[alert.pk])
    )
    assert response.status_code == 405
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
