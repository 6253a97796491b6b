"""Completing a measure through the pages: who may open each one, the mentee's whole journey
(start, answer, skip, back, pause and resume, check, send, what it means), the mentor
completing it with the mentee, closed requests, double submits, bad input, the crisis panel
after PHQ-9 question 9, and what staff see (with the read recorded)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from outcomes.models import Answer, MeasureResponse, RequestStatus
from outcomes.services.responses import answer_save, response_start
from safeguarding.models import Alert, CrisisResource
from tests.mentoring.access import EVERYONE_INVOLVED, PEOPLE, check_page, client_as
from tests.outcomes.fixtures import make_request, make_response

pytestmark = pytest.mark.django_db

PAIR = ["mentee", "mentor"]
OTHER_PAIR = ["other_mentee", "other_mentor"]


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def start_url(measure_request) -> str:
    return reverse("outcomes:start", args=[measure_request.pk])


def question_url(measure_request, number: int) -> str:
    return reverse("outcomes:question", args=[measure_request.pk, number])


def check_url(measure_request) -> str:
    return reverse("outcomes:check", args=[measure_request.pk])


def response_url(response) -> str:
    return reverse("outcomes:response", args=[response.pk])


def checked_value(page) -> str | None:
    found = re.search(r'value="(\d+)"[^>]*\bchecked\b', page.content.decode())
    return found.group(1) if found else None


def stored_answers(measure_request) -> dict[str, str]:
    return {
        answer.item_key: answer.value
        for answer in Answer.objects.filter(response__request=measure_request)
    }


@pytest.fixture
def started(phq9_request, mentee):
    """The shared mentee's PHQ-9, started, with question 1 answered."""
    response = response_start(actor=mentee, request=phq9_request)
    answer_save(actor=mentee, response=response, item_key="1", value=1)
    return response


@pytest.fixture
def other_started(other_phq9_request, other_mentee):
    response = response_start(actor=other_mentee, request=other_phq9_request)
    answer_save(actor=other_mentee, response=response, item_key="1", value=1)
    return response


@pytest.fixture
def sent(active_relationship, mentee):
    """A PHQ-9 the shared mentee sent earlier (total 13: moderate)."""
    return make_response(
        mentee, "phq9", [2, 2, 1, 2, 1, 2, 1, 2, 0], relationship=active_relationship
    )


@pytest.fixture
def crisis_line(organisation):
    return CrisisResource.objects.create(
        organisation=organisation,
        name="Samaritans",
        phone="116 123",
        website="https://www.samaritans.org/",
        hours="24 hours a day",
    )


# Access -----------------------------------------------------------------------------------------

# (route, method): (who may, the status they get, form)
ANSWERING = {
    ("start", "get"): (200, {}),
    ("start", "post"): (302, {}),
    ("question", "get"): (200, {}),
    ("question", "post"): (302, {"answer": "0", "action": "next"}),
    ("check", "get"): (200, {}),
    ("check", "post"): (302, {}),
}


def _url(route: str, measure_request) -> str:
    if route == "question":
        return question_url(measure_request, 2)
    return reverse(f"outcomes:{route}", args=[measure_request.pk])


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("route,method", list(ANSWERING))
def test_answering_access(route, method, person, request, client_for, started):
    ok, form = ANSWERING[(route, method)]
    client = client_as(person, request, client_for)
    url = _url(route, started.request)
    page = client.get(url) if method == "get" else client.post(url, form)
    check_page(page, person, PAIR, ok=ok)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("route,method", list(ANSWERING))
def test_answering_someone_elses_request(
    route, method, person, request, client_for, started, other_started
):
    ok, form = ANSWERING[(route, method)]
    client = client_as(person, request, client_for)
    url = _url(route, other_started.request)
    page = client.get(url) if method == "get" else client.post(url, form)
    check_page(page, person, OTHER_PAIR, ok=ok)


@pytest.mark.parametrize("person", PEOPLE)
def test_response_page_access(person, request, client_for, sent):
    page = client_as(person, request, client_for).get(response_url(sent))
    check_page(page, person, EVERYONE_INVOLVED)


@pytest.mark.parametrize("person", PEOPLE)
def test_response_page_refuses_posts(person, request, client_for, sent):
    page = client_as(person, request, client_for).post(response_url(sent))
    check_page(page, person, EVERYONE_INVOLVED, ok=405)


def test_someone_elses_response_is_not_found(client_for, mentee, mentor, other_relationship):
    theirs = make_response(
        other_relationship.mentee, "phq9", [0] * 9, relationship=other_relationship
    )
    for user in (mentee, mentor):
        assert client_for(user).get(response_url(theirs)).status_code == 404


