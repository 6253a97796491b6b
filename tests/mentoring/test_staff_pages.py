"""The coordinator's mentoring pages (relationships, check-ins, concerns, rematch) and the
pair's page for raising a concern: who may open them, what they show (and never show), and
each action with good and bad input."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from mentoring.concurrency import STALE
from mentoring.models import (
    CheckIn,
    CheckInKind,
    CheckInStatus,
    Concern,
    ConcernRequest,
    RelationshipStatus,
    SessionStatus,
)
from mentoring.selectors_staff import due_check_ins_count
from mentoring.services.checkins import check_in_record
from mentoring.views import staff as staff_views
from referrals.models import Status
from safeguarding.models import CrisisResource
from tests.conftest import make_member
from tests.mentoring.access import PAIR, PEOPLE, STAFF, check_page, client_as
from tests.mentoring.factories import CheckInFactory, ConcernFactory, SessionFactory
from tests.mentoring.fixtures import _pair, activate
from tests.mentors.factories import MentorProfileFactory

pytestmark = pytest.mark.django_db

MENTEE_WORDS = "My mentor cancels at the last minute and I feel let down."
MENTOR_WORDS = "I am not sure the sessions are helping and I feel out of my depth."


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def first_due(relationship, person="mentee") -> CheckIn:
    return relationship.check_ins.filter(person=person, status=CheckInStatus.DUE).order_by(
        "due_on"
    )[0]


def check_in_data(**overrides):
    return {
        "method": "video",
        "how_it_is_going": "Going well: they met four times.",
        "concerns": "",
        "actions": "Check again next month.",
        "version": "1",
        **overrides,
    }


def concern_data(**overrides):
    return {
        "topic": "communication",
        "request": "rematch",
        "details": MENTEE_WORDS,
        "client_key": "key-1",
        **overrides,
    }


@pytest.fixture
def staff(client_for, coordinator):
    return client_for(coordinator)


@pytest.fixture
def mentee_concern(active_relationship, mentee):
    return ConcernFactory(
        relationship=active_relationship,
        raised_by=mentee,
        details=MENTEE_WORDS,
        request=ConcernRequest.REMATCH,
    )


@pytest.fixture
def mentor_concern(active_relationship, mentor):
    return ConcernFactory(
        relationship=active_relationship,
        raised_by=mentor,
        raised_by_role="mentor",
        details=MENTOR_WORDS,
    )


# Who may open each page ------------------------------------------------------------------------

PAGES = {
    "relationships": (lambda r, c, k: reverse("mentoring:relationships"), STAFF),
    "check_ins": (lambda r, c, k: reverse("mentoring:check_ins"), STAFF),
    "relationship_check_ins": (
        lambda r, c, k: reverse("mentoring:relationship_check_ins", args=[r.pk]),
        STAFF,
    ),
    "check_in": (lambda r, c, k: reverse("mentoring:check_in", args=[r.pk, c.pk]), STAFF),
    "check_in_new": (lambda r, c, k: reverse("mentoring:check_in_new", args=[r.pk]), STAFF),
    "concern_new": (lambda r, c, k: reverse("mentoring:concern_new", args=[r.pk]), PAIR),
    "concern": (lambda r, c, k: reverse("mentoring:concern", args=[r.pk, k.pk]), STAFF),
    "rematch": (lambda r, c, k: reverse("mentoring:rematch", args=[r.pk]), STAFF),
}
# The two lists are the organisation's own, so another organisation's coordinator sees theirs.
LISTS = {"relationships", "check_ins"}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_open_each_page(
    name, person, request, client_for, active_relationship, mentee_concern
):
    url, allowed = PAGES[name]
    path = url(active_relationship, first_due(active_relationship), mentee_concern)
    response = client_as(person, request, client_for).get(path)
    if name in LISTS:
        allowed = [*allowed, "other_org_coordinator"]
    check_page(response, person, allowed)


POSTS = {
    "check_in": (
        lambda r, c, k: reverse("mentoring:check_in", args=[r.pk, c.pk]),
        STAFF,
        check_in_data(),
    ),
    "check_in_new": (
        lambda r, c, k: reverse("mentoring:check_in_new", args=[r.pk]),
        STAFF,
        check_in_data(person="mentor", client_key="extra-1"),
    ),
    "concern_new": (
        lambda r, c, k: reverse("mentoring:concern_new", args=[r.pk]),
        PAIR,
        concern_data(),
    ),
    "concern": (
        lambda r, c, k: reverse("mentoring:concern", args=[r.pk, k.pk]),
        STAFF,
        {"outcome": "talked_through", "note": ""},
    ),
    "rematch": (lambda r, c, k: reverse("mentoring:rematch", args=[r.pk]), STAFF, {"note": ""}),
}


@pytest.mark.parametrize("name", POSTS)
@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_send_each_form(
    name, person, request, client_for, active_relationship, mentee_concern, coordinator
):
    url, allowed, data = POSTS[name]
    path = url(active_relationship, first_due(active_relationship), mentee_concern)
    before = (CheckIn.objects.filter(status="done").count(), Concern.objects.count())
    response = client_as(person, request, client_for).post(path, data)
    check_page(response, person, allowed, ok=302)
    after = (CheckIn.objects.filter(status="done").count(), Concern.objects.count())
    if person not in allowed:
        assert after == before
        active_relationship.refresh_from_db()
        assert active_relationship.status == RelationshipStatus.ACTIVE
        mentee_concern.refresh_from_db()
        assert mentee_concern.is_open


def test_the_mentor_of_an_ended_relationship_cannot_raise_a_concern(
    ended_relationship, client_for, mentor
):
    path = reverse("mentoring:concern_new", args=[ended_relationship.pk])
    assert client_for(mentor).get(path).status_code == 404
    assert client_for(mentor).post(path, concern_data()).status_code == 404
    assert not Concern.objects.exists()


def test_the_mentee_of_an_ended_relationship_reads_their_concerns_but_raises_none(
    ended_relationship, client_for, mentee
):
    ConcernFactory(relationship=ended_relationship, raised_by=mentee, details=MENTEE_WORDS)
    path = reverse("mentoring:concern_new", args=[ended_relationship.pk])
    page = text_of(client_for(mentee).get(path))
    assert "What you have raised" in page
    assert "This mentoring has ended" in page
    assert "<textarea" not in page
    response = client_for(mentee).post(path, concern_data(client_key="new-key"))
    assert response.status_code == 200
    assert "has ended" in text_of(response)
    assert Concern.objects.count() == 1


def test_another_organisations_coordinator_sees_none_of_ours(
    active_relationship, client_for, other_org_coordinator, other_org_relationship
):
    client = client_for(other_org_coordinator)
    for name in LISTS:
        page = text_of(client.get(reverse(f"mentoring:{name}")))
        assert "Samira" not in page
        assert "Elsie" in page


# The relationships list ------------------------------------------------------------------------


def add_pairs(organisation, count, start=0):
    """``count`` more active pairs, each with a held session, an open concern and an overdue
    check-in, so every count on the list has something to count."""
    for index in range(start, start + count):
        mentor_user = make_member(organisation, Role.MENTOR, f"mentor{index}@example.org")
        mentee_user = make_member(organisation, Role.MENTEE, f"mentee{index}@example.org")
        profile = MentorProfileFactory(organisation=organisation, user=mentor_user)
        relationship = activate(_pair(organisation, profile, mentee_user, f"Person{index} Test"))
        SessionFactory(relationship=relationship, status=SessionStatus.HELD)
        ConcernFactory(relationship=relationship, raised_by=mentee_user)
        relationship.check_ins.filter(person="mentor").update(
            due_on=timezone.localdate() - timedelta(days=2)
        )


def test_the_relationships_list_takes_the_same_queries_for_one_or_many(
    staff, organisation, active_relationship, django_assert_num_queries
):
    path = reverse("mentoring:relationships")
    with CaptureQueriesContext(connection) as one:
        assert staff.get(path).status_code == 200
    add_pairs(organisation, 5)
    with CaptureQueriesContext(connection) as six:
        response = staff.get(path)
    assert text_of(response).count("Check-ins and concerns") == 6
    assert len(six) == len(one)
    # Session, user, membership, MFA, count, page, the urgent safeguarding banner.
    with django_assert_num_queries(7):
        staff.get(path + "?attention=any")


def test_each_row_says_what_needs_attention_in_words(staff, active_relationship, mentee_concern):
    active_relationship.check_ins.filter(person="mentee").update(
        due_on=timezone.localdate() - timedelta(days=3)
    )
    SessionFactory(relationship=active_relationship, status=SessionStatus.HELD)
    active_relationship.missed_alert_at = timezone.now()
    active_relationship.planned_end_on = timezone.localdate() + timedelta(days=10)
    active_relationship.save()
    page = text_of(staff.get(reverse("mentoring:relationships")))
    mentor_name = active_relationship.mentor.display_name
    assert f"{mentor_name} mentoring Samira" in page
    assert "Quinlan" not in page  # the mentee's first name only
    for words in (
        "Active",
        "Check-in overdue",
        "Overdue by 3 days",
        "1 open concern",
        "Missed sessions in a row",
        "Planned end within 14 days",
        "1 of 12 planned",
    ):
        assert words in page, words


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("", {"Samira", "Olu"}),
        ("?status=ended", {"Zed"}),
        ("?status=active&attention=overdue", {"Samira"}),
        ("?attention=concerns", {"Olu"}),
        ("?attention=missed", {"Olu"}),
        ("?attention=ending_soon", {"Samira"}),
        ("?attention=any", {"Samira", "Olu"}),
        ("?status=introduction", set()),
        ("?status=nonsense&attention=nonsense", {"Samira", "Olu"}),
    ],
)
def test_the_filters(
    query, shown, staff, organisation, active_relationship, other_relationship, other_mentee
):
    active_relationship.check_ins.filter(person="mentee").update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    active_relationship.planned_end_on = timezone.localdate() + timedelta(days=14)
    active_relationship.save()
    ConcernFactory(relationship=other_relationship, raised_by=other_mentee)
    other_relationship.missed_alert_at = timezone.now()
    other_relationship.save()
    add_pairs(organisation, 1)
    ended = type(active_relationship).objects.get(referral__full_name="Person0 Test")
    ended.referral.full_name = "Zed Person"
    ended.referral.save()
    ended.status = RelationshipStatus.ENDED
    ended.save()
    response = staff.get(reverse("mentoring:relationships") + query)
    assert response.status_code == 200
    page = text_of(response)
    for name in ("Samira", "Olu", "Zed"):
        assert (name in page) == any(name in each for each in shown), name


def test_the_list_is_paginated_by_fifty(staff, organisation, active_relationship):
    add_pairs(organisation, 50)
    first = text_of(staff.get(reverse("mentoring:relationships")))
    assert first.count("Check-ins and concerns") == 50
    assert "Page 1 of 2" in first
    second = text_of(staff.get(reverse("mentoring:relationships") + "?page=2"))
    assert second.count("Check-ins and concerns") == 1


# Check-ins across the organisation -----------------------------------------------------------


def test_the_check_ins_list_takes_the_same_queries_for_one_or_many(
    staff, organisation, active_relationship, django_assert_num_queries
):
    path = reverse("mentoring:check_ins")
    with CaptureQueriesContext(connection) as one:
        staff.get(path)
    add_pairs(organisation, 5)
    with CaptureQueriesContext(connection) as six:
        response = staff.get(path)
    assert text_of(response).count("Record the check-in") == 24
    assert len(six) == len(one)
    with django_assert_num_queries(7):  # 6, and the urgent safeguarding banner
        staff.get(path)


def test_the_check_ins_list_counts_every_due_check_in_of_the_organisation_for_its_pages(
    monkeypatch, staff, organisation, other_organisation, active_relationship
):
    monkeypatch.setattr(staff_views, "PER_PAGE", 5)
    add_pairs(organisation, 3)
    add_pairs(other_organisation, 2, start=10)
    CheckIn.objects.filter(relationship=active_relationship, person="mentee").update(
        status=CheckInStatus.DONE
    )
    due = CheckIn.objects.filter(
        relationship__organisation=organisation, status=CheckInStatus.DUE
    ).count()
    assert due_check_ins_count(organisation) == due
    pages = -(-due // 5)
    first, last = (staff.get(reverse("mentoring:check_ins"), {"page": n}) for n in (1, pages))
    assert f"Page 1 of {pages}" in text_of(first)
    assert text_of(last).count("Record the check-in") == due - 5 * (pages - 1)
    past_the_end = staff.get(reverse("mentoring:check_ins"), {"page": pages + 3})
    assert f"Page {pages} of {pages}" in text_of(past_the_end)


def test_check_ins_are_overdue_first_then_due_soon_then_coming_up(
    staff, active_relationship, ended_relationship
):
    today = timezone.localdate()
    mentor_first, mentor_second = active_relationship.check_ins.filter(person="mentor")
    CheckIn.objects.filter(pk=mentor_first.pk).update(due_on=today - timedelta(days=2))
    CheckIn.objects.filter(pk=mentor_second.pk).update(due_on=today + timedelta(days=3))
    CheckInFactory(
        relationship=active_relationship,
        person="mentee",
        kind=CheckInKind.FOLLOW_UP,
        due_on=today + timedelta(days=90),
    )
    page = text_of(staff.get(reverse("mentoring:check_ins")))
    headings = [page.index(h) for h in ("Overdue", "Due in the next 7 days", "Coming up")]
    assert headings == sorted(headings)
    assert "Overdue by 2 days" in page
    assert "Due in 3 days" in page
    assert "Follow-up after the ending" in page
    assert f"Mentor: {active_relationship.mentor.display_name}" in page
    assert "Mentee: Samira" in page


# One relationship's check-ins ----------------------------------------------------------------


def test_the_relationships_check_ins_page_shows_schedule_notes_concerns_and_rematch(
    staff, coordinator, active_relationship, mentee_concern, mentor_concern
):
    check_in_record(
        actor=coordinator,
        check_in=first_due(active_relationship),
        method="phone",
        how_it_is_going="Feeling more confident.",
        actions="Look up the walking group.",
    )
    ConcernFactory(
        relationship=active_relationship,
        raised_by=active_relationship.mentee,
        outcome="no_action",
        resolved_at=timezone.now(),
    )
    active_relationship.missed_alert_at = timezone.now()
    active_relationship.save()
    response = staff.get(reverse("mentoring:relationship_check_ins", args=[active_relationship.pk]))
    page = text_of(response)
    assert 'aria-current="page">Check-ins<' in page
    assert "Feeling more confident." in page and "Look up the walking group." in page
    assert "Phone call" in page
    assert "Sessions missed in a row" in page
    assert reverse("mentoring:concern", args=[active_relationship.pk, mentee_concern.pk]) in page
    assert "Open: raised by the mentee" in page and "Open: raised by the mentor" in page
    assert "Resolved: raised by the mentee" in page
    assert reverse("mentoring:rematch", args=[active_relationship.pk]) in page
    assert page.count("Record this check-in") == 3


def test_an_ended_relationship_offers_no_rematch(staff, ended_relationship):
    page = text_of(
        staff.get(reverse("mentoring:relationship_check_ins", args=[ended_relationship.pk]))
    )
    assert reverse("mentoring:rematch", args=[ended_relationship.pk]) not in page


# Recording a check-in --------------------------------------------------------------------------


def test_recording_a_check_in(staff, active_relationship):
    check_in = first_due(active_relationship)
    response = staff.post(
        reverse("mentoring:check_in", args=[active_relationship.pk, check_in.pk]),
        check_in_data(),
        follow=True,
    )
    assert "Check-in recorded." in text_of(response)
    check_in.refresh_from_db()
    assert (check_in.status, check_in.method, check_in.how_it_is_going) == (
        CheckInStatus.DONE,
        "video",
        "Going well: they met four times.",
    )


def test_a_check_in_without_how_it_is_going_is_shown_again_with_the_typed_text(
    staff, active_relationship
):
    check_in = first_due(active_relationship)
    response = staff.post(
        reverse("mentoring:check_in", args=[active_relationship.pk, check_in.pk]),
        check_in_data(how_it_is_going="", actions="Phone her on Friday."),
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Some answers need another look" in page
    assert "Phone her on Friday." in page
    assert 'aria-invalid="true"' in page


def test_a_stale_correction_keeps_the_typed_text_and_shows_the_latest(
    staff, coordinator, admin, active_relationship
):
    check_in = check_in_record(
        actor=coordinator,
        check_in=first_due(active_relationship),
        method="phone",
        how_it_is_going="First words.",
    )
    path = reverse("mentoring:check_in", args=[active_relationship.pk, check_in.pk])
    form_version = str(check_in.version)
    check_in_record(
        actor=admin,
        check_in=check_in,
        method="phone",
        how_it_is_going="The admin's newer words.",
        version=check_in.version,
    )
    response = staff.post(
        path, check_in_data(how_it_is_going="My typed correction.", version=form_version)
    )
    assert response.status_code == 200
    page = text_of(response)
    assert STALE in page
    assert "My typed correction." in page
    assert "The latest saved version" in page and "The admin&#x27;s newer words." in page
    assert 'name="version" value="3"' in page
    # Saving again now counts against the latest version.
    staff.post(path, check_in_data(how_it_is_going="My typed correction.", version="3"))
    check_in.refresh_from_db()
    assert check_in.how_it_is_going == "My typed correction."


def test_a_recorded_check_in_opens_with_its_notes_to_change(
    staff, coordinator, active_relationship
):
    check_in = check_in_record(
        actor=coordinator,
        check_in=first_due(active_relationship),
        method="message",
        how_it_is_going="Settling in.",
    )
    page = text_of(
        staff.get(reverse("mentoring:check_in", args=[active_relationship.pk, check_in.pk]))
    )
    assert "Settling in." in page and "Save changes" in page
    assert (
        'value="message" checked' in page
        or 'checked value="message"' in page
        or (re.search(r'value="message"[^>]*checked', page))
    )


def test_a_check_in_of_another_relationship_is_not_found(
    staff, active_relationship, other_relationship
):
    other = first_due(other_relationship)
    path = reverse("mentoring:check_in", args=[active_relationship.pk, other.pk])
    assert staff.get(path).status_code == 404
    assert staff.post(path, check_in_data()).status_code == 404


def test_a_check_in_no_longer_needed_shows_no_form(staff, active_relationship):
    check_in = first_due(active_relationship)
    CheckIn.objects.filter(pk=check_in.pk).update(status=CheckInStatus.NOT_NEEDED)
    path = reverse("mentoring:check_in", args=[active_relationship.pk, check_in.pk])
    page = text_of(staff.get(path))
    assert "no longer needed" in page and "<textarea" not in page
    response = staff.post(path, check_in_data())
    assert response.status_code == 200
    assert "no longer needed" in text_of(response)


def test_recording_an_extra_check_in_once(staff, active_relationship):
    path = reverse("mentoring:check_in_new", args=[active_relationship.pk])
    page = text_of(staff.get(path + "?person=mentee"))
    assert "Samira, the mentee" in page
    data = check_in_data(person="mentee", client_key="k-1")
    staff.post(path, data)
    response = staff.post(path, data, follow=True)
    assert "Extra check-in recorded." in text_of(response)
    assert CheckIn.objects.filter(client_key="k-1").count() == 1


def test_an_extra_check_in_without_a_person_is_shown_again(staff, active_relationship):
    response = staff.post(
        reverse("mentoring:check_in_new", args=[active_relationship.pk]),
        check_in_data(how_it_is_going="We had a coffee."),
    )
    assert response.status_code == 200
    assert "We had a coffee." in text_of(response)
    assert not CheckIn.objects.filter(status=CheckInStatus.DONE).exists()


# Raising a concern -----------------------------------------------------------------------------


def test_the_concern_page_says_the_other_person_will_not_see_it(
    client_for, mentee, mentor, active_relationship
):
    path = reverse("mentoring:concern_new", args=[active_relationship.pk])
    as_mentee = text_of(client_for(mentee).get(path))
    assert f"{active_relationship.mentor.display_name} will not see what you write" in as_mentee
    as_mentor = text_of(client_for(mentor).get(path))
    assert "Samira will not see what you write" in as_mentor


def test_raising_a_concern_shows_a_calm_confirmation_and_what_happens_next(
    client_for, mentee, coordinator, active_relationship
):
    client = client_for(mentee)
    path = reverse("mentoring:concern_new", args=[active_relationship.pk])
    response = client.post(path, concern_data())
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response.url == f"{path}?sent={concern.pk}#sent"
    client.post(path, concern_data())  # a second click
    assert Concern.objects.count() == 1
    page = text_of(client.get(response.url))
    assert "Thank you. The coordinator has your message." in page
    assert "What happens next" in page
    assert "top of the waiting list" in page
    assert "What you have raised" in page and "Open:" in page
    assert "Who you can contact now" not in page


def test_a_concern_with_missing_answers_keeps_the_typed_text(
    client_for, mentee, active_relationship
):
    response = client_for(mentee).post(
        reverse("mentoring:concern_new", args=[active_relationship.pk]),
        concern_data(topic="", details="Half a thought"),
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Some answers need another look" in page and "Half a thought" in page
    assert not Concern.objects.exists()


def test_a_concern_that_suggests_risk_shows_where_to_get_help_now(
    client_for, mentee, organisation, active_relationship
):
    CrisisResource.objects.create(organisation=organisation, name="Samaritans", phone="116 123")
    client = client_for(mentee)
    response = client.post(
        reverse("mentoring:concern_new", args=[active_relationship.pk]),
        concern_data(details="I feel like I want to die some days."),
        follow=True,
    )
    page = text_of(response)
    assert "Who you can contact now" in page and "Samaritans" in page


def test_the_person_who_raised_it_sees_its_status_but_not_the_coordinators_note(
    client_for, mentee, active_relationship, mentee_concern, staff
):
    staff.post(
        reverse("mentoring:concern", args=[active_relationship.pk, mentee_concern.pk]),
        {"outcome": "mediation_held", "note": "Mentor agreed to give 24 hours notice."},
    )
    page = text_of(
        client_for(mentee).get(reverse("mentoring:concern_new", args=[active_relationship.pk]))
    )
    assert "Resolved" in page and "mediation meeting held" in page
    assert "24 hours notice" not in page


def test_neither_of_the_pair_sees_what_the_other_raised(
    client_for, mentee, mentor, active_relationship, mentee_concern, mentor_concern
):
    path = reverse("mentoring:concern_new", args=[active_relationship.pk])
    as_mentor = text_of(client_for(mentor).get(path))
    as_mentee = text_of(client_for(mentee).get(path))
    assert MENTEE_WORDS not in as_mentor
    assert MENTOR_WORDS not in as_mentee
    assert as_mentor.count("You said:") == 1 and as_mentee.count("You said:") == 1
    # Nor through a concern id of the other person's.
    sent = text_of(client_for(mentor).get(f"{path}?sent={mentee_concern.pk}"))
    assert "Thank you" not in sent and MENTEE_WORDS not in sent


# The coordinator's view of a concern -------------------------------------------------------------


def test_the_coordinator_reads_a_concern_and_records_the_outcome(
    staff, active_relationship, mentee_concern
):
    path = reverse("mentoring:concern", args=[active_relationship.pk, mentee_concern.pk])
    page = text_of(staff.get(path))
    assert MENTEE_WORDS in page
    assert "Concern raised by Samira, the mentee" in page
    assert "They asked for a rematch" in page
    response = staff.post(path, {"outcome": "talked_through", "note": "Spoke on Monday."})
    assert response.status_code == 302
    page = text_of(staff.get(path))
    assert "Talked it through" in page and "Spoke on Monday." in page
    assert "Record the outcome" not in page


def test_a_concern_without_an_outcome_is_shown_again_with_the_note(
    staff, active_relationship, mentee_concern
):
    response = staff.post(
        reverse("mentoring:concern", args=[active_relationship.pk, mentee_concern.pk]),
        {"outcome": "", "note": "Still thinking."},
    )
    assert response.status_code == 200
    assert "Still thinking." in text_of(response)
    mentee_concern.refresh_from_db()
    assert mentee_concern.is_open


def test_a_concern_of_another_relationship_is_not_found(
    staff, active_relationship, other_relationship, other_mentee
):
    theirs = ConcernFactory(relationship=other_relationship, raised_by=other_mentee)
    path = reverse("mentoring:concern", args=[active_relationship.pk, theirs.pk])
    assert staff.get(path).status_code == 404


# Rematch ---------------------------------------------------------------------------------------


def test_rematching_sends_the_coordinator_to_the_waiting_list(
    staff, active_relationship, mentee_concern
):
    path = reverse("mentoring:rematch", args=[active_relationship.pk])
    page = text_of(staff.get(path))
    assert "What happens when you rematch" in page
    assert "The open request for a rematch is resolved as rematched." in page
    response = staff.post(path, {"note": "Needs someone free at weekends."})
    assert response.status_code == 302
    assert response.url == reverse("referrals:waiting_list")
    page = text_of(staff.get(response.url))
    assert "Samira is back at the top of the waiting list" in page
    active_relationship.refresh_from_db()
    active_relationship.referral.refresh_from_db()
    assert active_relationship.status == RelationshipStatus.ENDED
    assert active_relationship.referral.status == Status.WAITING
    mentee_concern.refresh_from_db()
    assert mentee_concern.outcome == "rematched"


def test_rematching_twice_shows_that_it_has_already_ended(staff, active_relationship):
    path = reverse("mentoring:rematch", args=[active_relationship.pk])
    staff.post(path, {"note": ""})
    response = staff.post(path, {"note": ""})
    assert response.status_code == 200
    assert "already ended" in text_of(response)
