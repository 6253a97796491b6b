"""The compliance pages and CSV file: who may open them, what they show, the filter, paging,
the audit trail and pinned query counts. The figures themselves are tested in
test_compliance.py; here a few unsupervised mentors give each page something to show."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from audit.models import AuditEvent
from reports import views_compliance
from tests.mentoring.access import PEOPLE, check_page, client_as
from tests.reports.test_compliance import mentor as make_mentor
from tests.reports.test_compliance import pair, supervised

Q1 = "start=2026-01-01&end=2026-03-31"
PAGES = [
    "/reports/compliance/",
    "/reports/compliance/print/",
    "/reports/compliance.csv",
    "/reports/compliance/supervision_interval/",
]
STAFF_AND_ELSEWHERE = ["coordinator", "admin", "other_org_coordinator"]


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def unsupervised(organisation, *names: str) -> None:
    """Mentors with a current relationship and no supervision: a gap each."""
    for name in names:
        pair(organisation, make_mentor(organisation, name), "Sam")


@pytest.fixture
def programme(organisation):
    """Ada (supervised 20 March: met), Ben and "=Cleo" (never supervised: gaps)."""
    ada = make_mentor(organisation, "Ada")
    pair(organisation, ada, "Sam")
    supervised(ada, date(2026, 3, 20))
    unsupervised(organisation, "Ben", "=Cleo")


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("person", PEOPLE)
def test_only_coordinators_and_admins_open_compliance(url, person, request, client_for):
    response = client_as(person, request, client_for).get(url)
    check_page(response, person, STAFF_AND_ELSEWHERE)


@pytest.mark.parametrize("url", PAGES)
def test_compliance_pages_only_answer_get(url, client_for, coordinator):
    assert client_for(coordinator).post(url).status_code == 405


def test_an_unknown_standard_is_not_found(client_for, coordinator):
    assert client_for(coordinator).get("/reports/compliance/no_such_thing/").status_code == 404


@pytest.mark.parametrize("person", ["coordinator", "admin"])
def test_the_page_shows_each_standard_with_its_figures_and_gaps(
    person, request, client_for, programme
):
    page = text_of(client_as(person, request, client_for).get(f"/reports/compliance/?{Q1}"))

    assert "<h1" in page and "Practice standards" in page
    for title in [
        "Screening complete before training",
        "Required training before the first match",
        "Supervision at the set interval",
        "Coordinator check-ins",
        "Agreement acknowledged by both",
        "Planned endings closed well",
    ]:
        assert title in page
    # Supervision: Ada met, Ben and =Cleo did not: 1 of 3, 33%.
    assert "Met 1 of 3 (33%)" in page
    assert "Last supervision" not in page  # neither gap was ever supervised
    assert "Ben</a>" in page and "No supervision recorded before the period end." in page
    assert (
        'role="img"' in page and "<caption>Standards met, 1 January 2026 to 31 March 2026" in page
    )
    assert "No mentors in this period to check against this standard." in page


def test_another_organisations_coordinator_sees_none_of_it(
    client_for, other_org_coordinator, programme
):
    page = text_of(client_for(other_org_coordinator).get(f"/reports/compliance/?{Q1}"))
    assert "Ben" not in page
    assert "Met 1 of 3" not in page


def test_see_all_gaps_shows_after_twenty_and_keeps_the_filter(
    organisation, client_for, coordinator
):
    unsupervised(organisation, *[f"Mentor {number:02}" for number in range(21)])

    page = text_of(client_for(coordinator).get(f"/reports/compliance/?{Q1}"))

    assert "The first 20 of 21 to put right" in page
    assert "Mentor 19" in page and "Mentor 20" not in page
    assert f'href="/reports/compliance/supervision_interval/?{Q1.replace("&", "&amp;")}"' in page
    assert "See all 21 gaps" in page


def test_the_standard_page_lists_every_gap_a_page_at_a_time(
    client_for, coordinator, programme, monkeypatch
):
    monkeypatch.setattr(views_compliance, "GAPS_PER_PAGE", 1)
    client = client_for(coordinator)

    first = text_of(client.get(f"/reports/compliance/supervision_interval/?{Q1}"))
    second = text_of(client.get(f"/reports/compliance/supervision_interval/?{Q1}&page=2"))

    # Gaps in name order: "=Cleo" sorts before "Ben".
    assert "To put right" in first and "(2)" in first
    assert "=Cleo" in first and "Ben" not in first
    assert "Ben" in second and "=Cleo" not in second
    assert "Page 2 of 2" in second
    assert "Met 1 of 3 (33%)" in second


def test_the_form_shows_the_period_the_page_covers(client_for, coordinator):
    page = text_of(client_for(coordinator).get("/reports/compliance/"))
    today = timezone.localdate()
    # The default period: the 365 days up to today.
    assert f'value="{today - timedelta(days=364):%Y-%m-%d}"' in page
    assert f'value="{today:%Y-%m-%d}"' in page


def test_a_wrong_period_shows_its_error_beside_the_field(client_for, coordinator):
    page = text_of(
        client_for(coordinator).get("/reports/compliance/?start=2026-03-01&end=2026-01-01")
    )
    assert "The end date must be on or after the start date." in page
    assert 'aria-invalid="true"' in page


def test_the_printable_page_has_the_figures_without_the_form(client_for, coordinator, programme):
    page = text_of(client_for(coordinator).get(f"/reports/compliance/print/?{Q1}"))

    assert "Met 1 of 3 (33%)" in page
    assert "Choose what to report on" not in page
    assert "print.css" in page
    assert "See all" not in page


def test_the_csv_has_each_standard_then_every_gap_made_safe(client_for, coordinator, programme):
    rows = csv_rows(client_for(coordinator).get(f"/reports/compliance.csv?{Q1}"))

    assert rows[0] == ["standard", "applies to", "met", "of", "percent", "gap", "what is missing"]
    assert rows[3] == ["Supervision at the set interval", "mentors", "1", "3", "33"]
    assert rows[1] == ["Screening complete before training", "mentors", "0", "0", ""]
    gap_rows = rows[7:]
    assert gap_rows == [
        [
            "Supervision at the set interval",
            "mentors",
            "",
            "",
            "",
            "'=Cleo",
            "No supervision recorded before the period end.",
        ],
        [
            "Supervision at the set interval",
            "mentors",
            "",
            "",
            "",
            "Ben",
            "No supervision recorded before the period end.",
        ],
    ]


def test_every_read_is_audited_with_the_slice_not_the_names(client_for, coordinator, programme):
    client = client_for(coordinator)
    client.get(f"/reports/compliance/?{Q1}")
    client.get(f"/reports/compliance/print/?{Q1}")
    client.get(f"/reports/compliance/closure/?{Q1}")
    client.get(f"/reports/compliance.csv?{Q1}")

    viewed = AuditEvent.objects.filter(action="reports.compliance.viewed").order_by("pk")
    assert [(event.metadata["report"], event.metadata["format"]) for event in viewed] == [
        ("compliance", "page"),
        ("compliance", "print"),
        ("compliance.closure", "page"),
    ]
    exported = AuditEvent.objects.get(action="reports.exported")
    assert exported.metadata == {
        "report": "compliance",
        "format": "csv",
        "start": "2026-01-01",
        "end": "2026-03-31",
    }
    assert "Ben" not in str([event.metadata for event in AuditEvent.objects.all()])


@pytest.mark.parametrize("mentors", [1, 5])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # The report's 14 (test_compliance.py), then signing in, the organisation, the
        # filter form's team and area choices and the audit row.
        (f"/reports/compliance/?{Q1}", 22),
        # Settings and required modules, counted; again for the page of gaps (6).
        (f"/reports/compliance/supervision_interval/?{Q1}", 14),
        (f"/reports/compliance.csv?{Q1}", 19),
    ],
)
def test_the_pages_take_the_same_number_of_queries_however_big(
    organisation, client_for, coordinator, mentors, url, queries, django_assert_num_queries
):
    unsupervised(organisation, *[f"Mentor {number}" for number in range(mentors)])
    client = client_for(coordinator)
    client.get(url)  # the first request of a session sets it up
    cache.clear()  # worked out afresh, not the copy kept a few minutes (reports/cache.py)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
