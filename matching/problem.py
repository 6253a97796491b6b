"""From the database to the engine and back: who is waiting, who has room, in the engine's
plain terms. The engine itself never sees a model."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Organisation
from matching.engine import (
    AgeRangePreference,
    GenderPreference,
    Location,
    Mentee,
    Mentor,
    Preferences,
    Problem,
    SharedExperiencePreference,
)
from matching.selectors import (
    declined_pairs,
    place_coordinates,
    places_left,
    profiles_with_room,
    referrals_to_match,
)
from mentors.models import MentorProfile
from referrals.availability import slots_for_times
from referrals.models import Importance, Referral


def mentor_key(profile_id: int) -> str:
    return f"mentor-{profile_id}"


def mentee_key(referral_id: int) -> str:
    return f"referral-{referral_id}"


def key_id(key: str) -> int:
    return int(key.rsplit("-", 1)[1])


@dataclass(frozen=True)
class OrganisationProblem:
    """The engine's problem plus the records behind each id, to turn results back into rows."""

    problem: Problem
    profiles: dict[str, MentorProfile]
    referrals: dict[str, Referral]


def _age(year_of_birth: int | None) -> int | None:
    return timezone.localdate().year - year_of_birth if year_of_birth else None


def _location(area: str, places: dict[str, tuple[float, float]]) -> Location | None:
    found = places.get(area.strip().lower()) if area else None
    return Location(lat=found[0], lon=found[1]) if found else None


def _gender(value: str) -> str:
    return value.strip().lower()


def mentor_for_engine(
    profile: MentorProfile, places: dict[str, tuple[float, float]], capacity: int
) -> Mentor:
    slots: list[str] = []
    for slot in profile.availability_slots.all():
        slots.extend(slots_for_times(slot.weekday, slot.starts_at, slot.ends_at))
    return Mentor(
        id=mentor_key(profile.pk),
        capacity=capacity,
        languages=tuple(language.code for language in profile.languages.all()),
        formats=tuple(profile.formats),
        availability=tuple(slots),
        lived_experience=tuple(area.name for area in profile.lived_experience_areas.all()),
        gender=_gender(profile.gender) or None,
        age=_age(profile.year_of_birth),
        location=_location(profile.area, places),
        max_travel_km=float(profile.travel_km),
    )


def _preferences(referral: Referral) -> Preferences:
    gender = None
    if referral.mentor_gender and referral.mentor_gender_importance != Importance.NONE:
        gender = GenderPreference(
            values=(_gender(referral.mentor_gender),),
            required=referral.mentor_gender_importance == Importance.MUST,
        )
    age_range = None
    if referral.mentor_age_importance != Importance.NONE and (
        referral.mentor_age_min is not None or referral.mentor_age_max is not None
    ):
        age_range = AgeRangePreference(
            min_age=referral.mentor_age_min,
            max_age=referral.mentor_age_max,
            required=referral.mentor_age_importance == Importance.MUST,
        )
    shared = None
    if referral.shared_experience_importance != Importance.NONE:
        shared = SharedExperiencePreference(
            required=referral.shared_experience_importance == Importance.MUST
        )
    return Preferences(mentor_gender=gender, age_range=age_range, shared_experience=shared)


def mentee_for_engine(
    referral: Referral, places: dict[str, tuple[float, float]], exclude: Iterable[str] = ()
) -> Mentee:
    waited = timezone.now() - referral.waiting_since if referral.waiting_since else None
    return Mentee(
        id=mentee_key(referral.pk),
        languages=tuple(language.code for language in referral.languages.all()),
        formats=tuple(referral.formats),
        availability=tuple(referral.availability_slots),
        needs=tuple(area.name for area in referral.support_areas.all()),
        waiting_days=max(waited.total_seconds() / 86400, 0) if waited else 0,
        location=_location(referral.area, places),
        exclude=tuple(exclude),
        preferences=_preferences(referral),
    )


def organisation_problem(
    organisation: Organisation, *, referrals: Iterable[Referral] | None = None
) -> OrganisationProblem:
    """Everyone waiting (or the given referrals) and every mentor with a place left."""
    places = place_coordinates(organisation)
    profiles = {
        mentor_key(profile.pk): profile
        for profile in profiles_with_room(organisation)
        if places_left(profile) > 0
    }
    waiting = list(referrals if referrals is not None else referrals_to_match(organisation))
    excluded: dict[int, list[str]] = {}
    for referral_id, profile_id in declined_pairs(organisation):
        excluded.setdefault(referral_id, []).append(mentor_key(profile_id))
    mentors = tuple(
        mentor_for_engine(profile, places, places_left(profile)) for profile in profiles.values()
    )
    mentees = tuple(
        mentee_for_engine(referral, places, excluded.get(referral.pk, ())) for referral in waiting
    )
    return OrganisationProblem(
        problem=Problem(mentors=mentors, mentees=mentees),
        profiles=profiles,
        referrals={mentee_key(referral.pk): referral for referral in waiting},
    )