def test_a_question_out_of_range_is_not_found(client_for, mentee, started):
    client = client_for(mentee)
    for number in (0, 10):
        assert client.get(question_url(started.request, number)).status_code == 404
        assert client.post(question_url(started.request, number), {"answer": "0"}).status_code == (
            404
        )


def test_a_mentor_whose_mentoring_ended_cannot_answer(client_for, mentor, phq9_request):
    relationship = phq9_request.relationship
    relationship.status = "ended"
    relationship.save(update_fields=["status"])
    assert client_for(mentor).get(start_url(phq9_request)).status_code == 404


# The mentee's journey ---------------------------------------------------------------------------


def test_the_start_page_says_what_to_expect(client_for, mentee, phq9_request):
    page = client_for(mentee).get(start_url(phq9_request))
    text = text_of(page)
    assert text.count("<h1") == 1
    assert "PHQ-9" in text
    assert "Nine questions about how often" in text
    assert "9 questions" in text and "about 3 minutes" in text
    assert "You can stop at any time and carry on later — your answers are saved as you go" in text
    assert "no right or wrong answers" in text
    assert "you, your mentor, their supervisor and the programme coordinators" in text
    assert "developed by Drs. Robert L. Spitzer" in text
    assert ">Start<" in text
    assert "Complete this with" not in text


def test_the_mentee_answers_skips_goes_back_pauses_resumes_and_sends(
    client_for, mentee, phq9_request
):
    client = client_for(mentee)
    first = client.post(start_url(phq9_request))
    assert first.url == question_url(phq9_request, 1)
    assert phq9_request.__class__.objects.get(pk=phq9_request.pk).status == RequestStatus.STARTED

    page = client.get(first.url)
    text = text_of(page)
    assert "Question 1 of 9" in text
    assert '<progress class="goal-progress w-100 mb-3" value="1" max="9"' in text
    assert "Over the last 2 weeks, how often have you been bothered" in text
    assert "<legend" in text and "Little interest or pleasure in doing things</legend>" in text
    labels = re.findall(r"<span>([^<]+)</span>\s*</label>", page.content.decode())
    assert labels == ["Not at all", "Several days", "More than half the days", "Nearly every day"]
    assert "It's fine to skip a question" in text
    assert 'name="action" value="later"' in text and "Save and finish later" in text

    # Answer 1, skip 2, answer 3
    assert client.post(first.url, {"answer": "1", "action": "next"}).url == question_url(
        phq9_request, 2
    )
    assert client.post(question_url(phq9_request, 2), {"action": "skip"}).url == question_url(
        phq9_request, 3
    )
    third = text_of(client.get(question_url(phq9_request, 3)))
    assert "Question 3 of 9" in third
    assert f'href="{question_url(phq9_request, 2)}">Back<' in third
    assert stored_answers(phq9_request) == {"1": "1", "2": ""}

    # Back: the skipped question has nothing chosen, the answered one keeps its answer
    assert checked_value(client.get(question_url(phq9_request, 2))) is None
    assert checked_value(client.get(question_url(phq9_request, 1))) == "1"

    # Pause on question 3 with an answer chosen: it is kept
    paused = client.post(question_url(phq9_request, 3), {"answer": "2", "action": "later"})
    assert paused.url == reverse("outcomes:mine")
    assert stored_answers(phq9_request)["3"] == "2"

    # Come back later: carry on from question 4
    again = text_of(client.get(start_url(phq9_request)))
    assert "Continue where you left off" in again
    assert "3 of 9 questions done so far" in again
    resumed = client.post(start_url(phq9_request))
    assert resumed.url == question_url(phq9_request, 4)
    for number in range(4, 10):
        saved = client.post(question_url(phq9_request, number), {"answer": "0", "action": "next"})
    assert saved.url == check_url(phq9_request)

    # Check: every answer, the skipped one "Not answered", a Change link for each
    check = text_of(client.get(check_url(phq9_request)))
    assert "Check your answers" in check
    assert check.count("Not answered") == 1
    assert check.count(">Change<") == 9
    assert f"{question_url(phq9_request, 2)}?then=check" in check
    assert "We can't work out a score" not in check

    # Change question 2 from the check page: back to the check page afterwards
    changed = client.post(
        f"{question_url(phq9_request, 2)}?then=check", {"answer": "1", "action": "next"}
    )
    assert changed.url == check_url(phq9_request)
    assert text_of(client.get(check_url(phq9_request))).count("Not answered") == 0

    sent = client.post(check_url(phq9_request))
    response = MeasureResponse.objects.get(request=phq9_request)
    assert sent.url == response_url(response)
    assert response.total == 4 and response.band == "minimal"
    assert response.completed_with == "self"
    phq9_request.refresh_from_db()
    assert phq9_request.status == RequestStatus.COMPLETED

    result = text_of(client.get(sent.url))
    assert "Thank you" in result
    assert "Few of these difficulties at the moment." in result
    assert "4 out of 27" in result
    assert "Minimal" not in result
    assert "See how your scores have changed" in result
    assert reverse("outcomes:mine") in result
    assert "developed by Drs. Robert L. Spitzer" in result
    assert not AuditEvent.objects.filter(action="measure.answers_viewed").exists()


