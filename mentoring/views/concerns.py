"""Raising a concern privately with the coordinator (the mentor or the mentee), and the
coordinator reading it and recording what came of it. The other person of the pair never sees
a concern: the pair's page lists only the viewer's own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.access import signed_in_user
from alongside.forms import add_service_errors
from mentoring.access import PAIR, RelationshipAccess, relationship_for_page
from mentoring.forms_staff import ConcernForm, ConcernOutcomeForm
from mentoring.models import CheckInPerson, Concern, ConcernRequest
from mentoring.navigation import layout_context
from mentoring.safety import reassess
from mentoring.selectors_staff import concerns_visible_to
from mentoring.services.concerns import concern_raise, concern_resolve
from mentoring.views.staff import SECTION, staff_access
from safeguarding.selectors import crisis_resources_for

# Not one of the relationship's sections, so no section tab is marked as the current page.
PAIR_SECTION = "Talk to the coordinator"


def _pair_access(request: HttpRequest, pk: int) -> RelationshipAccess:
    return relationship_for_page(request, pk, allow=PAIR)


def _sent_concern(request: HttpRequest, access: RelationshipAccess) -> Concern | None:
    """The concern the viewer has just sent (named in ``?sent=``), if it is theirs."""
    sent = request.GET.get("sent", "")
    if not sent.isdigit():
        return None
    return concerns_visible_to(access).filter(pk=int(sent)).first()


@login_required
@require_http_methods(["GET", "POST"])
def concern_new(request: HttpRequest, pk: int) -> HttpResponse:
    access = _pair_access(request, pk)
    form = ConcernForm(request.POST or None, other_name=access.other_name)
    if request.method == "POST" and form.is_valid():
        try:
            raised = concern_raise(
                actor=signed_in_user(request),
                relationship=access.relationship,
                topic=form.cleaned_data["topic"],
                request=form.cleaned_data["request"],
                details=form.cleaned_data["details"],
                client_key=form.cleaned_data["client_key"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            url = reverse("mentoring:concern_new", args=[pk])
            return redirect(f"{url}?sent={raised.concern.pk}#sent")
    sent = _sent_concern(request, access) if request.method == "GET" else None
    # Screened (and any alert raised) when it was sent; read again only to show the same help.
    risk = reassess(sent.details) if sent is not None else None
    possible_risk = risk is not None and risk.is_risk
    return render(
        request,
        "mentoring/concerns/concern_new.html",
        {
            **layout_context(access, PAIR_SECTION),
            "form": form,
            "sent": sent,
            "resources": list(crisis_resources_for(access.relationship.organisation))
            if possible_risk
            else [],
            "possible_risk": possible_risk,
            "serious": risk is not None and risk.is_serious,
            "organisation": access.relationship.organisation,
            "my_concerns": list(concerns_visible_to(access)),
            "can_raise": access.pair_can_write,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern(request: HttpRequest, pk: int, concern_pk: int) -> HttpResponse:
    access = staff_access(request, pk)
    found = get_object_or_404(
        Concern.objects.select_related("raised_by", "resolved_by"),
        pk=concern_pk,
        relationship=access.relationship,
    )
    form = ConcernOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            concern_resolve(
                actor=signed_in_user(request),
                concern=found,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            found.refresh_from_db()
        else:
            messages.success(request, "The outcome is recorded and the concern is resolved.")
            return redirect("mentoring:concern", pk=pk, concern_pk=found.pk)
    return render(
        request,
        "mentoring/concerns/concern.html",
        {
            **layout_context(access, SECTION),
            "concern": found,
            "raised_by_name": access.mentor_name
            if found.raised_by_role == CheckInPerson.MENTOR
            else access.mentee_name,
            "form": form,
            "offers_rematch": found.is_open
            and found.request == ConcernRequest.REMATCH
            and access.relationship.is_current,
        },
    )
