"""The public side: anyone can apply, save, come back through a private link, and send."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Organisation
from alongside.forms import add_service_errors
from alongside.ratelimit import answers_429_when_throttled, form_throttled
from mentors.forms import ApplicationForm
from mentors.models import MentorApplication, Stage
from mentors.services.applications import (
    application_for_resume_token,
    application_save,
    application_start,
    application_submit,
    application_withdraw,
)

_SEND = "send"

# What an applicant is told about where their application is, in plain words.
APPLICANT_STAGE_TEXT = {
    Stage.NEW: "We have received your application. A coordinator will contact you soon.",
    Stage.INTERVIEW: "We would like to meet you for an informal interview.",
    Stage.REFERENCES: "We are waiting to hear from your referees.",
    Stage.BACKGROUND_CHECK: "We are arranging your background check.",
    Stage.DECISION: "Your checks are in and a coordinator is reviewing your application.",
    Stage.TRAINING: "You have been approved to train. Sign in to start your training.",
    Stage.CERTIFIED: "You are a certified mentor. Thank you!",
    Stage.DECLINED: "Your application was not taken forward this time.",
}


@answers_429_when_throttled
@require_http_methods(["GET", "POST"])
def apply_start(request: HttpRequest, organisation_slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=organisation_slug, is_active=True)
    form = ApplicationForm(
        request.POST if request.method == "POST" else None, organisation=organisation
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and not form_throttled(request, "mentor_application", form)
    ):
        application, token = application_start(organisation=organisation, data=form.cleaned_data)
        return _after_save(request, application, token, form)
    return render(request, "mentors/apply/form.html", {"form": form, "organisation": organisation})


@require_http_methods(["GET", "POST"])
def apply_continue(request: HttpRequest, token: str) -> HttpResponse:
    application = _application_or_404(token)
    if application.stage != Stage.DRAFT:
        return render(
            request,
            "mentors/apply/status.html",
            {
                "application": application,
                "token": token,
                "stage_text": APPLICANT_STAGE_TEXT.get(Stage(application.stage), ""),
            },
        )
    organisation = application.organisation
    form = ApplicationForm(
        request.POST if request.method == "POST" else None,
        instance=application,
        organisation=organisation,
    )
    if request.method == "POST" and form.is_valid():
        application_save(application=application, data=form.cleaned_data)
        return _after_save(request, application, token, form)
    return render(
        request,
        "mentors/apply/form.html",
        {"form": form, "organisation": organisation, "token": token},
    )


@require_POST
def apply_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    application = _application_or_404(token)
    try:
        application_withdraw(actor=None, application=application)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("mentors:apply_continue", token=token)
    return render(request, "mentors/apply/withdrawn.html", {"application": application})


def _application_or_404(token: str) -> MentorApplication:
    application = application_for_resume_token(token)
    if application is None:
        raise Http404
    return application


def _after_save(
    request: HttpRequest, application: MentorApplication, token: str, form: ApplicationForm
) -> HttpResponse:
    """Saved either way; when the applicant chose to send, check it is complete and send it."""
    if request.POST.get("action") == _SEND:
        try:
            application_submit(application=application)
        except ValidationError as error:
            add_service_errors(form, error)
            messages.warning(
                request,
                "Your answers are saved. A few things are still needed before you can send "
                "your application; they are marked below.",
            )
            return render(
                request,
                "mentors/apply/form.html",
                {"form": form, "organisation": application.organisation, "token": token},
            )
        messages.success(request, "Thank you. Your application has been sent.")
    else:
        messages.success(
            request,
            "Your answers are saved. We have emailed you a private link so you can come back "
            "to them, or bookmark this page.",
        )
    return redirect("mentors:apply_continue", token=token)