def test_no_choice_and_a_value_not_offered_are_explained_and_nothing_is_lost(
    client_for, mentee, started
):
    client = client_for(mentee)
    url = question_url(started.request, 1)
    empty = client.post(url, {"action": "next"})
    assert empty.status_code == 200
    text = text_of(empty)
    assert "Choose an answer, or skip this question." in text
    assert 'aria-invalid="true"' in text
    assert stored_answers(started.request) == {"1": "1"}

    wrong = client.post(url, {"answer": "7", "action": "next"})
    assert wrong.status_code == 200
    assert "Choose one of the answers shown, or skip this question." in text_of(wrong)
    assert stored_answers(started.request) == {"1": "1"}

    nonsense = client.post(question_url(started.request, 2), {"answer": "x", "action": "later"})
    assert nonsense.status_code == 200
    assert "2" not in stored_answers(started.request)


def test_pausing_with_nothing_chosen_saves_nothing(client_for, mentee, started):
    paused = client_for(mentee).post(question_url(started.request, 2), {"action": "later"})
    assert paused.url == reverse("outcomes:mine")
    assert stored_answers(started.request) == {"1": "1"}


def test_a_question_before_starting_leads_to_the_start_page(client_for, mentee, phq9_request):
    page = client_for(mentee).get(question_url(phq9_request, 1))
    assert page.url == start_url(phq9_request)
    assert not MeasureResponse.objects.exists()


def test_too_many_unanswered_is_said_kindly_and_can_still_be_sent(client_for, mentee, started):
    client = client_for(mentee)
    for number in (2, 3, 4):
        client.post(question_url(started.request, number), {"action": "skip"})
    text = text_of(client.get(check_url(started.request)))
    assert "We can't work out a score with 8 questions unanswered" in text
    assert "you can still send what you have" in text
    sent = client.post(check_url(started.request))
    response = MeasureResponse.objects.get(pk=started.pk)
    assert sent.url == response_url(response)
    assert response.total is None and response.answered == 1
    result = text_of(client.get(sent.url))
    assert "We couldn't work out a score this time, because 8 questions were not answered" in result


def test_nothing_answered_cannot_be_sent(client_for, mentee, phq9_request):
    client = client_for(mentee)
    client.post(start_url(phq9_request))
    client.post(question_url(phq9_request, 1), {"action": "skip"})
    text = text_of(client.get(check_url(phq9_request)))
    assert "There are no answers to send yet" in text
    assert "Send my answers" not in text
    refused = client.post(check_url(phq9_request))
    assert refused.status_code == 200
    assert "Answer at least one question before sending." in text_of(refused)
    assert not MeasureResponse.objects.filter(completed_at__isnull=False).exists()


def test_sending_twice_is_harmless(client_for, mentee, started):
    client = client_for(mentee)
    first = client.post(check_url(started.request))
    second = client.post(check_url(started.request))
    assert first.url == second.url == response_url(started)
    assert MeasureResponse.objects.count() == 1
    assert AuditEvent.objects.filter(action="measure.completed").count() == 1
    # Going back to a question after sending leads to the start page, which links to the answers
    back = client.get(question_url(started.request, 2))
    assert back.url == start_url(started.request)
    closed = text_of(client.get(back.url))
    assert "Your answers were sent on" in closed
    assert response_url(started) in closed
    assert client.post(question_url(started.request, 2), {"answer": "3"}).url == back.url
    assert stored_answers(started.request) == {"1": "1"}


def test_the_response_compares_with_last_time_in_words(client_for, mentee, sent, phq9_request):
    client = client_for(mentee)
    client.post(start_url(phq9_request))
    for number in range(1, 10):
        client.post(question_url(phq9_request, number), {"answer": "0", "action": "next"})
    done = client.post(check_url(phq9_request))
    text = text_of(client.get(done.url))
    assert "Last time, on" in text and "your score was 13 out of 27" in text
    assert "Things look better than last time" in text
    assert "bigger than everyday ups and downs" in text


