"""Safeguarding alerts for the people who respond to them (coordinators, admins, safeguarding
leads, and the supervisor of the person's mentor): the queue, waiting ones first and most
serious first, each part a page at a time with its total; one alert with the signs that raised
it, what to do next and its timeline; and the steps of responding — "I'm responding to this",
contact attempts, actions, notes, closing with an outcome and reopening. Each step posts to its
own address and goes through a service; a refusal shows the alert again with the problem next
to the field and the text kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import STAFF_ROLES, role_required, signed_in_user
from accounts.models import Membership, User
from alongside.forms import add_service_errors
from audit.services import audit_record
from safeguarding.access import RESPONDER_ROLES, alert_for, alerts_visible_to, is_safeguarding_lead
from safeguarding.forms_alerts import (
    ActionForm,
    CloseForm,
    ContactAttemptForm,
    NoteForm,
    ReopenForm,
)
from safeguarding.models import Alert, AlertLevel, AlertStatus
from safeguarding.selectors import (
    alert_row,
    alert_timeline,
    closed_alerts,
    crisis_resources_for,
    first_record_path,
    has_response_recorded,
    name_of,
    queue_counts,
    queue_rows,
    responding_alerts,
    sign_views,
    timeline_entries,
    waiting_alerts,
)
from safeguarding.services import alerts as services

# Each part of the queue a page at a time, with its total: waiting ones most serious first.
WAITING_PER_PAGE = 25
RESPONDING_PER_PAGE = 25
CLOSED_PER_PAGE = 25
STEP_FORMS: dict[str, type[forms.Form]] = {
    "contact": ContactAttemptForm,
    "action": ActionForm,
    "note": NoteForm,
    "reopen": ReopenForm,
}


def _membership(request: HttpRequest) -> Membership | None:
    return getattr(request, "membership", None)


def _alert_url(alert: Alert, anchor: str = "") -> str:
    url = reverse("safeguarding:alert", args=[alert.pk])
    return f"{url}#{anchor}" if anchor else url


def _page(alerts: QuerySet[Alert], per_page: int, count: int, number: str | None) -> Page:
    """Page ``number`` of ``alerts`` (the nearest page when there is no such page), whose
    ``count`` is known already: one query for its rows, run even when the count says there are
    none, so the queue costs the same queries whatever the data."""
    paginator = Paginator(alerts, per_page)
    paginator.count = count
    page = paginator.get_page(number)
    first = (page.number - 1) * per_page
    page.object_list = list(alerts[first : first + per_page])
    return page


@role_required(*RESPONDER_ROLES)
@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    membership = _membership(request)
    # Staff see every alert anyway; anyone else is asked once whether they lead safeguarding.
    lead = (
        membership is not None
        and membership.role not in STAFF_ROLES
        and is_safeguarding_lead(user, membership)
    )
    visible = alerts_visible_to(user, membership, lead=lead)
    level = request.GET.get("level", "")
    if level not in AlertLevel.values:
        level = ""
    if level:
        visible = visible.filter(level=level)
    now = timezone.now()
    counts = queue_counts(visible, now)
    waiting = _page(
        waiting_alerts(visible), WAITING_PER_PAGE, counts["waiting"], request.GET.get("waiting")
    )
    responding = _page(
        responding_alerts(visible),
        RESPONDING_PER_PAGE,
        counts["responding"],
        request.GET.get("responding"),
    )
    closed = _page(
        closed_alerts(visible), CLOSED_PER_PAGE, counts["closed"], request.GET.get("page")
    )
    return render(
        request,
        "safeguarding/alerts/list.html",
        {
            "counts": counts,
            "waiting": queue_rows(waiting, now),
            "waiting_page": waiting,
            # Urgent alerts come first: say so when they go on past this page.
            "more_urgent": waiting.has_next() and counts["waiting_urgent"] > waiting.end_index(),
            "responded": queue_rows(responding, now),
            "responding_page": responding,
            "closed": queue_rows(closed, now),
            "closed_page": closed,
            "level": level,
            "levels": AlertLevel.choices,
            "sees_all": membership is not None and (membership.role in STAFF_ROLES or lead),
        },
    )


def _guidance(alert: Alert, person: str) -> list[str]:
    """What to do next, most important first, by level."""
    when = {
        AlertLevel.URGENT: f"Contact {person} now, within minutes, and check they are safe.",
        AlertLevel.HIGH: f"Contact {person} today, as soon as you can, and check they are safe.",
    }.get(
        AlertLevel(alert.level),
        f"Contact {person} today or by the deadline (within a working day) to check in.",
    )
    steps = []
    if alert.status == AlertStatus.OPEN:
        steps.append(
            "Say that you are responding (the button above), so others know it is in hand."
        )
    steps += [
        when,
        "If they may be in immediate danger, call 999 (emergency services) now. Do not wait "
        "to reach anyone else first.",
        "Follow your organisation's safeguarding procedure, and record every contact attempt "
        "and action below, so others can see what has been done.",
        "You are not alone with this: talk it through with the duty safeguarding lead or a "
        "coordinator.",
    ]
    return steps


def _render_alert(
    request: HttpRequest,
    found: Alert,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The alert page. Showing it shows what the person wrote, so every showing is audited."""
    user = signed_in_user(request)
    audit_record(
        actor=user,
        action="safeguarding.alert_viewed",
        organisation=found.organisation,
        target=found,
        metadata={"level": found.level, "status": found.status},
    )
    row = alert_row(found)
    signs = sign_views(found)
    step_forms = {name: form_class(prefix=name) for name, form_class in STEP_FORMS.items()}
    step_forms.update(bound or {})
    kept = None
    if found.is_closed:
        refused = [form for name, form in (bound or {}).items() if name != "reopen"]
        if refused:
            kept = str(refused[0].data.get(refused[0].add_prefix("note"), ""))
    return render(
        request,
        "safeguarding/alerts/detail.html",
        {
            "row": row,
            "alert": found,
            "signs": signs,
            "person_path": first_record_path(signs, found),
            "timeline": timeline_entries(found, alert_timeline(found)),
            "guidance": _guidance(found, row.person_name),
            "resources": list(crisis_resources_for(found.organisation)),
            "forms": step_forms,
            "kept": kept,
            "you_respond": found.acknowledged_by_id == user.pk,
            "supervisor_name": name_of(found.supervisor) if found.supervisor_id else "",
            "duty_lead_name": name_of(found.duty_lead) if found.duty_lead_id else "",
            "closed_by_name": name_of(found.closed_by) if found.closed_by_id else "",
        },
        status=status,
    )


