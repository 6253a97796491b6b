"""The ending pages: where a relationship is on its way to a good ending, closing it, the
mentee's record to keep, and the exit survey."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import signed_in_user
from alongside.forms import add_service_errors
from mentoring.access import RelationshipAccess, Viewer, relationship_for_page
from mentoring.forms_ending import CloseForm, ExitSurveyForm
from mentoring.models import EndReason, ExitSurvey, Relationship, RelationshipStatus
from mentoring.navigation import layout_context
from mentoring.safety import IN_TOUCH, NOT_ALONE
from mentoring.services.ending import (
    ALREADY_ENDED,
    ending_begin,
    ending_checklist,
    is_already_ended,
    mentee_record,
    mentee_record_data,
    record_downloaded,
    relationship_close,
)
from mentoring.services.surveys import (
    ALREADY_ANSWERED,
    exit_survey_answer,
    exit_survey_for,
    is_already_answered,
)
from safeguarding.selectors import crisis_resources_for

SECTION = "Ending"  # not a section of its own: no tab is marked as the current page


def concern_url(relationship: Relationship) -> str | None:
    """Where the pair raise something with the coordinator, if those pages are installed."""
    try:
        return reverse("mentoring:concern_new", args=[relationship.pk])
    except NoReverseMatch:
        return None


# Where the ending is up to ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def ending(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        return _begin(request, pk)
    access = relationship_for_page(request, pk, allow=(Viewer.MENTOR, Viewer.MENTEE, Viewer.STAFF))
    relationship = access.relationship
    open_survey = None
    if relationship.is_ended and access.is_mentee:
        open_survey = ExitSurvey.objects.filter(
            relationship=relationship, respondent=access.user, answered_at__isnull=True
        ).first()
    return render(
        request,
        "mentoring/ending/ending.html",
        {
            **layout_context(access, SECTION),
            "checklist": ending_checklist(relationship),
            "concern_url": concern_url(relationship) if access.is_mentee else None,
            "open_survey": open_survey,
            "can_begin": relationship.status == RelationshipStatus.ACTIVE
            and (access.is_mentor or access.is_staff),
        },
    )


def _begin(request: HttpRequest, pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, allow=(Viewer.MENTOR, Viewer.STAFF))
    relationship = access.relationship
    if relationship.status == RelationshipStatus.CLOSING:
        messages.info(request, "The planned ending has already started.")
        return redirect("mentoring:ending", pk=relationship.pk)
    try:
        ending_begin(actor=access.user, relationship=relationship)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "The planned ending has started. We have emailed you both a link to this checklist.",
        )
    return redirect("mentoring:ending", pk=relationship.pk)


# Closing -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, allow=(Viewer.STAFF,))
    relationship = access.relationship
    if relationship.is_ended:
        if request.method == "POST":
            messages.info(request, ALREADY_ENDED)
            return redirect("mentoring:close", pk=relationship.pk)
        return _closed(request, access)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            relationship_close(
                actor=access.user,
                relationship=relationship,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                exit_conversation_held=form.cleaned_data["exit_conversation_held"],
            )
        except ValidationError as error:
            if is_already_ended(error):
                messages.info(request, ALREADY_ENDED)
                return redirect("mentoring:close", pk=relationship.pk)
            add_service_errors(form, error)
        else:
            messages.success(request, "The relationship is closed.")
            return redirect("mentoring:close", pk=relationship.pk)
    return render(
        request,
        "mentoring/ending/close.html",
        {
            **layout_context(access, SECTION),
            "form": form,
            "checklist": ending_checklist(relationship),
        },
    )


def _closed(request: HttpRequest, access: RelationshipAccess) -> HttpResponse:
    relationship = access.relationship
    return render(
        request,
        "mentoring/ending/closed.html",
        {
            **layout_context(access, SECTION),
            "checklist": ending_checklist(relationship),
            "surveys_sent": relationship.exit_surveys.count(),
            "rematch": relationship.end_reason == EndReason.REMATCH,
        },
    )


# The mentee's record -----------------------------------------------------------------------------


@login_required
@require_GET
def record_print(request: HttpRequest, pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, allow=(Viewer.MENTEE,))
    record = mentee_record(access.relationship)
    record_downloaded(actor=access.user, relationship=access.relationship, format="page")
    response = render(
        request, "mentoring/ending/record_print.html", {"access": access, "record": record}
    )
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_GET
def record_json(request: HttpRequest, pk: int) -> HttpResponse:
    access = relationship_for_page(request, pk, allow=(Viewer.MENTEE,))
    data = mentee_record_data(mentee_record(access.relationship))
    record_downloaded(actor=access.user, relationship=access.relationship, format="json")
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-mentoring-record.json"'
    response["Cache-Control"] = "no-store, private"
    return response


# The exit survey ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def exit_survey(request: HttpRequest, survey_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    survey = exit_survey_for(user, survey_pk)
    if survey.answered_at is not None:
        if request.method == "POST":
            messages.info(request, ALREADY_ANSWERED)
        return _survey_thanks(request, survey)
    form = ExitSurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey, risk = exit_survey_answer(actor=user, survey=survey, **form.service_arguments())
        except ValidationError as error:
            if is_already_answered(error):
                messages.info(request, ALREADY_ANSWERED)
                return _survey_thanks(request, exit_survey_for(user, survey_pk))
            add_service_errors(form, error)
        else:
            if risk is not None and risk.is_risk:
                return _survey_thanks(request, survey, show_help=True, serious=risk.is_serious)
            return redirect("mentoring:exit_survey", survey_pk=survey.pk)
    return render(request, "mentoring/ending/exit_survey.html", {"survey": survey, "form": form})


def _survey_thanks(
    request: HttpRequest, survey: ExitSurvey, *, show_help: bool = False, serious: bool = False
) -> HttpResponse:
    by_mentee = survey.respondent_id == survey.relationship.mentee_id
    context: dict[str, Any] = {
        "survey": survey,
        "show_help": show_help,
        # Flagged high or urgent: the mentee hears someone will be in touch; a mentor, that the
        # safeguarding team has been told and they are not alone with it.
        "in_touch": IN_TOUCH if serious and by_mentee else "",
        "not_alone": NOT_ALONE if serious and not by_mentee else "",
    }
    if show_help:
        context["resources"] = crisis_resources_for(survey.relationship.organisation)
    if by_mentee:
        context["ending_url"] = reverse("mentoring:ending", args=[survey.relationship_id])
    return render(request, "mentoring/ending/exit_survey_thanks.html", context)
