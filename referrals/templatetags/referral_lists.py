"""The rows of the triage queue and of the waiting list, and the queue's filter selects, written
in one pass in Python: a page is fifty rows, and a template looks up every value of every row
one at a time (the waiting list's check-in forms, through Django's form templates, cost more
than the rest of the page together). The HTML is the same the templates wrote; tests hold the
blank check-in form and the selects to what the form templates write."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from alongside.links import url_for_each
from referrals.forms_intake import CheckInForm
from referrals.models import Referral, Source, Status, Urgency

if TYPE_CHECKING:
    from referrals.views.intake import WaitingRow

register = template.Library()

# The triage queue ------------------------------------------------------------------------------

_QUEUE_ROW = """<li class="card mb-2{urgent_border}">
<div class="card-body py-2">
<div class="d-flex flex-wrap align-items-baseline gap-2">
<a class="fw-semibold fs-5" href="{url}">{name}</a>
{known_as}{urgent}{duplicate}
</div>
<p class="mb-0 small">
<span class="fw-semibold">{status}</span> · received {age} ago · {source} ·
{attempts}
</p>
</div>
</li>"""
_RED_BORDER = " border-danger border-2"
_URGENT = SafeString('<span class="badge text-bg-danger">Urgent</span>')
_DUPLICATE = SafeString('<span class="badge text-bg-warning">Possible duplicate</span>')
# Labels looked up once: ``get_status_display`` rebuilds its choices for every call.
_STATUS_LABELS = dict(Status.choices)
_SOURCE_LABELS = dict(Source.choices)


@register.simple_tag
def queue_rows(rows: Iterable[tuple[Referral, str]]) -> SafeString:
    """The queue's rows: each referral (with its ``attempts`` counted) and how old it is."""
    detail_url = url_for_each("referrals:detail")
    return mark_safe(  # noqa: S308 - format_html escaped every row
        "\n".join(_queue_row(referral, age, detail_url(referral.pk)) for referral, age in rows)
    )


def _queue_row(referral: Referral, age: str, url: str) -> SafeString:
    urgent = referral.urgency == Urgency.URGENT
    attempts: int = referral.attempts  # type: ignore[attr-defined]
    return format_html(
        _QUEUE_ROW,
        urgent_border=_RED_BORDER if urgent else "",
        url=url,
        name=referral.full_name,
        known_as=(
            format_html(
                '<span class="text-body-secondary">known as {}</span>', referral.preferred_name
            )
            if referral.preferred_name
            else ""
        ),
        urgent=_URGENT if urgent else "",
        duplicate=_DUPLICATE if referral.possible_duplicate_of_id else "",
        status=_STATUS_LABELS.get(referral.status, referral.status),
        age=age.lower(),
        source=_SOURCE_LABELS.get(referral.source, referral.source),
        attempts=(
            f"{attempts} contact attempt{'' if attempts == 1 else 's'}"
            if attempts
            else "no contact attempts yet"
        ),
    )


def _choices(field: forms.Field) -> list[tuple[str, str]]:
    assert isinstance(field, forms.ChoiceField)
    return field.choices  # type: ignore[return-value]


# The waiting list ------------------------------------------------------------------------------

_WAITING_ROW = """<li class="card mb-3{over_border}" id="waiting-{pk}" \
aria-labelledby="waiting-name-{pk}">
<div class="card-body">
<h2 class="h5 mb-2" id="waiting-name-{pk}"><span class="text-body-secondary">{position}.</span> \
<a href="{url}">{name}</a></h2>
<p class="mb-2 d-flex flex-wrap gap-2">
{urgency}{over}{check_in_due}
</p>
<dl class="row mb-2">
<dt class="col-6 col-sm-4 col-lg-2 fw-normal">Waiting for</dt>\
<dd class="col-6 col-sm-8 col-lg-10 mb-1">{waited}</dd>
<dt class="col-6 col-sm-4 col-lg-2 fw-normal">Last spoken with</dt>\
<dd class="col-6 col-sm-8 col-lg-10 mb-1">{last_contact}</dd>
</dl>
{check_in_form}
</div>
</li>"""
_ROUTINE = SafeString('<span class="badge text-bg-light border">Routine</span>')
_CHECK_IN_DUE = SafeString('<span class="badge text-bg-warning">Needs a check-in</span>')

