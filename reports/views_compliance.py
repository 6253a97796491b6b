"""Practice-standard compliance: the page, its printable version, its CSV file, and the page
listing every gap of one standard.

Coordinators and admins only (everyone else gets 404). Every read is audited with the slice it
covered ("reports.compliance.viewed"; the CSV file "reports.exported"), never with names.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from accounts.access import membership_with_role, role_required, signed_in_user
from accounts.models import Organisation, Role
from outcomes.charts import Bar, bar_chart
from reports.cache import KEEP_SECONDS, kept_html
from reports.cache import compliance as kept_compliance
from reports.compliance import (
    GAPS_SHOWN,
    RULES,
    ComplianceReport,
    Standard,
    compliance_report,
    gaps_of,
    standard_gaps,
)
from reports.exports import csv_response
from reports.filters import ReportFilter, ReportFilterForm, report_filter
from reports.standards_base import Gap
from reports.views import audit_report_read

READERS = (Role.COORDINATOR, Role.ADMIN)
GAPS_PER_PAGE = 50
VIEWED = "reports.compliance.viewed"
CSV_HEADER = ["standard", "applies to", "met", "of", "percent", "gap", "what is missing"]
# Short names for the chart's labels; the table beside it gives each standard's full title.
CHART_LABELS = {
    "screening_before_training": "Screening",
    "training_before_first_match": "Training",
    "supervision_interval": "Supervision",
    "check_ins": "Check-ins",
    "agreement_signed": "Agreement",
    "closure": "Closure",
}


def _slice(request: HttpRequest) -> tuple[Organisation, ReportFilterForm, ReportFilter]:
    organisation = membership_with_role(request, READERS).organisation
    form, shown = report_filter(request.GET, organisation)
    if not form.is_bound:  # show the period covered; a date box takes ISO dates only
        period = shown.period
        form.initial = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    return organisation, form, shown


def _chart(report: ComplianceReport) -> SafeString:
    bars = [
        Bar(CHART_LABELS[standard.key], standard.percent, text="none in this period")
        for standard in report.standards
    ]
    return bar_chart(
        bars,
        title="Share of each standard met",
        description="The percentage of mentors or relationships that met each standard. "
        "The same figures are in the table that follows.",
        chart_id="compliance-chart",
    )


def _page(request: HttpRequest, template: str, format: str) -> HttpResponse:
    organisation, form, shown = _slice(request)
    report, worked_out_at = kept_compliance(shown)
    audit_report_read(
        signed_in_user(request), organisation, VIEWED, shown, report="compliance", format=format
    )
    query = urlencode(shown.as_query())
    printing = format == "print"

    def draw() -> SafeString:
        body = {
            "report": report,
            "report_filter": shown,
            "query": query,
            "chart": _chart(report),
            "printing": printing,
        }
        return SafeString(render_to_string("reports/compliance_body.html", body))

    kind = "compliance-print" if printing else "compliance-page"
    context = {
        "form": form,
        "report_filter": shown,
        "query": query,
        "worked_out_at": worked_out_at,
        "kept_minutes": KEEP_SECONDS // 60,
        "body": kept_html(kind, shown, worked_out_at, draw),
        "gaps_shown": GAPS_SHOWN,
    }
    return render(request, template, context)


@role_required(*READERS)
@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    """How far the programme met each of its practice standards, and the gaps to fix."""
    return _page(request, "reports/compliance.html", "page")


@role_required(*READERS)
@require_GET
def compliance_print(request: HttpRequest) -> HttpResponse:
    """The compliance page made to be printed or saved as a PDF."""
    return _page(request, "reports/compliance_print.html", "print")


def _csv_rows(report: ComplianceReport) -> Iterator[list[object]]:
    """One row a standard, then one row a gap."""
    for standard in report.standards:
        yield [standard.title, standard.applies_to, standard.met, standard.of, standard.percent]
    for standard in report.standards:
        for gap in standard.gaps:
            yield [standard.title, standard.applies_to, None, None, None, gap.label, gap.detail]


@role_required(*READERS)
@require_GET
def compliance_csv(request: HttpRequest) -> HttpResponse:
    """Each standard's figures and every gap, for a spreadsheet."""
    organisation, _form, shown = _slice(request)
    report = compliance_report(shown, gaps=None)
    audit_report_read(
        signed_in_user(request),
        organisation,
        "reports.exported",
        shown,
        report="compliance",
        format="csv",
    )
    filename = f"alongside-compliance-{shown.period.start}-to-{shown.period.end}.csv"
    return csv_response(filename, CSV_HEADER, _csv_rows(report))


@dataclass
class GapList(Sequence[Gap]):
    """One standard's gaps for the paginator: counted once, and only the page shown is read."""

    report_filter: ReportFilter
    standard: Standard

    def __len__(self) -> int:
        return self.standard.gaps_total

    @overload
    def __getitem__(self, index: int) -> Gap: ...
    @overload
    def __getitem__(self, index: slice) -> list[Gap]: ...
    def __getitem__(self, index: int | slice) -> Gap | list[Gap]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        return gaps_of(
            self.report_filter, self.standard.key, offset=start, limit=max(stop - start, 0)
        )


@role_required(*READERS)
@require_GET
def standard(request: HttpRequest, standard: str) -> HttpResponse:
    """Every gap of one standard, 50 a page."""
    if standard not in RULES:
        raise Http404
    organisation, form, shown = _slice(request)
    summary, _none = standard_gaps(shown, standard, limit=0)
    page = Paginator(GapList(shown, summary), GAPS_PER_PAGE).get_page(request.GET.get("page"))
    audit_report_read(
        signed_in_user(request),
        organisation,
        VIEWED,
        shown,
        report=f"compliance.{standard}",
        format="page",
    )
    context = {
        "form": form,
        "report_filter": shown,
        "query": urlencode(shown.as_query()),
        "standard": summary,
        "page": page,
        "first_number": page.start_index(),
    }
    return render(request, "reports/standard.html", context)
