"""Worked-out reports are kept for a few minutes, so a coordinator moving between the
dashboard, its printable page, the CSV and the funder report (or several staff looking at the
same period) does not make the database count a national programme again each time.

The key is the organisation and the slice (period, team, area); every page says when its
figures were worked out. Reads are still checked and audited on every request: only the
figures are kept, never who may see them.

The charts and tables drawn from kept figures are kept beside them (``kept_html``): for a
national programme, drawing them cost more than the rest of the page. Drawn HTML is used only
with the very figures it was drawn from, so a page's figures always match its "worked out at".
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.core.cache import cache
from django.urls import get_script_prefix
from django.utils.safestring import SafeString

from alongside.caching import kept
from reports.compliance import ComplianceReport, compliance_report
from reports.figures import dashboard_sections
from reports.filters import ReportFilter
from reports.tables import Section

KEEP_SECONDS = 300
# Bump when the shape or meaning of a kept report changes.
VERSION = 1

T = TypeVar("T")


def _key(kind: str, report_filter: ReportFilter) -> str:
    query = sorted(report_filter.as_query().items())
    digest = hashlib.sha256(repr(query).encode(), usedforsecurity=False).hexdigest()[:24]
    return f"reports:{VERSION}:{kind}:{report_filter.organisation.pk}:{digest}"


def _kept(kind: str, report_filter: ReportFilter, work_out: Callable[[], T]) -> tuple[T, datetime]:
    """The report ``work_out`` gives for this slice, and when it was worked out: from the cache
    when it was worked out less than KEEP_SECONDS ago."""
    return kept(_key(kind, report_filter), KEEP_SECONDS, work_out)


def dashboard(report_filter: ReportFilter) -> tuple[list[Section], datetime]:
    return _kept("dashboard", report_filter, lambda: dashboard_sections(report_filter))


def compliance(report_filter: ReportFilter) -> tuple[ComplianceReport, datetime]:
    return _kept("compliance", report_filter, lambda: compliance_report(report_filter))


def kept_html(
    kind: str, report_filter: ReportFilter, worked_out_at: datetime, draw: Callable[[], SafeString]
) -> SafeString:
    """The HTML ``draw`` makes of the figures worked out at ``worked_out_at`` for this slice:
    kept while those figures are, and drawn again as soon as they are worked out again.

    ``kind`` names the report and the way it is drawn (a page and its printable version differ).
    Everything drawn must come from the figures, the slice and the URLs (the script prefix is
    part of the key): nothing about who is reading, such as a CSRF token or their role."""
    key = f"{_key(kind, report_filter)}:html:{get_script_prefix()}"
    found = cache.get(key)
    if found is not None and found[0] == worked_out_at:
        html: SafeString = found[1]
        return html
    html = draw()
    cache.set(key, (worked_out_at, html), KEEP_SECONDS)
    return html
