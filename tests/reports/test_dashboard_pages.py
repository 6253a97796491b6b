"""The programme dashboard's pages and CSV files: who may open them, what they show (figures,
charts with their tables, small groups withheld), the filter, the audit trail, and pinned
query counts. Figures come from sections built here, so the pages are tested apart from the
sums (reports/figures_*.py have their own tests)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from audit.models import AuditEvent
from mentoring.models import SessionStatus
from referrals.models import Source
from reports import cache as reports_cache
from reports.filters import NOT_SPLIT_BY_TEAM, Period, ReportFilter
from reports.tables import Chart, Headline, Section, Table, Value
from tests.mentoring.access import PEOPLE, check_page, client_as
from tests.mentoring.factories import SessionFactory
from tests.referrals.factories import ReferralFactory

PRIVACY = "Groups smaller than 5 are not shown, to protect people&#x27;s privacy"
STAFF_AND_ELSEWHERE = ["coordinator", "admin", "other_org_coordinator"]
PAGES = [
    "/reports/",
    "/reports/print/",
    "/reports/dashboard.csv",
    "/reports/funder/",
    "/reports/funder.csv",
]


def sample_sections(report_filter: ReportFilter | None = None) -> list[Section]:
    """Two sections with every kind of figure: counts, a withheld count, a share, a negative
    mean, a chart, and a row label that starts like a spreadsheet formula."""
    return [
        Section(
            key="referrals",
            title="Referrals",
            headlines=(
                Headline("referrals_made", "Referrals made", Value.count(12)),
                Headline("waiting_now", "Waiting now", Value.count(3)),  # 3 people: withheld
                Headline("longest_wait_days", "Longest wait now", Value.days(None, 0)),
            ),
            tables=(
                Table(
                    key="referrals_by_source",
                    caption="Referrals by source",
                    columns=("Source", "Referrals"),
                    rows=(
                        ("Self-referral", Value.count(7)),
                        ('=HYPERLINK("http://example.com")', Value.count(5)),
                    ),
                    chart=Chart(column=1),
                ),
            ),
            note="Referrals made in the period, by where they came from.",
            filter_note=NOT_SPLIT_BY_TEAM,
        ),
        Section(
            key="outcomes",
            title="Outcomes",
            headlines=(Headline("outcomes_people", "People with two scores", Value.count(10)),),
            tables=(
                Table(
                    key="outcomes_by_instrument",
                    caption="Change from first to latest score",
                    columns=("Measure", "People", "Mean change", "Reliably improved"),
                    # 5 of 10 improved: 50%; the mean -4.25 shows to one place.
                    rows=(
                        (
                            "PHQ-9",
                            Value.count(10),
                            Value.measure(-4.25, 10, unit="points"),
                            Value.share(5, 10),
                        ),
                    ),
                ),
            ),
            note="People with two or more scores who agreed to programme evaluation.",
        ),
    ]


@pytest.fixture
def sample(monkeypatch):
    monkeypatch.setattr(reports_cache, "dashboard_sections", sample_sections)


def text_of(response) -> str:
    return response.content.decode()


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


# Access -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("url", PAGES)
def test_only_coordinators_and_admins_open_reports(url, person, request, client_for, sample):
    response = client_as(person, request, client_for).get(url)
    check_page(response, person, STAFF_AND_ELSEWHERE)


@pytest.mark.parametrize("url", PAGES)
def test_reports_only_answer_get(url, client_for, coordinator, sample):
    assert client_for(coordinator).post(url).status_code == 405


# The dashboard ----------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["coordinator", "admin"])
def test_the_dashboard_shows_every_section_with_its_figures(person, request, client_for, sample):
    page = text_of(client_as(person, request, client_for).get("/reports/"))
    assert page.count("<h1") == 1
    for words in ("Referrals made", ">12<", "Waiting now", "Referrals by source", "Self-referral"):
        assert words in page
    assert "People with two scores" in page and "-4.2 points" in page
    assert "50% (5 of 10)" in page
    # Withheld figures say so, and the page explains why once.
    assert "fewer than 5" in page
    assert page.count(PRIVACY) == 1


def test_a_chart_comes_with_its_table(client_for, coordinator, sample):
    page = text_of(client_for(coordinator).get("/reports/"))
    chart = re.search(r'<svg[^>]*role="img".*?</svg>', page, re.S)
    assert chart is not None
    assert "Referrals by source" in chart.group(0) and "Self-referral" in chart.group(0)
    assert "Referrals by source</caption>" in page
    assert '<th scope="row" class="fw-normal">Self-referral</th>' in page
    assert '<th scope="col">Source</th>' in page
    # The formula-like label is shown as text, escaped.
    assert "=HYPERLINK(&quot;http://example.com&quot;)" in page


def test_the_team_note_shows_only_when_a_team_or_area_is_chosen(client_for, coordinator, sample):
    assert NOT_SPLIT_BY_TEAM not in text_of(client_for(coordinator).get("/reports/"))


def test_the_dashboard_says_which_slice_and_links_keep_it(client_for, coordinator, sample):
    page = text_of(client_for(coordinator).get("/reports/?start=2026-01-01&end=2026-03-31"))
    assert "Figures for 1 January 2026 to 31 March 2026." in page
    query = "?start=2026-01-01&amp;end=2026-03-31"
    for name in ("Printable version", "Download CSV", "Funder report", "Compliance"):
        assert name in page
    for url in (
        "/reports/print/",
        "/reports/dashboard.csv",
        "/reports/funder/",
        "/reports/compliance/",
    ):
        assert f'href="{url}{query}"' in page


def test_a_wrong_period_shows_its_error_and_the_default_figures(client_for, coordinator, sample):
    response = client_for(coordinator).get("/reports/?start=2026-05-01&end=2026-01-01")
    page = text_of(response)
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in page
    assert "the figures below cover the last 12 months" in page
    assert "Referrals made" in page
    assert f"Figures for {Period.default()}." in page


def test_the_form_starts_with_the_period_shown(client_for, coordinator, sample):
    page = text_of(client_for(coordinator).get("/reports/"))
    period = Period.default()
    assert f'name="start" value="{period.start.isoformat()}"' in page
    assert f'name="end" value="{period.end.isoformat()}"' in page


def test_a_date_that_is_not_a_date_is_an_error_too(client_for, coordinator, sample):
    page = text_of(client_for(coordinator).get("/reports/?start=yesterday"))
    assert "Enter a valid date." in page


def test_another_organisations_team_is_not_a_choice(
    client_for, coordinator, other_org_coordinator, sample
):
    page = text_of(client_for(coordinator).get(f"/reports/?team={other_org_coordinator.pk}"))
    assert "Select a valid choice" in page


def test_reading_the_dashboard_is_audited_without_figures(client_for, coordinator, sample):
    client_for(coordinator).get("/reports/?start=2026-01-01&end=2026-03-31")
    event = AuditEvent.objects.get(action="reports.dashboard.viewed")
    assert (
        event.actor == coordinator
        and event.organisation_id == coordinator.memberships.get().organisation_id
    )
    assert event.metadata == {
        "report": "dashboard",
        "format": "page",
        "start": "2026-01-01",
        "end": "2026-03-31",
    }


# Printable and funder pages ---------------------------------------------------------------------


def test_the_printable_page_has_the_figures_without_the_form(client_for, coordinator, sample):
    page = text_of(client_for(coordinator).get("/reports/print/?start=2026-01-01&end=2026-03-31"))
    assert "reports/print.css" in page and "alongside/print.css" in page
    assert "Choose the period" not in page
    assert "Referrals by source" in page and "Change from first to latest score" in page
    assert 'href="/reports/?start=2026-01-01&amp;end=2026-03-31"' in page
    assert "<details" not in page
    assert AuditEvent.objects.get(action="reports.dashboard.viewed").metadata["format"] == "print"


def test_the_funder_report_is_short_and_says_how_it_counts(
    client_for, coordinator, organisation, sample
):
    page = text_of(client_for(coordinator).get("/reports/funder/"))
    assert organisation.name in page
    assert "Referrals made" in page and "People with two scores" in page
    # The outcomes table is there in full.
    assert "Change from first to latest score" in page and "50% (5 of 10)" in page
    assert "How these figures are counted" in page
    assert "Groups smaller than 5 are not shown" in page
    assert "Time to match runs from the referral" in page
    # Only the headlines chosen for funders; the chart without its table.
    assert "Longest wait now" not in page
    assert 'role="img"' in page and "Self-referral" in page
    assert "<caption" in page and "Referrals by source</caption>" not in page
    assert AuditEvent.objects.filter(action="reports.funder.viewed").count() == 1


# CSV --------------------------------------------------------------------------------------------


def test_the_dashboard_csv_has_every_figure_one_a_row(client_for, coordinator, sample):
    response = client_for(coordinator).get("/reports/dashboard.csv?start=2026-01-01&end=2026-03-31")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="alongside-dashboard-2026-01-01-to-2026-03-31.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    rows = csv_rows(response)
    assert rows[0] == ["section", "table", "row", "column", "value", "number"]
    assert ["Referrals", "headline", "Referrals made", "", "12", "12"] in rows
    assert ["Referrals", "headline", "Waiting now", "", "fewer than 5", ""] in rows
    assert ["Referrals", "Referrals by source", "Self-referral", "Referrals", "7", "7"] in rows
    change = "Change from first to latest score"
    assert ["Outcomes", change, "PHQ-9", "Reliably improved", "50% (5 of 10)", "50"] in rows
    # 3 + 1 headlines, 2 source rows, 3 figures for PHQ-9, and the header.
    assert len(rows) == 1 + 4 + 2 + 3


def test_the_csv_cannot_run_formulas(client_for, coordinator, sample):
    rows = csv_rows(client_for(coordinator).get("/reports/dashboard.csv"))
    labels = [row[2] for row in rows]
    assert '\'=HYPERLINK("http://example.com")' in labels
    mean = next(row for row in rows if row[3] == "Mean change")
    # Text that starts with "-" is made safe; the number stays a number.
    assert mean[4:] == ["'-4.2 points", "-4.2"]


def test_the_funder_csv_has_the_funder_headlines_only(client_for, coordinator, sample):
    response = client_for(coordinator).get("/reports/funder.csv")
    rows = csv_rows(response)
    assert "alongside-funder-" in response["Content-Disposition"]
    assert [row[2] for row in rows[1:]] == [
        "Referrals made",
        "Waiting now",
        "People with two scores",
    ]
    assert {row[1] for row in rows[1:]} == {"headline"}


def test_downloads_are_audited_with_their_format(client_for, coordinator, sample):
    client_for(coordinator).get("/reports/dashboard.csv?start=2026-01-01&end=2026-03-31")
    client_for(coordinator).get("/reports/funder.csv")
    events = AuditEvent.objects.filter(action="reports.exported").order_by("pk")
    assert [event.metadata["report"] for event in events] == ["dashboard", "funder"]
    assert {event.metadata["format"] for event in events} == {"csv"}
    assert events[0].metadata["start"] == "2026-01-01"


# The real figures -------------------------------------------------------------------------------


def grow(organisation, relationship, size: int) -> None:
    """``size`` more referrals and held sessions: more rows, never more queries."""
    now = timezone.now()
    for day in range(size):
        ReferralFactory(organisation=organisation, source=Source.SELF)
        SessionFactory(
            relationship=relationship,
            scheduled_for=now - timedelta(days=day + 1),
            status=SessionStatus.HELD,
        )


# Every section's figures in a fixed number of queries, the audit event, and the request's own
# (session, membership, the navigation); the dashboard also lists the teams and areas to choose.
PAGE_QUERIES = {
    "/reports/": 28,
    "/reports/print/": 26,
    "/reports/funder/": 26,
    "/reports/dashboard.csv": 25,
}


@pytest.mark.parametrize(("url", "queries"), PAGE_QUERIES.items())
def test_the_pages_ask_the_same_queries_whatever_the_data(
    url,
    queries,
    client_for,
    coordinator,
    organisation,
    active_relationship,
    django_assert_num_queries,
):
    client = client_for(coordinator)
    grow(organisation, active_relationship, 2)
    client.get(url)  # the session and the membership, once
    cache.clear()  # worked out afresh, not the copy kept a few minutes (reports/cache.py)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    grow(organisation, active_relationship, 12)
    cache.clear()  # worked out afresh, not the copy kept a few minutes (reports/cache.py)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_the_dashboard_draws_the_real_figures(client_for, coordinator, organisation):
    for _ in range(8):
        ReferralFactory(organisation=organisation, source=Source.SELF)
    for _ in range(6):
        ReferralFactory(organisation=organisation, source=Source.GP)
    page = text_of(client_for(coordinator).get("/reports/"))
    chart = re.search(r'<svg[^>]*role="img".*?</svg>', page, re.S)
    assert chart is not None and "Self-referral" in chart.group(0)
    # 8 + 6 = 14 referrals made; 8 of 14 is 57%.
    assert "57% (8 of 14)" in page


def referrals_made(response):
    referrals = next(s for s in response.json()["sections"] if s["key"] == "referrals")
    return next(h for h in referrals["headlines"] if h["key"] == "referrals_made")["number"]


def test_figures_are_kept_a_few_minutes_for_the_same_slice_only(
    client_for, coordinator, organisation, django_assert_max_num_queries
):
    client = client_for(coordinator)
    for _ in range(6):
        ReferralFactory(organisation=organisation, source=Source.SELF)
    assert "Worked out at" in client.get("/reports/").content.decode()
    # Five more referrals: the kept figures (shared by the pages and the API) still say 6, and
    # nothing is counted again, until they are worked out afresh.
    for _ in range(5):
        ReferralFactory(organisation=organisation, source=Source.GP)
    api = "/api/v1/reports/dashboard/"
    client.get(api)
    with django_assert_max_num_queries(6):  # the caller, the audit row: no counting
        assert referrals_made(client.get(api)) == 6
    # Another period is another slice, worked out now.
    assert referrals_made(client.get(api + "?start=2024-01-01&end=2030-12-31")) == 11
    cache.clear()
    assert referrals_made(client.get(api)) == 11
