"""Session pages: the list and arranging a session, one session, changing or cancelling it, the
mentor's log, the mentee's reflection, the calendar file, and the supervisor's flagged sessions.

Who sees what of a session follows ``SessionVisibility``: the mentee never sees private notes,
moods or the concern flag; staff see the summary level only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required, signed_in_user
from accounts.models import Role
from alongside.forms import add_service_errors
from audit.services import audit_read
from mentoring.access import (
    PAIR,
    RelationshipAccess,
    Viewer,
    mentee_name,
    relationship_for_page,
)
from mentoring.calendar import (
    CONTENT_TYPE,
    can_have_calendar_file,
    session_calendar,
    session_filename,
)
from mentoring.concurrency import STALE
from mentoring.forms_sessions import SessionLogForm, SessionPlanForm, SessionReflectionForm
from mentoring.models import MentoringSession, RelationshipStatus, SessionStatus
from mentoring.navigation import layout_context
from mentoring.safety import HELP_PARAMETER, help_value, help_wanted
from mentoring.services.sessions import (
    AGREEMENT_FIRST,
    SCHEDULABLE,
    SessionSaved,
    SessionVisibility,
    rating_label,
    session_can_be_logged,
    session_cancel,
    session_concern_mark_seen,
    session_log,
    session_reflect,
    session_reschedule,
    session_schedule,
)
from safeguarding.selectors import crisis_resources_for

SECTION = "Sessions"
# What the list needs of each session: never the encrypted notes.
LIST_FIELDS = (
    "pk",
    "relationship_id",
    "scheduled_for",
    "planned_minutes",
    "format",
    "place",
    "is_final",
    "status",
    "concern",
    "concern_seen_at",
    "logged_at",
    "reflected_at",
)


def _session(access: RelationshipAccess, session_pk: int) -> MentoringSession:
    session = access.relationship.sessions.filter(pk=session_pk).first()
    if session is None:
        raise Http404
    session.relationship = access.relationship
    return session


def _require_write(access: RelationshipAccess) -> None:
    """The mentee of an ended relationship still reads everything, but changes nothing: the
    pages for changing are not found, as for anyone who may not make the change."""
    if not access.pair_can_write:
        raise Http404("This mentoring has ended, so nothing here can be changed.")


def _service_errors(form: Any, error: ValidationError) -> None:
    """The services speak of ``scheduled_for`` and ``version``; the forms ask for a date, and
    show a stale save at the top."""
    if hasattr(error, "error_dict"):
        errors = dict(error.message_dict)
        if "scheduled_for" in errors:
            errors["date"] = errors.pop("scheduled_for")
        if "version" in errors:
            errors.pop("version")
            form.add_error(None, STALE)
        if errors:
            add_service_errors(form, ValidationError(errors))
        return
    add_service_errors(form, error)


def _is_stale(error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and "version" in error.error_dict


def _page(
    request: HttpRequest, template: str, access: RelationshipAccess, **context: Any
) -> HttpResponse:
    return render(
        request,
        f"mentoring/sessions/{template}",
        {**layout_context(access, SECTION), "is_pair": access.viewer in PAIR, **context},
    )


def _detail_url(session: MentoringSession, saved: SessionSaved | None = None) -> str:
    """The session's page; after a save whose words suggest risk, with the help to show."""
    url = reverse("mentoring:session", args=[session.relationship_id, session.pk])
    wanted = help_value(saved.possible_risk, saved.serious) if saved is not None else ""
    return f"{url}?{HELP_PARAMETER}={wanted}" if wanted else url


