"""The programme dashboard: every section, in the order the page shows them."""

from __future__ import annotations

from reports.figures_care import alerts_section, outcomes_section, skills_section
from reports.figures_programme import (
    endings_section,
    matching_section,
    mentors_section,
    referrals_section,
    relationships_section,
    sessions_section,
)
from reports.filters import ReportFilter
from reports.tables import Section


def dashboard_sections(report_filter: ReportFilter) -> list[Section]:
    return [
        referrals_section(report_filter),
        matching_section(report_filter),
        relationships_section(report_filter),
        sessions_section(report_filter),
        endings_section(report_filter),
        mentors_section(report_filter),
        alerts_section(report_filter),
        outcomes_section(report_filter),
        skills_section(report_filter),
    ]
