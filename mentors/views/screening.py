"""The coordinator's screening pipeline: the applicants board, each application, the screening
steps and the decision; and the referee's one-time page, which needs no account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import STAFF_ROLES, membership_with_role, role_required, signed_in_user
from accounts.models import Organisation
from alongside.forms import add_service_errors
from alongside.ratelimit import answers_429_when_throttled, form_throttled
from mentors.forms_screening import (
    QUESTION_PREFIX,
    BackgroundCheckForm,
    DeclineForm,
    InterviewForm,
    InterviewQuestionForm,
    RefereeForm,
    ReferenceRequestForm,
)
from mentors.models import (
    Format,
    Interview,
    InterviewAnswer,
    InterviewQuestion,
    MentorApplication,
    Reference,
    ReferenceStatus,
    Stage,
)
from mentors.selectors import applications_for_staff, get_application_for_staff
from mentors.services.applications import REFERENCES_NEEDED, application_withdraw
from mentors.services.screening import (
    CLOSED_STAGES,
    LONG_WAIT_DAYS,
    SCREENING_STAGES,
    application_approve_to_train,
    application_decline,
    background_check_record,
    interview_question_create,
    interview_question_deactivate,
    interview_question_reactivate,
    interview_question_update,
    interview_record,
    reference_for_token,
    reference_is_usable,
    reference_request,
    reference_resend,
    reference_submit,
    screening_missing,
)

_BOARD_FIELDS = ("id", "full_name", "preferred_name", "stage", "stage_entered_at", "decided_at")


@dataclass(frozen=True)
class BoardCard:
    application: MentorApplication
    waited: str
    long_wait: bool


def waited_words(waited: timedelta) -> str:
    """How long someone has been in a stage, in the words a person would use."""
    if waited.days < 1:
        return "Less than a day"
    return "1 day" if waited.days == 1 else f"{waited.days} days"


def _card(application: MentorApplication, now: datetime) -> BoardCard:
    waited = now - application.stage_entered_at
    return BoardCard(
        application=application,
        waited=waited_words(waited),
        long_wait=application.stage in SCREENING_STAGES and waited.days > LONG_WAIT_DAYS,
    )


# The board and each application ---------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    applications = applications_for_staff(organisation).only(*_BOARD_FIELDS)
    now = timezone.now()
    if request.GET.get("show") == "closed":
        closed = applications.filter(stage__in=CLOSED_STAGES).order_by("-stage_entered_at")
        return render(
            request,
            "mentors/screening/closed.html",
            {"cards": [_card(application, now) for application in closed]},
        )
    by_stage: dict[str, list[BoardCard]] = {stage: [] for stage in Stage.board_stages()}
    for application in applications.filter(stage__in=Stage.board_stages()).order_by(
        "stage_entered_at", "id"
    ):
        by_stage[application.stage].append(_card(application, now))
    columns = [
        {"stage": stage, "label": stage.label, "cards": by_stage[stage]}
        for stage in Stage.board_stages()
    ]
    return render(
        request, "mentors/screening/board.html", {"columns": columns, "long_wait": LONG_WAIT_DAYS}
    )


@role_required(*STAFF_ROLES)
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _application_for_detail(_organisation(request), pk))


def _application_for_detail(organisation: Organisation, pk: int) -> MentorApplication:
    """One application with everything its page shows, in a handful of queries."""
    queryset = (
        applications_for_staff(organisation)
        .select_related("interview__interviewer", "decided_by")
        .prefetch_related(
            "lived_experience_areas",
            "languages",
            Prefetch(
                "interview__answers",
                queryset=InterviewAnswer.objects.select_related("question").order_by(
                    "question__position", "question_id"
                ),
            ),
            "references",
            "background_checks__recorded_by",
        )
    )
    return get_object_or_404(queryset, pk=pk)


def _render_detail(
    request: HttpRequest,
    application: MentorApplication,
    decline_form: DeclineForm | None = None,
) -> HttpResponse:
    in_screening = application.stage in SCREENING_STAGES
    missing = screening_missing(application) if in_screening else []
    formats = dict(Format.choices)
    references = list(application.references.all())
    current = [r for r in references if r.status != ReferenceStatus.CANCELLED]
    context = {
        "application": application,
        "interview": getattr(application, "interview", None),
        "references": current,
        "cancelled_references": len(references) - len(current),
        "received_references": sum(r.status == ReferenceStatus.RECEIVED for r in current),
        "references_needed": REFERENCES_NEEDED,
        "background_checks": list(application.background_checks.all()),
        "formats": [formats.get(value, value) for value in application.formats],
        "card": _card(application, timezone.now()),
        "in_screening": in_screening,
        "can_withdraw": application.stage in SCREENING_STAGES | {Stage.TRAINING},
        "missing": missing,
        "decline_form": decline_form or DeclineForm(),
    }
    return render(request, "mentors/screening/detail.html", context)


# Screening steps ------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def interview(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request)
    application = get_application_for_staff(organisation, pk)
    if (closed := _unless_in_screening(request, application)) is not None:
        return closed
    existing = Interview.objects.filter(application=application).first()
    form = InterviewForm(
        request.POST if request.method == "POST" else None,
        questions=_interview_questions(organisation, existing, request.POST),
        interview=existing,
    )
    if request.method == "POST" and form.is_valid():
        try:
            interview_record(
                actor=signed_in_user(request),
                application=application,
                held_on=form.cleaned_data["held_on"],
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
                answers=form.answers(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The interview is recorded.")
            return redirect("mentors:application_detail", pk=application.pk)
    return render(
        request,
        "mentors/screening/interview_form.html",
        {"form": form, "application": application, "existing": existing},
    )


def _interview_questions(
    organisation: Organisation, existing: Interview | None, posted: QueryDict
) -> list[InterviewQuestion]:
    """The questions asked now, plus any this interview answered or the form just sent, so
    notes are never dropped because a question was retired in the meantime."""
    asked = Q(is_active=True)
    if existing is not None:
        asked |= Q(pk__in=existing.answers.values("question_id"))
    sent = [
        int(name.removeprefix(QUESTION_PREFIX))
        for name in posted
        if name.startswith(QUESTION_PREFIX) and name.removeprefix(QUESTION_PREFIX).isdigit()
    ]
    if sent:
        asked |= Q(pk__in=sent)
    return list(InterviewQuestion.objects.filter(asked, organisation=organisation))


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def reference_new(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_staff(_organisation(request), pk)
    if (closed := _unless_in_screening(request, application)) is not None:
        return closed
    form = ReferenceRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            reference, _token = reference_request(
                actor=signed_in_user(request), application=application, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"We have emailed {reference.referee_name} a link to give a reference."
            )
            return redirect("mentors:application_detail", pk=application.pk)
    return render(
        request,
        "mentors/screening/reference_request_form.html",
        {"form": form, "application": application},
    )


@role_required(*STAFF_ROLES)
@require_POST
def reference_send_again(request: HttpRequest, pk: int, reference_pk: int) -> HttpResponse:
    application = get_application_for_staff(_organisation(request), pk)
    reference = get_object_or_404(Reference, application=application, pk=reference_pk)
    try:
        replacement, _token = reference_resend(actor=signed_in_user(request), reference=reference)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            f"We have sent {replacement.referee_name} a new link. The old one no longer works.",
        )
    return redirect("mentors:application_detail", pk=application.pk)


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def background_check(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_staff(_organisation(request), pk)
    if (closed := _unless_in_screening(request, application)) is not None:
        return closed
    form = BackgroundCheckForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            background_check_record(
                actor=signed_in_user(request), application=application, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The background check is recorded.")
            return redirect("mentors:application_detail", pk=application.pk)
    return render(
        request,
        "mentors/screening/background_check_form.html",
        {"form": form, "application": application},
    )


# Decision -------------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_staff(_organisation(request), pk)
    try:
        application = application_approve_to_train(
            actor=signed_in_user(request), application=application
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            f"{application.full_name} is approved to train. We have emailed them how to sign in.",
        )
    return redirect("mentors:application_detail", pk=application.pk)


@role_required(*STAFF_ROLES)
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request)
    application = get_application_for_staff(organisation, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            application_decline(
                actor=signed_in_user(request),
                application=application,
                reason=form.cleaned_data["reason"],
                include_reason=form.cleaned_data["include_reason"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # closed already: nothing to correct
                messages.error(request, error.messages[0])
                return redirect("mentors:application_detail", pk=application.pk)
            add_service_errors(form, error)
        else:
            messages.success(request, "The application is declined. We have emailed the applicant.")
            return redirect("mentors:application_detail", pk=application.pk)
    return _render_detail(request, _application_for_detail(organisation, pk), decline_form=form)


@role_required(*STAFF_ROLES)
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_staff(_organisation(request), pk)
    if application.stage == Stage.WITHDRAWN:
        return redirect("mentors:application_detail", pk=application.pk)  # a second click
    try:
        application_withdraw(actor=signed_in_user(request), application=application)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The application is withdrawn.")
    return redirect("mentors:application_detail", pk=application.pk)


# Standard interview questions -----------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_GET
def interview_questions(request: HttpRequest) -> HttpResponse:
    questions = InterviewQuestion.objects.filter(organisation=_organisation(request))
    return render(
        request, "mentors/screening/interview_questions.html", {"questions": list(questions)}
    )


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def interview_question_new(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = InterviewQuestionForm(request.POST if request.method == "POST" else None)
    form.fields["position"].required = False
    if request.method == "POST" and form.is_valid():
        try:
            interview_question_create(
                actor=signed_in_user(request),
                organisation=organisation,
                text=form.cleaned_data["text"],
                position=form.cleaned_data["position"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The question is added.")
            return redirect("mentors:interview_questions")
    return render(
        request, "mentors/screening/interview_question_form.html", {"form": form, "question": None}
    )


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def interview_question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question_or_404(request, pk)
    form = InterviewQuestionForm(
        request.POST if request.method == "POST" else None, instance=question
    )
    if request.method == "POST" and form.is_valid():
        try:
            interview_question_update(
                actor=signed_in_user(request),
                question=question,
                text=form.cleaned_data["text"],
                position=form.cleaned_data["position"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The question is saved.")
            return redirect("mentors:interview_questions")
    return render(
        request,
        "mentors/screening/interview_question_form.html",
        {"form": form, "question": question},
    )


@role_required(*STAFF_ROLES)
@require_POST
def interview_question_stop(request: HttpRequest, pk: int) -> HttpResponse:
    question = interview_question_deactivate(
        actor=signed_in_user(request), question=_question_or_404(request, pk)
    )
    messages.success(request, f"“{question.text}” is no longer asked at new interviews.")
    return redirect("mentors:interview_questions")


@role_required(*STAFF_ROLES)
@require_POST
def interview_question_restart(request: HttpRequest, pk: int) -> HttpResponse:
    question = interview_question_reactivate(
        actor=signed_in_user(request), question=_question_or_404(request, pk)
    )
    messages.success(request, f"“{question.text}” is asked at interviews again.")
    return redirect("mentors:interview_questions")


def _question_or_404(request: HttpRequest, pk: int) -> InterviewQuestion:
    return get_object_or_404(InterviewQuestion, organisation=_organisation(request), pk=pk)


# The referee's page ---------------------------------------------------------------------------


@answers_429_when_throttled
@never_cache
@require_http_methods(["GET", "POST"])
def reference_respond(request: HttpRequest, token: str) -> HttpResponse:
    """Public: a referee answers through their one-time link, without an account."""
    reference = reference_for_token(token)
    if reference is None:
        return _link_unusable(request, None, status=404)
    if not reference_is_usable(reference):
        return _link_unusable(request, reference, status=410)
    form = RefereeForm(request.POST if request.method == "POST" else None)
    if (
        request.method == "POST"
        and form.is_valid()
        and not form_throttled(request, "mentor_reference", form)
    ):
        try:
            reference_submit(reference=reference, data=form.cleaned_data)
        except ValidationError:
            return _link_unusable(request, reference, status=410)
        return redirect("mentors:reference_thanks")
    return render(
        request,
        "mentors/screening/reference_respond.html",
        {
            "form": form,
            "applicant_name": reference.application.full_name,
            "organisation": reference.application.organisation,
        },
    )


@require_GET
def reference_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "mentors/screening/reference_thanks.html")


def _link_unusable(
    request: HttpRequest, reference: Reference | None, *, status: int
) -> HttpResponse:
    organisation = reference.application.organisation if reference is not None else None
    return render(
        request,
        "mentors/screening/reference_unavailable.html",
        {"organisation": organisation},
        status=status,
    )


# Helpers --------------------------------------------------------------------------------------


def _organisation(request: HttpRequest) -> Organisation:
    return membership_with_role(request, STAFF_ROLES).organisation


def _unless_in_screening(
    request: HttpRequest, application: MentorApplication
) -> HttpResponse | None:
    """Screening pages only work while screening is under way; otherwise back to the record."""
    if application.stage in SCREENING_STAGES:
        return None
    messages.info(request, "Screening for this application is finished, so it cannot be changed.")
    return redirect("mentors:application_detail", pk=application.pk)
