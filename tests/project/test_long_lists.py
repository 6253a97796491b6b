"""Long lists are shown a page at a time, with their summaries counted over the whole list.

At national scale the referrals queue, the waiting list, the mentor directory and the supervision
overview hold thousands of rows; each page here is made short (two or three rows) so a handful of
records spans several pages.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from mentors.models import SupervisionKind, SupervisionSession
from mentors.views import profiles as profile_views
from mentors.views import supervision as supervision_views
from referrals.models import Status, Urgency
from referrals.views import intake as intake_views
from referrals.views import triage as triage_views
from tests.conftest import make_member
from tests.mentors.factories import MentorProfileFactory
from tests.mentors.test_profile_pages import listed, names_on  # noqa: F401 (a fixture)
from tests.referrals.factories import ReferralFactory


def text_of(response) -> str:
    """The page's words, without tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


# The referrals queue ---------------------------------------------------------------------------


@pytest.fixture
def five_new_referrals(organisation):
    """Routine new referrals received 5, 4, 3, 2 and 1 days ago (oldest first in the queue)."""
    now = timezone.now()
    return [
        ReferralFactory(
            organisation=organisation,
            full_name=f"Queued {days}",
            created_at=now - timedelta(days=days),
        )
        for days in (5, 4, 3, 2, 1)
    ]


def test_queue_shows_a_page_at_a_time_oldest_first(
    monkeypatch, client_for, coordinator, five_new_referrals
):
    monkeypatch.setattr(triage_views, "QUEUE_PER_PAGE", 2)
    client = client_for(coordinator)
    pages = [client.get(reverse("referrals:queue"), {"page": n}) for n in (1, 2, 3)]
    assert [[r.full_name for r, _ in page.context["rows"]] for page in pages] == [
        ["Queued 5", "Queued 4"],
        ["Queued 3", "Queued 2"],
        ["Queued 1"],
    ]
    first = text_of(pages[0])
    assert "In the queue (5)" in first
    assert "Page 1 of 3" in first
    assert "In the queue (5)" in text_of(pages[1])  # a page number is not a filter
    assert pages[0].context["counts"]["new"] == 5  # the summary counts the whole queue


def test_queue_filter_counts_what_it_shows(monkeypatch, client_for, coordinator, organisation):
    monkeypatch.setattr(triage_views, "QUEUE_PER_PAGE", 2)
    for status in (Status.NEW, Status.NEW, Status.NEW, Status.CONTACTING):
        ReferralFactory(organisation=organisation, status=status)
    response = client_for(coordinator).get(reverse("referrals:queue"), {"status": Status.NEW})
    assert "Matching referrals (3)" in text_of(response)
    assert len(response.context["rows"]) == 2
    assert response.context["counts"]["total"] == 4


# The waiting list ------------------------------------------------------------------------------


@pytest.fixture
def five_waiting(organisation):
    """Waiting 50, 43, 42, 10 and 0 days; the first routine, the 42-day one urgent."""
    now = timezone.now()
    return [
        ReferralFactory(
            organisation=organisation,
            full_name=f"Waiting {days}",
            status=Status.WAITING,
            urgency=Urgency.URGENT if days == 42 else Urgency.ROUTINE,
            waiting_since=now - timedelta(days=days, hours=1),
        )
        for days in (50, 43, 42, 10, 0)
    ]


def test_waiting_list_pages_keep_their_places_in_the_list(
    monkeypatch, client_for, coordinator, five_waiting
):
    monkeypatch.setattr(intake_views, "WAITING_PER_PAGE", 2)
    client = client_for(coordinator)
    second = client.get(reverse("referrals:waiting_list"), {"page": 2})
    # Urgent first (Waiting 42), then longest waiting: 42, 50, 43, 10, 0.
    assert [(row.position, row.referral.full_name) for row in second.context["rows"]] == [
        (3, "Waiting 43"),
        (4, "Waiting 10"),
    ]
    assert "Page 2 of 3" in text_of(second)


