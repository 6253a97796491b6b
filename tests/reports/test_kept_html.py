"""The charts and tables drawn from kept figures are kept beside them (reports/cache.py
kept_html): drawn once for the same figures, drawn again whenever the figures are worked out
again, never shown with other figures than the ones they were drawn from, and the same for
every reader (nothing about who is reading is kept)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import clear_script_prefix, set_script_prefix
from django.utils import timezone
from django.utils.safestring import SafeString

from referrals.models import Source
from reports import cache as reports_cache
from reports.cache import KEEP_SECONDS, kept_html
from reports.filters import Period, ReportFilter
from tests.referrals.factories import ReferralFactory
from tests.reports.test_compliance_pages import unsupervised


class Drawing:
    """A draw function that counts its calls and draws what it is told."""

    def __init__(self) -> None:
        self.calls = 0
        self.html = "<p>first</p>"

    def __call__(self) -> SafeString:
        self.calls += 1
        return SafeString(self.html)


def slice_of(organisation, days: int = 365) -> ReportFilter:
    end = timezone.localdate()
    return ReportFilter(organisation=organisation, period=Period(end - timedelta(days=days), end))


def test_the_same_figures_are_drawn_once(organisation):
    draw, moment = Drawing(), timezone.now()
    shown = slice_of(organisation)
    assert kept_html("dashboard-page", shown, moment, draw) == "<p>first</p>"
    draw.html = "<p>second</p>"
    assert kept_html("dashboard-page", shown, moment, draw) == "<p>first</p>"
    assert draw.calls == 1


def test_figures_worked_out_again_are_drawn_again(organisation):
    draw, moment = Drawing(), timezone.now()
    shown = slice_of(organisation)
    kept_html("dashboard-page", shown, moment, draw)
    draw.html = "<p>second</p>"
    later = moment + timedelta(seconds=1)
    assert kept_html("dashboard-page", shown, later, draw) == "<p>second</p>"
    assert draw.calls == 2


@pytest.mark.parametrize(
    ("kind", "other_kind", "other_days"),
    [
        ("dashboard-page", "dashboard-print", 365),  # the printable version is drawn apart
        ("dashboard-page", "compliance-page", 365),
        ("dashboard-page", "dashboard-page", 90),  # another slice
    ],
)
def test_each_report_way_of_drawing_and_slice_is_kept_apart(
    organisation, kind, other_kind, other_days
):
    draw, moment = Drawing(), timezone.now()
    kept_html(kind, slice_of(organisation), moment, draw)
    draw.html = "<p>other</p>"
    assert kept_html(other_kind, slice_of(organisation, other_days), moment, draw) == draw.html
    assert draw.calls == 2


def test_each_organisation_is_kept_apart(organisation, other_organisation):
    draw, moment = Drawing(), timezone.now()
    kept_html("dashboard-page", slice_of(organisation), moment, draw)
    draw.html = "<p>elsewhere</p>"
    assert kept_html("dashboard-page", slice_of(other_organisation), moment, draw) == draw.html


def test_each_script_prefix_is_kept_apart(organisation):
    """Drawn HTML holds links, and links start with the prefix the site is served under."""
    draw, moment = Drawing(), timezone.now()
    shown = slice_of(organisation)
    kept_html("dashboard-page", shown, moment, draw)
    draw.html = "<p>under a prefix</p>"
    set_script_prefix("/alongside/")
    try:
        assert kept_html("dashboard-page", shown, moment, draw) == draw.html
    finally:
        clear_script_prefix()


def self_referrals(organisation, count: int) -> None:
    for _ in range(count):
        ReferralFactory(organisation=organisation, source=Source.SELF)


def self_referred(count: int) -> str:
    """The row of the referrals table that counts self-referrals."""
    return f'Self-referral</th><td class="text-end text-nowrap">{count}</td>'


def test_the_dashboard_never_shows_charts_of_older_figures(client_for, coordinator, organisation):
    client = client_for(coordinator)
    self_referrals(organisation, 6)
    assert self_referred(6) in client.get("/reports/").content.decode()
    self_referrals(organisation, 4)
    assert self_referred(6) in client.get("/reports/").content.decode()  # kept, as it says
    # Once the figures expire they are worked out again, and the tables are drawn again.
    later = timezone.now() + timedelta(seconds=KEEP_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        page = client.get("/reports/").content.decode()
    assert self_referred(10) in page and self_referred(6) not in page


def test_figures_worked_out_again_early_are_drawn_again(
    client_for, coordinator, organisation, monkeypatch
):
    """Should the kept figures go (the cache trimmed, or a restart), the drawn HTML is not
    shown with the new ones, even though it is still kept."""
    client = client_for(coordinator)
    self_referrals(organisation, 6)
    client.get("/reports/")
    self_referrals(organisation, 4)
    whole_year = ReportFilter(organisation=organisation, period=Period.default())
    kept_figures = reports_cache._key("dashboard", whole_year)
    monkeypatch.setattr(reports_cache, "_kept", _without(reports_cache._kept, kept_figures))
    page = client.get("/reports/").content.decode()
    assert self_referred(10) in page and self_referred(6) not in page


def _without(kept, key):
    """``reports_cache._kept`` that has lost the figures kept under ``key``, once."""
    from django.core.cache import cache

    def lost_then_kept(kind, report_filter, work_out):
        cache.delete(key)
        return kept(kind, report_filter, work_out)

    return lost_then_kept


def test_compliance_gaps_are_drawn_again_with_their_figures(client_for, coordinator, organisation):
    client = client_for(coordinator)
    unsupervised(organisation, "Ben")
    assert "Ben" in client.get("/reports/compliance/").content.decode()
    unsupervised(organisation, "Cleo")
    assert "Cleo" not in client.get("/reports/compliance/").content.decode()
    later = timezone.now() + timedelta(seconds=KEEP_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        page = client.get("/reports/compliance/").content.decode()
    assert "Ben" in page and "Cleo" in page


def test_coordinators_and_admins_see_the_same_drawing(client_for, coordinator, admin, organisation):
    self_referrals(organisation, 6)
    as_coordinator = client_for(coordinator).get("/reports/").content.decode()
    as_admin = client_for(admin).get("/reports/").content.decode()

    def drawing(page: str) -> str:
        start = page.index('<nav class="mb-4" aria-labelledby="contents-heading">')
        return page[start:].split("</main>")[0]

    assert self_referred(6) in drawing(as_admin)
    assert drawing(as_coordinator) == drawing(as_admin)