# The list, and arranging a session ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sessions(request: HttpRequest, pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, break_glass=request.method == "GET")
    relationship = access.relationship
    can_arrange = access.pair_can_write and relationship.status in SCHEDULABLE
    closing = relationship.status == RelationshipStatus.CLOSING
    form = SessionPlanForm(closing=closing) if can_arrange else None
    if request.method == "POST":
        if access.viewer not in PAIR:
            raise Http404
        _require_write(access)
        if not can_arrange:
            messages.error(request, AGREEMENT_FIRST)
            return redirect("mentoring:sessions", pk=relationship.pk)
        form = SessionPlanForm(request.POST, closing=closing)
        if form.is_valid():
            try:
                session = session_schedule(
                    actor=access.user,
                    relationship=relationship,
                    client_key=form.cleaned_data["client_key"],
                    **form.service_arguments(),
                )
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"The session is arranged. We have emailed {access.other_name} to let "
                    "them know.",
                )
                return redirect(_detail_url(session))
    now = timezone.now()
    every = list(relationship.sessions.only(*LIST_FIELDS).order_by("scheduled_for", "pk"))
    upcoming = [s for s in every if s.status == SessionStatus.PLANNED and s.scheduled_for > now]
    to_log = [s for s in every if s.status == SessionStatus.PLANNED and s.scheduled_for <= now]
    past = [s for s in reversed(every) if s not in upcoming]
    return _page(
        request,
        "list.html",
        access,
        form=form,
        upcoming=upcoming,
        to_log=to_log if access.is_mentor else [],
        past=past,
        visibility=SessionVisibility.for_access(access),
        can_arrange=can_arrange,
        needs_agreement=relationship.status == RelationshipStatus.INTRODUCTION,
    )


# One session ----------------------------------------------------------------------------------


@login_required
@require_GET
def session_detail(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, break_glass=True)
    session = _session(access, session_pk)
    now = timezone.now()
    planned = session.status == SessionStatus.PLANNED
    upcoming = planned and session.scheduled_for > now
    writable = access.pair_can_write and access.relationship.status in SCHEDULABLE
    show_help, serious = help_wanted(request.GET.get(HELP_PARAMETER))
    show_help = show_help and access.viewer in PAIR
    visibility = SessionVisibility.for_access(access)
    if visibility.private and session.logged_at:  # the private notes and moods are shown
        audit_read(request, "mentoring.session_notes_viewed", session)
    return _page(
        request,
        "detail.html",
        access,
        session=session,
        visibility=visibility,
        upcoming=upcoming,
        needs_log=planned and not upcoming,
        can_change=writable and upcoming,
        can_log=access.is_mentor and writable and session_can_be_logged(session, now),
        can_reflect=access.is_mentee
        and access.pair_can_write
        and session.status == SessionStatus.HELD,
        has_calendar=access.viewer in PAIR and can_have_calendar_file(session),
        can_mark_seen=access.is_supervisor and session.concern and not session.concern_seen_at,
        rating_words=rating_label(session.mentee_rating),
        resources=list(crisis_resources_for(access.relationship.organisation)) if show_help else [],
        show_help=show_help,
        serious=show_help and serious,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, allow=PAIR)
    session = _session(access, session_pk)
    _require_write(access)
    if session.status != SessionStatus.PLANNED or session.scheduled_for <= timezone.now():
        messages.info(request, "Only a session that has not happened yet can be changed.")
        return redirect(_detail_url(session))
    closing = access.relationship.status == RelationshipStatus.CLOSING
    latest = None
    if request.method == "POST":
        form = SessionPlanForm(request.POST, instance=session, closing=closing)
        if form.is_valid():
            try:
                session_reschedule(
                    actor=access.user,
                    session=session,
                    version=form.cleaned_data["version"],
                    **form.service_arguments(),
                )
            except ValidationError as error:
                if _is_stale(error):
                    latest = MentoringSession.objects.get(pk=session.pk)
                    form.refresh_version(latest)
                _service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"The session is changed. We have emailed {access.other_name} to let them "
                    "know. If you added it to your calendar, download the calendar file again.",
                )
                return redirect(_detail_url(session))
    else:
        form = SessionPlanForm(instance=session, closing=closing)
    return _page(
        request,
        "edit.html",
        access,
        session=session,
        form=form,
        latest=latest,
        visibility=SessionVisibility.for_viewer(access.viewer),
    )


@login_required
@require_POST
def session_cancel_view(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, allow=PAIR)
    session = _session(access, session_pk)
    _require_write(access)
    try:
        session_cancel(actor=access.user, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"The session is cancelled. We have emailed {access.other_name} to let them know.",
        )
    return redirect(_detail_url(session))


