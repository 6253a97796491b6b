"""Every dashboard and list page runs the same number of queries however much data there is.

Two programmes are seeded with ``seed_demo``'s planner, one three times the size of the other
(both large enough that every list has rows: an empty list skips its prefetches), and each page
of ``benchmarks/pages.py`` (the list in docs/performance.md) is opened as the seeded person with
that role in each. The counts are pinned, so a page that starts querying per row, or gains a
query, fails here before the benchmark at national scale notices.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.scale import SeedOptions, seed_programme
from benchmarks.pages import PAGES, people_by_role, signed_in_client

SMALL, LARGE = 100, 300
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

# Queries per page, the same in both programmes. Every signed-in page starts with the session,
# the person and their memberships; staff pages then check two-factor authentication.
PINNED = {
    ("coordinator", "dashboard"): 23,
    ("coordinator", "referrals:queue"): 7,
    ("coordinator", "referrals:waiting_list"): 8,
    ("coordinator", "matching:overview"): 12,
    ("coordinator", "mentoring:relationships"): 7,
    ("coordinator", "mentoring:check_ins"): 7,
    ("coordinator", "safeguarding:alerts"): 9,
    ("coordinator", "safeguarding:rota"): 13,
    ("coordinator", "outcomes:programme"): 8,
    ("coordinator", "toolkit:insights"): 6,
    ("coordinator", "toolkit:skills"): 8,
    ("coordinator", "toolkit:resources"): 9,
    ("coordinator", "mentors:board"): 6,
    ("coordinator", "mentors:trainees"): 10,
    ("coordinator", "mentors:directory"): 10,
    ("coordinator", "mentors:supervision"): 8,
    ("coordinator", "people"): 6,
    ("coordinator", "privacy:index"): 5,
    ("admin", "dashboard"): 24,
    ("admin", "audit:search"): 12,
    ("admin", "privacy:index"): 5,
    ("supervisor", "dashboard"): 10,
    ("supervisor", "mentors:supervision"): 8,
    ("supervisor", "mentoring:flagged"): 6,
    ("mentor", "dashboard"): 11,
    ("mentor", "mentoring:index"): 5,
    ("mentor", "matching:mentor_offers"): 6,
    ("mentee", "dashboard"): 11,
    ("mentee", "mentoring:index"): 8,
    ("mentee", "outcomes:mine"): 5,
    ("mentee", "toolkit:mine"): 5,
}
# The reports pages are pinned by their own tests (tests/reports/), with their own fixtures.
PINNED_ELSEWHERE = {"reports:dashboard", "reports:compliance"}


def page_queries(scale: int, slug: str) -> dict[tuple[str, str], int]:
    organisation = seed_programme(SeedOptions(scale=scale, slug=slug, now=NOW)).organisation
    clients = {
        role: signed_in_client(membership)
        for role, membership in people_by_role(organisation).items()
    }
    counts = {}
    for page in PAGES:
        if page.role not in clients or page.url_name in PINNED_ELSEWHERE:
            continue  # the seeded programme has no partner referrers
        client = clients[page.role]
        url = reverse(page.url_name)
        first = client.get(url)
        if first.status_code == 302:  # a mentee's mentoring page opens their relationship
            url = first["Location"]
            client.get(url)
        # Figures kept a few minutes (alongside/caching.py) are worked out afresh: the count
        # pins the work, not the copy.
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (page, url, response.status_code)
        counts[(page.role, page.url_name)] = len(captured)
    return counts


@pytest.mark.django_db
def test_every_page_runs_a_fixed_number_of_queries_at_two_sizes():
    small = page_queries(SMALL, "small")
    large = page_queries(LARGE, "large")
    assert large == small
    assert small == PINNED