_CHECK_IN_FORM = """<details{open}>
<summary>Log a check-in<span class="visually-hidden"> with {name}</span></summary>
<form method="post" action="{action}" class="mt-2" novalidate>
<input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">
{non_field_errors}<div class="row g-2">
<div class="col-12 col-sm-6">{method}</div>
<div class="col-12 col-sm-6">{outcome}</div>
<div class="col-12">{note}</div>
</div>
<button type="submit" class="btn btn-outline-primary btn-sm mt-2">Log check-in\
<span class="visually-hidden"> with {name}</span></button>
</form>
</details>"""
_LABEL = '<label class="form-label fw-semibold" for="{id}">{label}</label>\n'
_SELECT = '<select name="{name}" id="{id}" class="form-select">\n{options}\n</select>'
_HELP = '<div class="form-text mt-0 mb-1" id="{id}_helptext">{help}</div>\n'
_TEXT = (
    '<input type="text" name="{name}" maxlength="{max_length}" '
    'aria-describedby="{id}_helptext" id="{id}" class="form-control">'
)


@register.simple_tag(takes_context=True)
def waiting_rows(
    context: template.Context, rows: Iterable[WaitingRow], page_number: int, alert_days: int
) -> SafeString:
    """The waiting list's rows, each with its "Log a check-in" form posting back to this page;
    a refused check-in's form is open, with what was typed and why."""
    query = f"?page={page_number}" if page_number > 1 else ""
    over = format_html('<span class="badge text-bg-danger">Waiting over {} days</span>', alert_days)
    csrf_token = context.get("csrf_token", "")
    detail_url = url_for_each("referrals:detail")
    check_in_url = url_for_each("referrals:check_in")
    return mark_safe(  # noqa: S308 - format_html escaped every row
        "\n".join(
            _waiting_row(
                row,
                over,
                csrf_token,
                url=detail_url(row.referral.pk),
                action=check_in_url(row.referral.pk) + query,
            )
            for row in rows
        )
    )


def _waiting_row(
    row: WaitingRow, over: SafeString, csrf_token: object, *, url: str, action: str
) -> SafeString:
    referral = row.referral
    return format_html(
        _WAITING_ROW,
        over_border=_RED_BORDER if row.over_threshold else "",
        pk=referral.pk,
        position=row.position,
        url=url,
        name=referral.full_name,
        urgency=_URGENT if referral.urgency == Urgency.URGENT else _ROUTINE,
        over=over if row.over_threshold else "",
        check_in_due=_CHECK_IN_DUE if row.needs_check_in else "",
        waited=row.waited,
        last_contact=row.last_contact,
        check_in_form=_check_in_form(referral, row.refused_check_in, action, csrf_token),
    )


def _check_in_form(
    referral: Referral, refused: CheckInForm | None, action: str, csrf_token: object
) -> SafeString:
    if refused is None:
        fields = blank_check_in_fields(f"check-in-{referral.pk}")
        problems: object = ""
    else:
        fields = {name: refused[name].as_field_group() for name in refused.fields}
        problems = refused.non_field_errors()
    return format_html(
        _CHECK_IN_FORM,
        open="" if refused is None else " open",
        name=referral.full_name,
        action=action,
        csrf_token=csrf_token,
        non_field_errors=problems,
        **fields,
    )


def blank_check_in_fields(prefix: str) -> dict[str, SafeString]:
    """A blank form's three fields, as ``as_field_group`` writes them."""
    note = _note_field()
    return {
        "method": _select(prefix, "method", _METHOD_OPTIONS),
        "outcome": _select(prefix, "outcome", _OUTCOME_OPTIONS),
        "note": format_html(
            _LABEL + _HELP + _TEXT,
            id=f"id_{prefix}-note",
            name=f"{prefix}-note",
            label=note.label,
            help=note.help_text,
            max_length=note.max_length,
        ),
    }


def _select(prefix: str, name: str, options: SafeString) -> SafeString:
    return format_html(
        _LABEL + _SELECT,
        id=f"id_{prefix}-{name}",
        name=f"{prefix}-{name}",
        label=_choice_field(name).label,
        options=options,
    )


def _choice_field(name: str) -> forms.ChoiceField:
    field = CheckInForm.base_fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def _note_field() -> forms.CharField:
    field = CheckInForm.base_fields["note"]
    assert isinstance(field, forms.CharField)
    return field


def _options(name: str) -> SafeString:
    return format_html_join("\n", '<option value="{}">{}</option>', _choices(_choice_field(name)))


_METHOD_OPTIONS = _options("method")
_OUTCOME_OPTIONS = _options("outcome")
