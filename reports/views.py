"""The programme dashboard, its printable version, the funder report and their CSV files.

Every page draws the same sections (reports/figures.py) for the slice the filter form chooses;
an invalid filter shows its errors and the default period. Every read is audited with the
slice it covered, never with anyone's data.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from accounts.access import membership_with_role, role_required, signed_in_user
from accounts.models import Organisation, Role, User
from audit.services import audit_record
from reports.cache import KEEP_SECONDS, kept_html
from reports.cache import dashboard as kept_dashboard
from reports.charts import table_chart
from reports.exports import csv_response
from reports.filters import ReportFilter, ReportFilterForm, report_filter
from reports.funder import funder_report
from reports.tables import MIN_GROUP, WITHHELD, Section, Table, Value

READERS = (Role.COORDINATOR, Role.ADMIN)
PRIVACY_NOTE = f"Groups smaller than {MIN_GROUP} are not shown, to protect people's privacy"
CSV_HEADER = ["section", "table", "row", "column", "value", "number"]
HEADLINE = "headline"


@dataclass(frozen=True)
class ShownTable:
    table: Table
    chart: SafeString | None


@dataclass(frozen=True)
class ShownSection:
    section: Section
    tables: tuple[ShownTable, ...]


def audit_report_read(
    user: User,
    organisation: Organisation,
    action: str,
    shown: ReportFilter,
    *,
    report: str,
    format: str,
) -> None:
    """Who read which report, of which slice, in which form: never the figures themselves."""
    audit_record(
        actor=user,
        action=action,
        organisation=organisation,
        metadata={"report": report, "format": format, **shown.as_query()},
    )


def _slice(request: HttpRequest) -> tuple[Organisation, ReportFilterForm, ReportFilter]:
    organisation = membership_with_role(request, READERS).organisation
    form, shown = report_filter(request.GET, organisation)
    if not form.is_bound:
        form.initial = {"start": shown.period.start, "end": shown.period.end}
    return organisation, form, shown


def _shown_table(section: Section, table: Table) -> ShownTable:
    return ShownTable(table, table_chart(table, chart_id=f"chart-{section.key}-{table.key}"))


def _shown(sections: list[Section]) -> list[ShownSection]:
    return [
        ShownSection(section, tuple(_shown_table(section, table) for table in section.tables))
        for section in sections
    ]


def _values(sections: list[Section]) -> Iterator[Value]:
    for section in sections:
        yield from (headline.value for headline in section.headlines)
        for table in section.tables:
            yield from (cell for row in table.rows for cell in row if isinstance(cell, Value))


@dataclass(frozen=True)
class Read:
    organisation: Organisation
    form: ReportFilterForm
    shown: ReportFilter
    sections: list[Section]
    worked_out_at: datetime


def _read(request: HttpRequest, report: str, format: str) -> Read:
    """The slice asked for and its sections (kept for a few minutes: reports/cache.py), with
    the read written to the audit trail."""
    organisation, form, shown = _slice(request)
    sections, worked_out_at = kept_dashboard(shown)
    action = "reports.exported" if format == "csv" else f"reports.{report}.viewed"
    user = signed_in_user(request)
    audit_report_read(user, organisation, action, shown, report=report, format=format)
    return Read(organisation, form, shown, sections, worked_out_at)


def _sections_html(read: Read, *, printable: bool) -> SafeString:
    """Every section's headlines, charts and tables, drawn once for the figures kept."""

    def draw() -> SafeString:
        context = {
            "sections": _shown(read.sections),
            "report_filter": read.shown,
            "contents": not printable,
            "printable": printable,
            "long_table": 6,
        }
        return SafeString(render_to_string("reports/_sections.html", context))

    kind = "dashboard-print" if printable else "dashboard-page"
    return kept_html(kind, read.shown, read.worked_out_at, draw)


def _context(read: Read) -> dict[str, object]:
    return {
        "organisation": read.organisation,
        "form": read.form,
        "report_filter": read.shown,
        "query": urlencode(read.shown.as_query()),
        "any_withheld": any(value.withheld for value in _values(read.sections)),
        "worked_out_at": read.worked_out_at,
        "kept_minutes": KEEP_SECONDS // 60,
        "privacy_note": PRIVACY_NOTE,
        "withheld": WITHHELD,
    }


def _page(request: HttpRequest, template: str, format: str) -> HttpResponse:
    read = _read(request, "dashboard", format)
    sections_html = _sections_html(read, printable=format == "print")
    return render(request, template, _context(read) | {"sections_html": sections_html})


@role_required(*READERS)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The whole programme at a glance, for the slice chosen."""
    return _page(request, "reports/dashboard.html", "page")


@role_required(*READERS)
@require_GET
def dashboard_print(request: HttpRequest) -> HttpResponse:
    """The dashboard made to be printed or saved as a PDF."""
    return _page(request, "reports/dashboard_print.html", "print")


@role_required(*READERS)
@require_GET
def funder(request: HttpRequest) -> HttpResponse:
    """A page or two for funders: the headline figures, a few charts and the outcomes."""
    read = _read(request, "funder", "page")
    report = funder_report(read.sections)
    context = _context(read) | {
        "report": report,
        "charts": [_shown_table(section, table) for section, table in report.charts],
    }
    return render(request, "reports/funder.html", context)


def _number(value: Value) -> float | None:
    return None if value.withheld else value.number


def headline_rows(sections: list[Section]) -> Iterator[list[object]]:
    """One CSV row a headline figure."""
    for section in sections:
        for headline in section.headlines:
            value = headline.value
            yield [section.title, HEADLINE, headline.label, "", value.text, _number(value)]


def table_rows(sections: list[Section]) -> Iterator[list[object]]:
    """One CSV row a figure in a table: its row's label and its column's name."""
    for section in sections:
        for table in section.tables:
            for row in table.rows:
                for column, cell in zip(table.columns[1:], row[1:], strict=False):
                    number = _number(cell) if isinstance(cell, Value) else None
                    yield [section.title, table.caption, str(row[0]), column, str(cell), number]


def _download(request: HttpRequest, report: str) -> HttpResponse:
    read = _read(request, report, "csv")
    shown, sections = read.shown, read.sections
    if report == "funder":
        rows = headline_rows(list(funder_report(sections).sections))
    else:
        rows = itertools.chain(headline_rows(sections), table_rows(sections))
    filename = f"alongside-{report}-{shown.period.start}-to-{shown.period.end}.csv"
    return csv_response(filename, CSV_HEADER, rows)


@role_required(*READERS)
@require_GET
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    """Every figure on the dashboard, one a row, for a spreadsheet."""
    return _download(request, "dashboard")


@role_required(*READERS)
@require_GET
def funder_csv(request: HttpRequest) -> HttpResponse:
    """The funder report's headline figures, one a row."""
    return _download(request, "funder")
