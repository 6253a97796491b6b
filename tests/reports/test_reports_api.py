"""The reports API: who may call it, the exact shape of what it sends (the same figures as the
pages, withheld ones without a number), wrong slices as 400s naming the field, compliance and a
standard's gaps a page at a time, and the audit trail."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from audit.models import AuditEvent
from reports import api
from reports import cache as reports_cache
from reports.compliance import STANDARD_KEYS, Standard
from reports.standards_base import Gap
from tests.mentoring.access import PEOPLE, check_api, client_as
from tests.reports.test_dashboard_pages import grow, sample_sections

ENDPOINTS = [
    "/api/v1/reports/dashboard/",
    "/api/v1/reports/funder/",
    "/api/v1/reports/compliance/",
    "/api/v1/reports/compliance/closure/",
]
STAFF_AND_ELSEWHERE = ["coordinator", "admin", "other_org_coordinator"]
GAPS = [Gap(f"Pair {number}", f"/mentoring/{number}/", "No closure record") for number in range(7)]
CLOSURE = Standard(
    "closure",
    "Closure",
    "Every ended relationship has a closure record.",
    "relationships",
    met=13,
    of=20,
    gaps=tuple(GAPS[:2]),
)


def fake_gaps(report_filter, key, *, offset=0, limit=50):
    """Seven gaps in all, as ``standard_gaps`` gives them: the page asked for."""
    return CLOSURE, GAPS[offset : offset + limit]


@pytest.fixture
def sample(monkeypatch):
    monkeypatch.setattr(reports_cache, "dashboard_sections", sample_sections)
    monkeypatch.setattr(api, "standard_gaps", fake_gaps)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("url", ENDPOINTS)
def test_only_coordinators_and_admins_call_reports(url, person, request, client_for, sample):
    response = client_as(person, request, client_for).get(url)
    check_api(response, person, STAFF_AND_ELSEWHERE)


@pytest.mark.parametrize("url", ENDPOINTS)
def test_nobody_writes_to_reports(url, client_for, coordinator, sample):
    response = client_for(coordinator).post(url, {}, content_type="application/json")
    assert response.status_code in (403, 405)


def test_the_dashboard_sends_each_section_exactly(client_for, coordinator, sample):
    body = (
        client_for(coordinator)
        .get("/api/v1/reports/dashboard/?start=2026-01-01&end=2026-03-31")
        .json()
    )
    assert body["filter"] == {
        "start": "2026-01-01",
        "end": "2026-03-31",
        "team": None,
        "area": None,
        "description": "1 January 2026 to 31 March 2026",
    }
    referrals, outcomes = body["sections"]
    assert referrals["key"] == "referrals" and referrals["title"] == "Referrals"
    assert referrals["headlines"] == [
        {
            "key": "referrals_made",
            "label": "Referrals made",
            "number": 12.0,
            "text": "12",
            "withheld": False,
            "unit": "",
        },
        {
            "key": "waiting_now",
            "label": "Waiting now",
            "number": None,
            "text": "fewer than 5",
            "withheld": True,
            "unit": "",
        },
        # No one waiting: not available, which is not the same as withheld.
        {
            "key": "longest_wait_days",
            "label": "Longest wait now",
            "number": None,
            "text": "–",
            "withheld": False,
            "unit": "days",
        },
    ]
    table = referrals["tables"][0]
    assert table["key"] == "referrals_by_source" and table["columns"] == ["Source", "Referrals"]
    assert table["rows"][0] == [
        {"number": None, "text": "Self-referral", "withheld": False, "unit": ""},
        {"number": 7.0, "text": "7", "withheld": False, "unit": ""},
    ]
    change = outcomes["tables"][0]["rows"][0]
    # Mean change -4.25 shown to one place; 5 of 10 improved is 50%.
    assert change[2] == {"number": -4.2, "text": "-4.2 points", "withheld": False, "unit": "points"}
    assert change[3] == {"number": 50.0, "text": "50% (5 of 10)", "withheld": False, "unit": "%"}


def test_the_funder_report_sends_headlines_with_their_section(
    client_for, coordinator, organisation, sample
):
    body = client_for(coordinator).get("/api/v1/reports/funder/").json()
    assert body["organisation"] == organisation.name
    assert [(h["section"], h["key"]) for h in body["headlines"]] == [
        ("referrals", "referrals_made"),
        ("referrals", "waiting_now"),
        ("outcomes", "outcomes_people"),
    ]
    assert [table["key"] for table in body["tables"]] == [
        "referrals_by_source",
        "outcomes_by_instrument",
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2026-05-01&end=2026-01-01", "end"),
        ("start=yesterday", "start"),
        ("team=0", "team"),
        ("team=99999999999999999999", "team"),
        ("area=abc", "area"),
        ("start=2000-01-01&end=2026-01-01", "start"),
    ],
)
def test_a_wrong_slice_is_a_400_naming_the_field(query, field, client_for, coordinator, sample):
    response = client_for(coordinator).get(f"/api/v1/reports/dashboard/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_another_organisations_team_is_a_400(
    client_for, coordinator, other_org_coordinator, sample
):
    response = client_for(coordinator).get(
        f"/api/v1/reports/dashboard/?team={other_org_coordinator.pk}"
    )
    assert response.status_code == 400 and "team" in response.json()


def test_compliance_sends_every_standard(client_for, coordinator, monkeypatch):
    from reports.compliance import ComplianceReport

    monkeypatch.setattr(
        reports_cache, "compliance_report", lambda shown: ComplianceReport(shown, (CLOSURE,))
    )
    body = client_for(coordinator).get("/api/v1/reports/compliance/").json()
    assert body["standards"] == [
        {
            "key": "closure",
            "title": "Closure",
            "description": "Every ended relationship has a closure record.",
            "applies_to": "relationships",
            "met": 13,
            "of": 20,
            "percent": 65,  # 13 of 20
            "gaps_total": 7,
            "gaps": [
                {"label": "Pair 0", "url": "/mentoring/0/", "detail": "No closure record"},
                {"label": "Pair 1", "url": "/mentoring/1/", "detail": "No closure record"},
            ],
        }
    ]


def test_a_standards_gaps_come_a_page_at_a_time(client_for, coordinator, sample):
    client = client_for(coordinator)
    first = client.get("/api/v1/reports/compliance/closure/?limit=3").json()
    assert first["count"] == 7 and first["previous"] is None
    assert [gap["label"] for gap in first["results"]] == ["Pair 0", "Pair 1", "Pair 2"]
    assert "gaps" not in first["standard"] and first["standard"]["gaps_total"] == 7
    assert first["next"].endswith("/api/v1/reports/compliance/closure/?limit=3&offset=3")
    last = client.get("/api/v1/reports/compliance/closure/?limit=3&offset=6").json()
    assert [gap["label"] for gap in last["results"]] == ["Pair 6"]
    assert last["next"] is None and last["previous"].endswith("limit=3&offset=3")


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-1"])
def test_a_wrong_page_is_a_400(query, client_for, coordinator, sample):
    response = client_for(coordinator).get(f"/api/v1/reports/compliance/closure/?{query}")
    assert response.status_code == 400


def test_an_unknown_standard_is_a_404(client_for, coordinator, sample):
    assert "nonsense" not in STANDARD_KEYS
    assert client_for(coordinator).get("/api/v1/reports/compliance/nonsense/").status_code == 404


def test_reading_reports_through_the_api_is_audited(client_for, coordinator, sample):
    client_for(coordinator).get("/api/v1/reports/dashboard/?start=2026-01-01&end=2026-03-31")
    event = AuditEvent.objects.get(action="reports.dashboard.viewed")
    assert event.metadata == {
        "report": "dashboard",
        "format": "api",
        "start": "2026-01-01",
        "end": "2026-03-31",
    }


# Every section's figures, the audit event and the caller's session and membership.
@pytest.mark.parametrize(
    ("url", "queries"), [("/api/v1/reports/dashboard/", 25), ("/api/v1/reports/funder/", 25)]
)
def test_the_api_asks_the_same_queries_whatever_the_data(
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
    client.get(url)
    cache.clear()  # worked out afresh, not the copy kept a few minutes (reports/cache.py)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    grow(organisation, active_relationship, 12)
    cache.clear()  # worked out afresh, not the copy kept a few minutes (reports/cache.py)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
