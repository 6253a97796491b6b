"""Screening pages: the board, an application, each step, the decision and the referee's link."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from mentors.models import (
    BackgroundCheck,
    CheckOutcome,
    CheckType,
    Interview,
    InterviewOutcome,
    InterviewQuestion,
    MentorApplication,
    Reference,
    ReferenceStatus,
    Stage,
)
from mentors.services.screening import (
    background_check_record,
    interview_record,
    reference_request,
    reference_submit,
)
from tests.mentors.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "mentee",
    "mentor",
    "other_mentor",
    "supervisor",
    "coordinator",
    "admin",
    "referrer",
    "outsider",
    "other_org_coordinator",
]
STAFF_HERE = {"coordinator", "admin"}


@pytest.fixture
def application(applicant_application):
    applicant_application.lived_experience_notes = "Years of panic attacks, now well managed."
    applicant_application.save()
    return applicant_application


@pytest.fixture
def questions(organisation):
    return [
        InterviewQuestion.objects.create(
            organisation=organisation, text="What drew you to peer mentoring?", position=1
        ),
        InterviewQuestion.objects.create(
            organisation=organisation, text="How do you look after yourself?", position=2
        ),
    ]


@pytest.fixture
def staff_client(client_for, coordinator) -> Client:
    return client_for(coordinator)


def ask(application, actor, email="sam@example.net"):
    return reference_request(
        actor=actor,
        application=application,
        referee_name="Sam Referee",
        referee_email=email,
        relationship="Manager",
    )


GOOD_ANSWERS = {
    "known_for": "Five years, as their manager",
    "suitability": "Patient and kind with everyone.",
    "concerns": "Sometimes takes on too much.",
    "recommendation": "yes",
}


def screened(application, actor):
    interview_record(
        actor=actor,
        application=application,
        held_on=timezone.localdate(),
        outcome=InterviewOutcome.PASSED,
        notes="",
        answers={},
    )
    for number in (1, 2):
        reference, _token = ask(application, actor, email=f"referee{number}@example.net")
        reference_submit(reference=reference, data=GOOD_ANSWERS)
    background_check_record(
        actor=actor,
        application=application,
        check_type=CheckType.ENHANCED,
        reference_number="0012",
        checked_on=timezone.localdate(),
        expires_on=None,
        outcome=CheckOutcome.CLEAR,
    )
    return MentorApplication.objects.get(pk=application.pk)


# Who may open what ----------------------------------------------------------------------------


def _application_path(name):
    return lambda objects: reverse(name, args=[objects["application"].pk])


# name -> (method, path from objects, status for coordinator/admin, status for the other
# organisation's coordinator, who works the same pages for their own applicants)
ROUTES = {
    "board": ("get", lambda o: reverse("mentors:board"), 200, 200),
    "closed": ("get", lambda o: reverse("mentors:board") + "?show=closed", 200, 200),
    "detail": ("get", _application_path("mentors:application_detail"), 200, 404),
    "interview": ("get", _application_path("mentors:interview_record"), 200, 404),
    "interview_post": ("post", _application_path("mentors:interview_record"), 200, 404),
    "reference_new": ("get", _application_path("mentors:reference_request"), 200, 404),
    "reference_new_post": ("post", _application_path("mentors:reference_request"), 200, 404),
    "reference_resend": (
        "post",
        lambda o: reverse(
            "mentors:reference_resend", args=[o["application"].pk, o["reference"].pk]
        ),
        302,
        404,
    ),
    "background_check": ("get", _application_path("mentors:background_check_record"), 200, 404),
    "background_check_post": (
        "post",
        _application_path("mentors:background_check_record"),
        200,
        404,
    ),
    "approve": ("post", _application_path("mentors:application_approve"), 302, 404),
    "decline": ("post", _application_path("mentors:application_decline"), 200, 404),
    "withdraw": ("post", _application_path("mentors:application_withdraw"), 302, 404),
    "questions": ("get", lambda o: reverse("mentors:interview_questions"), 200, 200),
    "question_new": ("get", lambda o: reverse("mentors:interview_question_create"), 200, 200),
    "question_edit": (
        "get",
        lambda o: reverse("mentors:interview_question_edit", args=[o["question"].pk]),
        200,
        404,
    ),
    "question_deactivate": (
        "post",
        lambda o: reverse("mentors:interview_question_deactivate", args=[o["question"].pk]),
        302,
        404,
    ),
    "question_reactivate": (
        "post",
        lambda o: reverse("mentors:interview_question_reactivate", args=[o["question"].pk]),
        302,
        404,
    ),
}


@pytest.fixture
def objects(application, questions, coordinator):
    reference, _token = ask(application, coordinator)
    return {"application": application, "reference": reference, "question": questions[0]}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("route", ROUTES)
def test_only_this_organisations_coordinators_and_admins_reach_screening(
    route, person, objects, request, client_for
):
    method, make_path, staff_status, other_org_status = ROUTES[route]
    path = make_path(objects)
    if person == "anonymous":
        response = getattr(Client(), method)(path)
        assert response.status_code == 302, f"anonymous {method} {path}"
        assert response.url.startswith("/accounts/login/")
        return
    client = client_for(request.getfixturevalue(person))
    response = getattr(client, method)(path)
    if person in STAFF_HERE:
        expected = staff_status
    elif person == "other_org_coordinator":
        expected = other_org_status
    else:
        expected = 404
    assert response.status_code == expected, f"{person} {method} {path}"


@pytest.mark.parametrize(
    "name", ["reference_resend", "approve", "decline", "withdraw", "question_deactivate"]
)
def test_actions_do_nothing_on_get(name, objects, staff_client):
    assert staff_client.get(ROUTES[name][1](objects)).status_code == 405


@pytest.mark.parametrize("person", PEOPLE)
def test_anyone_with_a_referees_link_can_open_it_without_an_account(
    person, application, coordinator, request, client_for
):
    _reference, token = ask(application, coordinator)
    client = Client() if person == "anonymous" else client_for(request.getfixturevalue(person))
    response = client.get(reverse("mentors:reference_respond", args=[token]))
    assert response.status_code == 200
    assert client.get(reverse("mentors:reference_thanks")).status_code == 200


# The board ------------------------------------------------------------------------------------


def test_board_shows_each_applicant_in_their_stage_with_how_long_they_have_waited(
    organisation, other_org_application, staff_client
):
    now = timezone.now()
    ApplicationFactory(
        organisation=organisation,
        full_name="Ada New",
        stage=Stage.NEW,
        stage_entered_at=now - timedelta(days=3, hours=2),
    )
    ApplicationFactory(
        organisation=organisation,
        full_name="Bea Waiting",
        stage=Stage.REFERENCES,
        stage_entered_at=now - timedelta(days=20),
    )
    ApplicationFactory(organisation=organisation, full_name="Cy Trainee", stage=Stage.TRAINING)
    ApplicationFactory(organisation=organisation, full_name="Di Draft", stage=Stage.DRAFT)
    ApplicationFactory(organisation=organisation, full_name="Ed Declined", stage=Stage.DECLINED)
    page = staff_client.get(reverse("mentors:board")).content.decode()
    for label in ("New", "Interview", "References", "Background check", "Ready for decision"):
        assert f"<span>{label}</span>" in page
    assert "Ada New" in page
    assert "3 days in this stage" in page
    assert "20 days in this stage · waiting over two weeks" in page
    assert "Cy Trainee" in page
    assert "Di Draft" not in page
    assert "Ed Declined" not in page
    assert "Elsewhere Applicant" not in page
    assert page.count("waiting over two weeks") == 1


def test_closed_applications_are_listed_apart(organisation, staff_client):
    ApplicationFactory(organisation=organisation, full_name="Ed Declined", stage=Stage.DECLINED)
    ApplicationFactory(organisation=organisation, full_name="Flo Withdrawn", stage=Stage.WITHDRAWN)
    ApplicationFactory(organisation=organisation, full_name="Gus New", stage=Stage.NEW)
    page = staff_client.get(reverse("mentors:board") + "?show=closed").content.decode()
    assert "Ed Declined" in page
    assert "Flo Withdrawn" in page
    assert "Gus New" not in page


def _board_queries(client, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        assert client.get(reverse("mentors:board")).status_code == 200
    with django_assert_max_num_queries(limit):
        assert client.get(reverse("mentors:board") + "?show=closed").status_code == 200


BOARD_QUERIES = 6  # session, person, membership, two-factor, urgent-alert banner, applicants


def test_board_queries_do_not_grow_with_the_number_of_applicants(
    organisation, staff_client, django_assert_max_num_queries
):
    ApplicationFactory(organisation=organisation, stage=Stage.NEW)
    _board_queries(staff_client, django_assert_max_num_queries, BOARD_QUERIES)
    for stage in [*Stage.board_stages(), Stage.DECLINED, Stage.WITHDRAWN] * 4:
        ApplicationFactory(organisation=organisation, stage=stage)
    _board_queries(staff_client, django_assert_max_num_queries, BOARD_QUERIES)


def test_question_list_queries_are_pinned(
    organisation, staff_client, django_assert_max_num_queries
):
    for number in range(10):
        InterviewQuestion.objects.create(organisation=organisation, text=f"Question {number}")
    with django_assert_max_num_queries(BOARD_QUERIES):
        assert staff_client.get(reverse("mentors:interview_questions")).status_code == 200


# An application -------------------------------------------------------------------------------


def test_detail_shows_everything_the_applicant_wrote_and_the_checklist(application, staff_client):
    page = staff_client.get(
        reverse("mentors:application_detail", args=[application.pk])
    ).content.decode()
    assert "Robin Applicant" in page
    assert "I know how much it helped to talk to someone who had been there." in page
    assert "Years of panic attacks, now well managed." in page
    assert "Anxiety" in page
    assert "Video call" in page
    assert "Interview · not yet recorded" in page
    assert "References · 0 of 2 received" in page
    assert "Background check · not yet recorded" in page
    assert "the interview" in page
    assert "Approve to train" not in page


def test_detail_shows_received_reference_answers(application, coordinator, staff_client):
    reference, _token = ask(application, coordinator)
    reference_submit(reference=reference, data=GOOD_ANSWERS)
    page = staff_client.get(
        reverse("mentors:application_detail", args=[application.pk])
    ).content.decode()
    assert "Five years, as their manager" in page
    assert "Sometimes takes on too much." in page
    assert "Yes, I would recommend them" in page


def test_detail_queries_are_pinned(
    application, coordinator, questions, staff_client, django_assert_max_num_queries
):
    application = screened(application, coordinator)
    with django_assert_max_num_queries(12):  # 11, and the urgent-alert banner
        assert (
            staff_client.get(
                reverse("mentors:application_detail", args=[application.pk])
            ).status_code
            == 200
        )


# Screening steps ------------------------------------------------------------------------------


def test_recording_the_interview_through_the_page(application, questions, staff_client):
    response = staff_client.post(
        reverse("mentors:interview_record", args=[application.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "outcome": "passed",
            f"question_{questions[0].pk}": "A mentor helped them once.",
            f"question_{questions[1].pk}": "Walks and talks to friends.",
            "notes": "Lovely conversation.",
        },
    )
    assert response.url == reverse("mentors:application_detail", args=[application.pk])
    interview = Interview.objects.get(application=application)
    assert sorted(a.notes for a in interview.answers.all()) == [
        "A mentor helped them once.",
        "Walks and talks to friends.",
    ]
    assert MentorApplication.objects.get(pk=application.pk).stage == Stage.REFERENCES
    page = staff_client.get(response.url).content.decode()
    assert "A mentor helped them once." in page
    edit = staff_client.get(reverse("mentors:interview_record", args=[application.pk]))
    assert "Walks and talks to friends." in edit.content.decode()


def test_interview_form_errors_keep_what_was_typed(application, questions, staff_client):
    response = staff_client.post(
        reverse("mentors:interview_record", args=[application.pk]),
        {
            "held_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
            f"question_{questions[0].pk}": "Notes I typed",
            "notes": "Overall notes I typed",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The interview date cannot be in the future." in page
    assert "This field is required." in page
    assert "Notes I typed" in page
    assert "Overall notes I typed" in page
    assert 'href="#id_held_on"' in page
    assert not Interview.objects.exists()


def test_interview_page_lists_only_active_questions(organisation, application, staff_client):
    InterviewQuestion.objects.create(organisation=organisation, text="Still asked?")
    InterviewQuestion.objects.create(organisation=organisation, text="Retired?", is_active=False)
    page = staff_client.get(
        reverse("mentors:interview_record", args=[application.pk])
    ).content.decode()
    assert "Still asked?" in page
    assert "Retired?" not in page


def test_notes_for_a_question_retired_while_typing_are_kept(application, questions, staff_client):
    questions[1].is_active = False
    questions[1].save()
    staff_client.post(
        reverse("mentors:interview_record", args=[application.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "outcome": "passed",
            f"question_{questions[1].pk}": "Typed before it was retired.",
        },
    )
    interview = Interview.objects.get(application=application)
    assert [a.notes for a in interview.answers.all()] == ["Typed before it was retired."]


def test_asking_for_a_reference_through_the_page(
    application, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("mentors:reference_request", args=[application.pk]),
            {
                "referee_name": "Sam Referee",
                "referee_email": "sam@example.net",
                "relationship": "Manager",
            },
            follow=True,
        )
    assert "We have emailed Sam Referee a link to give a reference." in response.content.decode()
    assert Reference.objects.get().referee_email == "sam@example.net"
    assert mail.outbox[0].to == ["sam@example.net"]


def test_reference_form_errors_keep_what_was_typed(application, coordinator, staff_client):
    ask(application, coordinator)
    response = staff_client.post(
        reverse("mentors:reference_request", args=[application.pk]),
        {"referee_name": "Sam Referee", "referee_email": "not-an-email", "relationship": "Aunt"},
    )
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert 'value="Sam Referee"' in page
    assert 'value="Aunt"' in page
    duplicate = staff_client.post(
        reverse("mentors:reference_request", args=[application.pk]),
        {"referee_name": "Sam", "referee_email": "sam@example.net", "relationship": "Manager"},
    )
    assert "We have already asked this person" in duplicate.content.decode()
    assert Reference.objects.count() == 1


def test_sending_the_link_again_through_the_page(application, coordinator, staff_client):
    reference, _token = ask(application, coordinator)
    path = reverse("mentors:reference_resend", args=[application.pk, reference.pk])
    first = staff_client.post(path, follow=True)
    assert "We have sent Sam Referee a new link." in first.content.decode()
    second = staff_client.post(path, follow=True)
    assert "already been answered or replaced" in second.content.decode()
    assert Reference.objects.filter(status=ReferenceStatus.REQUESTED).count() == 1


def test_another_applications_reference_cannot_be_sent_again(
    application, organisation, coordinator, staff_client
):
    other = ApplicationFactory(organisation=organisation)
    reference, _token = ask(other, coordinator)
    path = reverse("mentors:reference_resend", args=[application.pk, reference.pk])
    assert staff_client.post(path).status_code == 404


def test_recording_a_background_check_through_the_page(application, staff_client):
    response = staff_client.post(
        reverse("mentors:background_check_record", args=[application.pk]),
        {
            "check_type": "enhanced",
            "reference_number": "001234",
            "checked_on": timezone.localdate().isoformat(),
            "expires_on": "",
            "outcome": "clear",
        },
    )
    assert response.status_code == 302
    assert BackgroundCheck.objects.get().reference_number == "001234"


def test_background_check_errors_are_shown_next_to_the_field_and_keep_what_was_typed(
    application, staff_client
):
    today = timezone.localdate()
    response = staff_client.post(
        reverse("mentors:background_check_record", args=[application.pk]),
        {
            "check_type": "enhanced",
            "reference_number": "001234",
            "checked_on": today.isoformat(),
            "expires_on": (today - timedelta(days=1)).isoformat(),
            "outcome": "clear",
        },
    )
    page = response.content.decode()
    assert "The renewal date must be after the date of the check." in page
    assert 'id="id_expires_on_error"' in page
    assert 'value="001234"' in page
    assert not BackgroundCheck.objects.exists()


def test_screening_pages_of_a_closed_application_send_you_back(organisation, staff_client):
    closed = ApplicationFactory(organisation=organisation, stage=Stage.WITHDRAWN)
    for name in (
        "mentors:interview_record",
        "mentors:reference_request",
        "mentors:background_check_record",
    ):
        response = staff_client.get(reverse(name, args=[closed.pk]), follow=True)
        assert "Screening for this application is finished" in response.content.decode()
    detail = staff_client.get(reverse("mentors:application_detail", args=[closed.pk]))
    page = detail.content.decode()
    assert "Withdrawn on" in page
    assert "Record the interview" not in page
    assert "Decline the application" not in page


# Decision -------------------------------------------------------------------------------------


def test_approving_too_early_says_what_is_missing(application, staff_client):
    response = staff_client.post(
        reverse("mentors:application_approve", args=[application.pk]), follow=True
    )
    assert "Screening is not complete yet. Still needed: the interview" in (
        response.content.decode()
    )
    assert MentorApplication.objects.get(pk=application.pk).stage == Stage.NEW


def test_approving_a_screened_applicant_through_the_page(
    application, coordinator, staff_client, client, django_capture_on_commit_callbacks
):
    application = screened(application, coordinator)
    detail = staff_client.get(reverse("mentors:application_detail", args=[application.pk]))
    assert "Approve to train" in detail.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("mentors:application_approve", args=[application.pk]), follow=True
        )
    assert "Robin Applicant is approved to train." in response.content.decode()
    approved = MentorApplication.objects.get(pk=application.pk)
    assert approved.stage == Stage.TRAINING
    assert approved.user.memberships.get().role == Role.MENTOR
    (welcome,) = [m for m in mail.outbox if m.to == [application.email]]
    link = re.search(r"http\S+/accounts/password/reset/key/\S+/", welcome.body).group(0)
    choose = client.get(urlsplit(link).path, follow=True)
    assert choose.status_code == 200
    assert "password1" in choose.content.decode()


def test_declining_through_the_page(application, staff_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("mentors:application_decline", args=[application.pk]),
            {"reason": "Not the right time."},
            follow=True,
        )
    assert "The application is declined." in response.content.decode()
    assert "Not the right time." in response.content.decode()  # the record keeps the reason
    assert "Not the right time." not in mail.outbox[0].body


def test_declining_without_a_reason_keeps_the_form_open_with_what_was_ticked(
    application, staff_client
):
    response = staff_client.post(
        reverse("mentors:application_decline", args=[application.pk]),
        {"reason": "   ", "include_reason": "on"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page
    assert '<details class="mb-3" open>' in page
    assert re.search(r'name="include_reason"[^>]*checked', page)
    assert MentorApplication.objects.get(pk=application.pk).stage == Stage.NEW


def test_withdrawing_for_the_applicant(application, staff_client):
    path = reverse("mentors:application_withdraw", args=[application.pk])
    response = staff_client.post(path, follow=True)
    assert "The application is withdrawn." in response.content.decode()
    assert MentorApplication.objects.get(pk=application.pk).stage == Stage.WITHDRAWN
    assert staff_client.post(path).status_code == 302  # a second click is harmless


# Interview questions --------------------------------------------------------------------------


def test_managing_interview_questions(organisation, staff_client):
    created = staff_client.post(
        reverse("mentors:interview_question_create"),
        {"text": "What would you want from supervision?", "position": ""},
    )
    assert created.url == reverse("mentors:interview_questions")
    question = InterviewQuestion.objects.get()
    assert question.position == 1
    staff_client.post(
        reverse("mentors:interview_question_edit", args=[question.pk]),
        {"text": "What support would you want?", "position": "3"},
    )
    staff_client.post(reverse("mentors:interview_question_deactivate", args=[question.pk]))
    page = staff_client.get(reverse("mentors:interview_questions")).content.decode()
    assert "What support would you want?" in page
    assert "No longer asked" in page
    question.refresh_from_db()
    assert (question.position, question.is_active) == (3, False)


def test_question_form_errors_keep_what_was_typed(organisation, staff_client):
    response = staff_client.post(
        reverse("mentors:interview_question_create"), {"text": "", "position": "7"}
    )
    page = response.content.decode()
    assert "This field is required." in page
    assert 'value="7"' in page
    assert not InterviewQuestion.objects.exists()


# The referee's page ---------------------------------------------------------------------------


def test_referee_sees_the_name_and_questions_but_nothing_private(application, coordinator):
    _reference, token = ask(application, coordinator)
    page = Client().get(reverse("mentors:reference_respond", args=[token])).content.decode()
    assert "Robin Applicant has named you as a referee for a volunteering role" in page
    assert "Would you recommend them for this role?" in page
    assert "panic" not in page
    assert "helped to talk" not in page
    assert "Anxiety" not in page


def test_referee_answers_once_and_the_link_then_stops_working(application, coordinator):
    reference, token = ask(application, coordinator)
    path = reverse("mentors:reference_respond", args=[token])
    referee = Client()
    response = referee.post(path, GOOD_ANSWERS)
    assert response.url == reverse("mentors:reference_thanks")
    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.RECEIVED
    assert reference.suitability == "Patient and kind with everyone."
    again = referee.post(path, {**GOOD_ANSWERS, "recommendation": "no"})
    assert again.status_code == 410
    assert "This link has already been used or has expired" in again.content.decode()
    assert referee.get(path).status_code == 410
    reference.refresh_from_db()
    assert reference.recommendation == "yes"


def test_referee_form_errors_keep_what_was_typed(application, coordinator):
    _reference, token = ask(application, coordinator)
    response = Client().post(
        reverse("mentors:reference_respond", args=[token]),
        {"known_for": "Two years", "suitability": "Steady and kind."},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Two years"' in page
    assert "Steady and kind." in page
    assert 'href="#id_recommendation"' in page
    assert Reference.objects.get().status == ReferenceStatus.REQUESTED


def test_an_expired_link_shows_a_calm_page(application, coordinator):
    reference, token = ask(application, coordinator)
    Reference.objects.filter(pk=reference.pk).update(expires_at=timezone.now())
    response = Client().get(reverse("mentors:reference_respond", args=[token]))
    assert response.status_code == 410
    assert "This link has already been used or has expired" in response.content.decode()
    assert "Riverside Peer Support" in response.content.decode()


def test_an_unknown_link_shows_the_same_calm_page_as_not_found(db):
    response = Client().get(reverse("mentors:reference_respond", args=["made-up-token"]))
    assert response.status_code == 404
    assert "This link has already been used or has expired" in response.content.decode()


def test_a_link_replaced_by_a_new_one_no_longer_works(application, coordinator, staff_client):
    reference, token = ask(application, coordinator)
    staff_client.post(reverse("mentors:reference_resend", args=[application.pk, reference.pk]))
    response = Client().post(reverse("mentors:reference_respond", args=[token]), GOOD_ANSWERS)
    assert response.status_code == 410
    assert not Reference.objects.filter(status=ReferenceStatus.RECEIVED).exists()


def test_the_referee_page_is_not_cached(application, coordinator):
    _reference, token = ask(application, coordinator)
    response = Client().get(reverse("mentors:reference_respond", args=[token]))
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
