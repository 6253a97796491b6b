"""The mentoring home, a relationship's overview, the agreement pages, strength notes and the
mentoring settings: who may open them, what they show (and never show), and each action."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from mentoring.concurrency import STALE
from mentoring.milestones import milestone_reach
from mentoring.models import (
    Agreement,
    MentoringSettings,
    Milestone,
    MilestoneKind,
    RelationshipStatus,
    StrengthNote,
)
from mentoring.statement import CONFIDENTIALITY, MENTORS_DO_NOT
from safeguarding.models import CrisisResource
from tests.factories import MembershipFactory
from tests.mentoring.access import (
    EVERYONE_INVOLVED,
    PAIR,
    PAIR_AND_STAFF,
    PEOPLE,
    check_page,
    client_as,
)
from tests.mentoring.factories import AgreementFactory, GoalFactory, MessageFactory, SessionFactory
from tests.mentoring.fixtures import _pair, activate
from tests.mentors.factories import MentorProfileFactory

pytestmark = pytest.mark.django_db

GOALS = "Feel able to go to the Wednesday group on my own."


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def form_data(**overrides):
    data = {
        "goals_in_own_words": GOALS,
        "meeting_frequency": "weekly",
        "meeting_format": "video",
        "usual_slot": "mon_evening",
        "usual_slot_note": "",
        "contact_channels": ["messages"],
        "contact_days": ["0", "1", "2", "3", "4"],
        "contact_from": "09:00",
        "contact_until": "20:00",
        "reply_within_hours": "48",
        "planned_sessions": "12",
        "planned_end_on": (timezone.localdate() + timedelta(weeks=26)).isoformat(),
        "anything_else": "",
        "client_key": "key-1",
        "version": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def drafted(relationship):
    """Version 1 written by the mentor, waiting for the mentee."""
    AgreementFactory(
        relationship=relationship,
        created_by=relationship.mentor.user,
        mentor_acknowledged_at=timezone.now(),
    )
    return relationship


def url(name, relationship):
    return reverse(f"mentoring:{name}", args=[relationship.pk])


# Access -----------------------------------------------------------------------------------------

READS = {
    "overview": PAIR_AND_STAFF,
    "agreement": PAIR_AND_STAFF,
    "agreement_history": PAIR_AND_STAFF,
    "agreement_edit": PAIR,
    "strengths": PAIR,
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", list(READS))
def test_who_may_open_each_page(name, person, request, client_for, drafted):
    response = client_as(person, request, client_for).get(url(name, drafted))
    check_page(response, person, READS[name])


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_acknowledge(person, request, client_for, drafted):
    response = client_as(person, request, client_for).post(
        url("agreement", drafted), {"version": "1"}
    )
    check_page(response, person, PAIR, ok=302)
    acknowledged = Agreement.objects.get().mentee_acknowledged_at is not None
    assert acknowledged == (person == "mentee")


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_write_the_agreement(person, request, client_for, relationship):
    response = client_as(person, request, client_for).post(
        url("agreement_edit", relationship), form_data()
    )
    check_page(response, person, PAIR, ok=302)
    assert Agreement.objects.count() == (1 if person in PAIR else 0)


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_write_a_strength_note(person, request, client_for, active_relationship):
    response = client_as(person, request, client_for).post(
        url("strengths", active_relationship), {"text": "You listen well.", "client_key": "k"}
    )
    check_page(response, person, ["mentor"], ok=302)
    assert StrengthNote.objects.count() == (1 if person == "mentor" else 0)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_an_admin_opens_the_settings(person, method, request, client_for):
    client = client_as(person, request, client_for)
    path = reverse("mentoring:settings")
    response = client.get(path) if method == "get" else client.post(path, {})
    check_page(response, person, ["admin"])


INDEX = {
    "mentee": 302,
    "other_mentee": 200,
    "mentor": 200,
    "other_mentor": 200,
    "supervisor": 200,
    "coordinator": 302,
    "admin": 302,
    "other_org_coordinator": 302,
    "referrer": 404,
    "outsider": 404,
}


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_open_the_mentoring_home(person, request, client_for, relationship):
    response = client_as(person, request, client_for).get(reverse("mentoring:index"))
    if person == "anonymous":
        check_page(response, person, [])
        return
    expected = INDEX[person]
    if expected == 302 and person != "mentee" and not _staff_list():
        expected = 200  # the staff list is not installed: staff see the list here instead
    assert response.status_code == expected, person


def _staff_list() -> str:
    try:
        return reverse("mentoring:relationships")
    except NoReverseMatch:
        return ""


ENDED_READS = ["overview", "agreement", "agreement_history", "strengths"]


@pytest.mark.parametrize("name", [*ENDED_READS, "agreement_edit"])
def test_the_mentor_loses_access_once_ended(name, client_for, mentor, ended_relationship):
    assert client_for(mentor).get(url(name, ended_relationship)).status_code == 404


@pytest.mark.parametrize("name", ENDED_READS)
def test_the_mentee_still_reads_once_ended(name, client_for, mentee, ended_relationship):
    assert client_for(mentee).get(url(name, ended_relationship)).status_code == 200


def test_the_mentee_cannot_change_anything_once_ended(client_for, mentee, ended_relationship):
    client = client_for(mentee)
    before = Agreement.objects.get()
    before.mentee_acknowledged_at = None
    before.save(update_fields=["mentee_acknowledged_at"])
    assert client.get(url("agreement_edit", ended_relationship)).status_code == 404
    assert client.post(url("agreement_edit", ended_relationship), form_data()).status_code == 404
    assert client.post(url("agreement", ended_relationship), {"version": "1"}).status_code == 404
    response = client.get(url("agreement", ended_relationship))
    assert "I have read this and agree" not in text_of(response)
    assert "Suggest a change" not in text_of(response)
    assert Agreement.objects.count() == 1
    assert Agreement.objects.get().mentee_acknowledged_at is None


def test_supervisors_and_staff_never_see_strength_notes(
    client_for, supervisor, coordinator, active_relationship
):
    StrengthNote.objects.create(relationship=active_relationship, text="Brave")
    for person in (supervisor, coordinator):
        assert client_for(person).get(url("strengths", active_relationship)).status_code == 404


# The mentoring home -----------------------------------------------------------------------------


def test_a_mentee_goes_straight_to_their_mentoring(client_for, mentee, relationship):
    response = client_for(mentee).get(reverse("mentoring:index"))
    assert response.url == url("overview", relationship)


def test_a_mentee_goes_to_their_current_mentoring_rather_than_an_ended_one(
    client_for, mentee, ended_relationship, organisation, other_mentor_profile
):
    current = _pair(organisation, other_mentor_profile, mentee, "Samira Quinlan")
    response = client_for(mentee).get(reverse("mentoring:index"))
    assert response.url == url("overview", current)


def test_a_mentee_whose_mentoring_ended_goes_to_it(client_for, mentee, ended_relationship):
    response = client_for(mentee).get(reverse("mentoring:index"))
    assert response.url == url("overview", ended_relationship)


def test_a_mentee_without_mentoring_sees_a_calm_page(client_for, other_mentee):
    response = client_for(other_mentee).get(reverse("mentoring:index"))
    assert response.status_code == 200
    assert "No mentoring yet" in text_of(response)


def test_staff_go_to_the_programme_list(client_for, coordinator):
    response = client_for(coordinator).get(reverse("mentoring:index"))
    if _staff_list():
        assert response.status_code == 302
        assert response.url == _staff_list()


def test_the_mentor_sees_their_mentees_with_what_is_next(
    client_for, mentor, mentee, active_relationship
):
    soon = timezone.now() + timedelta(days=2)
    SessionFactory(relationship=active_relationship, scheduled_for=soon)
    MessageFactory(relationship=active_relationship, sender=mentee)
    MessageFactory(relationship=active_relationship, sender=mentee)
    MessageFactory(relationship=active_relationship, sender=mentor)
    response = client_for(mentor).get(reverse("mentoring:index"))
    page = text_of(response)
    assert "Your mentees" in page
    assert "Sam" in page or "Samira" in page
    assert "Quinlan" not in page
    assert "2 unread" in page
    assert timezone.localtime(soon).strftime("%H:%M") in page
    assert url("overview", active_relationship) in page


def test_an_ended_mentee_is_not_on_the_mentors_list(client_for, mentor, ended_relationship):
    page = text_of(client_for(mentor).get(reverse("mentoring:index")))
    assert url("overview", ended_relationship) not in page
    assert "not mentoring anyone" in page


def test_the_supervisor_sees_their_mentors_relationships_and_no_messages(
    client_for, supervisor, active_relationship, other_relationship, mentee
):
    MessageFactory(relationship=active_relationship, sender=mentee)
    page = text_of(client_for(supervisor).get(reverse("mentoring:index")))
    assert "Mentoring relationships" in page
    assert "unread" not in page
    assert f'href="{url("overview", active_relationship)}"' not in page
    assert f'href="{url("overview", other_relationship)}"' not in page
    sessions = _link("mentoring:sessions", active_relationship)
    if sessions:
        assert sessions in page
    assert "Olu" not in page


def _link(name, relationship):
    try:
        return reverse(name, args=[relationship.pk])
    except NoReverseMatch:
        return ""


def test_the_mentors_list_is_a_fixed_number_of_queries(
    client_for, mentor, organisation, supervised_profile, mentee, django_assert_max_num_queries
):
    from tests.factories import UserFactory

    client = client_for(mentor)

    def add(count):
        for index in range(count):
            person = UserFactory()
            MembershipFactory(organisation=organisation, user=person, role="mentee")
            made = activate(_pair(organisation, supervised_profile, person, f"Person {index}"))
            SessionFactory(relationship=made)
            MessageFactory(relationship=made, sender=person)

    add(1)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("mentoring:index"))
    add(5)
    with CaptureQueriesContext(connection) as several:
        response = client.get(reverse("mentoring:index"))
    assert response.content.decode().count("1 unread") == 6
    assert len(several) == len(one)
    with django_assert_max_num_queries(12):
        client.get(reverse("mentoring:index"))


# The overview -----------------------------------------------------------------------------------


def test_before_the_agreement_the_overview_explains_the_first_meeting(
    client_for, mentee, relationship
):
    relationship.introduction_at = timezone.now() + timedelta(days=3)
    relationship.introduction_format = "video"
    relationship.save(update_fields=["introduction_at", "introduction_format"])
    page = text_of(client_for(mentee).get(url("overview", relationship)))
    assert "Getting started" in page
    assert "make your agreement together" in page
    assert "You have not made your agreement yet" in page
    assert "Video call" in page


def test_the_overview_says_whose_turn_it_is(client_for, mentor, mentee, coordinator, drafted):
    assert "ready for you to read" in text_of(client_for(mentee).get(url("overview", drafted)))
    mentor_page = text_of(client_for(mentor).get(url("overview", drafted)))
    assert "waiting for Sam" in mentor_page or "waiting for Samira" in mentor_page
    staff_page = text_of(client_for(coordinator).get(url("overview", drafted)))
    assert "waiting for" in staff_page
    assert "Draft the agreement" not in staff_page


def test_the_overview_shows_what_is_next_and_how_things_are_going(
    client_for, mentor, mentee, active_relationship
):
    SessionFactory(relationship=active_relationship)
    goal = GoalFactory(relationship=active_relationship)
    from tests.mentoring.factories import StepFactory

    StepFactory(goal=goal, done_at=timezone.now())
    StepFactory(goal=goal)
    MessageFactory(relationship=active_relationship, sender=mentor)
    StrengthNote.objects.create(relationship=active_relationship, text="Brave", written_by=mentor)
    page = text_of(client_for(mentee).get(url("overview", active_relationship)))
    assert "You have both agreed version 1" in page
    assert "0 of 1 goal reached, 1 of 2 steps done" in page
    assert "1 new message from" in page
    assert "has written 1 note" in page
    assert "No session is planned yet" not in page


def test_staff_see_no_messages_or_strengths_on_the_overview(
    client_for, coordinator, active_relationship, mentee
):
    MessageFactory(relationship=active_relationship, sender=mentee)
    page = text_of(client_for(coordinator).get(url("overview", active_relationship)))
    assert "Messages" not in page.split("</nav>", 1)[1]
    assert "Strengths" not in page
    assert "Both have agreed version 1" in page


def test_the_mentee_sees_a_celebration_once(client_for, mentee, active_relationship):
    milestone_reach(active_relationship, MilestoneKind.AGREEMENT)
    client = client_for(mentee)
    first = text_of(client.get(url("overview", active_relationship)))
    assert "Something to celebrate" in first
    assert "You made your agreement" in first
    assert Milestone.objects.get().seen_at is not None
    again = text_of(client.get(url("overview", active_relationship)))
    assert "Something to celebrate" not in again


def test_the_mentor_opening_the_overview_does_not_use_up_the_celebration(
    client_for, mentor, active_relationship
):
    milestone_reach(active_relationship, MilestoneKind.AGREEMENT)
    page = text_of(client_for(mentor).get(url("overview", active_relationship)))
    assert "Something to celebrate" not in page
    assert Milestone.objects.get().seen_at is None


def test_a_planned_ending_links_to_the_ending(client_for, mentee, active_relationship):
    active_relationship.status = RelationshipStatus.CLOSING
    active_relationship.save(update_fields=["status"])
    page = text_of(client_for(mentee).get(url("overview", active_relationship)))
    assert "Coming to a planned end" in page
    ending = _link("mentoring:ending", active_relationship)
    if ending:
        assert ending in page


def test_links_to_other_sections_appear_only_when_installed(
    client_for, mentee, active_relationship
):
    page = client_for(mentee).get(url("overview", active_relationship)).content.decode()
    for name in ("sessions", "goals", "messages", "concern_new"):
        target = _link(f"mentoring:{name}", active_relationship)
        if target:
            assert f'href="{target}"' in page
    assert 'href=""' not in page


# The agreement ----------------------------------------------------------------------------------


def test_before_it_is_made_the_pair_are_invited_to_draft_it(client_for, mentee, relationship):
    page = text_of(client_for(mentee).get(url("agreement", relationship)))
    assert "Not made yet" in page
    assert "Draft the agreement" in page
    assert MENTORS_DO_NOT[0] in page
    assert CONFIDENTIALITY[1][:60] in page


def test_the_agreement_shows_the_terms_the_statement_and_who_agreed(
    client_for, mentee, coordinator, drafted
):
    goals = Agreement.objects.get().goals_in_own_words
    page = text_of(client_for(mentee).get(url("agreement", drafted)))
    assert goals in page
    assert "Every week" in page
    assert "Video call, usually Monday evening" in page
    assert "Monday to Friday, 09:00 to 20:00" in page
    assert "answered within 48 hours" in page
    assert "12 sessions, until" in page
    assert MENTORS_DO_NOT[2] in page
    assert "(mentor): agreed on" in page
    assert ": not yet" in page
    assert "I have read this and agree" in page
    staff = text_of(client_for(coordinator).get(url("agreement", drafted)))
    assert goals in staff
    assert "I have read this and agree" not in staff
    assert "Suggest a change" not in staff


def test_the_mentee_acknowledges_and_mentoring_starts(client_for, mentee, drafted):
    client = client_for(mentee)
    response = client.post(url("agreement", drafted), {"version": "1"}, follow=True)
    page = text_of(response)
    assert "You have both agreed, so your mentoring has now started" in page
    drafted.refresh_from_db()
    assert drafted.status == RelationshipStatus.ACTIVE
    assert "You acknowledged this version on" in page
    # Twice is harmless.
    again = client.post(url("agreement", drafted), {"version": "1"}, follow=True)
    assert again.status_code == 200
    overview = text_of(client.get(url("overview", drafted)))
    assert "You made your agreement" in overview


def test_acknowledging_an_older_version_asks_to_read_the_new_one(
    client_for, mentor, mentee, drafted
):
    AgreementFactory(
        relationship=drafted,
        version=2,
        created_by=mentee,
        mentee_acknowledged_at=timezone.now(),
        goals_in_own_words="Sleep better",
        change_note="In my words",
    )
    response = client_for(mentor).post(url("agreement", drafted), {"version": "1"}, follow=True)
    page = text_of(response)
    assert "changed after you opened it" in page
    assert "Sleep better" in page
    assert Agreement.objects.get(version=2).mentor_acknowledged_at is None


# Writing the agreement --------------------------------------------------------------------------


def test_the_draft_starts_from_the_organisations_settings(client_for, mentor, relationship):
    MentoringSettings.objects.create(
        organisation=relationship.organisation,
        planned_sessions=10,
        planned_weeks=20,
        reply_within_hours=24,
        contact_until=time(19),
    )
    response = client_for(mentor).get(url("agreement_edit", relationship))
    form = response.context["form"]
    assert form.initial["planned_sessions"] == 10
    assert form.initial["reply_within_hours"] == 24
    assert form.initial["contact_until"] == time(19)
    assert form.initial["planned_end_on"] == timezone.localdate() + timedelta(weeks=20)
    assert "change_note" not in form.fields
    page = text_of(response)
    assert "Draft your agreement" in page
    assert '<label class="form-label fw-semibold" for="id_goals_in_own_words">' in page


def test_the_mentor_drafts_it_and_is_taken_to_read_it(client_for, mentor, relationship):
    response = client_for(mentor).post(
        url("agreement_edit", relationship), form_data(), follow=True
    )
    page = text_of(response)
    assert "your acknowledgement is recorded" in page
    agreement = Agreement.objects.get()
    assert agreement.version == 1
    assert agreement.mentor_acknowledged_at is not None
    assert GOALS in page


def test_a_double_click_makes_one_version(client_for, mentor, relationship):
    client = client_for(mentor)
    client.post(url("agreement_edit", relationship), form_data())
    second = client.post(url("agreement_edit", relationship), form_data())
    assert second.status_code == 302
    assert Agreement.objects.count() == 1


def test_bad_answers_are_shown_next_to_their_field_with_the_text_kept(
    client_for, mentor, relationship
):
    response = client_for(mentor).post(
        url("agreement_edit", relationship),
        form_data(
            contact_from="21:00",
            contact_until="08:00",
            contact_days=[],
            planned_end_on=(timezone.localdate() - timedelta(days=1)).isoformat(),
            anything_else="We will text before each session.",
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "contact_days" in form.errors
    page = text_of(response)
    assert "Some answers need another look" in page
    assert "We will text before each session." in page
    assert GOALS in page
    assert not Agreement.objects.exists()


def test_bad_dates_and_hours_are_explained_by_the_service(client_for, mentor, relationship):
    response = client_for(mentor).post(
        url("agreement_edit", relationship),
        form_data(
            contact_from="21:00",
            contact_until="08:00",
            reply_within_hours="500",
            planned_end_on=(timezone.localdate() - timedelta(days=1)).isoformat(),
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "after the earliest time" in errors["contact_until"][0]
    assert "between 1 and 168" in errors["reply_within_hours"][0]
    assert "in the future" in errors["planned_end_on"][0]
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_change_needs_a_change_note(client_for, mentee, active_relationship):
    client = client_for(mentee)
    form = client.get(url("agreement_edit", active_relationship)).context["form"]
    assert form.initial["version"] == 1
    assert form.fields["change_note"].required
    response = client.post(
        url("agreement_edit", active_relationship), form_data(version="1", planned_sessions="8")
    )
    assert response.status_code == 200
    assert "change_note" in response.context["form"].errors
    response = client.post(
        url("agreement_edit", active_relationship),
        form_data(version="1", planned_sessions="8", change_note="Fewer sessions"),
    )
    assert response.status_code == 302
    assert Agreement.objects.get(version=2).change_note == "Fewer sessions"


def test_a_stale_save_keeps_the_typed_text_and_shows_the_latest(
    client_for, mentor, mentee, active_relationship
):
    AgreementFactory(
        relationship=active_relationship,
        version=2,
        created_by=mentee,
        mentee_acknowledged_at=timezone.now(),
        goals_in_own_words="Sleep better, in my words",
        change_note="My words",
    )
    client = client_for(mentor)
    response = client.post(
        url("agreement_edit", active_relationship),
        form_data(
            version="1", goals_in_own_words="Mentor's retelling", change_note="Tidied the goals"
        ),
    )
    assert response.status_code == 200
    page = text_of(response)
    assert STALE in page
    assert "Mentor&#x27;s retelling" in page or "Mentor's retelling" in page
    assert "Tidied the goals" in page
    assert "The latest saved version (version 2)" in page
    assert "Sleep better, in my words" in page
    assert response.context["form"].data["version"] == "2"
    assert Agreement.objects.count() == 2
    # Saving again now counts against the latest version.
    again = client.post(
        url("agreement_edit", active_relationship),
        dict(response.context["form"].data.lists()),
    )
    assert again.status_code == 302
    assert Agreement.objects.get(version=3).goals_in_own_words == "Mentor's retelling"


def test_two_first_drafts_at_once_keep_the_second_writers_text(
    client_for, mentor, mentee, relationship
):
    client_for(mentee).post(url("agreement_edit", relationship), form_data())
    response = client_for(mentor).post(
        url("agreement_edit", relationship),
        form_data(goals_in_own_words="Get back to the allotment"),
    )
    assert response.status_code == 200
    assert STALE in text_of(response)
    assert "Get back to the allotment" in text_of(response)
    assert "change_note" in response.context["form"].fields
    assert Agreement.objects.count() == 1


def test_history_lists_every_version_newest_first(client_for, mentee, active_relationship):
    AgreementFactory(
        relationship=active_relationship,
        version=2,
        created_by=mentee,
        mentee_acknowledged_at=timezone.now(),
        change_note="Fortnightly now",
        meeting_frequency="fortnightly",
    )
    page = text_of(client_for(mentee).get(url("agreement_history", active_relationship)))
    assert page.index("Version 2") < page.index("Version 1")
    assert "Fortnightly now" in page
    assert "Every two weeks" in page
    assert "not yet" in page


# Strengths --------------------------------------------------------------------------------------


def test_the_mentor_writes_a_strength_and_the_mentee_keeps_it(
    client_for, mentor, mentee, active_relationship
):
    response = client_for(mentor).post(
        url("strengths", active_relationship),
        {"text": "You kept going even on the hard weeks.", "client_key": "s1"},
        follow=True,
    )
    assert "Your note is saved" in text_of(response)
    page = text_of(client_for(mentee).get(url("strengths", active_relationship)))
    assert "You kept going even on the hard weeks." in page
    assert "Write a note" not in page


def test_a_strength_sent_twice_is_saved_once(client_for, mentor, active_relationship):
    client = client_for(mentor)
    for _ in range(2):
        client.post(url("strengths", active_relationship), {"text": "Kind", "client_key": "same"})
    assert StrengthNote.objects.count() == 1


def test_an_empty_strength_is_explained(client_for, mentor, active_relationship):
    response = client_for(mentor).post(
        url("strengths", active_relationship), {"text": "  ", "client_key": "s"}
    )
    assert response.status_code == 200
    assert "text" in response.context["form"].errors


def test_worrying_words_in_a_strength_note_show_where_to_get_help(
    client_for, mentor, active_relationship, organisation
):
    CrisisResource.objects.create(
        organisation=organisation, name="Riverside Crisis Line", phone="0800 000 000"
    )
    response = client_for(mentor).post(
        url("strengths", active_relationship),
        {"text": "You told me you still want to die some days, and you came anyway."},
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "If you need help now" in page
    assert "Riverside Crisis Line" in page
    # The mentor is not told someone will contact them, but what to do, and not to be alone.
    assert "someone from the team will get in touch" not in page
    assert "You are not alone with this" in page
    assert StrengthNote.objects.count() == 1


def test_the_mentee_keeps_their_strengths_after_the_end(
    client_for, mentee, ended_relationship, mentor
):
    StrengthNote.objects.create(relationship=ended_relationship, text="Brave", written_by=mentor)
    page = text_of(client_for(mentee).get(url("strengths", ended_relationship)))
    assert "Brave" in page
    assert "This mentoring has ended" in page


# Settings ---------------------------------------------------------------------------------------


def settings_data(**overrides):
    data = {
        "planned_sessions": "10",
        "planned_weeks": "20",
        "reply_within_hours": "24",
        "contact_from": "08:30",
        "contact_until": "19:00",
        "session_reminder_hours": "12",
        "missed_sessions_alert": "2",
        "follow_up_weeks": "8",
    }
    data.update(overrides)
    return data


def test_an_admin_saves_the_mentoring_settings(client_for, admin, organisation):
    client = client_for(admin)
    page = text_of(client.get(reverse("mentoring:settings")))
    assert "Mentoring settings" in page
    response = client.post(reverse("mentoring:settings"), settings_data(), follow=True)
    assert "The mentoring settings are saved" in text_of(response)
    saved = MentoringSettings.objects.get(organisation=organisation)
    assert (saved.planned_sessions, saved.contact_from) == (10, time(8, 30))


def test_bad_settings_are_explained_and_kept(client_for, admin, organisation):
    response = client_for(admin).post(
        reverse("mentoring:settings"),
        settings_data(planned_weeks="300", contact_from="20:00", contact_until="07:00"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "planned_weeks" in errors
    assert "contact_until" in errors
    assert 'value="300"' in response.content.decode()
    assert not MentoringSettings.objects.filter(organisation=organisation).exists()


def test_everyone_involved_can_open_something(client_for, request, active_relationship):
    """A sanity check on the table above: each involved person reaches at least one page."""
    for person in EVERYONE_INVOLVED:
        client = client_as(person, request, client_for)
        assert client.get(reverse("mentoring:index")).status_code in (200, 302)


def test_another_organisations_relationship_is_a_404(client_for, mentor, other_org_relationship):
    for name in READS:
        assert client_for(mentor).get(url(name, other_org_relationship)).status_code == 404


def test_unknown_relationships_are_a_404(client_for, mentee):
    assert client_for(mentee).get("/mentoring/999999/").status_code == 404


def test_the_mentors_profile_is_not_enough_to_see_someone_elses_mentee(
    client_for, organisation, active_relationship
):
    stranger = MentorProfileFactory(organisation=organisation)
    MembershipFactory(organisation=organisation, user=stranger.user, role="mentor")
    response = client_for(stranger.user).get(url("overview", active_relationship))
    assert response.status_code == 404
