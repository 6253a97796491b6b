"""A proposed pair side by side, for the coordinator: what each needs and offers, what they
share, and the person's preferences about their mentor."""

from __future__ import annotations

from dataclasses import dataclass, field

from mentors.models import Format, MentorProfile
from referrals.availability import SLOT_LABELS, slots_for_times
from referrals.models import Importance, Referral


@dataclass
class Side:
    items: list[tuple[str, bool]] = field(default_factory=list)
    note: str = ""


@dataclass
class Aspect:
    title: str
    mentee: Side
    mentor: Side


def compare(referral: Referral, mentor: MentorProfile) -> list[Aspect]:
    """What each side needs and offers, aspect by aspect, with what they share marked."""
    needs = [area.name for area in referral.support_areas.all()]
    lived = [area.name for area in mentor.lived_experience_areas.all()]
    mentee_languages = {language.code: language.name for language in referral.languages.all()}
    mentor_languages = {language.code: language.name for language in mentor.languages.all()}
    format_labels = dict(Format.choices)
    mentor_slots = list(mentor.availability_slots.all())
    mentor_codes = {
        code: slot
        for slot in mentor_slots
        for code in slots_for_times(slot.weekday, slot.starts_at, slot.ends_at)
    }
    shared_slot_ids = {
        mentor_codes[code].pk for code in referral.availability_slots if code in mentor_codes
    }
    travel = f"travels up to {mentor.travel_km} km" if mentor.travel_km else "does not travel"
    return [
        Aspect(
            "Support needed and lived experience",
            Side([(name, name in lived) for name in needs]),
            Side([(name, name in needs) for name in lived]),
        ),
        Aspect(
            "Languages",
            Side([(name, code in mentor_languages) for code, name in mentee_languages.items()]),
            Side([(name, code in mentee_languages) for code, name in mentor_languages.items()]),
        ),
        Aspect(
            "Ways to meet",
            Side([(format_labels.get(f, f), f in mentor.formats) for f in referral.formats]),
            Side([(format_labels.get(f, f), f in referral.formats) for f in mentor.formats]),
        ),
        Aspect(
            "Free times",
            Side(
                [
                    (SLOT_LABELS.get(code, code), code in mentor_codes)
                    for code in referral.availability_slots
                ],
                note=referral.availability,
            ),
            Side([(str(slot), slot.pk in shared_slot_ids) for slot in mentor_slots]),
        ),
        Aspect(
            "Where",
            Side([(referral.area, False)] if referral.area else []),
            Side([(mentor.area, False)] if mentor.area else [], note=travel),
        ),
    ]


def preferences(referral: Referral) -> list[tuple[str, str, str]]:
    """The person's preferences about their mentor: (what, value, how much it matters)."""
    found = []
    if referral.mentor_gender and referral.mentor_gender_importance != Importance.NONE:
        found.append(
            (
                "Mentor's gender",
                referral.mentor_gender,
                referral.get_mentor_gender_importance_display(),
            )
        )
    youngest, oldest = referral.mentor_age_min, referral.mentor_age_max
    if referral.mentor_age_importance != Importance.NONE and (youngest or oldest):
        if youngest and oldest:
            ages = f"{youngest} to {oldest}"
        else:
            ages = f"{youngest} or older" if youngest else f"up to {oldest}"
        found.append(("Mentor's age", ages, referral.get_mentor_age_importance_display()))
    if referral.shared_experience_importance != Importance.NONE:
        found.append(
            (
                "Shared lived experience",
                "Mentor has lived experience of what they need support with",
                referral.get_shared_experience_importance_display(),
            )
        )
    return found
