"""The first meeting of a new match: the coordinator arranges when and where, and both people
are told (date, time and place only; nothing about why they are meeting)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.access import STAFF_ROLES
from accounts.models import Membership, User
from alongside.email import send_templated_email
from audit.services import audit_record
from matching.models import MatchProposal
from mentoring.models import Relationship, RelationshipStatus
from mentors.models import Format
from referrals.selectors import mentee_email

PLACE_MAX = Relationship._meta.get_field("introduction_place").max_length or 200
# For these formats they cannot meet without knowing where: an address, or the call's link.
PLACE_REQUIRED = {
    Format.IN_PERSON: "Say where they will meet, for example a café or the community centre.",
    Format.VIDEO: "Add the link for the video call.",
}


@transaction.atomic
def introduction_schedule(
    *,
    actor: User,
    relationship: Relationship,
    when: datetime,
    format: str,
    place: str,
    coordinator_present: bool,
) -> Relationship:
    """Set (or change) the introduction meeting and email both people. Sending the same details
    again changes nothing and sends nothing."""
    relationship = (
        Relationship.objects.select_for_update(of=("self",))
        .select_related("mentor__user", "mentee", "referral", "organisation")
        .get(pk=relationship.pk)
    )
    is_staff = Membership.objects.filter(
        user=actor,
        organisation=relationship.organisation,
        role__in=STAFF_ROLES,
        is_active=True,
    ).exists()
    if not is_staff:
        raise ValidationError("Only a coordinator can arrange an introduction.")
    if relationship.status != RelationshipStatus.INTRODUCTION:
        raise ValidationError(
            "Mentoring has already started or ended, so there is no introduction to arrange."
        )
    place, errors = place.strip(), {}
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when <= timezone.now():
        errors["when"] = "Choose a date and time in the future."
    if format not in Format.values:
        errors["format"] = "Choose how they will meet."
    elif format in PLACE_REQUIRED and not place:
        errors["place"] = PLACE_REQUIRED[Format(format)]
    if len(place) > PLACE_MAX:
        errors["place"] = f"Keep this to {PLACE_MAX} characters or fewer."
    if errors:
        raise ValidationError(errors)

    unchanged = (
        relationship.introduction_at == when
        and relationship.introduction_format == format
        and relationship.introduction_place == place
        and relationship.coordinator_present == coordinator_present
    )
    if unchanged:
        return relationship
    rescheduled = relationship.introduction_at is not None
    relationship.introduction_at = when
    relationship.introduction_format = format
    relationship.introduction_place = place
    relationship.coordinator_present = coordinator_present
    relationship.save(
        update_fields=[
            "introduction_at",
            "introduction_format",
            "introduction_place",
            "coordinator_present",
        ]
    )
    audit_record(
        actor=actor,
        action="match.introduction_rescheduled" if rescheduled else "match.introduction_scheduled",
        organisation=relationship.organisation,
        target=relationship,
        metadata={"format": format, "coordinator_present": coordinator_present},
    )
    _tell_both(relationship, rescheduled=rescheduled)
    return relationship


def _tell_both(relationship: Relationship, *, rescheduled: bool) -> None:
    context = {
        "organisation": relationship.organisation,
        "when": timezone.localtime(relationship.introduction_at),
        "format_label": Format(relationship.introduction_format).label,
        "format": relationship.introduction_format,
        "place": relationship.introduction_place,
        "coordinator_present": relationship.coordinator_present,
        "rescheduled": rescheduled,
    }
    proposal = MatchProposal.objects.filter(relationship=relationship).only("pk").first()
    send_templated_email(
        "matching/email/introduction_arranged",
        to=[relationship.mentor.user.email],
        context={
            **context,
            "path": reverse("matching:mentor_offer", args=[proposal.pk])
            if proposal is not None
            else reverse("matching:mentor_offers"),
        },
    )
    send_templated_email(
        "matching/email/introduction_arranged",
        to=[mentee_email(relationship.referral)],
        context={**context, "path": reverse("matching:mentee_offer")},
    )
