"""Invented demo referrals: a realistic queue, people in intake and a waiting list, made
through the same services staff and partners use. Every person here is made up."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from accounts.models import Language, SupportArea
from referrals.models import ContactMethod, ContactOutcome, Referral, Source
from referrals.services.creating import referral_create
from referrals.services.intake import intake_complete, intake_save
from referrals.services.triage import (
    contact_attempt_record,
    referral_accept_to_intake,
    referral_decline,
    referral_signpost,
)

if TYPE_CHECKING:
    from alongside.demo import DemoWorld


def _answers(name: str, email: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": name,
        "email": email,
        "email_ok": True,
        "safe_now": "yes",
        "formats": ["video", "in_person"],
        "availability_slots": ["tue_evening", "thu_evening", "sat_morning"],
        "area": "Riverside",
        "hopes": "To feel less on my own with it, and to get back to doing things I enjoy.",
    }
    data.update(extra)
    return data


# Demo mentees who are already on the waiting list: (key, support areas, days waiting, extra).
_WAITING: list[tuple[str, list[str], int, dict[str, Any]]] = [
    ("mentee.alex", ["Grief", "Depression"], 51, {"mentor_gender": "Woman"}),
    ("mentee.casey", ["Anxiety"], 23, {"availability_slots": ["mon_evening", "wed_evening"]}),
    ("mentee.morgan", ["Addiction"], 9, {"formats": ["phone", "video"]}),
    ("mentee.robin", ["Trauma", "Anxiety"], 2, {"shared_experience_importance": "must"}),
]

# New referrals in the queue: (name, email, days ago, source, extra).
_QUEUE: list[tuple[str, str, int, Source, dict[str, Any]]] = [
    ("Jamie Ortiz", "jamie.ortiz", 1, Source.SELF, {}),
    ("Taylor Brooks", "taylor.brooks", 4, Source.SELF, {"phone": "07700 900461"}),
    (
        "Riley Evans",
        "riley.evans",
        0,
        Source.SELF,
        {"safe_now": "no", "hopes": "Someone to talk to who gets it."},
    ),
    (
        "Sam Okonjo",
        "sam.okonjo",
        3,
        Source.GP,
        {"referrer_organisation_name": "Northgate Surgery", "phone": "07700 900512"},
    ),
    (
        "Jordan Fields",
        "jordan.fields",
        6,
        Source.SUPPORT_GROUP,
        {"referrer_organisation_name": "Tuesday Hearing Voices Group"},
    ),
]


def build_referrals(world: DemoWorld) -> None:
    organisation = world.organisations["riverside"]
    coordinator = world.people["coordinator"]
    referrer = world.people["referrer"]
    areas = {area.name: area for area in SupportArea.objects.filter(organisation=organisation)}
    english = list(Language.objects.filter(code="en"))

    def create(name: str, email: str, source: Source, **extra: Any) -> Referral:
        data = _answers(name, email, languages=english, **extra)
        data["support_areas"] = [areas[a] for a in extra.get("support_areas", ["Anxiety"])]
        referral, _, _ = referral_create(
            organisation=organisation,
            data=data,
            source=source,
            referrer=None if source == Source.SELF else referrer,
            consent_given=True,
        )
        return referral

    for key, area_names, days, extra in _WAITING:
        person = world.people[key]
        referral = create(person.name, person.email, Source.SELF, support_areas=area_names, **extra)
        referral_accept_to_intake(actor=coordinator, referral=referral)
        referral = intake_complete(
            actor=coordinator,
            referral=referral,
            data={"goals": "Get out of the house more and feel steadier day to day."},
        )
        _backdate(referral, days=days + 7, waiting_days=days)

    for name, local, days, source, extra in _QUEUE:
        referral = create(name, f"{local}@{settings.DEMO_EMAIL_DOMAIN}", source, **extra)
        _backdate(referral, days=days)

    # The same person again, a week later, through their GP: for the coordinator to merge.
    duplicate = create(
        "Taylor Brooks",
        f"taylor.b@{settings.DEMO_EMAIL_DOMAIN}",
        Source.GP,
        phone="07700 900461",
        referrer_organisation_name="Northgate Surgery",
    )
    _backdate(duplicate, days=0)

    contacting = create("Avery Quinn", f"avery.quinn@{settings.DEMO_EMAIL_DOMAIN}", Source.SELF)
    for outcome in (ContactOutcome.NO_ANSWER, ContactOutcome.LEFT_MESSAGE):
        contact_attempt_record(
            actor=coordinator, referral=contacting, method=ContactMethod.PHONE, outcome=outcome
        )
    _backdate(contacting, days=8)

    in_intake = create("Kit Harper", f"kit.harper@{settings.DEMO_EMAIL_DOMAIN}", Source.SELF)
    contact_attempt_record(
        actor=coordinator,
        referral=in_intake,
        method=ContactMethod.PHONE,
        outcome=ContactOutcome.SPOKE,
        note="Friendly first call; happy to do intake by video next week.",
    )
    referral_accept_to_intake(actor=coordinator, referral=in_intake)
    intake_save(
        actor=coordinator,
        referral=in_intake,
        data={"goals": "Feel able to go back to my choir."},
    )
    _backdate(in_intake, days=12)

    signposted = create("Lee Marsh", f"lee.marsh@{settings.DEMO_EMAIL_DOMAIN}", Source.SELF)
    referral_signpost(
        actor=coordinator,
        referral=signposted,
        service_name="Riverside Talking Therapies",
        note="Looking for structured therapy rather than peer support.",
    )
    declined = create("Noor Ali", f"noor.ali@{settings.DEMO_EMAIL_DOMAIN}", Source.COMMUNITY)
    referral_decline(
        actor=coordinator, referral=declined, reason="Lives outside the area we cover."
    )


def _backdate(referral: Referral, *, days: int, waiting_days: int | None = None) -> None:
    """Demo only: spread the invented referrals over the past weeks, as a real queue would be."""
    moment = timezone.now() - timedelta(days=days, hours=3)
    changes: dict[str, Any] = {"created_at": moment, "consent_given_at": moment}
    if waiting_days is not None:
        waited = timezone.now() - timedelta(days=waiting_days, hours=2)
        changes.update(waiting_since=waited, status_changed_at=waited)
    else:
        changes["status_changed_at"] = moment
    Referral.objects.filter(pk=referral.pk).update(**changes)
