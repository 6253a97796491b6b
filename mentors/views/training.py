"""Training pages: coordinators manage modules and follow trainees to certification; trainees
work through modules; certified mentors keep a record of their continuing education."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import STAFF_ROLES, membership_with_role, role_required, signed_in_user
from accounts.models import Organisation, Role
from alongside.forms import add_service_errors
from mentors.forms_training import AttendanceForm, CompletionForm, CpdForm, ModuleForm
from mentors.models import (
    Delivery,
    MentorApplication,
    MentorProfile,
    TrainingCompletion,
    TrainingModule,
)
from mentors.selectors import profile_for, programme_settings, training_application_for
from mentors.services.training import (
    active_modules,
    certification_missing,
    cpd_hours_last_year,
    cpd_record_add,
    format_minutes,
    get_module_for_staff,
    get_module_for_trainee,
    get_trainee_application_for_staff,
    mentor_certification_renew,
    mentor_certify,
    module_create,
    module_deactivate,
    module_reactivate,
    module_update,
    trainee_applications,
    trainee_name,
    training_complete,
    training_progress,
    training_record_attendance,
)

# Certified mentors stay on the list: thousands nationally, so a page at a time.
TRAINEES_PER_PAGE = 50


def _organisation(request: HttpRequest, *roles: Role) -> Organisation:
    return membership_with_role(request, roles).organisation


# --- Coordinators: modules ----------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_http_methods(["GET"])
def modules(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request, *STAFF_ROLES)
    all_modules = list(TrainingModule.objects.filter(organisation=organisation))
    return render(
        request,
        "mentors/training/modules.html",
        {
            "active": [m for m in all_modules if m.is_active],
            "retired": [m for m in all_modules if not m.is_active],
            "min_training": format_minutes(programme_settings(organisation).min_training_minutes),
        },
    )


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def module_new(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request, *STAFF_ROLES)
    form = ModuleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            module = module_create(
                actor=signed_in_user(request), organisation=organisation, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The module “{module.title}” is saved.")
            return redirect("mentors:modules")
    return render(request, "mentors/training/module_form.html", {"form": form, "module": None})


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def module_edit(request: HttpRequest, pk: int) -> HttpResponse:
    module = get_module_for_staff(_organisation(request, *STAFF_ROLES), pk)
    saved_title = module.title  # a bound form writes typed values onto the instance
    form = ModuleForm(request.POST if request.method == "POST" else None, instance=module)
    if request.method == "POST" and form.is_valid():
        try:
            module_update(actor=signed_in_user(request), module=module, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The module “{module.title}” is saved.")
            return redirect("mentors:modules")
    return render(
        request,
        "mentors/training/module_form.html",
        {"form": form, "module": module, "saved_title": saved_title},
    )


@role_required(*STAFF_ROLES)
@require_POST
def module_deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    module = get_module_for_staff(_organisation(request, *STAFF_ROLES), pk)
    module_deactivate(actor=signed_in_user(request), module=module)
    messages.success(
        request,
        f"“{module.title}” is no longer part of training. Completions already recorded are kept.",
    )
    return redirect("mentors:modules")


@role_required(*STAFF_ROLES)
@require_POST
def module_reactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    module = get_module_for_staff(_organisation(request, *STAFF_ROLES), pk)
    module_reactivate(actor=signed_in_user(request), module=module)
    messages.success(request, f"“{module.title}” is part of training again.")
    return redirect("mentors:modules")


# --- Trainees: their own training ---------------------------------------------------------------


def _own_application(request: HttpRequest) -> MentorApplication:
    organisation = _organisation(request, Role.MENTOR)
    application = training_application_for(signed_in_user(request), organisation)
    if application is None:
        raise Http404
    return application


@role_required(Role.MENTOR)
@require_http_methods(["GET"])
def training(request: HttpRequest) -> HttpResponse:
    application = _own_application(request)
    progress = training_progress(application)
    return render(
        request,
        "mentors/training/trainee_overview.html",
        {
            "application": application,
            "progress": progress,
            "rows": [(row, format_minutes(row.module.min_minutes)) for row in progress.rows],
        },
    )


@role_required(Role.MENTOR)
@require_http_methods(["GET", "POST"])
def training_module(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request)
    module = get_module_for_trainee(application.organisation, pk)
    completion = TrainingCompletion.objects.filter(application=application, module=module).first()
    form = None
    if completion is None and module.delivery == Delivery.SELF_PACED:
        form = CompletionForm(request.POST if request.method == "POST" else None, module=module)
        if request.method == "POST" and form.is_valid():
            try:
                training_complete(
                    actor=signed_in_user(request),
                    application=application,
                    module=module,
                    minutes=form.cleaned_data["minutes"],
                    reflection=form.cleaned_data["reflection"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Thank you. “{module.title}” is marked as completed.")
                return redirect("mentors:training")
    elif request.method == "POST":
        return redirect("mentors:training_module", pk=module.pk)  # already done: nothing to do
    return render(
        request,
        "mentors/training/trainee_module.html",
        {
            "module": module,
            "completion": completion,
            "form": form,
            "min_time": format_minutes(module.min_minutes),
        },
    )


# --- Coordinators: trainees and certification ---------------------------------------------------


@role_required(*STAFF_ROLES)
@require_http_methods(["GET"])
def trainees(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request, *STAFF_ROLES)
    modules_list = list(active_modules(organisation))
    minutes_needed = programme_settings(organisation).min_training_minutes
    page = Paginator(trainee_applications(organisation), TRAINEES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = []
    for application in page:
        progress = training_progress(
            application, modules=modules_list, minutes_needed=minutes_needed
        )
        profile: MentorProfile | None = getattr(application, "profile", None)
        rows.append(
            {
                "application": application,
                "name": application.full_name,
                "progress": progress,
                "profile": profile,
            }
        )
    return render(request, "mentors/training/trainees.html", {"rows": rows, "page": page})


def _progress_context(
    request: HttpRequest,
    application: MentorApplication,
    *,
    failed_form: AttendanceForm | None = None,
) -> dict[str, Any]:
    progress = training_progress(application)
    attendance_forms = []
    for row in progress.rows:
        if row.module.delivery == Delivery.IN_PERSON and not row.done:
            if failed_form is not None and failed_form.module.pk == row.module.pk:
                attendance_forms.append(failed_form)
            else:
                attendance_forms.append(AttendanceForm(module=row.module))
    profile: MentorProfile | None = getattr(application, "profile", None)
    settings = programme_settings(application.organisation)
    context: dict[str, Any] = {
        "application": application,
        "name": application.full_name,
        "progress": progress,
        "attendance_forms": attendance_forms,
        "missing": certification_missing(application, progress) if profile is None else [],
        "profile": profile,
        "settings": settings,
    }
    if profile is not None:
        context["cpd_hours"] = cpd_hours_last_year(profile)
        context["cpd_ready"] = context["cpd_hours"] >= settings.cpd_hours_per_year
        context["cpd_records"] = list(profile.cpd.all()[:10])
        context["expires_iso"] = (
            profile.certification_expires_at.isoformat() if profile.certification_expires_at else ""
        )
    return context


@role_required(*STAFF_ROLES)
@require_http_methods(["GET"])
def trainee_progress(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = get_trainee_application_for_staff(
        _organisation(request, *STAFF_ROLES), application_pk
    )
    return render(
        request, "mentors/training/trainee_progress.html", _progress_context(request, application)
    )


@role_required(*STAFF_ROLES)
@require_POST
def trainee_attendance(request: HttpRequest, application_pk: int, module_pk: int) -> HttpResponse:
    organisation = _organisation(request, *STAFF_ROLES)
    application = get_trainee_application_for_staff(organisation, application_pk)
    module = get_module_for_trainee(organisation, module_pk)
    form = AttendanceForm(request.POST, module=module)
    if form.is_valid():
        try:
            training_record_attendance(
                actor=signed_in_user(request),
                application=application,
                module=module,
                minutes=form.cleaned_data["minutes"],
                attended_on=form.cleaned_data["attended_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Attendance at “{module.title}” is recorded.")
            return redirect("mentors:trainee_progress", application_pk=application.pk)
    context = _progress_context(request, application, failed_form=form)
    return render(request, "mentors/training/trainee_progress.html", context)


@role_required(*STAFF_ROLES)
@require_POST
def trainee_certify(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = get_trainee_application_for_staff(
        _organisation(request, *STAFF_ROLES), application_pk
    )
    try:
        profile = mentor_certify(actor=signed_in_user(request), application=application)
    except ValidationError as error:
        messages.error(
            request, "Not certified yet. Still needed: " + "; ".join(error.messages) + "."
        )
    else:
        expires = profile.certification_expires_at
        until = f" until {_day(expires)}" if expires else ""
        messages.success(request, f"{trainee_name(application)} is now a certified mentor{until}.")
    return redirect("mentors:trainee_progress", application_pk=application.pk)


@role_required(*STAFF_ROLES)
@require_POST
def trainee_renew(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = get_trainee_application_for_staff(
        _organisation(request, *STAFF_ROLES), application_pk
    )
    profile: MentorProfile | None = getattr(application, "profile", None)
    if profile is None:
        raise Http404
    seen = _parse_moment(request.POST.get("seen_expires_at", ""))
    try:
        profile = mentor_certification_renew(
            actor=signed_in_user(request), profile=profile, seen_expires_at=seen
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        expires = profile.certification_expires_at
        if expires is not None:
            messages.success(request, f"Certification renewed until {_day(expires)}.")
    return redirect("mentors:trainee_progress", application_pk=application.pk)


def _day(moment: datetime) -> str:
    return dateformat.format(timezone.localtime(moment), "j F Y")


def _parse_moment(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


# --- Mentors: continuing education --------------------------------------------------------------


@role_required(Role.MENTOR)
@require_http_methods(["GET", "POST"])
def cpd(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request, Role.MENTOR)
    profile = profile_for(signed_in_user(request), organisation)
    if profile is None:
        raise Http404
    form = CpdForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            cpd_record_add(
                actor=signed_in_user(request),
                profile=profile,
                done_on=form.cleaned_data["done_on"],
                hours=form.cleaned_data["hours"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you. Your continuing education is recorded.")
            return redirect("mentors:cpd")
    settings = programme_settings(organisation)
    return render(
        request,
        "mentors/training/cpd.html",
        {
            "form": form,
            "profile": profile,
            "records": list(profile.cpd.all()),
            "hours_last_year": cpd_hours_last_year(profile),
            "hours_needed": settings.cpd_hours_per_year,
        },
    )
