"""Community resources: coordinators and admins keep the directory (adding, editing, checking
and archiving entries), mentors recommend entries to their mentees, and coordinators are told
when entries have not been checked for a year.

Staleness: an active resource is stale when it was last checked more than ``STALE_AFTER_DAYS``
(365) days ago, so one checked exactly 365 days ago is still fine today. ``stale_notify`` emails
an organisation's coordinators a count at most once every ``NOTIFY_EVERY_DAYS`` (30) days: the
last email sent is remembered as an audit event (``community_resources.stale_notified``) for the
organisation, so nothing else needs storing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.access import STAFF_ROLES
from accounts.models import Membership, Organisation, Role, SupportArea, User
from accounts.selectors import coordinator_emails
from alongside.email import send_templated_email
from audit.models import AuditEvent
from audit.services import audit_record
from mentoring.concurrency import STALE
from mentoring.models import Relationship, RelationshipStatus
from toolkit.models import CommunityResource, Cost, Delivery, Recommendation
from toolkit.services.notes import check_note

STALE_AFTER_DAYS = 365
NOTIFY_EVERY_DAYS = 30
STALE_NOTIFIED = "community_resources.stale_notified"
NOTE_MAX = 300

TEXT_FIELDS = (
    "name",
    "offers",
    "who_for",
    "phone",
    "email",
    "website",
    "how_to_contact",
    "opening_times",
    "cost_detail",
    "area",
    "address",
)
RESOURCE_FIELDS = (*TEXT_FIELDS, "cost", "delivery", "last_checked_on")
REQUIRED = {
    "name": "Give the name of the group, organisation or service.",
    "offers": "Say in a sentence or two what it offers.",
    "who_for": "Say who it is for.",
}
CONTACT_FIELDS = ("phone", "email", "website", "how_to_contact")
NO_CONTACT = (
    "Give at least one way to get in touch: a phone number, an email address, a website or how "
    "to contact them."
)
BAD_WEBSITE = "Enter a web address starting with https:// (or http://), like https://example.org."
BAD_PHONE = "Enter a phone number using digits, spaces, brackets, + or -."
BAD_EMAIL = "Enter an email address like name@example.org."
FUTURE_CHECK = "The date it was last checked cannot be in the future."
NOT_STAFF = "Only coordinators and admins can change community resources."
NOT_YOUR_MENTEE = "You can recommend resources to your current mentees only."
ENDED = "This mentoring has ended, so you can no longer recommend resources to this person."
NOT_A_MENTEE = "Resources can be recommended to mentees of the organisation only."
ARCHIVED = "This resource is archived, so it cannot be recommended."

_PHONE = re.compile(r"^[0-9+() \-]{3,40}$")
_URL = URLValidator(schemes=["http", "https"])
_MAX_LENGTHS = {
    name: getattr(CommunityResource._meta.get_field(name), "max_length", None)
    for name in (*TEXT_FIELDS, "cost", "delivery")
}


def normalised_website(text: str) -> str:
    """A web address people typed as ``www.example.org`` gets ``https://``; anything with
    another scheme (``javascript:``, ``data:``, ``ftp:``) is left for validation to refuse."""
    text = text.strip()
    if text and not urlsplit(text).scheme and not text.startswith("//"):
        return f"https://{text}"
    return text


def is_safe_web_address(text: str) -> bool:
    try:
        _URL(text)
    except ValidationError:
        return False
    return urlsplit(text).scheme in ("http", "https")


def resource_fields_clean(
    fields: Mapping[str, object], *, today: date
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Tidy what was typed (stripped text, a scheme for bare web addresses) and say what is
    wrong with it, per field. Used by the form (so every problem shows at once) and by the
    services (so no other caller can skip the rules)."""
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"Not fields of a community resource: {', '.join(sorted(unknown))}")
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}

    def problem(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name in TEXT_FIELDS:
        if name in fields:
            cleaned[name] = str(fields[name] or "").strip()
    if "website" in cleaned:
        cleaned["website"] = normalised_website(cleaned["website"])
    for name, text in cleaned.items():
        limit = _MAX_LENGTHS.get(name)
        if limit and len(text) > limit:
            problem(name, f"Keep this to {limit} characters or fewer.")
    for name, message in REQUIRED.items():
        if name in cleaned and not cleaned[name]:
            problem(name, message)
    if cleaned.get("website") and not is_safe_web_address(cleaned["website"]):
        problem("website", BAD_WEBSITE)
    if cleaned.get("phone") and not _PHONE.match(cleaned["phone"]):
        problem("phone", BAD_PHONE)
    if cleaned.get("email"):
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            problem("email", BAD_EMAIL)
    if set(CONTACT_FIELDS) <= set(cleaned) and not any(cleaned[name] for name in CONTACT_FIELDS):
        problem(NON_FIELD_ERRORS, NO_CONTACT)
    if "cost" in fields:
        cleaned["cost"] = str(fields["cost"] or "")
        if cleaned["cost"] not in Cost.values:
            problem("cost", "Choose what it costs.")
    if "delivery" in fields:
        cleaned["delivery"] = str(fields["delivery"] or "")
        if cleaned["delivery"] not in Delivery.values:
            problem("delivery", "Choose whether it is in person, online or both.")
    if "last_checked_on" in fields:
        checked = fields["last_checked_on"]
        if not isinstance(checked, date) or isinstance(checked, datetime):
            problem("last_checked_on", "Enter the date the details were last checked.")
        elif checked > today:
            problem("last_checked_on", FUTURE_CHECK)
        else:
            cleaned["last_checked_on"] = checked
    return cleaned, errors


def _staff_membership(actor: User, organisation: Organisation) -> Membership | None:
    return Membership.objects.filter(
        user=actor, organisation=organisation, role__in=STAFF_ROLES, is_active=True
    ).first()


def _check_staff(actor: User, organisation: Organisation) -> None:
    if _staff_membership(actor, organisation) is None:
        raise ValidationError(NOT_STAFF, code="not_staff")


def _needs(organisation: Organisation, needs: Iterable[SupportArea | int]) -> list[SupportArea]:
    wanted = {need.pk if isinstance(need, SupportArea) else int(need) for need in needs}
    found = list(SupportArea.objects.filter(organisation=organisation, pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({"needs": "Choose areas of need from this organisation's list."})
    return found


def _validated(fields: Mapping[str, object]) -> dict[str, Any]:
    cleaned, errors = resource_fields_clean(fields, today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def resource_create(
    *,
    actor: User,
    organisation: Organisation,
    needs: Iterable[SupportArea | int] = (),
    **fields: object,
) -> CommunityResource:
    """Add an entry to the directory. Name, what it offers, who it is for and one way to get in
    touch are needed."""
    _check_staff(actor, organisation)
    fields = {"phone": "", "email": "", "website": "", "how_to_contact": "", **fields}
    for name in REQUIRED:
        fields.setdefault(name, "")
    cleaned = _validated(fields)
    areas = _needs(organisation, needs)
    resource = CommunityResource.objects.create(organisation=organisation, **cleaned)
    resource.needs.set(areas)
    audit_record(
        actor=actor,
        action="community_resource.created",
        organisation=organisation,
        target=resource,
    )
    return resource


@dataclass(frozen=True)
class ResourceSaved:
    resource: CommunityResource
    changed: bool


def _locked(resource: CommunityResource) -> CommunityResource:
    return CommunityResource.objects.select_for_update().get(pk=resource.pk)


def _check_version(resource: CommunityResource, version: int | None) -> None:
    if version is not None and version != resource.version:
        raise ValidationError({"version": STALE}, code="stale")


@transaction.atomic
def resource_update(
    *,
    actor: User,
    resource: CommunityResource,
    version: int | None,
    needs: Iterable[SupportArea | int] | None = None,
    **fields: object,
) -> ResourceSaved:
    """Change the fields given (and the areas of need, when given), against the ``version`` the
    editor saw. Saving the same details again changes nothing; a save against an older version
    with different details is refused, so nobody's changes are silently lost."""
    _check_staff(actor, resource.organisation)
    cleaned = _validated(fields)
    resource = _locked(resource)
    areas = _needs(resource.organisation, needs) if needs is not None else None
    changed = [name for name, value in cleaned.items() if getattr(resource, name) != value]
    needs_changed = areas is not None and {area.pk for area in areas} != set(
        resource.needs.values_list("pk", flat=True)
    )
    if not changed and not needs_changed:
        return ResourceSaved(resource=resource, changed=False)
    _check_version(resource, version)
    for name in changed:
        setattr(resource, name, cleaned[name])
    resource.version += 1
    resource.save()
    if areas is not None and needs_changed:
        resource.needs.set(areas)
    audit_record(
        actor=actor,
        action="community_resource.updated",
        organisation=resource.organisation,
        target=resource,
        metadata={"fields_changed": len(changed) + int(needs_changed), "version": resource.version},
    )
    return ResourceSaved(resource=resource, changed=True)


@transaction.atomic
def resource_mark_checked(*, actor: User, resource: CommunityResource) -> CommunityResource:
    """Someone confirmed the details are still right today."""
    _check_staff(actor, resource.organisation)
    resource = _locked(resource)
    today = timezone.localdate()
    if resource.last_checked_on == today:
        return resource
    resource.last_checked_on = today
    resource.version += 1
    resource.save(update_fields=["last_checked_on", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="community_resource.checked",
        organisation=resource.organisation,
        target=resource,
    )
    return resource


def _set_active(actor: User, resource: CommunityResource, active: bool) -> CommunityResource:
    _check_staff(actor, resource.organisation)
    resource = _locked(resource)
    if resource.is_active == active:
        return resource
    resource.is_active = active
    resource.version += 1
    resource.save(update_fields=["is_active", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="community_resource.restored" if active else "community_resource.archived",
        organisation=resource.organisation,
        target=resource,
    )
    return resource


@transaction.atomic
def resource_archive(*, actor: User, resource: CommunityResource) -> CommunityResource:
    """Take an entry out of the directory (it closed, or no longer fits). Staff can still see
    and restore it; recommendations of it are hidden from mentees meanwhile."""
    return _set_active(actor, resource, False)


@transaction.atomic
def resource_restore(*, actor: User, resource: CommunityResource) -> CommunityResource:
    return _set_active(actor, resource, True)


# Finding resources -------------------------------------------------------------------------------


def resources_matching(
    resources: QuerySet[CommunityResource],
    *,
    text: str = "",
    need: int | None = None,
    area: str = "",
    delivery: str = "",
    cost: str = "",
    archived: bool = False,
) -> QuerySet[CommunityResource]:
    """The directory search. ``delivery`` "online" finds online and "both"; "in_person" finds
    in person and "both". ``archived`` lists archived entries instead of current ones."""
    resources = resources.filter(is_active=not archived)
    if text:
        resources = resources.filter(
            Q(name__icontains=text) | Q(offers__icontains=text) | Q(who_for__icontains=text)
        )
    if need is not None:
        resources = resources.filter(needs__pk=need)
    if area:
        resources = resources.filter(area__iexact=area)
    if delivery in (Delivery.ONLINE, Delivery.IN_PERSON):
        resources = resources.filter(delivery__in=[delivery, Delivery.BOTH])
    if cost in Cost.values:
        resources = resources.filter(cost=cost)
    return resources.order_by("name", "pk")


def areas_in_use(organisation: Organisation) -> list[str]:
    """The towns or areas the organisation's current resources serve, for the area filter."""
    rows = (
        CommunityResource.objects.filter(organisation=organisation, is_active=True)
        .exclude(area="")
        .values_list("area", flat=True)
        .order_by("area")
        .distinct()
    )
    seen: dict[str, str] = {}
    for area in rows:
        seen.setdefault(area.strip().casefold(), area.strip())
    return sorted(seen.values(), key=str.casefold)


# Recommendations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recommended:
    recommendation: Recommendation
    created: bool
    # The same form sent again (a double-click, a resend): nothing was changed this time.
    repeated: bool = False


def _recommending_relationship(
    actor: User, organisation: Organisation, person: User
) -> Relationship | None:
    """The relationship a recommendation belongs to. A mentor needs a current relationship with
    the person; staff may recommend to any mentee of the organisation."""
    membership = Membership.objects.filter(
        user=actor, organisation=organisation, is_active=True
    ).first()
    relationships = Relationship.objects.filter(organisation=organisation, mentee=person)
    current = relationships.filter(status__in=RelationshipStatus.current())
    if membership is not None and membership.role == Role.MENTOR:
        mine = current.filter(mentor__user=actor).first()
        if mine is None:
            ended = relationships.filter(mentor__user=actor).exists()
            raise ValidationError(ENDED if ended else NOT_YOUR_MENTEE, code="not_current")
        return mine
    if membership is not None and membership.role in STAFF_ROLES:
        is_mentee = Membership.objects.filter(
            user=person, organisation=organisation, role=Role.MENTEE, is_active=True
        ).exists()
        if not is_mentee:
            raise ValidationError(NOT_A_MENTEE, code="not_a_mentee")
        return current.order_by("-started_at", "-pk").first()
    raise ValidationError(NOT_YOUR_MENTEE, code="not_allowed")


@transaction.atomic
def resource_recommend(
    *,
    actor: User,
    resource: CommunityResource,
    person: User,
    note: str = "",
    version: int | None = None,
    client_key: str = "",
) -> Recommended:
    """Recommend ``resource`` to mentee ``person``: it joins their list of places and people
    that can help, and their wellbeing plan. Recommending it again keeps the first
    recommendation and replaces its note, once the writer has seen that note: ``version`` is the
    version of the note the form showed (0: none; see ``toolkit.services.notes``). The same
    ``client_key`` sent again gives back what the first send made. The mentee gets an email
    saying only that there is something new to look at."""
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"Keep the note to {NOTE_MAX} characters or fewer."})
    # Locking the resource makes two sends of the same form take turns, so the second finds
    # what the first made.
    active = (
        CommunityResource.objects.select_for_update()
        .filter(pk=resource.pk, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )
    if active is None:
        raise ValidationError(ARCHIVED, code="archived")
    relationship = _recommending_relationship(actor, resource.organisation, person)
    existing = (
        Recommendation.objects.select_for_update().filter(resource=resource, person=person).first()
    )
    if existing is not None:
        if client_key and existing.client_key == client_key:
            return Recommended(recommendation=existing, created=False, repeated=True)
        check_note(actor=actor, record=existing, new_note=note, seen_version=version)
        if note and note != existing.note:
            existing.note = note
            existing.note_by = actor
            existing.version += 1
            existing.client_key = client_key
            existing.save(update_fields=["note", "note_by", "version", "client_key"])
            audit_record(
                actor=actor,
                action="community_resource.recommendation_note_changed",
                organisation=resource.organisation,
                target=existing,
                metadata={"resource": resource.pk, "version": existing.version},
            )
        return Recommended(recommendation=existing, created=False)
    recommendation = Recommendation.objects.create(
        resource=resource,
        person=person,
        recommended_by=actor,
        relationship=relationship,
        note=note,
        note_by=actor if note else None,
        client_key=client_key,
    )
    audit_record(
        actor=actor,
        action="community_resource.recommended",
        organisation=resource.organisation,
        target=recommendation,
        metadata={
            "resource": resource.pk,
            "relationship": relationship.pk if relationship is not None else None,
        },
    )
    send_templated_email(
        "toolkit/resources/email/recommended",
        to=[person.email],
        context={"path": reverse("toolkit:recommended")},
    )
    return Recommended(recommendation=recommendation, created=True)


def recommendations_for(person: User, organisation: Organisation) -> QuerySet[Recommendation]:
    """What was recommended to ``person`` that is still listed, newest first; kept after
    mentoring ends."""
    return (
        Recommendation.objects.filter(
            person=person, resource__organisation=organisation, resource__is_active=True
        )
        .select_related("resource", "recommended_by", "relationship__mentor")
        .order_by("-created_at", "-pk")
    )


def recommender_name(recommendation: Recommendation) -> str:
    """Who recommended it, as the mentee would say it."""
    relationship = recommendation.relationship
    by = recommendation.recommended_by
    if relationship is not None and by is not None and relationship.mentor.user_id == by.pk:
        return f"{relationship.mentor.display_name}, your mentor"
    if by is not None and by.name.strip():
        return f"{by.name.strip()}, from the mentoring team"
    return "The mentoring team"


# Checking entries are still right ----------------------------------------------------------------


def stale_before(today: date) -> date:
    """Resources last checked before this date are stale."""
    return today - timedelta(days=STALE_AFTER_DAYS)


def stale_resources(
    organisation: Organisation, today: date | None = None
) -> QuerySet[CommunityResource]:
    """Active resources not checked for more than a year, longest unchecked first."""
    today = today or timezone.localdate()
    return CommunityResource.objects.filter(
        organisation=organisation, is_active=True, last_checked_on__lt=stale_before(today)
    ).order_by("last_checked_on", "name")


def stale_count(organisation: Organisation, today: date | None = None) -> int:
    """For the coordinator's dashboard: how many resources need checking."""
    return stale_resources(organisation, today).count()


def stale_notify(*, today: date | None = None) -> int:
    """Daily or weekly: email each organisation's coordinators how many community resources
    need checking (a count and a link, nothing else), at most once every 30 days per
    organisation. Returns how many organisations were emailed."""
    today = today or timezone.localdate()
    organisation_ids = (
        CommunityResource.objects.filter(
            organisation__is_active=True,
            is_active=True,
            last_checked_on__lt=stale_before(today),
        )
        .values_list("organisation_id", flat=True)
        .distinct()
        .order_by("organisation_id")
    )
    return sum(_notify_organisation(pk, today) for pk in list(organisation_ids))


@transaction.atomic
def _notify_organisation(organisation_id: int, today: date) -> bool:
    # Locking the organisation makes two runs at once take turns, so only one email goes out.
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    since = timezone.make_aware(
        datetime.combine(today - timedelta(days=NOTIFY_EVERY_DAYS - 1), datetime.min.time())
    )
    recently = AuditEvent.objects.filter(
        organisation_id=organisation.pk, action=STALE_NOTIFIED, occurred_at__gte=since
    ).exists()
    if recently:
        return False
    count = stale_count(organisation, today)
    recipients = coordinator_emails(organisation)
    if not count or not recipients:
        return False
    send_templated_email(
        "toolkit/resources/email/stale",
        to=recipients,
        context={"count": count, "path": reverse("toolkit:stale")},
    )
    audit_record(
        actor=None,
        action=STALE_NOTIFIED,
        organisation=organisation,
        metadata={"count": count, "recipients": len(recipients)},
    )
    return True
