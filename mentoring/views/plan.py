"""The wellbeing and independence plan: the mentee writes it (their mentor can help while the
relationship lasts), marks it ready, and keeps a printable copy, also after mentoring ends."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from alongside.forms import add_service_errors
from mentoring.access import RelationshipAccess, Viewer, relationship_for_page
from mentoring.concurrency import STALE
from mentoring.forms_ending import PlanForm
from mentoring.models import WellbeingPlan
from mentoring.navigation import layout_context
from mentoring.safety import IN_TOUCH, NOT_ALONE
from mentoring.services.plans import (
    ENDED,
    PLAN_FIELDS,
    plan_celebration,
    plan_extras,
    plan_for,
    plan_has_words,
    plan_mark_ready,
    plan_save,
    skills_shared,
)
from safeguarding.selectors import crisis_resources_for

SECTION = "Wellbeing plan"
READY = "ready"
RISK_NOTE = (
    "Your plan is saved. If things feel hard right now, the services under “If things get "
    "hard” can help today."
)


def _risk_note(access: RelationshipAccess, *, serious: bool) -> str:
    if not serious:
        return RISK_NOTE
    return f"{RISK_NOTE} {NOT_ALONE if access.is_mentor else IN_TOUCH}"


def _initial(plan: WellbeingPlan) -> dict[str, str]:
    return {name: getattr(plan, name) for name in PLAN_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, allow=(Viewer.MENTOR, Viewer.MENTEE, Viewer.STAFF))
    relationship = access.relationship
    if request.method == "POST":
        if not access.is_mentor and not access.is_mentee:
            raise Http404
        if not access.pair_can_write:
            messages.info(request, ENDED)
            return redirect("mentoring:plan", pk=relationship.pk)
        if request.POST.get("action") == READY:
            return _mark_ready(request, access)
    current = plan_for(relationship)
    stale = False
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                saved = plan_save(
                    actor=access.user,
                    relationship=relationship,
                    version=form.cleaned_data["version"],
                    **form.plan_fields(),
                )
            except ValidationError as error:
                stale = hasattr(error, "error_dict") and "version" in error.error_dict
                if stale:
                    form.add_error(None, STALE)
                    current = plan_for(relationship)
                    form.refresh_version(current)
                else:
                    add_service_errors(form, error)
            else:
                if saved.is_risk:
                    messages.warning(request, _risk_note(access, serious=saved.is_serious))
                    url = reverse("mentoring:plan", args=[relationship.pk])
                    return redirect(f"{url}#if-things-get-hard")
                elif saved.changed:
                    messages.success(request, "Your plan is saved.")
                else:
                    messages.info(request, "Nothing had changed, so there was nothing to save.")
                return redirect("mentoring:plan", pk=relationship.pk)
    else:
        form = PlanForm(instance=current, initial=_initial(current))
    return render(request, "mentoring/plan/plan.html", _context(access, current, form, stale))


def _context(
    access: RelationshipAccess, current: WellbeingPlan, form: PlanForm, stale: bool
) -> dict[str, Any]:
    relationship = access.relationship
    can_edit = access.pair_can_write
    celebration = plan_celebration(relationship) if access.is_mentee else None
    return {
        **layout_context(access, SECTION),
        "plan": current,
        "form": form,
        "can_edit": can_edit,
        "stale": stale,
        "rows": [(form[name], getattr(current, name)) for name in PLAN_FIELDS],
        "plan_sections": [(form[name].label, getattr(current, name)) for name in PLAN_FIELDS],
        "has_words": plan_has_words(current),
        "can_mark_ready": can_edit
        and access.is_mentee
        and current.pk is not None
        and current.ready_at is None
        and plan_has_words(current),
        "can_print": access.is_mentee or (access.is_mentor and not relationship.is_ended),
        "skills": skills_shared(relationship) if can_edit else [],
        "celebration": celebration,
        "resources": crisis_resources_for(relationship.organisation),
        "plan_extras": plan_extras(relationship),
    }


def _mark_ready(request: HttpRequest, access: RelationshipAccess) -> HttpResponse:
    relationship = access.relationship
    if not access.is_mentee:
        raise Http404
    try:
        plan_mark_ready(actor=access.user, relationship=relationship)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("mentoring:plan", pk=relationship.pk)


@login_required
@require_GET
def plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, allow=(Viewer.MENTOR, Viewer.MENTEE))
    relationship = access.relationship
    current = plan_for(relationship)
    response = render(
        request,
        "mentoring/plan/plan_print.html",
        {
            "access": access,
            "relationship": relationship,
            "plan": current,
            "plan_sections": [
                (PlanForm.base_fields[name].label, getattr(current, name)) for name in PLAN_FIELDS
            ],
            "resources": crisis_resources_for(relationship.organisation),
            "plan_extras": plan_extras(relationship),
            "today": timezone.localdate(),
        },
    )
    response["Cache-Control"] = "no-store, private"
    return response