@pytest.mark.parametrize(
    "earlier,expected",
    [
        ([1, 1, 0, 1, 0, 0, 0, 0, 0], "About the same as last time"),
        ([0] * 9, "Things look harder than last time"),
    ],
)
def test_about_the_same_and_harder_than_last_time(
    client_for, mentee, active_relationship, earlier, expected
):
    make_response(
        mentee,
        "phq9",
        earlier,
        relationship=active_relationship,
        completed_at=timezone.now() - timedelta(days=30),
    )
    latest = make_response(
        mentee, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0], relationship=active_relationship
    )
    assert expected in text_of(client_for(mentee).get(response_url(latest)))


def test_who5_scores_are_shown_out_of_100(client_for, mentee, active_relationship):
    response = make_response(mentee, "who5", [3, 3, 3, 3, 3], relationship=active_relationship)
    text = text_of(client_for(mentee).get(response_url(response)))
    assert "60 out of 100" in text
    assert "Your wellbeing has been reasonably good lately." in text
    assert "Good wellbeing" not in text
    assert "Psychiatric Research Unit" in text


def test_who5_options_keep_the_instruments_order(client_for, mentee, active_relationship):
    who5_request = make_request(mentee, "who5", relationship=active_relationship)
    client = client_for(mentee)
    client.post(start_url(who5_request))
    page = client.get(question_url(who5_request, 1))
    labels = re.findall(r"<span>([^<]+)</span>\s*</label>", page.content.decode())
    values = re.findall(r'type="radio" name="answer" value="(\d+)"', page.content.decode())
    assert labels[0] == "All of the time" and labels[-1] == "At no time"
    assert values == ["5", "4", "3", "2", "1", "0"]
    assert "Question 1 of 5" in text_of(page)


# The mentor with the mentee ---------------------------------------------------------------------


def test_the_mentor_completes_it_with_the_mentee(client_for, mentor, phq9_request):
    client = client_for(mentor)
    start = text_of(client.get(start_url(phq9_request)))
    assert (
        "Complete this with Samira in your session: read each question aloud and choose the "
        "answer they give." in start
    )
    client.post(start_url(phq9_request))
    for number in range(1, 10):
        client.post(question_url(phq9_request, number), {"answer": "1", "action": "next"})
    check = text_of(client.get(check_url(phq9_request)))
    assert "Check Samira's answers" in check and "Send Samira's answers" in check
    done = client.post(check_url(phq9_request))
    response = MeasureResponse.objects.get(request=phq9_request)
    assert response.completed_with == "mentor"
    assert response.entered_by == mentor
    text = text_of(client.get(done.url))
    assert "Samira's PHQ-9" in text
    assert "Mild" in text
    assert "With their mentor in a session" in text
    assert AuditEvent.objects.filter(action="measure.answers_viewed", actor=mentor).count() == 1


def test_the_mentee_can_carry_on_what_the_mentor_started(client_for, mentor, mentee, phq9_request):
    client_for(mentor).post(start_url(phq9_request))
    client_for(mentor).post(question_url(phq9_request, 1), {"answer": "2", "action": "next"})
    resumed = client_for(mentee).post(start_url(phq9_request))
    assert resumed.url == question_url(phq9_request, 2)


# Closed requests --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status,words",
    [
        (RequestStatus.EXPIRED, "This questionnaire closed on"),
        (RequestStatus.CANCELLED, "This questionnaire is no longer needed"),
    ],
)
def test_a_closed_request_shows_a_calm_message(client_for, mentee, phq9_request, status, words):
    phq9_request.status = status
    phq9_request.save(update_fields=["status"])
    client = client_for(mentee)
    page = client.get(start_url(phq9_request))
    assert page.status_code == 200
    text = text_of(page)
    assert words in text and "There's nothing you need to do" in text
    assert ">Start<" not in text
    assert client.post(start_url(phq9_request)).status_code == 200
    assert client.get(question_url(phq9_request, 1)).url == start_url(phq9_request)
    assert client.get(check_url(phq9_request)).url == start_url(phq9_request)
    assert not MeasureResponse.objects.exists()


def test_a_request_that_expires_while_answering_keeps_the_answers(client_for, mentee, started):
    started.request.status = RequestStatus.EXPIRED
    started.request.save(update_fields=["status"])
    client = client_for(mentee)
    refused = client.post(question_url(started.request, 2), {"answer": "1", "action": "next"})
    assert refused.url == start_url(started.request)
    assert client.post(check_url(started.request)).url == start_url(started.request)
    assert stored_answers(started.request) == {"1": "1"}
    assert MeasureResponse.objects.get().completed_at is None


