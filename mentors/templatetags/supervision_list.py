"""The supervision overview's rows written in one pass in Python: fifty mentors a page, each
with a template lookup for every field. The HTML is what ``mentors/supervision/overview.html``
wrote for each row; tests hold the two together."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django import template
from django.utils.safestring import SafeString, mark_safe

from alongside.widgets import escape_text

if TYPE_CHECKING:
    from mentors.views.supervision import OverviewRow

register = template.Library()

_ROW = """<li class="border-top py-3">
<h2 class="h5 mb-2">
<a href="{url}">{name}</a>{overdue}{flag}
</h2>
<dl class="row mb-0">{supervisor}
<div class="col-6 col-md-3"><dt class="fw-normal text-body-secondary">Last supervision</dt>\
<dd class="mb-1">{last_held}</dd></div>
<div class="col-6 col-md-3"><dt class="fw-normal text-body-secondary">{due_label}</dt>\
<dd class="mb-1">{next_due}</dd></div>
<div class="col-6 col-md-3"><dt class="fw-normal text-body-secondary">Last check-in</dt>\
<dd class="mb-1">{last_check_in}</dd></div>
</dl>
</li>"""
_OVERDUE = SafeString('\n<span class="badge text-bg-warning ms-1">Overdue</span>')
_SUPERVISOR = (
    '\n<div class="col-6 col-md-3"><dt class="fw-normal text-body-secondary">Supervisor</dt>'
    '<dd class="mb-1">{}</dd></div>'
)


@register.simple_tag
def supervision_rows(rows: Iterable[OverviewRow], is_supervisor: bool) -> SafeString:
    """The overview's rows; a supervisor's list leaves out the supervisor (it is them)."""
    return mark_safe(  # noqa: S308 - every value in every row is escaped
        "\n".join(_row(row, is_supervisor) for row in rows)
    )


def _row(row: OverviewRow, is_supervisor: bool) -> str:
    flag = (
        f'\n<span class="badge text-bg-warning ms-1">{escape_text(row.wellbeing_flag)}</span>'
        if row.wellbeing_flag
        else ""
    )
    return _ROW.format(
        url=escape_text(row.url),
        name=escape_text(row.name),
        overdue=_OVERDUE if row.is_overdue else "",
        flag=flag,
        supervisor="" if is_supervisor else _SUPERVISOR.format(escape_text(row.supervisor)),
        last_held=escape_text(row.last_held),
        due_label="Was due" if row.is_overdue else "Next due",
        next_due=escape_text(row.next_due),
        last_check_in=escape_text(row.last_check_in),
    )
