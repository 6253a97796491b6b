"""Report tables, headline cards and lists of gaps, written in Python: the markup screen
readers rely on (captions, scoped headings, the scrolling region's name), withheld figures
marked, and every word escaped."""

from __future__ import annotations

from reports.standards_base import Gap
from reports.tables import Headline, Table, Value
from reports.templatetags.report_html import gap_items, report_headlines, report_table

TABLE = Table(
    key="by_source",
    caption="Referrals <by> source",
    columns=("Source", "Referrals", "Share", "Waiting"),
    rows=(
        ("Self & friends", Value.count(7), Value.share(7, 12), Value.count(2)),
        ('=HYPERLINK("x")', Value.count(5), Value.share(5, 12), Value.count(0)),
    ),
)


def test_a_table_has_its_caption_headings_and_figures():
    html = report_table(TABLE)
    assert 'role="region" aria-label="Referrals &lt;by&gt; source (scrolls sideways' in html
    assert '<caption class="fw-semibold text-body">Referrals &lt;by&gt; source</caption>' in html
    assert '<th scope="col">Source</th><th scope="col" class="text-end">Referrals</th>' in html
    assert '<th scope="row" class="fw-normal">Self &amp; friends</th>' in html
    assert '<td class="text-end text-nowrap">7</td>' in html
    assert "=HYPERLINK(&quot;x&quot;)" in html
    # Four columns: the smaller type.
    assert 'class="table table-sm caption-top mb-1 small"' in html


def test_a_withheld_figure_is_marked_quieter():
    html = report_table(TABLE)
    assert '<td class="text-end text-nowrap text-body-secondary">fewer than 5</td>' in html


def test_a_quiet_caption_is_still_read_by_screen_readers():
    html = report_table(TABLE, quiet_caption=True)
    assert '<caption class="visually-hidden">Referrals &lt;by&gt; source</caption>' in html


def test_an_empty_table_says_there_is_nothing_to_count():
    empty = Table(key="none", caption="Nothing", columns=("Source", "Referrals"), rows=())
    html = report_table(empty)
    assert '<td colspan="2">Nothing to count in this period.</td>' in html
    assert '<table class="table table-sm caption-top mb-1">' in html


def test_headlines_are_cards_with_their_notes():
    headlines = (
        Headline("made", "Referrals <made>", Value.count(12), note="In the period & since."),
        Headline("waiting", "Waiting now", Value.count(3)),
    )
    html = report_headlines(headlines)
    assert html.startswith('<ul class="row g-3 list-unstyled mb-3">')
    assert '<p class="small mb-1">Referrals &lt;made&gt;</p>' in html
    assert '<p class="mb-0 fs-4 fw-semibold">12</p>' in html
    assert '<p class="mb-0 text-body-secondary">fewer than 5</p>' in html
    assert "In the period &amp; since." in html
    compact = report_headlines(headlines, columns="col-6", padding="p-2", size="fs-5", compact=True)
    assert '<li class="col-6">' in compact and "In the period" not in compact
    assert '<p class="mb-0 fs-5 fw-semibold">12</p>' in compact


def test_no_headlines_write_nothing():
    assert report_headlines(()) == ""


def test_gaps_link_to_the_record_except_on_paper():
    gaps = [Gap(label="Sam <Smith>", url="/mentors/1/?a=1&b=2", detail="No check-in & no note")]
    html = gap_items(gaps)
    assert '<a class="fw-semibold" href="/mentors/1/?a=1&amp;b=2">Sam &lt;Smith&gt;</a>' in html
    assert '<span class="d-block">No check-in &amp; no note</span>' in html
    printed = gap_items(gaps, printing=True)
    assert "<a " not in printed
    assert '<span class="fw-semibold">Sam &lt;Smith&gt;</span>' in printed
