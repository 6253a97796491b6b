"""Programme insights: counts and mean ratings come from the database in one query, with no
names; a skill's numbers are shown only with at least 5 mentees behind it and its mean only with
at least 5 who rated it. Coordinators and admins only, at a pinned query count."""

from __future__ import annotations

import re

import pytest

from accounts.models import Role
from tests.conftest import make_member
from tests.mentoring.access import PEOPLE, STAFF, check_page, client_as
from toolkit.models import Skill, ToolkitEntry
from toolkit.selectors import SMALLEST_GROUP, insights
from toolkit.services.practice import entry_remove, practice_log

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def make_skill(organisation, title) -> Skill:
    return Skill.objects.create(
        organisation=organisation, title=title, why_it_helps="-", steps=["-"], minutes=3
    )


_counter = iter(range(1_000_000))


def mentees(organisation, count):
    return [
        make_member(organisation, Role.MENTEE, f"insight.mentee{next(_counter)}@example.org")
        for _ in range(count)
    ]


def give(skill, people, *, shared_by=None, ratings=()):
    """Put ``skill`` in each person's toolkit; the first ``len(ratings)`` people rate it."""
    entries = [
        ToolkitEntry.objects.create(
            person=person, skill=skill, organisation=skill.organisation, shared_by=shared_by
        )
        for person in people
    ]
    for entry, rating in zip(entries, ratings, strict=False):
        practice_log(actor=entry.person, entry=entry, helpfulness=rating, note="private words")
    return entries


def row_for(found, title):
    return next(row for row in found.shown + found.not_shown if row.title == title)


# Aggregation and suppression ---------------------------------------------------------------------


def test_four_mentees_are_not_shown_and_five_are(organisation, mentor):
    people = mentees(organisation, 5)
    four = make_skill(organisation, "Four people")
    five = make_skill(organisation, "Five people")
    give(four, people[:4], shared_by=mentor, ratings=[5, 5, 5, 5])
    give(five, people, shared_by=mentor, ratings=[5, 4, 4, 3, 2])

    found = insights(organisation)

    hidden = row_for(found, "Four people")
    assert not hidden.shown and hidden in found.not_shown
    assert hidden.mentees is None and hidden.practices is None
    assert hidden.mean_helpfulness is None and hidden.practised_by is None
    shown = row_for(found, "Five people")
    assert shown.shown and shown in found.shown
    assert (shown.mentees, shown.shared_by_mentor, shown.practised_by, shown.practices) == (
        5,
        5,
        5,
        5,
    )
    assert shown.mean_helpfulness == 3.6 and shown.helpfulness_words == "Helpful"
    assert [row.title for row in found.most_shared] == ["Five people"]


def test_the_mean_needs_five_mentees_who_rated_it(organisation):
    skill = make_skill(organisation, "Worry time")
    entries = give(skill, mentees(organisation, 6), ratings=[5, 5, 4, 4])
    # One person rating many times is still one person.
    for _ in range(5):
        practice_log(actor=entries[0].person, entry=entries[0], helpfulness=1)

    row = row_for(insights(organisation), "Worry time")

    assert row.shown and row.mentees == 6 and row.shared_by_mentor == 0
    assert row.practised_by == 4 and row.practices == 9
    assert row.mean_helpfulness is None

    practice_log(actor=entries[4].person, entry=entries[4], helpfulness=5)
    assert row_for(insights(organisation), "Worry time").mean_helpfulness is not None


def test_removed_entries_still_count_and_other_organisations_do_not(
    organisation, other_organisation
):
    skill = make_skill(organisation, "Grounding")
    entries = give(skill, mentees(organisation, 5), ratings=[4])
    entry_remove(actor=entries[0].person, entry=entries[0])
    elsewhere = make_skill(other_organisation, "Grounding elsewhere")
    give(elsewhere, mentees(other_organisation, 6), ratings=[1, 1, 1, 1, 1, 1])

    found = insights(organisation)

    assert [row.title for row in found.shown] == ["Grounding"]
    assert found.shown[0].mentees == 5 and found.shown[0].practices == 1
    assert "Grounding elsewhere" not in [row.title for row in found.shown + found.not_shown]


