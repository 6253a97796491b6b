"""Programme reports through the API, for coordinators and admins: the dashboard's sections, the
funder report's figures, and practice-standard compliance with the gaps behind it.

The same slice as the pages (start, end, team, area; a wrong one is a 400 naming it), the same
figures, small groups withheld the same way. Every read is audited, as on the pages.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from accounts.access import STAFF_ROLES, HasRole, api_membership
from accounts.models import Organisation, User
from alongside.api import validation_errors
from reports.cache import compliance as kept_compliance
from reports.cache import dashboard as kept_dashboard
from reports.compliance import STANDARD_KEYS, Standard, standard_gaps
from reports.filters import ReportFilter, report_filter
from reports.funder import funder_report
from reports.serializers import (
    ComplianceSerializer,
    DashboardSerializer,
    FunderSerializer,
    GapQuerySerializer,
    ReportQuerySerializer,
    StandardGapsSerializer,
)
from reports.standards_base import Gap
from reports.tables import Headline, Section, Table, Value
from reports.views import audit_report_read

TAGS = ["Reports"]
_BAD = OpenApiResponse(description="A wrong date, team or area: the problem under its field.")
_NOT_FOUND = OpenApiResponse(description="Not a coordinator or admin here, or no such standard.")


def _organisation(request: Request) -> Organisation:
    membership = api_membership(request)
    if membership is None:
        raise Http404
    return membership.organisation


def _slice(request: Request, query_class: type[ReportQuerySerializer]) -> tuple[ReportFilter, Any]:
    """The slice asked for: types and ranges checked first, then the same form as the pages
    (the organisation's own teams and areas, the end not before the start)."""
    query = query_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    form, shown = report_filter(request.query_params, _organisation(request))
    if form.is_bound and not form.is_valid():
        error = DjangoValidationError(form.errors.as_data())
        raise ValidationError(
            validation_errors(error, {"__all__": api_settings.NON_FIELD_ERRORS_KEY})
        )
    return shown, query.validated_data


def _audit(request: Request, shown: ReportFilter, report: str) -> None:
    user = request.user
    assert isinstance(user, User)
    audit_report_read(
        user, shown.organisation, f"reports.{report}.viewed", shown, report=report, format="api"
    )


def filter_data(shown: ReportFilter) -> dict[str, Any]:
    return {
        "start": shown.period.start,
        "end": shown.period.end,
        "team": shown.team.pk if shown.team is not None else None,
        "area": shown.area.pk if shown.area is not None else None,
        "description": shown.describe(),
    }


def _figure(value: Value) -> dict[str, Any]:
    return {
        "number": None if value.withheld else value.number,
        "text": value.text,
        "withheld": value.withheld,
        "unit": value.unit,
    }


def _cell(cell: object) -> dict[str, Any]:
    if isinstance(cell, Value):
        return _figure(cell)
    return {"number": None, "text": str(cell), "withheld": False, "unit": ""}


def _headline(headline: Headline) -> dict[str, Any]:
    return {"key": headline.key, "label": headline.label, **_figure(headline.value)}


def table_data(table: Table) -> dict[str, Any]:
    return {
        "key": table.key,
        "caption": table.caption,
        "columns": list(table.columns),
        "rows": [[_cell(cell) for cell in row] for row in table.rows],
        "note": table.note,
    }


def section_data(section: Section) -> dict[str, Any]:
    return {
        "key": section.key,
        "title": section.title,
        "note": section.note,
        "filter_note": section.filter_note,
        "headlines": [_headline(headline) for headline in section.headlines],
        "tables": [table_data(table) for table in section.tables],
    }


def standard_data(standard: Standard, gaps: tuple[Gap, ...] | list[Gap]) -> dict[str, Any]:
    return {
        "key": standard.key,
        "title": standard.title,
        "description": standard.description,
        "applies_to": standard.applies_to,
        "met": standard.met,
        "of": standard.of,
        "percent": standard.percent,
        "gaps_total": standard.gaps_total,
        "gaps": [{"label": gap.label, "url": gap.url, "detail": gap.detail} for gap in gaps],
    }


class DashboardView(APIView):
    permission_classes = [IsAuthenticated, HasRole.of(*STAFF_ROLES)]

    @extend_schema(
        tags=TAGS,
        summary="Programme dashboard",
        description="Every section of the programme dashboard for the slice asked for: "
        "headline figures and tables. Figures about 1 to 4 people are withheld (no number, "
        "``withheld`` true). Coordinators and admins.",
        parameters=[ReportQuerySerializer],
        responses={200: DashboardSerializer, 400: _BAD, 404: _NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        shown, _query = _slice(request, ReportQuerySerializer)
        sections, _worked_out_at = kept_dashboard(shown)
        _audit(request, shown, "dashboard")
        data = {
            "filter": filter_data(shown),
            "sections": [section_data(section) for section in sections],
        }
        return Response(DashboardSerializer(data).data)


class FunderView(APIView):
    permission_classes = [IsAuthenticated, HasRole.of(*STAFF_ROLES)]

    @extend_schema(
        tags=TAGS,
        summary="Funder report",
        description="The figures on the funder report: headline figures from every section, "
        "the key charts' tables and the outcomes. Coordinators and admins.",
        parameters=[ReportQuerySerializer],
        responses={200: FunderSerializer, 400: _BAD, 404: _NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        shown, _query = _slice(request, ReportQuerySerializer)
        sections, _worked_out_at = kept_dashboard(shown)
        _audit(request, shown, "funder")
        report = funder_report(sections)
        tables = [table for _section, table in report.charts] + list(report.outcomes)
        data = {
            "filter": filter_data(shown),
            "organisation": shown.organisation.name,
            "headlines": [
                {"section": section.key, **_headline(headline)}
                for section in report.sections
                for headline in section.headlines
            ],
            "tables": [table_data(table) for table in tables],
        }
        return Response(FunderSerializer(data).data)


class ComplianceView(APIView):
    permission_classes = [IsAuthenticated, HasRole.of(*STAFF_ROLES)]

    @extend_schema(
        tags=TAGS,
        summary="Practice-standard compliance",
        description="For each practice standard: how many mentors or relationships in the "
        "slice met it, and the first of those that did not. Coordinators and admins.",
        parameters=[ReportQuerySerializer],
        responses={200: ComplianceSerializer, 400: _BAD, 404: _NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        shown, _query = _slice(request, ReportQuerySerializer)
        report, _worked_out_at = kept_compliance(shown)
        _audit(request, shown, "compliance")
        data = {
            "filter": filter_data(shown),
            "standards": [standard_data(standard, standard.gaps) for standard in report.standards],
        }
        return Response(ComplianceSerializer(data).data)


class StandardGapsView(APIView):
    permission_classes = [IsAuthenticated, HasRole.of(*STAFF_ROLES)]

    @extend_schema(
        tags=TAGS,
        summary="One standard's gaps",
        operation_id="reports_compliance_standard_gaps",
        description="Every mentor or relationship that did not meet one standard, a page at a "
        "time (``limit``, ``offset``). An unknown standard is a 404. Coordinators and admins.",
        parameters=[
            OpenApiParameter(
                "standard",
                str,
                OpenApiParameter.PATH,
                enum=list(STANDARD_KEYS),
                description="The standard's key.",
            ),
            GapQuerySerializer,
        ],
        responses={200: StandardGapsSerializer, 400: _BAD, 404: _NOT_FOUND},
    )
    def get(self, request: Request, standard: str) -> Response:
        if standard not in STANDARD_KEYS:
            raise Http404
        shown, query = _slice(request, GapQuerySerializer)
        limit, offset = query["limit"], query["offset"]
        found, gaps = standard_gaps(shown, standard, offset=offset, limit=limit)
        _audit(request, shown, "compliance")
        summary = standard_data(found, ())
        del summary["gaps"]
        data = {
            "filter": filter_data(shown),
            "standard": summary,
            "count": found.gaps_total,
            "next": self._page(request, offset + limit, limit, found.gaps_total),
            "previous": self._page(request, offset - limit, limit, found.gaps_total)
            if offset > 0
            else None,
            "results": [{"label": gap.label, "url": gap.url, "detail": gap.detail} for gap in gaps],
        }
        return Response(StandardGapsSerializer(data).data)

    @staticmethod
    def _page(request: Request, offset: int, limit: int, count: int) -> str | None:
        if offset >= count:
            return None
        url = request.build_absolute_uri()
        url = replace_query_param(url, "limit", limit)
        return replace_query_param(url, "offset", max(offset, 0))
