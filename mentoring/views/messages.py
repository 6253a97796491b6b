"""Messages between the pair. Private to the two of them: staff and supervisors get a 404 (they
hear about risk through safeguarding alerts, never by reading messages)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.services import audit_read
from audit.views_break_glass import break_glass_messages
from mentoring import hours
from mentoring.access import PAIR, RelationshipAccess, relationship_for_page
from mentoring.forms_goals import add_errors
from mentoring.forms_messages import MessageForm
from mentoring.models import Message
from mentoring.navigation import layout_context
from mentoring.safety import is_serious_level, mentee_wrote_something_serious
from mentoring.services.messages import (
    ContactHours,
    contact_hours,
    message_send,
    messages_mark_read,
    thread,
)
from safeguarding.detector import RiskLevel
from safeguarding.selectors import crisis_resources_for

SECTION = "Messages"


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def message_thread(request: HttpRequest, pk: int) -> HttpResponse:
    """The conversation (latest 50, with older ones a link away) and the form to send one.
    Opening it marks the other person's messages as read."""
    access = relationship_for_page(request, pk, allow=PAIR, break_glass=request.method == "GET")
    if access.emergency is not None:
        return break_glass_messages(request, access)
    form = MessageForm()
    if request.method == "POST":
        if not access.pair_can_write:
            raise Http404
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                sent = message_send(
                    actor=access.user,
                    relationship=access.relationship,
                    body=form.cleaned_data["body"],
                    client_key=form.cleaned_data["client_key"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                url = reverse("mentoring:messages", args=[pk])
                return redirect(f"{url}?sent={sent.pk}#sent")
    messages_mark_read(actor=access.user, relationship=access.relationship)
    before = _number(request.GET.get("before"))
    page = thread(access.relationship, before=before)
    audit_read(
        request,
        "mentoring.messages_viewed",
        access.relationship,
        metadata={"messages": len(page.messages)},
    )
    agreed = contact_hours(access.relationship)
    return render(
        request,
        "mentoring/messages/thread.html",
        {
            **layout_context(access, SECTION),
            **_sent_notice(request, access, agreed),
            # A mentor whose mentee wrote something serious lately: what to do now.
            "mentor_prompt": access.is_mentor
            and mentee_wrote_something_serious(access.relationship),
            "thread": page,
            # An "expect a reply by" note matters only until the other person has replied.
            "last_reply": max(
                (m.pk for m in page.messages if m.sender_id != access.user.pk), default=0
            ),
            "older_url": f"?before={page.oldest_id}#thread" if page.has_older else "",
            "newest_url": reverse("mentoring:messages", args=[pk]) if before else "",
            "hours": agreed,
            "form": form,
            "can_write": access.pair_can_write,
            "me": access.user.pk,
        },
    )


def _sent_notice(
    request: HttpRequest, access: RelationshipAccess, agreed: ContactHours
) -> dict[str, Any]:
    """After sending: what the sender should know (when to expect a reply outside the agreed
    hours; where to get help now if what they wrote suggests risk; if it was flagged high or
    urgent, that someone will be in touch, or to a mentor, what to do now)."""
    sent_pk = _number(request.GET.get("sent"))
    sent = (
        Message.objects.filter(
            pk=sent_pk, relationship=access.relationship, sender=access.user
        ).first()
        if sent_pk
        else None
    )
    if sent is None:
        return {"sent": None}
    at_risk = sent.risk_level not in ("", RiskLevel.NONE)
    reply_by = ""
    if sent.outside_hours and sent.reply_expected_by is not None:
        reply_by = hours.describe_moment(
            timezone.localtime(sent.reply_expected_by), timezone.localtime()
        )
    return {
        "sent": sent,
        "reply_by": reply_by,
        "at_risk": at_risk,
        "serious": is_serious_level(sent.risk_level),
        "resources": list(crisis_resources_for(access.relationship.organisation))
        if at_risk
        else [],
        "organisation": access.relationship.organisation,
    }
