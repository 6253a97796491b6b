"""Reads about people and their roles, scoped to what a person may see."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, QuerySet

from accounts.models import Membership, Organisation, Role, User


def active_memberships_for(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def public_organisation() -> Organisation | None:
    """The organisation whose help a visitor sees before signing in.

    Set DEFAULT_ORGANISATION_SLUG on a shared install; a single-organisation install needs nothing.
    """
    active = Organisation.objects.filter(is_active=True)
    if settings.DEFAULT_ORGANISATION_SLUG:
        return active.filter(slug=settings.DEFAULT_ORGANISATION_SLUG).first()
    organisations = list(active[:2])
    return organisations[0] if len(organisations) == 1 else None


def role_counts(organisation: Organisation) -> list[tuple[str, int]]:
    """How many active people hold each role, in the order roles are listed."""
    counts = dict(
        Membership.objects.filter(organisation=organisation, is_active=True)
        .order_by()  # the default order by organisation name would join every row to it
        .values_list("role")
        .annotate(total=Count("id"))
        .values_list("role", "total")
    )
    return [(str(role.label) + "s", counts.get(role.value, 0)) for role in Role]


def demo_accounts() -> list[dict[str, str]]:
    """The invented accounts the development login page lists."""
    memberships = (
        Membership.objects.filter(user__email__endswith="@" + settings.DEMO_EMAIL_DOMAIN)
        .select_related("user", "organisation")
        .order_by("organisation__name", "role", "user__email")
    )
    return [
        {
            "email": m.user.email,
            "role": m.get_role_display(),
            "organisation": m.organisation.name,
        }
        for m in memberships
    ]


def coordinator_emails(organisation: Organisation) -> list[str]:
    """Where programme notifications go: every active coordinator of the organisation."""
    return list(
        Membership.objects.filter(
            organisation=organisation,
            role=Role.COORDINATOR,
            is_active=True,
            user__is_active=True,
        ).values_list("user__email", flat=True)
    )


def data_protection_leads(organisation: Organisation) -> QuerySet[User]:
    """The people told about emergency access and data requests in ``organisation``."""
    return User.objects.filter(
        memberships__organisation=organisation,
        memberships__is_active=True,
        memberships__is_data_protection_lead=True,
        is_active=True,
    ).order_by("email")