@login_required
@require_http_methods(["GET", "POST"])
def session_log_view(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, allow=(Viewer.MENTOR,))
    session = _session(access, session_pk)
    _require_write(access)
    latest = None
    if not session_can_be_logged(session):
        return _page(request, "log.html", access, session=session, form=None, latest=None)
    if request.method == "POST":
        form = SessionLogForm(request.POST, instance=session)
        if form.is_valid():
            try:
                saved = session_log(actor=access.user, session=session, **form.service_arguments())
            except ValidationError as error:
                if _is_stale(error):
                    latest = MentoringSession.objects.get(pk=session.pk)
                    form.refresh_version(latest)
                _service_errors(form, error)
            else:
                messages.success(request, _logged_message(saved.session))
                return redirect(_detail_url(session, saved))
    else:
        form = SessionLogForm(instance=session)
    return _page(
        request,
        "log.html",
        access,
        session=session,
        form=form,
        latest=latest,
        mentee=access.mentee_name,
    )


def _logged_message(session: MentoringSession) -> str:
    if session.concern and session.concern_seen_at is None:
        return "Your log is saved, and your supervisor has been told there is a concern to look at."
    return "Your log is saved."


@login_required
@require_http_methods(["GET", "POST"])
def session_reflect_view(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, allow=(Viewer.MENTEE,))
    session = _session(access, session_pk)
    _require_write(access)
    latest = None
    if session.status != SessionStatus.HELD:
        return _page(request, "reflect.html", access, session=session, form=None, latest=None)
    if request.method == "POST":
        form = SessionReflectionForm(request.POST, instance=session)
        if form.is_valid():
            try:
                saved = session_reflect(
                    actor=access.user, session=session, **form.service_arguments()
                )
            except ValidationError as error:
                if _is_stale(error):
                    latest = MentoringSession.objects.get(pk=session.pk)
                    form.refresh_version(latest)
                _service_errors(form, error)
            else:
                messages.success(request, "Thank you. Your reflection is saved.")
                return redirect(_detail_url(session, saved))
    else:
        form = SessionReflectionForm(instance=session)
    return _page(
        request,
        "reflect.html",
        access,
        session=session,
        form=form,
        latest=latest,
        latest_rating_words=rating_label(latest.mentee_rating) if latest else "",
    )


@login_required
@require_GET
def session_ics(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, allow=PAIR)
    session = _session(access, session_pk)
    return calendar_response(session)


def calendar_response(session: MentoringSession) -> HttpResponse:
    """The calendar file as a download; only planned or cancelled sessions have one."""
    if not can_have_calendar_file(session):
        raise Http404
    response = HttpResponse(session_calendar(session), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{session_filename(session)}"'
    response["Cache-Control"] = "private, no-store"
    return response


# The supervisor -------------------------------------------------------------------------------


@login_required
@require_POST
def session_concern_seen(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, allow=(Viewer.SUPERVISOR,))
    session = _session(access, session_pk)
    try:
        session_concern_mark_seen(actor=access.user, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Marked as seen.")
    return redirect(_detail_url(session))


@role_required(Role.SUPERVISOR)
@require_GET
def flagged(request: HttpRequest) -> HttpResponse:
    """Sessions the supervisor's mentors flagged with a concern, those not yet seen first."""
    user = signed_in_user(request)
    membership = getattr(request, "membership", None)
    assert membership is not None
    flagged_sessions = list(
        MentoringSession.objects.filter(
            concern=True,
            relationship__organisation=membership.organisation,
            relationship__mentor__supervisor=user,
        )
        .select_related("relationship__mentor", "relationship__referral")
        .order_by(F("concern_seen_at").asc(nulls_first=True), "-scheduled_for", "-pk")
    )
    rows = [FlaggedRow(session, mentee_name(session.relationship)) for session in flagged_sessions]
    return render(
        request,
        "mentoring/sessions/flagged.html",
        {
            "unseen": [row for row in rows if row.session.concern_seen_at is None],
            "seen": [row for row in rows if row.session.concern_seen_at is not None],
        },
    )


@dataclass(frozen=True)
class FlaggedRow:
    session: MentoringSession
    mentee: str  # the mentee's first (or preferred) name only
