"""Emergency ("break-glass") access pages: opening it for a relationship with a reason, ending
it early, the pair's messages read under it, and the list admins and data protection leads
review. The rules live in ``audit.break_glass``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import signed_in_user
from alongside.forms import add_service_errors
from audit.break_glass import (
    GRANT_LENGTH,
    REASON_MAX_LENGTH,
    break_glass_active,
    break_glass_end,
    break_glass_grants_for,
    break_glass_open,
    can_review_break_glass,
)
from audit.models import BreakGlassGrant
from mentoring.access import RelationshipAccess, Viewer, relationship_for_page
from mentoring.navigation import layout_context
from mentoring.services.messages import thread

SECTION = "Emergency access"
PER_PAGE = 50


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need emergency access?",
        help_text="For example, the risk you are worried about and what you need to check. "
        "The data protection lead will read this.",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why you need emergency access."},
    )


@login_required
@require_http_methods(["GET", "POST"])
def break_glass_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the reason; on submit, open the pair's messages and the private session notes
    for an hour and go to the messages."""
    access = relationship_for_page(request, pk, allow=(Viewer.STAFF,))
    active = break_glass_active(access.user, access.relationship)
    form = BreakGlassForm()
    if request.method == "POST" and active is None:
        form = BreakGlassForm(request.POST)
        if form.is_valid():
            try:
                break_glass_open(
                    actor=access.user,
                    relationship=access.relationship,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("mentoring:messages", pk=access.relationship.pk)
    return render(
        request,
        "audit/break_glass_open.html",
        {
            **layout_context(access, SECTION),
            "active": active,
            "form": form,
            "minutes": int(GRANT_LENGTH.total_seconds() // 60),
        },
    )


@login_required
@require_POST
def break_glass_end_view(request: HttpRequest, grant_pk: int) -> HttpResponse:
    """End one's own emergency access before the hour is up."""
    user = signed_in_user(request)
    membership = getattr(request, "membership", None)
    if membership is None:
        raise Http404
    grant = BreakGlassGrant.objects.filter(
        pk=grant_pk, user=user, organisation_id=membership.organisation_id
    ).first()
    if grant is None:
        raise Http404
    break_glass_end(actor=user, grant=grant)
    messages.success(request, "Emergency access has ended.")
    return redirect("mentoring:relationship_check_ins", pk=grant.relationship_id)


@login_required
@require_GET
def break_glass_list(request: HttpRequest) -> HttpResponse:
    """Every emergency access in the organisation, with its reason: for admins and data
    protection leads only."""
    signed_in_user(request)
    membership = getattr(request, "membership", None)
    if membership is None or not can_review_break_glass(membership):
        raise Http404
    page = Paginator(break_glass_grants_for(membership.organisation), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "audit/break_glass_list.html", {"page": page})


def break_glass_messages(request: HttpRequest, access: RelationshipAccess) -> HttpResponse:
    """The pair's messages, read-only, for staff under emergency access (the messages page
    sends them here). Nothing is marked as read."""
    try:
        before = int(request.GET.get("before") or 0) or None
    except ValueError:
        before = None
    page = thread(access.relationship, before=before)
    url = reverse("mentoring:messages", args=[access.relationship.pk])
    return render(
        request,
        "audit/break_glass_messages.html",
        {
            **layout_context(access, "Messages"),
            "thread": page,
            "older_url": f"?before={page.oldest_id}#thread" if page.has_older else "",
            "newest_url": url if before else "",
        },
    )