def test_waiting_list_summary_covers_everyone_not_just_the_page(
    monkeypatch, client_for, coordinator, five_waiting
):
    monkeypatch.setattr(intake_views, "WAITING_PER_PAGE", 2)
    counts = client_for(coordinator).get(reverse("referrals:waiting_list")).context["counts"]
    # Five waiting, one urgent; over the default 42 days: 50 and 43 (42 days and an hour is
    # not more than 42 whole days); the longest has waited 50 days.
    assert (counts.waiting, counts.urgent, counts.over_threshold) == (5, 1, 2)
    assert counts.longest_wait == "50 days"


def test_a_check_in_form_on_a_later_page_posts_back_to_that_page(
    monkeypatch, client_for, coordinator, five_waiting
):
    monkeypatch.setattr(intake_views, "WAITING_PER_PAGE", 2)
    page = client_for(coordinator).get(reverse("referrals:waiting_list"), {"page": 2})
    target = reverse("referrals:check_in", args=[five_waiting[1].pk])  # Waiting 43
    assert f'action="{target}?page=2"' in page.content.decode()


# The mentor directory --------------------------------------------------------------------------


def test_directory_lists_a_page_of_mentors_and_counts_them_all(
    monkeypatch,
    client_for,
    mentee,
    listed,  # noqa: F811
):
    monkeypatch.setattr(profile_views, "DIRECTORY_PER_PAGE", 2)
    client = client_for(mentee)
    first = client.get(reverse("mentors:directory"))
    second = client.get(reverse("mentors:directory"), {"page": 2})
    assert names_on(first) == ["Ada", "Bea"]
    assert names_on(second) == ["Cal"]
    assert "3 mentors" in text_of(first)


def test_directory_format_filter_is_applied_in_the_database(
    client_for,
    mentee,
    listed,  # noqa: F811
):
    response = client_for(mentee).get(reverse("mentors:directory"), {"format": "video"})
    assert names_on(response) == ["Ada"]
    assert "1 mentor matching your filters" in text_of(response)


# The supervision overview ----------------------------------------------------------------------


@pytest.fixture
def four_mentors(organisation, supervisor):
    """Certified 100 days ago; last supervised 40, 10, never and 31 days ago. With the default
    30-day interval, due: 10 days ago, in 20 days, 70 days ago, 1 day ago. Three are overdue."""
    today = timezone.localdate()
    mentors = []
    for name, days_ago in [("Ana", 40), ("Ben", 10), ("Cy", None), ("Dee", 31)]:
        user = make_member(organisation, Role.MENTOR, f"{name.lower()}@mentors.example")
        profile = MentorProfileFactory(
            organisation=organisation,
            user=user,
            display_name=name,
            supervisor=supervisor,
            certified_at=timezone.now() - timedelta(days=100),
        )
        if days_ago is not None:
            SupervisionSession.objects.create(
                profile=profile,
                supervisor=supervisor,
                held_on=today - timedelta(days=days_ago),
                kind=SupervisionKind.ONE_TO_ONE,
            )
        mentors.append(profile)
    return mentors


def test_supervision_overview_pages_go_in_the_order_supervision_falls_due(
    monkeypatch, client_for, coordinator, four_mentors
):
    monkeypatch.setattr(supervision_views, "OVERVIEW_PER_PAGE", 2)
    client = client_for(coordinator)
    pages = [client.get(reverse("mentors:supervision"), {"page": n}) for n in (1, 2)]
    shown = [
        [(s.profile.display_name, s.is_overdue) for s in page.context["statuses"]] for page in pages
    ]
    assert shown == [[("Cy", True), ("Ana", True)], [("Dee", True), ("Ben", False)]]
    assert pages[1].context["statuses"][1].next_due_on == timezone.localdate() + timedelta(20)
    assert "3 mentors are overdue for supervision" in text_of(pages[1])


def test_coordinator_dashboard_counts_overdue_supervision(client_for, coordinator, four_mentors):
    response = client_for(coordinator).get(reverse("dashboard"))
    assert response.context["overdue_supervision"] == 3