@role_required(*RESPONDER_ROLES)
@require_GET
def alert(request: HttpRequest, pk: int) -> HttpResponse:
    found = alert_for(signed_in_user(request), _membership(request), pk)
    return _render_alert(request, found)


@role_required(*RESPONDER_ROLES)
@require_POST
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    found = alert_for(user, _membership(request), pk)
    try:
        updated = services.alert_acknowledge(actor=user, alert=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_alert_url(found))
    if updated.acknowledged_by_id not in (None, user.pk):
        messages.info(
            request, f"{name_of(updated.acknowledged_by)} is already responding to this alert."
        )
    else:
        messages.success(request, "Thank you. The alert now shows that you are responding to it.")
    return redirect(_alert_url(found))


Step = Callable[[User, Alert, dict[str, Any]], object]


def _record_step(request: HttpRequest, pk: int, name: str, step: Step, done: str) -> HttpResponse:
    """Run one response step from its form; on a refusal, show the alert again (400) with the
    problem next to the field and what was typed kept, the other forms empty."""
    user = signed_in_user(request)
    found = alert_for(user, _membership(request), pk)
    form = STEP_FORMS[name](request.POST, prefix=name)
    if form.is_valid():
        try:
            step(user, found, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(_alert_url(found, "timeline"))
    return _render_alert(request, found, bound={name: form}, status=400)


@role_required(*RESPONDER_ROLES)
@require_POST
def alert_contact(request: HttpRequest, pk: int) -> HttpResponse:
    def step(user: User, found: Alert, data: dict[str, Any]) -> object:
        return services.alert_contact_attempt(
            actor=user,
            alert=found,
            method=data["method"],
            reached=data["reached"],
            note=data["note"],
            client_key=data["client_key"],
        )

    return _record_step(request, pk, "contact", step, "Your contact attempt is recorded.")


@role_required(*RESPONDER_ROLES)
@require_POST
def alert_action(request: HttpRequest, pk: int) -> HttpResponse:
    def step(user: User, found: Alert, data: dict[str, Any]) -> object:
        return services.alert_action_taken(
            actor=user,
            alert=found,
            action=data["action"],
            note=data["note"],
            client_key=data["client_key"],
        )

    return _record_step(request, pk, "action", step, "The action is recorded.")


@role_required(*RESPONDER_ROLES)
@require_POST
def alert_note(request: HttpRequest, pk: int) -> HttpResponse:
    def step(user: User, found: Alert, data: dict[str, Any]) -> object:
        return services.alert_add_note(actor=user, alert=found, note=data["note"])

    return _record_step(request, pk, "note", step, "Your note is added.")


@role_required(*RESPONDER_ROLES)
@require_POST
def alert_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    found = alert_for(signed_in_user(request), _membership(request), pk)
    if not found.is_closed:
        messages.info(request, "This alert is not closed, so there is nothing to reopen.")
        return redirect(_alert_url(found))

    def step(user: User, found: Alert, data: dict[str, Any]) -> object:
        return services.alert_reopen(actor=user, alert=found, note=data["note"])

    return _record_step(
        request, pk, "reopen", step, "The alert is open again, with you responding to it."
    )


@role_required(*RESPONDER_ROLES)
@require_http_methods(["GET", "POST"])
def alert_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    found = alert_for(user, _membership(request), pk)
    if found.is_closed and request.method == "GET":
        messages.info(request, "This alert is already closed.")
        return redirect(_alert_url(found))
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_close(
                actor=user,
                alert=found,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The alert is closed. Thank you for following it up.")
            return redirect(_alert_url(found, "timeline"))
    return render(
        request,
        "safeguarding/alerts/close.html",
        {
            "alert": found,
            "row": alert_row(found),
            "form": form,
            "response_recorded": has_response_recorded(found),
        },
        status=400 if form.errors else 200,
    )
