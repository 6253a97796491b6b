"""The matching overview's long lists (proposals to review, people waiting), written in one pass
in Python: each is up to a hundred rows, and a template looks up every value of every row one
at a time. The HTML is what the overview's template wrote; tests hold the two together."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from alongside.links import url_for_each
from matching.models import Origin

if TYPE_CHECKING:
    from matching.views.overview import Waiting
    from matching.views.staff import Row

register = template.Library()

_REVIEW_ROW = """<li class="card mb-2">
<div class="card-body py-2">
<p class="mb-1 d-flex flex-wrap align-items-baseline gap-2">
<a class="fw-semibold fs-5" href="{url}">{name} with {mentor}</a>
<span class="badge text-bg-light border">{percent}% · {word} match</span>
{asked_for}
{origin}
</p>
<p class="mb-0 small"><span class="fw-semibold">Why:</span> {reasons}{more}</p>
</div>
</li>"""
_ASKED_FOR = '<span class="badge text-bg-warning">Asked for this mentor</span>'
_ORIGIN = '<span class="small text-body-secondary">{}</span>'
# Labels looked up once: ``get_origin_display`` rebuilds its choices for every call.
_ORIGIN_LABELS = dict(Origin.choices)

_WAITING_ROW = """<li class="card mb-2"><div class="card-body py-2 d-flex flex-wrap \
justify-content-between align-items-center gap-2">
<div>
<p class="mb-0"><span class="fw-semibold">{name}</span> \
<span class="small text-body-secondary">· waiting {waited}</span></p>
{reason}
</div>
<a class="btn btn-outline-primary btn-sm" href="{url}">Find a mentor for {name}</a>
</div></li>"""
_NOT_MATCHED = '<p class="mb-0 small">Not matched in the last run: {}.</p>'


@register.simple_tag
def review_rows(rows: Iterable[Row]) -> SafeString:
    """Proposals waiting for the coordinator, each linked to its page."""
    detail_url = url_for_each("matching:proposal_detail")
    return _joined(_review_row(row, detail_url(row.proposal.pk)) for row in rows)


def _review_row(row: Row, url: str) -> str:
    proposal = row.proposal
    origin = proposal.origin
    return _REVIEW_ROW.format(
        url=escape(url),
        name=escape(proposal.referral.full_name),
        mentor=escape(proposal.mentor.display_name),
        percent=row.percent,
        word=escape(row.word),
        asked_for=_ASKED_FOR if row.asked_for else "",
        origin=(
            _ORIGIN.format(escape(_ORIGIN_LABELS.get(origin, origin)))
            if origin != Origin.ENGINE
            else ""
        ),
        reasons=" · ".join(escape(reason) for reason in row.top_reasons),
        more=f" · and {row.more_reasons} more" if row.more_reasons else "",
    )


@register.simple_tag
def waiting_rows(waiting: Iterable[Waiting]) -> SafeString:
    """People waiting with nothing on its way, each with a link to their suggestions."""
    return _joined(
        _WAITING_ROW.format(
            name=escape(item.name),
            waited=escape(item.waited),
            reason=_NOT_MATCHED.format(escape(item.reason)) if item.reason else "",
            url=escape(item.url),
        )
        for item in waiting
    )


def _joined(rows: Iterable[str]) -> SafeString:
    """Rows whose every value was escaped as it went in (str.format, not format_html: a
    hundred rows with each value escaped once cost a third less)."""
    return mark_safe("\n".join(rows))  # noqa: S308 - each value escaped above
