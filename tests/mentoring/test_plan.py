"""The wellbeing and independence plan: the mentee writes it (their mentor can help while the
relationship lasts), marks it ready, and keeps a printable copy. Staff read it; nobody else
sees it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from mentoring.concurrency import STALE
from mentoring.models import Milestone, MilestoneKind, SessionStatus, WellbeingPlan
from mentoring.services.plans import (
    ENDED,
    plan_for,
    plan_mark_ready,
    plan_save,
    skills_shared,
)
from safeguarding.models import AlertSign, CrisisResource
from tests.mentoring.access import PEOPLE, check_page, client_as
from tests.mentoring.factories import SessionFactory

pytestmark = pytest.mark.django_db

PLAN = "/mentoring/{pk}/plan/"
PRINT = "/mentoring/{pk}/plan/print/"


def save(actor, relationship, version=1, **fields):
    return plan_save(actor=actor, relationship=relationship, version=version, **fields)


@pytest.fixture
def written_plan(active_relationship, mentee):
    return save(mentee, active_relationship, what_helps="Walking by the river").plan


@pytest.fixture
def crisis_line(organisation):
    return CrisisResource.objects.create(
        organisation=organisation, name="Riverside Crisis Line", phone="0800 123 456"
    )


# Services ----------------------------------------------------------------------------------------


def test_a_plan_nobody_wrote_is_blank_and_unsaved(active_relationship):
    plan = plan_for(active_relationship)
    assert plan.pk is None
    assert plan.version == 1
    assert plan.what_helps == ""


def test_the_mentee_starts_their_plan(active_relationship, mentee):
    saved = save(mentee, active_relationship, what_helps="  Walking by the river  ")
    assert saved.changed
    plan = WellbeingPlan.objects.get(relationship=active_relationship)
    assert plan.what_helps == "Walking by the river"
    assert plan.version == 2
    assert plan.updated_by == mentee
    event = AuditEvent.objects.get(action="wellbeing_plan.saved")
    assert event.metadata["by"] == "mentee"
    assert "river" not in str(event.metadata)


def test_the_mentor_can_help_write_it(written_plan, active_relationship, mentor):
    save(mentor, active_relationship, version=2, my_toolkit="Box breathing")
    written_plan.refresh_from_db()
    assert written_plan.my_toolkit == "Box breathing"
    assert written_plan.what_helps == "Walking by the river"  # parts not sent stay as they were
    assert written_plan.version == 3


@pytest.mark.parametrize("person", ["coordinator", "supervisor", "other_mentee", "other_mentor"])
def test_nobody_else_can_write_it(person, request, active_relationship):
    with pytest.raises(ValidationError):
        save(request.getfixturevalue(person), active_relationship, what_helps="Not mine")
    assert not WellbeingPlan.objects.exists()


def test_after_the_ending_the_plan_cannot_change(written_plan, ended_relationship, mentee):
    with pytest.raises(ValidationError) as caught:
        save(mentee, ended_relationship, version=2, what_helps="Changed")
    assert caught.value.messages == [ENDED]


def test_a_save_against_an_older_version_is_stale(written_plan, active_relationship, mentor):
    with pytest.raises(ValidationError) as caught:
        save(mentor, active_relationship, version=1, what_helps="Something else")
    assert caught.value.message_dict == {"version": [STALE]}
    written_plan.refresh_from_db()
    assert written_plan.what_helps == "Walking by the river"


def test_two_people_starting_it_at_once_cannot_overwrite_each_other(
    active_relationship, mentee, mentor
):
    save(mentee, active_relationship, version=1, what_helps="Mine")
    with pytest.raises(ValidationError):
        save(mentor, active_relationship, version=1, what_helps="Theirs")


def test_a_double_click_saves_once(written_plan, active_relationship, mentee):
    again = save(mentee, active_relationship, version=1, what_helps="Walking by the river")
    assert not again.changed
    written_plan.refresh_from_db()
    assert written_plan.version == 2
    assert AuditEvent.objects.filter(action="wellbeing_plan.saved").count() == 1


def test_a_part_that_is_too_long_is_refused(active_relationship, mentee):
    with pytest.raises(ValidationError) as caught:
        save(mentee, active_relationship, warning_signs="x" * 4001)
    assert "warning_signs" in caught.value.message_dict


def test_unknown_parts_are_a_programming_error(active_relationship, mentee):
    with pytest.raises(TypeError):
        save(mentee, active_relationship, favourite_colour="blue")


def test_words_that_suggest_risk_tell_staff_without_content(
    active_relationship, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        saved = save(mentee, active_relationship, warning_signs="I start to want to die")
    assert saved.is_risk
    assert mail.outbox
    assert all("die" not in message.body for message in mail.outbox)
    assert AuditEvent.objects.get(action="safeguarding.alert_raised").metadata["source"] == "plan"
    sign = AlertSign.objects.get()
    assert (sign.object_type, sign.object_id) == ("mentoring.wellbeingplan", str(saved.plan.pk))


def test_the_mentee_marks_it_ready_once(written_plan, active_relationship, mentee):
    plan_mark_ready(actor=mentee, relationship=active_relationship)
    written_plan.refresh_from_db()
    first = written_plan.ready_at
    assert first is not None
    plan_mark_ready(actor=mentee, relationship=active_relationship)
    written_plan.refresh_from_db()
    assert written_plan.ready_at == first
    assert Milestone.objects.filter(kind=MilestoneKind.PLAN_READY).count() == 1
    assert AuditEvent.objects.filter(action="wellbeing_plan.ready").count() == 1


def test_only_the_mentee_marks_it_ready(written_plan, active_relationship, mentor):
    with pytest.raises(ValidationError):
        plan_mark_ready(actor=mentor, relationship=active_relationship)


def test_an_empty_plan_cannot_be_ready(active_relationship, mentee):
    with pytest.raises(ValidationError):
        plan_mark_ready(actor=mentee, relationship=active_relationship)
    WellbeingPlan.objects.create(relationship=active_relationship)
    with pytest.raises(ValidationError):
        plan_mark_ready(actor=mentee, relationship=active_relationship)


def test_skills_shared_in_held_sessions_are_suggested_once(active_relationship):
    SessionFactory(
        relationship=active_relationship,
        status=SessionStatus.HELD,
        scheduled_for=timezone.now() - timedelta(days=14),
        skills_shared="Box breathing\n- Grounding: five things you can see",
    )
    SessionFactory(
        relationship=active_relationship,
        status=SessionStatus.HELD,
        scheduled_for=timezone.now() - timedelta(days=7),
        skills_shared="box breathing",
    )
    SessionFactory(relationship=active_relationship, skills_shared="Not yet held")
    assert skills_shared(active_relationship) == [
        "box breathing",
        "Grounding: five things you can see",
    ]


# The plan page: who may open it ------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_plan_page_access(person, request, client_for, active_relationship):
    response = client_as(person, request, client_for).get(PLAN.format(pk=active_relationship.pk))
    check_page(response, person, ["mentee", "mentor", "coordinator", "admin"])


@pytest.mark.parametrize("person", PEOPLE)
def test_plan_saving_access(person, request, client_for, active_relationship):
    response = client_as(person, request, client_for).post(
        PLAN.format(pk=active_relationship.pk), {"version": "1", "what_helps": "Tea"}
    )
    check_page(response, person, ["mentee", "mentor"], ok=302)
    assert WellbeingPlan.objects.exists() == (person in ("mentee", "mentor"))


@pytest.mark.parametrize("person", PEOPLE)
def test_plan_ready_access(person, request, client_for, active_relationship, written_plan):
    response = client_as(person, request, client_for).post(
        PLAN.format(pk=active_relationship.pk), {"action": "ready"}
    )
    check_page(response, person, ["mentee"], ok=302)
    written_plan.refresh_from_db()
    assert (written_plan.ready_at is not None) == (person == "mentee")


@pytest.mark.parametrize("person", PEOPLE)
def test_plan_print_access(person, request, client_for, active_relationship):
    response = client_as(person, request, client_for).get(PRINT.format(pk=active_relationship.pk))
    check_page(response, person, ["mentee", "mentor"])


@pytest.mark.parametrize("person", PEOPLE)
def test_after_the_ending_only_the_mentee_reads_the_plan_and_prints_it(
    person, request, client_for, ended_relationship
):
    client = client_as(person, request, client_for)
    check_page(
        client.get(PLAN.format(pk=ended_relationship.pk)),
        person,
        ["mentee", "coordinator", "admin"],
    )
    check_page(client.get(PRINT.format(pk=ended_relationship.pk)), person, ["mentee"])


def test_after_the_ending_the_mentee_reads_but_cannot_change(
    client_for, mentee, ended_relationship
):
    WellbeingPlan.objects.create(relationship=ended_relationship, what_helps="Tea with Mum")
    client = client_for(mentee)
    url = PLAN.format(pk=ended_relationship.pk)
    page = client.get(url).content.decode()
    assert "Tea with Mum" in page
    assert "<textarea" not in page
    assert "My plan is ready" not in page
    response = client.post(url, {"version": "2", "what_helps": "Changed"}, follow=True)
    assert ENDED in response.content.decode()
    assert WellbeingPlan.objects.get().what_helps == "Tea with Mum"


# The plan page: writing it -----------------------------------------------------------------------


def test_the_mentee_writes_their_plan_on_the_page(client_for, mentee, active_relationship):
    client = client_for(mentee)
    url = PLAN.format(pk=active_relationship.pk)
    page = client.get(url).content.decode()
    assert "My wellbeing and independence plan" in page
    for label in (
        "What helps me",
        "My toolkit",
        "My people and places",
        "Early warning signs",
        "What I will do",
    ):
        assert label in page
    response = client.post(
        url,
        {
            "version": "1",
            "client_key": "abc",
            "what_helps": "Walking by the river",
            "what_i_will_do": "Call my sister",
        },
        follow=True,
    )
    assert "Your plan is saved." in response.content.decode()
    plan = WellbeingPlan.objects.get()
    assert (plan.what_helps, plan.what_i_will_do) == ("Walking by the river", "Call my sister")


def test_a_stale_save_keeps_the_typed_words_and_shows_the_latest(
    client_for, mentee, mentor, active_relationship
):
    save(mentor, active_relationship, what_helps="Written by the mentor")
    response = client_for(mentee).post(
        PLAN.format(pk=active_relationship.pk),
        {"version": "1", "what_helps": "My own words, typed carefully"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert STALE.split(":")[0] in page.replace("&#x27;", "'")
    assert "My own words, typed carefully" in page
    assert "Latest saved version" in page
    assert "Written by the mentor" in page
    assert 'name="version" value="2"' in page
    assert WellbeingPlan.objects.get().what_helps == "Written by the mentor"


def test_marking_it_ready_is_celebrated_once(client_for, mentee, active_relationship, written_plan):
    client = client_for(mentee)
    url = PLAN.format(pk=active_relationship.pk)
    assert "My plan is ready" in client.get(url).content.decode()
    page = client.post(url, {"action": "ready"}, follow=True).content.decode()
    assert "Your wellbeing plan is ready" in page
    assert "Marked ready on" in page
    assert "My plan is ready</button>" not in page
    assert "Your wellbeing plan is ready" not in client.get(url).content.decode()


def test_the_mentor_sees_whose_plan_it_is_and_cannot_mark_it_ready(
    client_for, mentor, active_relationship, written_plan
):
    page = client_for(mentor).get(PLAN.format(pk=active_relationship.pk)).content.decode()
    assert "Samira" in page or "Sam" in page
    assert "decides when it is ready" in page
    assert "<textarea" in page
    assert "My plan is ready" not in page


def test_staff_read_the_plan_without_a_form(
    client_for, coordinator, active_relationship, written_plan
):
    page = client_for(coordinator).get(PLAN.format(pk=active_relationship.pk)).content.decode()
    assert "Walking by the river" in page
    assert "<textarea" not in page
    assert "Read only" in page


def test_the_page_always_shows_where_to_get_help(
    client_for, mentee, active_relationship, crisis_line
):
    page = client_for(mentee).get(PLAN.format(pk=active_relationship.pk)).content.decode()
    assert "If things get hard" in page
    assert "Riverside Crisis Line" in page
    assert "0800 123 456" in page


def test_skills_from_sessions_are_suggested_for_the_toolkit(
    client_for, mentee, active_relationship
):
    SessionFactory(
        relationship=active_relationship,
        status=SessionStatus.HELD,
        scheduled_for=timezone.now() - timedelta(days=3),
        skills_shared="Box breathing",
    )
    page = client_for(mentee).get(PLAN.format(pk=active_relationship.pk)).content.decode()
    assert "Skills shared in your sessions" in page
    assert "Box breathing" in page


def test_a_risky_save_points_to_help(
    client_for, mentee, active_relationship, crisis_line, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(mentee).post(
            PLAN.format(pk=active_relationship.pk),
            {"version": "1", "warning_signs": "When I want to die"},
            follow=True,
        )
    page = response.content.decode()
    assert "can help today" in page
    assert "Riverside Crisis Line" in page


def test_a_too_long_part_is_shown_next_to_the_field_with_the_words_kept(
    client_for, mentee, active_relationship
):
    words = "calm " * 900
    response = client_for(mentee).post(
        PLAN.format(pk=active_relationship.pk), {"version": "1", "my_toolkit": words}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some answers need another look" in page
    assert words.strip()[:100] in page
    assert not WellbeingPlan.objects.exists()


def test_the_plan_page_takes_the_same_queries_however_many_sessions(
    client_for, mentee, active_relationship, written_plan, django_assert_num_queries
):
    client = client_for(mentee)
    url = PLAN.format(pk=active_relationship.pk)
    client.get(url)
    SessionFactory(
        relationship=active_relationship,
        status=SessionStatus.HELD,
        scheduled_for=timezone.now() - timedelta(days=1),
        skills_shared="Breathing",
    )
    with django_assert_num_queries(10):
        client.get(url)
    for days in range(2, 8):
        SessionFactory(
            relationship=active_relationship,
            status=SessionStatus.HELD,
            scheduled_for=timezone.now() - timedelta(days=days),
            skills_shared=f"Skill {days}",
        )
    with django_assert_num_queries(10):
        client.get(url)


# The printable plan ------------------------------------------------------------------------------


def test_the_printable_plan_has_the_plan_help_and_the_date(
    client_for, mentee, active_relationship, written_plan, crisis_line
):
    response = client_for(mentee).get(PRINT.format(pk=active_relationship.pk))
    page = response.content.decode()
    assert "Walking by the river" in page
    assert "Riverside Crisis Line" in page
    assert f"printed on {timezone.localdate().day} {timezone.localdate():%B %Y}" in page
    assert "Print or save as PDF" in page
    assert "alongside/print.css" in page
    assert "alongside/print.js" in page
    assert 'aria-label="This mentoring"' not in page
    assert "<script>" not in page
    assert response["Cache-Control"] == "no-store, private"


def test_the_mentee_prints_their_plan_after_the_ending(client_for, mentee, ended_relationship):
    WellbeingPlan.objects.create(relationship=ended_relationship, what_helps="Tea with Mum")
    page = client_for(mentee).get(PRINT.format(pk=ended_relationship.pk)).content.decode()
    assert "Tea with Mum" in page
