"""Searching and exporting the audit trail ("who looked at this person's record?"), and choosing
the organisation's data protection leads. For administrators and data protection leads only."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import membership_with_role, role_required, signed_in_user
from accounts.models import Membership, Organisation, Role
from accounts.services import membership_set_data_protection_lead
from alongside.spreadsheets import formula_safe
from audit.forms import AuditSearchForm, DataProtectionLeadForm
from audit.models import AuditEvent
from audit.selectors import (
    AuditFilters,
    audit_events_for,
    audit_reader_membership,
    data_protection_lead_candidates,
    object_types_for,
    user_labels,
)
from audit.services import audit_record

PER_PAGE = 50
_EXPORT_BATCH = 500
CSV_COLUMNS = (
    "occurred_at",
    "actor_id",
    "actor_email",
    "role",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "person_email",
    "request_id",
    "details",
)


def _search_form(request: HttpRequest, organisation: Organisation) -> AuditSearchForm:
    form = AuditSearchForm(request.GET, object_types=object_types_for(organisation))
    form.is_valid()
    return form


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    organisation = audit_reader_membership(request).organisation
    form = _search_form(request, organisation)
    filters = form.filters()
    page = Paginator(audit_events_for(organisation, filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    events = list(page.object_list)
    with transaction.atomic():
        # Reading the trail is itself recorded: who searched, and which filters, never the terms.
        audit_record(
            actor=signed_in_user(request),
            action="audit.searched",
            organisation=organisation,
            metadata={**filters.as_metadata(), "page": page.number},
        )
    return render(
        request,
        "audit/search.html",
        {
            "form": form,
            "page": page,
            "rows": _rows(events),
            "filtered": filters != AuditFilters(),
            "export_query": _filter_query(request),
        },
    )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponseBase:
    """The same search as a CSV file of every matching event (identifiers and labels only)."""
    organisation = audit_reader_membership(request).organisation
    form = _search_form(request, organisation)
    if form.errors:
        return redirect(f"{reverse('audit:search')}?{_filter_query(request)}")
    filters = form.filters()
    events = audit_events_for(organisation, filters)
    # Fix the rows now, so the file holds what the audit row counts (not this export's own row).
    last_id = events.aggregate(last=Max("id"))["last"] or 0
    events = events.filter(id__lte=last_id)
    count = events.count()
    with transaction.atomic():
        audit_record(
            actor=signed_in_user(request),
            action="audit.exported",
            organisation=organisation,
            metadata={**filters.as_metadata(), "rows": count},
        )
    response = StreamingHttpResponse(_csv_lines(events), content_type="text/csv; charset=utf-8")
    filename = f"audit-trail-{organisation.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def data_protection_leads(request: HttpRequest) -> HttpResponse:
    organisation = membership_with_role(request, (Role.ADMIN,)).organisation
    if request.method == "POST":
        form = DataProtectionLeadForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a person from the list.")
            return redirect("audit:data_protection_leads")
        membership = get_object_or_404(
            Membership, pk=form.cleaned_data["membership"], organisation=organisation
        )
        value = form.cleaned_data["value"]
        try:
            membership_set_data_protection_lead(
                actor=signed_in_user(request), membership=membership, value=value
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            name = membership.user.name or membership.user.email
            if value:
                messages.success(request, f"{name} is now a data protection lead.")
            else:
                messages.success(request, f"{name} is no longer a data protection lead.")
        return redirect("audit:data_protection_leads")
    return render(
        request,
        "audit/data_protection_leads.html",
        {"candidates": list(data_protection_lead_candidates(organisation))},
    )


# Rows for the page and the file ---------------------------------------------------------------


def _filter_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _rows(events: list[AuditEvent]) -> list[dict[str, Any]]:
    labels = user_labels(
        {event.actor_id for event in events if event.actor_id}
        | {event.person_id for event in events if event.person_id}
    )
    return [
        {
            "event": event,
            "actor": labels.get(event.actor_id, f"Removed person #{event.actor_id}")
            if event.actor_id
            else "",
            "person": labels.get(event.person_id, f"Removed person #{event.person_id}")
            if event.person_id
            else "",
        }
        for event in events
    ]


class _Echo:
    """A file-like object that hands back what is written, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for batch in _batches(events.iterator(chunk_size=_EXPORT_BATCH), _EXPORT_BATCH):
        for row in _rows(batch):
            event: AuditEvent = row["event"]
            yield writer.writerow(
                [
                    formula_safe(value)
                    for value in (
                        event.occurred_at.isoformat(),
                        event.actor_id or "",
                        row["actor"],
                        event.role,
                        event.action,
                        event.object_type,
                        event.object_id,
                        event.person_id or "",
                        row["person"],
                        event.request_id,
                        json.dumps(event.metadata, sort_keys=True) if event.metadata else "",
                    )
                ]
            )


def _batches(events: Iterable[AuditEvent], size: int) -> Iterator[list[AuditEvent]]:
    batch: list[AuditEvent] = []
    for event in events:
        batch.append(event)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
