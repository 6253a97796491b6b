"""The whole way from a stranger offering to help to a mentee finding them: apply, be screened
(with two referees answering from their email), train, be certified, be listed. Each person uses
their own browser and reaches each page the way they would: links in emails and the menu."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import Organisation
from mentors.models import Delivery, MentorProfile, Stage
from mentors.selectors import programme_settings
from mentors.services.screening import interview_question_create
from tests.browser.helpers import follow, sign_in, submit_credentials, visit
from tests.mentors.factories import TrainingModuleFactory

pytestmark = pytest.mark.browser

APPLICANT_NAME = "Jordan Ellis"
APPLICANT_EMAIL = "jordan.ellis@example.org"
DISPLAY_NAME = "Jordan"  # what the programme calls them: the first name, as no other was given
NEW_PASSWORD = "steady-harbour-lights-27"
REFEREES = [("Sam Okafor", "sam.okafor@example.net"), ("Kit Brennan", "kit.brennan@example.net")]
QUESTION = "What drew you to peer mentoring?"


def _link_in_email(to: str, path_pattern: str, live_server: LiveServer) -> str:
    """The link a person would click in the one email to ``to`` holding ``path_pattern``, pointed
    at the test server (emails use SITE_URL, where no server is listening during tests)."""
    pattern = re.escape(str(settings.SITE_URL)) + path_pattern
    found = [
        match.group(0)
        for message in mail.outbox
        if message.to == [to]
        for match in [re.search(pattern, str(message.body))]
        if match
    ]
    assert len(found) == 1, [(m.to, m.body) for m in mail.outbox]
    return live_server.url + urlsplit(found[0]).path


def _menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def _apply_as_a_member_of_the_public(page: Page, organisation: Organisation) -> None:
    visit(page, "/")
    follow(page, page.get_by_role("link", name="Volunteer as a peer mentor"))
    expect(page).to_have_url(re.compile(rf"/mentors/apply/{organisation.slug}/$"))
    page.get_by_label("Full name").fill(APPLICANT_NAME)
    page.get_by_label("Email address").fill(APPLICANT_EMAIL)
    page.get_by_label("Why would you like to be a peer mentor?").fill(
        "Someone stayed with me through a hard year. I would like to do that for someone else."
    )
    page.get_by_label("Anxiety").check()
    page.get_by_label("Video call").check()
    page.get_by_label(re.compile("I agree to the programme contacting two referees")).check()
    follow(page, page.get_by_role("button", name="Send my application"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your mentor application")
    expect(page.get_by_role("status")).to_contain_text("Your application has been sent")
    expect(page.get_by_role("main")).to_contain_text("We have received your application")


def _screen_up_to_references(staff: Page, today: str) -> None:
    follow(staff, _menu(staff).get_by_role("link", name="Applicants"))
    new_column = staff.get_by_role("region", name=re.compile(r"^New"))
    follow(staff, new_column.get_by_role("link", name=APPLICANT_NAME))
    expect(staff.get_by_role("heading", level=1)).to_have_text(APPLICANT_NAME)

    follow(staff, staff.get_by_role("link", name="Record the interview"))
    staff.get_by_label("Date of the interview").fill(today)
    staff.get_by_label("Passed", exact=True).check()
    staff.get_by_label(QUESTION).fill("A mentor helped them through a hard year.")
    follow(staff, staff.get_by_role("button", name="Save the interview"))
    expect(staff.get_by_role("status")).to_contain_text("The interview is recorded.")
    expect(staff.get_by_role("heading", name="Interview · Passed")).to_be_visible()

    for name, email in REFEREES:
        follow(staff, staff.get_by_role("link", name="Ask for a reference"))
        staff.get_by_label("Referee's name").fill(name)
        staff.get_by_label("Referee's email address").fill(email)
        staff.get_by_label("How do they know the applicant?").fill("Former manager")
        follow(staff, staff.get_by_role("button", name="Send the request"))
        expect(staff.get_by_role("status")).to_contain_text(f"We have emailed {name}")


def _answer_as_referee(referee: Page, link: str) -> None:
    visit(referee, link)
    heading = referee.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"A reference for {APPLICANT_NAME}")
    referee.get_by_label("How long have you known them, and in what capacity?").fill(
        "Four years, as their manager"
    )
    referee.get_by_label("What would make them suited to a role supporting other people?").fill(
        "Patient, steady and kind."
    )
    referee.get_by_label("Yes, I would recommend them").check()
    follow(referee, referee.get_by_role("button", name="Send my reference"))
    expect(referee.get_by_role("heading", level=1)).to_have_text("Thank you for your reference")


def _finish_screening(staff: Page, today: str) -> None:
    visit(staff, staff.url)  # the coordinator comes back to the applicant's page later
    expect(staff.get_by_role("heading", name="References · 2 of 2 received")).to_be_visible()

    follow(staff, staff.get_by_role("link", name="Record a background check"))
    staff.get_by_label("Type of check").select_option(label="Enhanced DBS check")
    staff.get_by_label("Certificate or reference number").fill("001234567890")
    staff.get_by_label("Date of the check").fill(today)
    staff.get_by_label("Clear", exact=True).check()
    follow(staff, staff.get_by_role("button", name="Save the check"))
    expect(staff.get_by_role("status")).to_contain_text("The background check is recorded.")

    expect(staff.get_by_role("main")).to_contain_text("Screening is complete.")
    follow(staff, staff.get_by_role("button", name="Approve to train"))
    expect(staff.get_by_role("status")).to_contain_text(f"{APPLICANT_NAME} is approved to train.")


def _train(mentor: Page, password_link: str, self_paced: list[tuple[str, int]]) -> None:
    visit(mentor, password_link)
    mentor.get_by_label(re.compile(r"^New password$", re.I)).fill(NEW_PASSWORD)
    mentor.get_by_label(re.compile(r"^New password \(again\)$", re.I)).fill(NEW_PASSWORD)
    follow(mentor, mentor.get_by_role("button", name="Save password"))
    expect(mentor.get_by_role("heading", level=1)).to_have_text("Your password is saved")

    follow(mentor, mentor.get_by_role("main").get_by_role("link", name="Sign in"))
    submit_credentials(mentor, APPLICANT_EMAIL, NEW_PASSWORD)
    expect(mentor).to_have_url(re.compile(r"/dashboard/$"))

    follow(mentor, _menu(mentor).get_by_role("link", name="Training"))
    expect(mentor.get_by_role("heading", level=1)).to_have_text("Your training")
    for title, minutes in self_paced:
        follow(mentor, mentor.get_by_role("link", name=title))
        expect(mentor.get_by_role("heading", level=1)).to_have_text(title)
        mentor.get_by_label("How many minutes did you spend on it?").fill(str(minutes))
        follow(mentor, mentor.get_by_role("button", name="Mark as completed"))
        expect(mentor.get_by_role("status")).to_contain_text(f"“{title}” is marked as completed")
    expect(mentor.get_by_text("2 of 3 required modules")).to_be_visible()


def _record_attendance_and_certify(staff: Page, in_person: str) -> None:
    follow(staff, _menu(staff).get_by_role("link", name="Trainees"))
    follow(staff, staff.get_by_role("link", name=APPLICANT_NAME))
    attendance = staff.get_by_role("region", name=in_person)
    follow(staff, attendance.get_by_role("button", name="Record attendance"))  # the defaults fit
    expect(staff.get_by_role("status")).to_contain_text(f"Attendance at “{in_person}” is recorded")
    expect(staff.get_by_text("Nothing is missing")).to_be_visible()
    follow(staff, staff.get_by_role("button", name="Certify as a mentor"))
    expect(staff.get_by_role("status")).to_contain_text(
        f"{DISPLAY_NAME} is now a certified mentor until"
    )


def _choose_to_be_listed(mentor: Page) -> None:
    """The new mentor checks what their profile shows, then chooses to be listed."""
    visit(mentor, "/dashboard/")
    follow(mentor, _menu(mentor).get_by_role("link", name="Your profile"))
    follow(mentor, mentor.get_by_role("button", name="Start taking new mentees"))
    expect(mentor.get_by_role("status")).to_contain_text("mentees can now find you")


def _find_in_directory(finder: Page) -> None:
    follow(finder, _menu(finder).get_by_role("link", name="Find a mentor"))
    expect(finder.get_by_role("heading", level=1)).to_have_text("Find a mentor")
    mentor_card = finder.get_by_role("article", name=DISPLAY_NAME)
    expect(mentor_card).to_contain_text("Anxiety")
    expect(mentor_card).to_contain_text("Video call")
    follow(finder, mentor_card.get_by_role("link", name=DISPLAY_NAME))
    expect(finder.get_by_role("heading", level=1)).to_have_text(DISPLAY_NAME)
    expect(finder.get_by_role("button", name="Ask for this mentor")).to_be_visible()


def test_a_member_of_the_public_becomes_a_listed_mentor(
    organisation, areas, coordinator, mentee, open_page, live_server
):
    interview_question_create(actor=coordinator, organisation=organisation, text=QUESTION)
    self_paced = [("Role and boundaries", 30), ("Safeguarding", 45)]
    for position, (title, minutes) in enumerate(self_paced, start=1):
        TrainingModuleFactory(
            organisation=organisation, title=title, min_minutes=minutes, position=position
        )
    in_person = "Listening skills day"
    TrainingModuleFactory(
        organisation=organisation,
        title=in_person,
        delivery=Delivery.IN_PERSON,
        min_minutes=60,
        position=3,
    )
    programme = programme_settings(organisation)
    programme.min_training_minutes = sum(minutes for _, minutes in self_paced) + 60
    programme.save(update_fields=["min_training_minutes"])
    today = timezone.localdate().isoformat()

    _apply_as_a_member_of_the_public(open_page(), organisation)

    staff = open_page()
    sign_in(staff, coordinator)
    _screen_up_to_references(staff, today)
    for _, email in REFEREES:
        link = _link_in_email(email, r"/mentors/reference/\S+/", live_server)
        _answer_as_referee(open_page(), link)
    _finish_screening(staff, today)

    password_link = _link_in_email(
        APPLICANT_EMAIL, r"/accounts/password/reset/key/\S+/", live_server
    )
    new_mentor = open_page()
    _train(new_mentor, password_link, self_paced)

    _record_attendance_and_certify(staff, in_person)
    profile = MentorProfile.objects.get(user__email=APPLICANT_EMAIL)
    assert profile.is_certified and profile.application.stage == Stage.CERTIFIED
    assert not profile.is_available  # nothing is shown until the mentor has checked and chosen
    _choose_to_be_listed(new_mentor)

    finder = open_page()
    sign_in(finder, mentee)
    _find_in_directory(finder)
