"""Reads about mentors, scoped to what a person may see. Pages fetch through these helpers,
which answer 404 for anything outside the person's organisation or role."""

from __future__ import annotations

from django.apps import apps
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import Organisation, SupportArea, User
from mentors.models import (
    AvailabilitySlot,
    MentorApplication,
    MentorProfile,
    MentorProgrammeSettings,
    Stage,
)


def programme_settings(organisation: Organisation) -> MentorProgrammeSettings:
    settings, _ = MentorProgrammeSettings.objects.get_or_create(organisation=organisation)
    return settings


def support_areas(organisation: Organisation) -> QuerySet[SupportArea]:
    return SupportArea.objects.filter(organisation=organisation, is_active=True)


def applications_for_staff(organisation: Organisation) -> QuerySet[MentorApplication]:
    """Every application a coordinator of ``organisation`` may see (drafts stay private)."""
    return MentorApplication.objects.filter(organisation=organisation).exclude(stage=Stage.DRAFT)


def get_application_for_staff(organisation: Organisation, pk: int) -> MentorApplication:
    try:
        return applications_for_staff(organisation).get(pk=pk)
    except MentorApplication.DoesNotExist:
        raise Http404 from None


def training_application_for(user: User, organisation: Organisation) -> MentorApplication | None:
    """The trainee's own application in this organisation, once approved to train."""
    return (
        MentorApplication.objects.filter(
            user=user, organisation=organisation, stage__in=[Stage.TRAINING, Stage.CERTIFIED]
        )
        .order_by("-stage_entered_at")
        .first()
    )


def listed_profiles(organisation: Organisation) -> QuerySet[MentorProfile]:
    """Mentors who may be listed and matched: certified, not expired, taking new mentees.

    Matching and the directory both start here, so an expired certification removes a mentor
    from both at once. The directory reads its page from the partial index
    ``mentors_profile_directory`` in its order."""
    return MentorProfile.objects.filter(
        organisation=organisation,
        is_available=True,
        certified_at__isnull=False,
        certification_expires_at__gt=timezone.now(),
        user__is_active=True,
    )


def certified_available_profiles(organisation: Organisation) -> QuerySet[MentorProfile]:
    """The listed mentors (see ``listed_profiles``) with what matching shows of them."""
    return (
        listed_profiles(organisation)
        .annotate(current_mentees=current_mentees())
        .prefetch_related(
            "lived_experience_areas",
            "languages",
            Prefetch("availability_slots", queryset=AvailabilitySlot.objects.all()),
        )
        .order_by("display_name")
    )


def current_mentees() -> Coalesce:
    """How many mentees the mentor is with now (an introduction planned, or active), so the
    directory shows at once when someone has no place left. Read through the relationship's
    table by name: the mentoring app builds on this one, not the other way round."""
    relationship = apps.get_model("mentoring", "Relationship")
    counted = (
        relationship.objects.filter(mentor=OuterRef("pk"), status__in=("introduction", "active"))
        .order_by()
        .values("mentor")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def profile_for(user: User, organisation: Organisation) -> MentorProfile | None:
    return MentorProfile.objects.filter(user=user, organisation=organisation).first()


def profile_with_max_capacity(user: User, organisation: Organisation) -> MentorProfile | None:
    """``profile_for`` with the programme's ``max_capacity`` read alongside it (``None`` while
    the programme has no settings yet: ``programme_settings`` makes them)."""
    max_capacity = MentorProgrammeSettings.objects.filter(
        organisation=OuterRef("organisation")
    ).values("max_capacity")
    return (
        MentorProfile.objects.filter(user=user, organisation=organisation)
        .annotate(max_capacity=Subquery(max_capacity[:1]))
        .first()
    )


def mentor_journey(user: User, organisation: Organisation) -> tuple[bool, bool]:
    """Whether the person is training (their latest approved application is at the training
    stage) and whether they have a mentor profile, in one query: the menu asks on every page."""
    latest_stage = (
        MentorApplication.objects.filter(
            user=OuterRef("pk"),
            organisation=organisation,
            stage__in=[Stage.TRAINING, Stage.CERTIFIED],
        )
        .order_by("-stage_entered_at")
        .values("stage")[:1]
    )
    has_profile = MentorProfile.objects.filter(user=OuterRef("pk"), organisation=organisation)
    found = (
        User.objects.filter(pk=user.pk)
        .annotate(latest_stage=Subquery(latest_stage), has_profile=Exists(has_profile))
        .values_list("latest_stage", "has_profile")
        .first()
    )
    if found is None:
        return False, False
    return found[0] == Stage.TRAINING, bool(found[1])