def test_top_lists_use_only_rows_that_are_shown(organisation):
    people = mentees(organisation, 7)
    popular = make_skill(organisation, "Popular")
    practised = make_skill(organisation, "Practised")
    small = make_skill(organisation, "Small but busy")
    give(popular, people, ratings=[3, 3, 3, 3, 3])
    entries = give(practised, people[:5], ratings=[5, 5, 5, 5, 5])
    for entry in entries:
        practice_log(actor=entry.person, entry=entry, helpfulness=4)
    busy = give(small, people[:2], ratings=[5, 5])
    for _ in range(20):
        practice_log(actor=busy[0].person, entry=busy[0], helpfulness=5)

    found = insights(organisation)

    assert [row.title for row in found.most_shared] == ["Popular", "Practised"]
    assert [row.title for row in found.most_practised] == ["Practised", "Popular"]
    assert [row.title for row in found.most_helpful] == ["Practised", "Popular"]
    assert "Small but busy" in [row.title for row in found.not_shown]


def test_insights_are_one_query_however_much_there_is(organisation, django_assert_num_queries):
    people = mentees(organisation, 6)
    for number in range(4):
        give(make_skill(organisation, f"Skill {number}"), people, ratings=[1, 2, 3, 4, 5, 5])
    with django_assert_num_queries(1):
        insights(organisation)


# The page ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_page_access(person, request, client_for):
    # Each organisation's coordinators see their own organisation's insights.
    allowed = [*STAFF, "other_org_coordinator"]
    check_page(client_as(person, request, client_for).get("/toolkit/insights/"), person, allowed)


def test_another_organisations_coordinator_sees_only_their_own(
    client_for, other_org_coordinator, organisation
):
    give(make_skill(organisation, "Box breathing"), mentees(organisation, 6), ratings=[5] * 6)
    page = text_of(client_for(other_org_coordinator).get("/toolkit/insights/"))
    assert "Box breathing" not in page and "nothing to show" in page


def test_the_page_explains_suppression_and_shows_no_names(client_for, coordinator, organisation):
    people = mentees(organisation, 5)
    for number, person in enumerate(people):
        person.name = f"Person Number{number}"
        person.save(update_fields=["name"])
    give(make_skill(organisation, "Box breathing"), people, ratings=[5, 5, 4, 4, 4])
    give(make_skill(organisation, "Thought record"), people[:3], ratings=[1, 1, 1])

    page = text_of(client_for(coordinator).get("/toolkit/insights/"))

    assert page.count("<h1") == 1
    assert "Skills shared with fewer than 5 people are not shown, to protect privacy" in page
    table, hidden = page.split("Not shown</h2>")
    assert "Box breathing" in table and "4.4 (helpful)" in table
    assert "Thought record" not in table and "Thought record" in hidden
    assert "Number0" not in page and "insight.mentee" not in page and "private words" not in page
    assert "In the most toolkits" in page and "Practised most" in page


def test_with_nothing_to_show_the_page_says_so(client_for, admin, organisation):
    give(make_skill(organisation, "Box breathing"), mentees(organisation, SMALLEST_GROUP - 1))
    page = text_of(client_for(admin).get("/toolkit/insights/"))
    assert "nothing to show" in page and "Box breathing" in page


# Session, user, membership and the staff menu's own lookups (4), and the one insights query: the
# same however many skills and practices there are.
INSIGHTS_QUERIES = 6  # 5, and the urgent safeguarding banner on every staff page


def test_the_page_costs_the_same_for_little_or_much(
    client_for, coordinator, organisation, django_assert_num_queries
):
    client = client_for(coordinator)
    people = mentees(organisation, 5)
    give(make_skill(organisation, "One"), people, ratings=[3, 3, 3, 3, 3])
    client.get("/toolkit/insights/")
    with django_assert_num_queries(INSIGHTS_QUERIES):
        assert client.get("/toolkit/insights/").status_code == 200
    for number in range(5):
        give(make_skill(organisation, f"More {number}"), people, ratings=[4, 4, 4, 4, 4, 4])
    with django_assert_num_queries(INSIGHTS_QUERIES):
        assert client.get("/toolkit/insights/").status_code == 200
