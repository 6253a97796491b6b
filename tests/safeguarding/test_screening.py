"""Everything written in a relationship goes through the detector in the transaction that saves
it: a sign of risk raises (or joins) a safeguarding alert pointing at the saved record, and the
two commit or roll back together. A detector failure never loses what was written. The writer
sees where to get help now; a mentee whose words were flagged high or urgent is told someone
will be in touch; a mentor whose mentee wrote something serious is told what to do and that
they are not alone with it."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import (
    Agreement,
    EndReason,
    ExitSurvey,
    MentoringSession,
    Message,
    SessionStatus,
)
from mentoring.services.concerns import concern_raise
from mentoring.services.ending import relationship_close
from mentoring.services.goals import goal_add, step_add, step_suggest
from mentoring.services.messages import message_send
from mentoring.services.plans import plan_save
from mentoring.services.sessions import session_log, session_reflect
from safeguarding.detector import RiskAssessment, RiskLevel
from safeguarding.models import Alert, AlertSign, CrisisResource
from safeguarding.services.alerts import screen_text
from tests.mentoring.factories import MessageFactory, SessionFactory

pytestmark = pytest.mark.django_db

KILL = "I want to kill myself"
OVERDOSE = "I've taken an overdose"
ORDINARY = "We talked about my job search"
IN_TOUCH = "someone from the team will get in touch with you soon"
NOT_ALONE = "You are not alone with this"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def detector_says(monkeypatch, level: RiskLevel) -> None:
    """Make the detector find ``level`` in anything (``screen_text`` calls it via its module)."""

    def fake(*texts: str) -> RiskAssessment:
        return RiskAssessment(level, ("suicidal_thoughts",), ("the words",))

    monkeypatch.setattr("safeguarding.detector.assess", fake)


def detector_breaks(monkeypatch) -> None:
    def broken(*texts: str) -> RiskAssessment:
        raise RuntimeError("the lexicon did not load")

    monkeypatch.setattr("safeguarding.detector.assess", broken)


@pytest.fixture
def always_open(active_relationship):
    """Contact hours open at any moment, so the pages do not depend on the clock."""
    Agreement.objects.filter(relationship=active_relationship).update(
        contact_days=list(range(7)), contact_from=time(0), contact_until=time(0)
    )
    return active_relationship


@pytest.fixture
def crisis_line(organisation):
    return CrisisResource.objects.create(
        organisation=organisation, name="Riverside Crisis Line", phone="0800 000 000"
    )


def thread_url(relationship) -> str:
    return reverse("mentoring:messages", args=[relationship.pk])


def send_page(client, relationship, body: str, key: str = "k"):
    return client.post(thread_url(relationship), {"body": body, "client_key": key})


def held_session(relationship) -> MentoringSession:
    return SessionFactory(
        relationship=relationship,
        scheduled_for=timezone.now() - timedelta(days=1),
        status=SessionStatus.HELD,
        length_minutes=45,
    )


# Every text, screened with the record it belongs to ---------------------------------------------


def test_a_flagged_message_raises_an_alert_pointing_at_it(active_relationship, mentee, duty_lead):
    message = message_send(actor=mentee, relationship=active_relationship, body=KILL)
    message.refresh_from_db()
    alert = Alert.objects.get()
    assert (alert.person, alert.supervisor) == (mentee, active_relationship.mentor.supervisor)
    assert (alert.object_type, alert.object_id) == ("mentoring.message", str(message.pk))
    assert alert.path == reverse("mentoring:overview", args=[active_relationship.pk])
    assert alert.signs.get().excerpt == KILL
    assert message.risk_level == alert.level != "none"


def test_an_ordinary_message_raises_nothing_and_is_marked_none(active_relationship, mentee):
    message = message_send(actor=mentee, relationship=active_relationship, body=ORDINARY)
    message.refresh_from_db()
    assert message.risk_level == "none" and not Alert.objects.exists()


def test_the_level_found_is_stored_on_the_message(active_relationship, mentee, monkeypatch):
    detector_says(monkeypatch, RiskLevel.URGENT)
    message = message_send(actor=mentee, relationship=active_relationship, body="Anything")
    assert Message.objects.get(pk=message.pk).risk_level == "urgent"
    assert Alert.objects.get().level == "urgent"


def test_a_session_log_screens_the_summary_topics_and_private_notes(
    active_relationship, mentor, duty_lead
):
    for number, field in enumerate(("summary", "topics", "private_notes")):
        session = SessionFactory(
            relationship=active_relationship, scheduled_for=timezone.now() - timedelta(hours=2)
        )
        session_log(
            actor=mentor,
            session=session,
            outcome=SessionStatus.HELD,
            length_minutes=40,
            version=session.version,
            **{field: f"{OVERDOSE} ({number})"},
        )
        sign = AlertSign.objects.order_by("-pk").first()
        assert (sign.object_type, sign.object_id) == ("mentoring.mentoringsession", str(session.pk))
        assert sign.source_label == "A session log, written by the mentor"
    # One person, one alert: the later logs joined the first.
    assert Alert.objects.count() == 1 and AlertSign.objects.count() == 3


def test_a_reflection_is_screened_with_its_session(active_relationship, mentee):
    session = held_session(active_relationship)
    saved = session_reflect(actor=mentee, session=session, reflection=KILL, version=session.version)
    assert saved.possible_risk
    sign = AlertSign.objects.get()
    assert (sign.object_type, sign.object_id) == ("mentoring.mentoringsession", str(session.pk))
    assert sign.source_label == "A mentee's reflection on a session, written by the mentee"


@pytest.mark.parametrize(
    ("write", "object_type", "label"),
    [
        (
            lambda r: goal_add(actor=r.mentee, relationship=r, title=KILL).record,
            "mentoring.goal",
            "A goal, written by the mentee",
        ),
        (
            lambda r: (
                step_add(
                    actor=r.mentee,
                    goal=goal_add(actor=r.mentee, relationship=r, title="Walk").record,
                    text=OVERDOSE,
                ).record
            ),
            "mentoring.step",
            "A step towards a goal, written by the mentee",
        ),
        (
            lambda r: (
                step_suggest(
                    actor=r.mentor.user,
                    goal=goal_add(actor=r.mentee, relationship=r, title="Walk").record,
                    text=KILL,
                ).record
            ),
            "mentoring.stepsuggestion",
            "A suggested step, written by the mentor",
        ),
        (
            lambda r: (
                concern_raise(
                    actor=r.mentee, relationship=r, topic="other", request="talk", details=KILL
                ).concern
            ),
            "mentoring.concern",
            "A concern raised, written by the mentee",
        ),
        (
            lambda r: plan_save(actor=r.mentee, relationship=r, version=1, warning_signs=KILL).plan,
            "mentoring.wellbeingplan",
            "The plan for after mentoring, written by the mentee",
        ),
    ],
)
def test_other_relationship_texts_point_the_alert_at_what_was_saved(
    active_relationship, write, object_type, label
):
    record = write(active_relationship)
    sign = AlertSign.objects.get()
    assert (sign.object_type, sign.object_id, sign.source_label) == (
        object_type,
        str(record.pk),
        label,
    )


# One transaction ---------------------------------------------------------------------------------


def test_when_the_alert_cannot_be_saved_the_message_is_not_kept(
    active_relationship, mentee, monkeypatch
):
    def refuse(**fields):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(AlertSign.objects, "create", refuse)
    with pytest.raises(RuntimeError):
        message_send(actor=mentee, relationship=active_relationship, body=KILL)
    assert not Message.objects.exists() and not Alert.objects.exists()


def test_when_raising_fails_the_session_log_is_not_kept(active_relationship, mentor, monkeypatch):
    def refuse(**fields):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("safeguarding.services.alerts.alert_raise", refuse)
    session = SessionFactory(
        relationship=active_relationship, scheduled_for=timezone.now() - timedelta(hours=2)
    )
    with pytest.raises(RuntimeError):
        session_log(
            actor=mentor,
            session=session,
            outcome=SessionStatus.HELD,
            length_minutes=40,
            summary=OVERDOSE,
            version=session.version,
        )
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED and session.summary == ""


def test_a_message_rolled_back_leaves_no_alert_and_sends_no_email(
    active_relationship, mentee, duty_lead, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        message_send(actor=mentee, relationship=active_relationship, body=KILL)
        assert Alert.objects.exists()
        raise RuntimeError("something later failed")
    assert not Message.objects.exists() and not Alert.objects.exists()
    assert not AlertSign.objects.exists() and mailoutbox == []


# When detection fails ----------------------------------------------------------------------------


def test_a_detector_failure_keeps_the_message_and_raises_an_alert_to_read_it(
    active_relationship,
    mentee,
    duty_lead,
    monkeypatch,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    detector_breaks(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(actor=mentee, relationship=active_relationship, body=ORDINARY)
    assert Message.objects.get(pk=message.pk).body == ORDINARY
    alert = Alert.objects.get()
    assert (alert.level, alert.categories) == ("high", ["detection_failed"])
    assert (alert.object_type, alert.object_id) == ("mentoring.message", str(message.pk))
    sign = alert.signs.get()
    assert sign.detection_failed and sign.excerpt == ORDINARY
    assert "risk detection failed" in alert.source_label
    notices = [email for email in mailoutbox if "safeguarding alert" in email.subject]
    assert len(notices) == 1
    assert all(ORDINARY not in email.body for email in mailoutbox)


def test_a_detector_failure_on_the_page_shows_the_sender_no_error(
    client_for, mentee, always_open, duty_lead, monkeypatch
):
    detector_breaks(monkeypatch)
    client = client_for(mentee)
    response = send_page(client, always_open, ORDINARY)
    assert response.status_code == 302
    page = text_of(client.get(response.url))
    assert "Your message has been sent" in page and ORDINARY in page
    assert "went wrong" not in page.lower() and "error" not in page.lower()
    assert Message.objects.get().body == ORDINARY
    alert = Alert.objects.get()
    assert (alert.level, alert.categories) == ("high", ["detection_failed"])


def test_a_detector_failure_when_logging_a_session_on_the_page_keeps_the_log(
    client_for, mentor, active_relationship, duty_lead, monkeypatch
):
    detector_breaks(monkeypatch)
    session = SessionFactory(
        relationship=active_relationship, scheduled_for=timezone.now() - timedelta(hours=2)
    )
    client = client_for(mentor)
    response = client.post(
        reverse("mentoring:session_log", args=[active_relationship.pk, session.pk]),
        {"outcome": "held", "length_minutes": "45", "summary": ORDINARY, "version": "1"},
    )
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD and session.summary == ORDINARY
    assert Alert.objects.get().categories == ["detection_failed"]


def test_a_detector_failure_through_the_api_answers_201(
    client_for, mentee, active_relationship, monkeypatch
):
    detector_breaks(monkeypatch)
    response = client_for(mentee).post(
        f"/api/v1/relationships/{active_relationship.pk}/messages/",
        {"body": ORDINARY},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["possible_risk"] is False
    assert Alert.objects.get().categories == ["detection_failed"]


def test_a_double_click_after_a_detector_failure_shows_no_error(
    client_for, mentee, always_open, monkeypatch
):
    client = client_for(mentee)
    send_page(client, always_open, KILL, key="twice")
    detector_breaks(monkeypatch)
    again = send_page(client, always_open, KILL, key="twice")
    assert again.status_code == 302
    page = text_of(client.get(again.url))
    assert "Your message has been sent" in page and "If you need help now" in page
    assert Message.objects.count() == 1 and AlertSign.objects.count() == 1


# What the mentee sees -----------------------------------------------------------------------------


@pytest.mark.parametrize("level", [RiskLevel.HIGH, RiskLevel.URGENT])
def test_a_mentee_flagged_high_or_urgent_is_told_someone_will_be_in_touch(
    client_for, mentee, always_open, crisis_line, monkeypatch, level
):
    detector_says(monkeypatch, level)
    client = client_for(mentee)
    page = text_of(client.get(send_page(client, always_open, "Anything").url))
    assert "If you need help now" in page and "0800 000 000" in page
    assert IN_TOUCH in page and "call 999" in page
    assert NOT_ALONE not in page


def test_a_mentee_flagged_as_a_concern_sees_help_but_no_promise_of_contact(
    client_for, mentee, always_open, crisis_line, monkeypatch
):
    detector_says(monkeypatch, RiskLevel.CONCERN)
    client = client_for(mentee)
    page = text_of(client.get(send_page(client, always_open, "Anything").url))
    assert "If you need help now" in page and "Riverside Crisis Line" in page
    assert IN_TOUCH not in page


def test_an_ordinary_message_shows_no_crisis_panel(client_for, mentee, always_open, crisis_line):
    client = client_for(mentee)
    page = text_of(client.get(send_page(client, always_open, ORDINARY).url))
    assert "If you need help now" not in page and IN_TOUCH not in page


def test_a_mentee_reflection_flagged_high_shows_help_and_the_promise(
    client_for, mentee, active_relationship, crisis_line, monkeypatch
):
    detector_says(monkeypatch, RiskLevel.HIGH)
    session = held_session(active_relationship)
    client = client_for(mentee)
    response = client.post(
        reverse("mentoring:session_reflect", args=[active_relationship.pk, session.pk]),
        {"reflection": "Anything", "rating": "2", "version": str(session.version)},
    )
    assert response.url.endswith("?help=serious")
    page = text_of(client.get(response.url))
    assert "Riverside Crisis Line" in page and IN_TOUCH in page


def test_a_mentee_concern_flagged_high_says_someone_will_be_in_touch(
    client_for, mentee, active_relationship, crisis_line, monkeypatch
):
    detector_says(monkeypatch, RiskLevel.HIGH)
    client = client_for(mentee)
    response = client.post(
        reverse("mentoring:concern_new", args=[active_relationship.pk]),
        {"topic": "other", "request": "talk", "details": "Anything", "client_key": "c"},
    )
    page = text_of(client.get(response.url))
    assert "Riverside Crisis Line" in page and IN_TOUCH in page


def test_the_plan_says_someone_will_be_in_touch_after_a_serious_save(
    client_for, mentee, active_relationship, monkeypatch
):
    detector_says(monkeypatch, RiskLevel.URGENT)
    client = client_for(mentee)
    response = client.post(
        reverse("mentoring:plan", args=[active_relationship.pk]),
        {"version": "1", "warning_signs": "Anything"},
        follow=True,
    )
    assert IN_TOUCH in text_of(response)


# What the mentor sees -----------------------------------------------------------------------------


def test_a_mentor_who_wrote_something_serious_is_not_promised_contact_but_told_what_to_do(
    client_for, mentor, always_open, crisis_line, monkeypatch
):
    detector_says(monkeypatch, RiskLevel.HIGH)
    client = client_for(mentor)
    page = text_of(client.get(send_page(client, always_open, "Anything").url))
    assert "If you need help now" in page
    assert IN_TOUCH not in page
    assert NOT_ALONE in page and "What you wrote suggests Samira may not be safe" in page


def test_a_mentor_whose_session_log_was_flagged_high_sees_the_prompt(
    client_for, mentor, active_relationship, monkeypatch
):
    detector_says(monkeypatch, RiskLevel.HIGH)
    session = SessionFactory(
        relationship=active_relationship, scheduled_for=timezone.now() - timedelta(hours=2)
    )
    client = client_for(mentor)
    response = client.post(
        reverse("mentoring:session_log", args=[active_relationship.pk, session.pk]),
        {"outcome": "held", "length_minutes": "45", "private_notes": "Anything", "version": "1"},
    )
    page = text_of(client.get(response.url))
    assert NOT_ALONE in page and "Your supervisor and the duty safeguarding lead" in page
    assert "don't promise to keep it secret" in page and "call 999" in page


def flagged_message(relationship, *, level: str = "high", days_ago: float = 1) -> Message:
    return MessageFactory(
        relationship=relationship,
        sender=relationship.mentee,
        body="(flagged)",
        risk_level=level,
        sent_at=timezone.now() - timedelta(days=days_ago),
    )


@pytest.mark.parametrize("page", ["mentoring:messages", "mentoring:overview"])
def test_the_mentor_sees_the_prompt_after_their_mentee_wrote_something_serious(
    client_for, mentor, always_open, page
):
    flagged_message(always_open, level="urgent", days_ago=6)
    shown = text_of(client_for(mentor).get(reverse(page, args=[always_open.pk])))
    assert "Something Samira wrote may mean they are not safe" in shown
    assert "Your supervisor and the duty safeguarding lead have been told" in shown
    assert NOT_ALONE in shown and "call 999" in shown


@pytest.mark.parametrize(("level", "days_ago"), [("concern", 1), ("none", 1), ("high", 8), ("", 1)])
def test_no_prompt_for_a_concern_or_after_a_week(client_for, mentor, always_open, level, days_ago):
    flagged_message(always_open, level=level, days_ago=days_ago)
    for page in ("mentoring:messages", "mentoring:overview"):
        shown = text_of(client_for(mentor).get(reverse(page, args=[always_open.pk])))
        assert NOT_ALONE not in shown


def test_the_prompt_without_a_supervisor_names_the_duty_lead_only(client_for, mentor, always_open):
    profile = always_open.mentor
    profile.supervisor = None
    profile.save(update_fields=["supervisor"])
    flagged_message(always_open)
    shown = text_of(client_for(mentor).get(reverse("mentoring:overview", args=[always_open.pk])))
    assert "The duty safeguarding lead has been told" in shown
    assert "Your supervisor and" not in shown


@pytest.mark.parametrize("person", ["mentee", "coordinator"])
def test_only_the_mentor_sees_the_prompt(client_for, always_open, person, request):
    flagged_message(always_open)
    shown = text_of(
        client_for(request.getfixturevalue(person)).get(
            reverse("mentoring:overview", args=[always_open.pk])
        )
    )
    assert NOT_ALONE not in shown and "may mean they are not safe" not in shown


def test_another_relationships_flags_do_not_prompt_this_mentor(
    client_for, mentor, always_open, other_relationship
):
    flagged_message(other_relationship)
    shown = text_of(client_for(mentor).get(thread_url(always_open)))
    assert NOT_ALONE not in shown


@pytest.mark.parametrize("page", ["mentoring:messages", "mentoring:overview"])
def test_the_prompt_costs_the_same_queries_either_way(client_for, mentor, always_open, page):
    client = client_for(mentor)
    url = reverse(page, args=[always_open.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as quiet:
        client.get(url)
    flagged_message(always_open)
    client.get(url)  # the new message is marked read once
    with CaptureQueriesContext(connection) as prompted:
        response = client.get(url)
    assert NOT_ALONE in text_of(response)
    assert len(prompted) == len(quiet)


# Through the API ---------------------------------------------------------------------------------


def api(relationship, rest: str = "") -> str:
    return f"/api/v1/relationships/{relationship.pk}/{rest}"


@pytest.mark.parametrize(
    ("person", "level", "in_touch"),
    [
        ("mentee", RiskLevel.HIGH, True),
        ("mentee", RiskLevel.URGENT, True),
        ("mentee", RiskLevel.CONCERN, False),
        ("mentor", RiskLevel.URGENT, False),
    ],
)
def test_a_sent_message_says_whether_someone_will_be_in_touch(
    client_for, active_relationship, crisis_line, monkeypatch, person, level, in_touch, request
):
    detector_says(monkeypatch, level)
    response = client_for(request.getfixturevalue(person)).post(
        api(active_relationship, "messages/"), {"body": "Anything"}, content_type="application/json"
    )
    body = response.json()
    assert response.status_code == 201
    assert body["possible_risk"] is True
    assert body["someone_will_be_in_touch"] is in_touch
    assert [resource["name"] for resource in body["crisis_resources"]] == ["Riverside Crisis Line"]


def test_an_ordinary_message_through_the_api_promises_nothing(
    client_for, mentee, active_relationship
):
    body = (
        client_for(mentee)
        .post(
            api(active_relationship, "messages/"),
            {"body": ORDINARY},
            content_type="application/json",
        )
        .json()
    )
    assert body["possible_risk"] is False and body["someone_will_be_in_touch"] is False
    assert body["crisis_resources"] == []


def test_a_reflection_through_the_api_says_someone_will_be_in_touch(
    client_for, mentee, active_relationship, monkeypatch
):
    detector_says(monkeypatch, RiskLevel.HIGH)
    session = held_session(active_relationship)
    body = (
        client_for(mentee)
        .post(
            api(active_relationship, f"sessions/{session.pk}/reflection/"),
            {"reflection": "Anything", "version": session.version},
            content_type="application/json",
        )
        .json()
    )
    assert body["possible_risk"] is True and body["someone_will_be_in_touch"] is True


def test_a_goal_through_the_api_says_someone_will_be_in_touch(
    client_for, mentee, active_relationship, monkeypatch
):
    detector_says(monkeypatch, RiskLevel.URGENT)
    body = (
        client_for(mentee)
        .post(
            api(active_relationship, "goals/"),
            {"title": "Anything"},
            content_type="application/json",
        )
        .json()
    )
    assert body["possible_risk"] is True and body["someone_will_be_in_touch"] is True


@pytest.mark.parametrize(("person", "prompt"), [("mentor", True), ("mentee", False)])
def test_the_thread_through_the_api_carries_the_mentor_prompt(
    client_for, active_relationship, person, prompt, request
):
    flagged_message(active_relationship)
    body = client_for(request.getfixturevalue(person)).get(api(active_relationship, "messages/"))
    assert body.json()["mentor_prompt"] is prompt


# The service itself -----------------------------------------------------------------------------


def test_nothing_written_is_not_screened(organisation, mentee, monkeypatch):
    detector_breaks(monkeypatch)
    screened = screen_text(
        "",
        "",
        actor=mentee,
        organisation=organisation,
        person=mentee,
        source="message",
        source_label="A message",
    )
    assert not screened.is_risk and not screened.detection_failed
    assert not Alert.objects.exists()


def test_the_plan_through_the_api_says_someone_will_be_in_touch(
    client_for, mentee, mentor, active_relationship, monkeypatch
):
    detector_says(monkeypatch, RiskLevel.HIGH)
    url = api(active_relationship, "plan/")
    mine = client_for(mentee).put(
        url, {"version": 1, "warning_signs": "Anything"}, content_type="application/json"
    )
    assert mine.json()["show_help"] is True and mine.json()["someone_will_be_in_touch"] is True
    theirs = client_for(mentor).put(
        url, {"version": 2, "what_helps": "Anything else"}, content_type="application/json"
    )
    assert theirs.json()["show_help"] is True
    assert theirs.json()["someone_will_be_in_touch"] is False


# The exit survey, after the ending ----------------------------------------------------------------


@pytest.fixture
def closed_relationship(active_relationship, coordinator):
    relationship_close(
        actor=coordinator, relationship=active_relationship, reason=EndReason.GOALS_MET
    )
    active_relationship.refresh_from_db()
    return active_relationship


def survey_of(relationship, user) -> ExitSurvey:
    return ExitSurvey.objects.get(relationship=relationship, respondent=user)


@pytest.mark.parametrize(("person", "in_touch"), [("mentee", True), ("mentor", False)])
def test_an_exit_survey_flagged_high_says_who_will_follow_it_up(
    client_for, closed_relationship, monkeypatch, person, in_touch, request
):
    detector_says(monkeypatch, RiskLevel.HIGH)
    user = request.getfixturevalue(person)
    survey = survey_of(closed_relationship, user)
    page = text_of(
        client_for(user).post(
            reverse("mentoring:exit_survey", args=[survey.pk]), {"could_be_better": "Anything"}
        )
    )
    assert "If things get hard" in page
    assert (IN_TOUCH in page) is in_touch
    assert (NOT_ALONE in page) is not in_touch
    sign = AlertSign.objects.get()
    assert (sign.object_type, sign.object_id) == ("mentoring.exitsurvey", str(survey.pk))


def test_an_exit_survey_through_the_api_says_someone_will_be_in_touch(
    client_for, mentee, closed_relationship, monkeypatch
):
    detector_says(monkeypatch, RiskLevel.URGENT)
    survey = survey_of(closed_relationship, mentee)
    body = (
        client_for(mentee)
        .post(
            f"/api/v1/exit-surveys/{survey.pk}/",
            {"could_be_better": "Anything"},
            content_type="application/json",
        )
        .json()
    )
    assert body["show_help"] is True and body["someone_will_be_in_touch"] is True
