"""Training, certification and continuing education: what a trainee must finish before they can
be matched, the coordinator's decision to certify, and keeping that certification current.

Reads used only by this area's pages (progress, what is missing, scoped look-ups) live here too,
next to the rules they explain.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.selectors import coordinator_emails
from alongside.email import send_templated_email
from audit.services import audit_record
from mentors.models import (
    CpdRecord,
    Delivery,
    MentorApplication,
    MentorProfile,
    Stage,
    TrainingCompletion,
    TrainingModule,
)
from mentors.selectors import applications_for_staff, programme_settings
from mentors.services.applications import screening_complete, set_stage

TRAINING_STAGES = (Stage.TRAINING, Stage.CERTIFIED)
CPD_MIN_HOURS = Decimal("0.5")
CPD_MAX_HOURS = Decimal("40")
MODULE_FIELDS = (
    "title",
    "summary",
    "content",
    "min_minutes",
    "required_before_matching",
    "delivery",
    "position",
)


# --- Small helpers ------------------------------------------------------------------------------


def add_months(moment: datetime, months: int) -> datetime:
    """Calendar months later (or earlier), keeping the day where the month allows: 31 January
    plus one month is 28 or 29 February, never 3 March."""
    index = moment.year * 12 + (moment.month - 1) + months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def format_minutes(minutes: int) -> str:
    """Plain duration such as "7 h 30 min", "12 h" or "45 min"."""
    hours, rest = divmod(max(minutes, 0), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    if hours:
        return f"{hours} h"
    return f"{rest} min"


def trainee_name(application: MentorApplication) -> str:
    """What the programme calls this person: their preferred name, else their first name."""
    if application.preferred_name.strip():
        return application.preferred_name.strip()
    words = application.full_name.split()
    return words[0] if words else "Mentor"


# --- Reads --------------------------------------------------------------------------------------


def active_modules(organisation: Organisation) -> QuerySet[TrainingModule]:
    return TrainingModule.objects.filter(organisation=organisation, is_active=True)


def get_module_for_staff(organisation: Organisation, pk: int) -> TrainingModule:
    try:
        return TrainingModule.objects.get(organisation=organisation, pk=pk)
    except TrainingModule.DoesNotExist:
        raise Http404 from None


def get_module_for_trainee(organisation: Organisation, pk: int) -> TrainingModule:
    try:
        return active_modules(organisation).get(pk=pk)
    except TrainingModule.DoesNotExist:
        raise Http404 from None


def trainee_applications(organisation: Organisation) -> QuerySet[MentorApplication]:
    """Applications a coordinator follows through training: approved to train, or certified."""
    return (
        applications_for_staff(organisation)
        .filter(stage__in=TRAINING_STAGES)
        .select_related("profile")
        .prefetch_related(
            Prefetch(
                "training_completions",
                queryset=TrainingCompletion.objects.only(
                    "id", "application_id", "module_id", "minutes", "completed_at"
                ),
            )
        )
        .order_by("full_name", "pk")
    )


def get_trainee_application_for_staff(organisation: Organisation, pk: int) -> MentorApplication:
    try:
        return trainee_applications(organisation).get(pk=pk)
    except MentorApplication.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class ModuleRow:
    module: TrainingModule
    completion: TrainingCompletion | None

    @property
    def done(self) -> bool:
        return self.completion is not None


@dataclass(frozen=True)
class TrainingProgress:
    """Where a trainee is: each active module with its completion, and the totals that count."""

    rows: list[ModuleRow]
    minutes_done: int
    minutes_needed: int
    required_total: int = field(init=False)
    required_done: int = field(init=False)

    def __post_init__(self) -> None:
        required = [row for row in self.rows if row.module.required_before_matching]
        object.__setattr__(self, "required_total", len(required))
        object.__setattr__(self, "required_done", sum(1 for row in required if row.done))

    @property
    def missing_required(self) -> list[TrainingModule]:
        return [
            row.module for row in self.rows if row.module.required_before_matching and not row.done
        ]

    @property
    def minutes_short(self) -> int:
        return max(self.minutes_needed - self.minutes_done, 0)

    @property
    def summary(self) -> str:
        """For example "3 of 5 required modules; 7 h 30 min of 12 h"."""
        return (
            f"{self.required_done} of {self.required_total} required modules; "
            f"{format_minutes(self.minutes_done)} of {format_minutes(self.minutes_needed)}"
        )

    @property
    def percent(self) -> int:
        """A rough share of the way through, for a progress bar: the lesser of the two parts."""
        parts = []
        if self.required_total:
            parts.append(self.required_done / self.required_total)
        if self.minutes_needed:
            parts.append(min(self.minutes_done / self.minutes_needed, 1))
        return round(min(parts) * 100) if parts else 100


def training_progress(
    application: MentorApplication,
    *,
    modules: list[TrainingModule] | None = None,
    minutes_needed: int | None = None,
) -> TrainingProgress:
    """Pass ``modules`` and ``minutes_needed`` when listing many trainees, to query them once."""
    if modules is None:
        modules = list(active_modules(application.organisation))
    if minutes_needed is None:
        minutes_needed = programme_settings(application.organisation).min_training_minutes
    completions = list(application.training_completions.all())
    by_module = {completion.module_id: completion for completion in completions}
    return TrainingProgress(
        rows=[ModuleRow(module, by_module.get(module.pk)) for module in modules],
        minutes_done=sum(completion.minutes for completion in completions),
        minutes_needed=minutes_needed,
    )


def certification_missing(
    application: MentorApplication, progress: TrainingProgress | None = None
) -> list[str]:
    """Everything still standing between this trainee and certification, in plain words."""
    progress = progress or training_progress(application)
    missing = [f"Complete the module “{module.title}”" for module in progress.missing_required]
    if progress.minutes_short:
        missing.append(
            f"Training time: {format_minutes(progress.minutes_done)} of "
            f"{format_minutes(progress.minutes_needed)} done "
            f"({format_minutes(progress.minutes_short)} still to go)"
        )
    if not screening_complete(application):
        missing.append(
            "Screening: a passed interview, two references received and a clear, "
            "unexpired background check"
        )
    if application.user_id is None:
        missing.append("An account for the trainee to sign in with")
    return missing


def cpd_hours_last_year(profile: MentorProfile) -> Decimal:
    """Continuing-education hours done in the twelve months up to today."""
    since = add_months(timezone.now(), -12).date()
    total = profile.cpd.filter(done_on__gte=since).aggregate(total=Sum("hours"))["total"]
    return Decimal(total or 0)


# --- Modules ------------------------------------------------------------------------------------


def _check_module_data(data: dict[str, Any]) -> None:
    if int(data.get("min_minutes", 0)) < 1:
        raise ValidationError({"min_minutes": "A module takes at least 1 minute."})
    if data.get("delivery") not in Delivery.values:
        raise ValidationError({"delivery": "Choose how the module is delivered."})
    if not str(data.get("title", "")).strip():
        raise ValidationError({"title": "Give the module a title."})


@transaction.atomic
def module_create(
    *, actor: User, organisation: Organisation, data: dict[str, Any]
) -> TrainingModule:
    """Add a module. A second click (an active module with the same title) returns the first."""
    _check_module_data(data)
    existing = active_modules(organisation).filter(title__iexact=data["title"].strip()).first()
    if existing is not None:
        return existing
    module = TrainingModule(organisation=organisation)
    for name in MODULE_FIELDS:
        setattr(module, name, data[name])
    module.title = module.title.strip()
    module.save()
    audit_record(
        actor=actor,
        action="training_module.created",
        organisation=organisation,
        target=module,
        metadata={"delivery": module.delivery, "required": module.required_before_matching},
    )
    return module


@transaction.atomic
def module_update(*, actor: User, module: TrainingModule, data: dict[str, Any]) -> TrainingModule:
    _check_module_data(data)
    # Compare with what is stored: a bound ModelForm has already copied its values onto the
    # object it was given.
    module = TrainingModule.objects.select_for_update().get(pk=module.pk)
    changed = [name for name in MODULE_FIELDS if getattr(module, name) != data[name]]
    if not changed:
        return module
    for name in changed:
        setattr(module, name, data[name])
    module.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="training_module.updated",
        organisation=module.organisation,
        target=module,
        metadata={"fields": ",".join(changed)},
    )
    return module


@transaction.atomic
def module_deactivate(*, actor: User, module: TrainingModule) -> TrainingModule:
    """Retire a module: trainees stop seeing it and it no longer counts towards certification.
    Completions already recorded are kept."""
    return _module_set_active(actor=actor, module=module, active=False)


@transaction.atomic
def module_reactivate(*, actor: User, module: TrainingModule) -> TrainingModule:
    return _module_set_active(actor=actor, module=module, active=True)


def _module_set_active(*, actor: User, module: TrainingModule, active: bool) -> TrainingModule:
    module = TrainingModule.objects.select_for_update().get(pk=module.pk)
    if module.is_active == active:
        return module
    module.is_active = active
    module.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="training_module.reactivated" if active else "training_module.deactivated",
        organisation=module.organisation,
        target=module,
    )
    return module


# --- Completing modules -------------------------------------------------------------------------


def _check_module_for(application: MentorApplication, module: TrainingModule) -> None:
    if module.organisation_id != application.organisation_id or not module.is_active:
        raise ValidationError("This module is not part of this programme's training.")
    if application.stage not in TRAINING_STAGES:
        raise ValidationError("Training opens once an application is approved to train.")


def _check_minutes(module: TrainingModule, minutes: int) -> None:
    if minutes < module.min_minutes:
        raise ValidationError(
            {
                "minutes": f"This module takes at least {format_minutes(module.min_minutes)}. "
                "If you have not finished yet, that is fine: come back to it when you have."
            }
        )


@transaction.atomic
def training_complete(
    *,
    actor: User,
    application: MentorApplication,
    module: TrainingModule,
    minutes: int,
    reflection: str = "",
) -> TrainingCompletion:
    """The trainee marks a self-paced module done. Completing it again keeps the first record."""
    application = MentorApplication.objects.select_for_update().get(pk=application.pk)
    if application.user_id != actor.pk:
        raise ValidationError("Only the trainee can complete their own training.")
    _check_module_for(application, module)
    existing = TrainingCompletion.objects.filter(application=application, module=module).first()
    if existing is not None:
        return existing
    if module.delivery != Delivery.SELF_PACED:
        raise ValidationError("Your coordinator records attendance for in-person sessions.")
    _check_minutes(module, minutes)
    completion = TrainingCompletion.objects.create(
        application=application,
        module=module,
        minutes=minutes,
        recorded_by=actor,
        reflection=reflection.strip(),
    )
    audit_record(
        actor=actor,
        action="training.completed",
        organisation=application.organisation,
        target=completion,
        metadata={"module": module.pk, "minutes": minutes},
    )
    return completion


@transaction.atomic
def training_record_attendance(
    *,
    actor: User,
    application: MentorApplication,
    module: TrainingModule,
    minutes: int,
    attended_on: date,
) -> TrainingCompletion:
    """A coordinator records that the trainee attended an in-person session. Recording it again
    keeps the first record."""
    application = MentorApplication.objects.select_for_update().get(pk=application.pk)
    _check_module_for(application, module)
    existing = TrainingCompletion.objects.filter(application=application, module=module).first()
    if existing is not None:
        return existing
    if module.delivery != Delivery.IN_PERSON:
        raise ValidationError("Trainees mark self-paced modules as done themselves.")
    if attended_on > timezone.localdate():
        raise ValidationError({"attended_on": "The date cannot be in the future."})
    if minutes < module.min_minutes:
        raise ValidationError(
            {
                "minutes": f"This session counts as completed from "
                f"{format_minutes(module.min_minutes)}."
            }
        )
    completion = TrainingCompletion.objects.create(
        application=application,
        module=module,
        minutes=minutes,
        recorded_by=actor,
        completed_at=timezone.make_aware(datetime.combine(attended_on, time(12))),
    )
    audit_record(
        actor=actor,
        action="training.attendance_recorded",
        organisation=application.organisation,
        target=completion,
        metadata={"module": module.pk, "minutes": minutes},
    )
    return completion


# --- Certification ------------------------------------------------------------------------------


@transaction.atomic
def mentor_certify(*, actor: User, application: MentorApplication) -> MentorProfile:
    """Certify a trainee who has finished training and screening, and make their profile.

    Certifying again (a second click) returns the profile the first click made.
    """
    application = (
        MentorApplication.objects.select_for_update(of=("self",))
        .select_related("organisation", "user")
        .get(pk=application.pk)
    )
    existing = MentorProfile.objects.filter(application=application).first()
    if existing is not None:
        return existing
    if application.stage != Stage.TRAINING:
        raise ValidationError("Only a trainee in training can be certified.")
    missing = certification_missing(application)
    if missing:
        raise ValidationError(missing)
    assert application.user is not None
    organisation = application.organisation
    if MentorProfile.objects.filter(organisation=organisation, user=application.user).exists():
        raise ValidationError(
            "This person already has a mentor profile here; renew that certification instead."
        )
    settings = programme_settings(organisation)
    now = timezone.now()
    profile = MentorProfile.objects.create(
        organisation=organisation,
        user=application.user,
        application=application,
        display_name=trainee_name(application),
        formats=list(application.formats),
        area=application.area,
        capacity=1,
        # Not listed until the mentor has checked what their profile shows and chosen to be
        # listed: lived experience is theirs to share.
        is_available=False,
        certified_at=now,
        certified_by=actor,
        certification_expires_at=add_months(now, settings.certification_months),
    )
    profile.lived_experience_areas.set(application.lived_experience_areas.all())
    profile.languages.set(application.languages.all())
    set_stage(application, Stage.CERTIFIED)
    audit_record(
        actor=actor,
        action="mentor.certified",
        organisation=organisation,
        target=profile,
        metadata={"application": application.pk, "months": settings.certification_months},
    )
    send_templated_email(
        "mentors/email/certified",
        to=[application.user.email],
        context={"name": profile.display_name, "organisation": organisation, "profile": profile},
    )
    return profile


@transaction.atomic
def mentor_certification_renew(
    *, actor: User, profile: MentorProfile, seen_expires_at: datetime | None = None
) -> MentorProfile:
    """Extend a mentor's certification once they have kept up their continuing education.

    ``seen_expires_at`` is the expiry the coordinator was looking at: if it has changed since
    (a second click, or a colleague got there first) nothing more is added.
    """
    profile = MentorProfile.objects.select_for_update().get(pk=profile.pk)
    if seen_expires_at is not None and profile.certification_expires_at != seen_expires_at:
        return profile
    if profile.certified_at is None:
        raise ValidationError("Only a mentor who has been certified can renew.")
    settings = programme_settings(profile.organisation)
    hours = cpd_hours_last_year(profile)
    if hours < settings.cpd_hours_per_year:
        shortfall = Decimal(settings.cpd_hours_per_year) - hours
        raise ValidationError(
            f"Renewal needs {settings.cpd_hours_per_year} hours of continuing education in the "
            f"last 12 months; {hours.normalize():f} recorded, {shortfall.normalize():f} to go."
        )
    now = timezone.now()
    start = max(now, profile.certification_expires_at or now)
    profile.certification_expires_at = add_months(start, settings.certification_months)
    profile.expiry_warned_at = None
    profile.save(update_fields=["certification_expires_at", "expiry_warned_at"])
    audit_record(
        actor=actor,
        action="mentor.certification_renewed",
        organisation=profile.organisation,
        target=profile,
        metadata={"months": settings.certification_months},
    )
    return profile


@transaction.atomic
def certification_expiry_warn(*, profile: MentorProfile) -> bool:
    """Tell a mentor and the coordinators that a certification ends soon, once per period.
    Returns whether a warning went out (False when someone already warned them)."""
    profile = (
        MentorProfile.objects.select_for_update(of=("self",))
        .select_related("organisation", "user")
        .get(pk=profile.pk)
    )
    if profile.expiry_warned_at is not None or profile.certification_expires_at is None:
        return False
    profile.expiry_warned_at = timezone.now()
    profile.save(update_fields=["expiry_warned_at"])
    audit_record(
        actor=None,
        action="mentor.certification_expiry_warned",
        organisation=profile.organisation,
        target=profile,
    )
    settings = programme_settings(profile.organisation)
    context = {
        "name": profile.display_name,
        "organisation": profile.organisation,
        "expires_at": profile.certification_expires_at,
        "has_ended": profile.certification_expires_at <= timezone.now(),
        "cpd_hours_per_year": settings.cpd_hours_per_year,
        "cpd_path": reverse("mentors:cpd"),
        "record_path": reverse("mentors:trainee_progress", args=[profile.application_id]),
    }
    send_templated_email(
        "mentors/email/certification_expiring", to=[profile.user.email], context=context
    )
    send_templated_email(
        "mentors/email/certification_expiring_coordinators",
        to=coordinator_emails(profile.organisation),
        context=context,
    )
    return True


def profiles_due_expiry_warning(organisation: Organisation) -> QuerySet[MentorProfile]:
    """Certified mentors whose certification ends within the warning period, not yet warned."""
    cutoff = timezone.now() + timedelta(days=programme_settings(organisation).expiry_warning_days)
    return MentorProfile.objects.filter(
        organisation=organisation,
        certified_at__isnull=False,
        certification_expires_at__isnull=False,
        certification_expires_at__lte=cutoff,
        expiry_warned_at__isnull=True,
        user__is_active=True,
    )


# --- Continuing education -----------------------------------------------------------------------


@transaction.atomic
def cpd_record_add(
    *, actor: User, profile: MentorProfile, done_on: date, hours: Decimal, description: str
) -> CpdRecord:
    """A mentor records continuing education. The same entry sent twice is kept once."""
    profile = MentorProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.user_id != actor.pk:
        raise ValidationError("Mentors record their own continuing education.")
    description = description.strip()
    problems = {}
    if done_on > timezone.localdate():
        problems["done_on"] = "The date cannot be in the future."
    if not CPD_MIN_HOURS <= hours <= CPD_MAX_HOURS:
        problems["hours"] = "Enter between 0.5 and 40 hours."
    if not description:
        problems["description"] = "Say briefly what you did."
    if problems:
        raise ValidationError(problems)
    existing = profile.cpd.filter(done_on=done_on, hours=hours, description=description).first()
    if existing is not None:
        return existing
    record = CpdRecord.objects.create(
        profile=profile, done_on=done_on, hours=hours, description=description, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action="cpd.recorded",
        organisation=profile.organisation,
        target=record,
        metadata={"hours": float(hours)},
    )
    return record