def test_a_completed_request_links_to_its_response(client_for, mentee, active_relationship):
    done = make_request(mentee, "phq9", relationship=active_relationship, number=8)
    response = make_response(
        mentee, "phq9", [0] * 9, relationship=active_relationship, request=done
    )
    text = text_of(client_for(mentee).get(start_url(done)))
    assert "Your answers were sent on" in text
    assert response_url(response) in text


# Question 9 and the crisis panel ----------------------------------------------------------------


def test_question_9_raises_one_alert_and_shows_help_on_every_following_page(
    client_for, mentee, started, crisis_line
):
    client = client_for(mentee)
    url = question_url(started.request, 9)
    before = text_of(client.get(url))
    assert "Support you can reach now" not in before

    saved = client.post(url, {"answer": "1", "action": "next"})
    alert = Alert.objects.get()
    assert alert.person == mentee and alert.source == "measure"
    assert saved.url == check_url(started.request)

    check = text_of(client.get(saved.url))
    assert "Thank you for telling us. If you're thinking about ending your life or hurting " in (
        check
    )
    assert "you don't have to wait — talk to someone now" in check
    assert "Samaritans" in check
    assert 'href="tel:116123"' in check
    assert 'href="https://www.samaritans.org/" rel="noreferrer noopener"' in check
    assert "supervisor or a programme coordinator will be in touch" in check
    assert "Support you can reach now" in text_of(client.get(question_url(started.request, 3)))

    # Changing the answer again raises no second alert
    client.post(f"{url}?then=check", {"answer": "2", "action": "next"})
    assert Alert.objects.count() == 1

    done = client.post(check_url(started.request))
    result = text_of(client.get(done.url))
    assert "Thank you for telling us" in result
    assert "Samaritans" in result
    assert Alert.objects.count() == 1


def test_the_alert_is_raised_in_the_same_request_as_the_answer(
    client_for, mentee, started, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        client_for(mentee).post(question_url(started.request, 9), {"answer": "3"})
    assert Alert.objects.filter(object_id=str(started.pk)).count() == 1


def test_the_mentor_sees_words_for_them_in_the_crisis_panel(client_for, mentor, started):
    client = client_for(mentor)
    client.post(question_url(started.request, 9), {"answer": "2", "action": "next"})
    text = text_of(client.get(check_url(started.request)))
    assert "Samira's answer means they may be having thoughts" in text
    assert "follow your safeguarding steps" in text
    assert "call your local emergency number" in text
    done = client.post(check_url(started.request))
    assert "follow your safeguarding steps" in text_of(client.get(done.url))


def test_no_crisis_panel_without_question_9(client_for, mentee, started):
    client = client_for(mentee)
    client.post(question_url(started.request, 9), {"answer": "0", "action": "next"})
    assert "Support you can reach now" not in text_of(client.get(check_url(started.request)))
    assert not Alert.objects.exists()


# What staff see ---------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["coordinator", "admin", "supervisor", "mentor"])
def test_staff_see_the_answers_and_the_read_is_recorded(
    viewer, request, client_for, mentee, active_relationship
):
    response = make_response(
        mentee, "phq9", [2, 2, 1, 2, 1, 2, 1, None, 1], relationship=active_relationship
    )
    user = request.getfixturevalue(viewer)
    page = client_for(user).get(response_url(response))
    text = text_of(page)
    assert "Samira's PHQ-9" in text
    assert "14 out of 27" in text and "Moderate" in text
    assert "Thoughts of being better off dead or of self-harm (question 9)" in text
    assert "Total prorated" in text
    assert "1 of 9" in text
    assert "Feeling down, depressed, or hopeless" in text and "More than half the days" in text
    assert "Not answered" in text
    assert "By Samira, alone" in text
    assert "developed by Drs. Robert L. Spitzer" in text
    event = AuditEvent.objects.get(action="measure.answers_viewed")
    assert event.actor == user
    assert event.object_id == str(response.pk)
    assert event.organisation == response.organisation


def test_staff_see_a_started_response_without_its_answers(client_for, coordinator, started):
    text = text_of(client_for(coordinator).get(response_url(started)))
    assert "Started, not yet sent" in text
    assert "Little interest or pleasure" not in text
    assert "Several days" not in text
    assert not AuditEvent.objects.filter(action="measure.answers_viewed").exists()


def test_the_mentee_opening_a_started_response_is_sent_to_carry_on(client_for, mentee, started):
    page = client_for(mentee).get(response_url(started))
    assert page.url == start_url(started.request)
