"""The issue's hard constraints and the documented score, written plainly in Python, one pair at a
time, to check the engine's vectorised versions against."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

from matching.engine import Mentee, Mentor, Problem

EARTH_RADIUS_KM = 6371.0088


def distance_km(mentee: Mentee, mentor: Mentor) -> float:
    assert mentee.location is not None and mentor.location is not None
    lat1, lon1 = math.radians(mentee.location.lat), math.radians(mentee.location.lon)
    lat2, lon2 = math.radians(mentor.location.lat), math.radians(mentor.location.lon)
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(a, 1.0)))


def violated_constraint(mentee: Mentee, mentor: Mentor) -> str | None:
    """The first of constraints 2-5 the pair breaks, or None if it may be matched."""
    if not set(mentee.languages) & set(mentor.languages):
        return "language"
    shared_formats = set(mentee.formats) & set(mentor.formats)
    if not shared_formats:
        return "format"
    if not set(mentee.availability) & set(mentor.availability):
        return "availability"
    if shared_formats == {"in_person"} and (
        mentee.location is None
        or mentor.location is None
        or mentor.max_travel_km is None
        or distance_km(mentee, mentor) > mentor.max_travel_km
    ):
        return "distance"
    if mentor.id in mentee.exclude or mentee.id in mentor.exclude:
        return "exclusion"
    preferences = mentee.preferences
    gender = preferences.mentor_gender
    if gender is not None and gender.required and mentor.gender not in gender.values:
        return "mentor_gender"
    age_range = preferences.age_range
    if age_range is not None and age_range.required and not age_in_range(mentor, mentee):
        return "age_range"
    shared = preferences.shared_experience
    if (
        shared is not None
        and shared.required
        and not set(mentee.needs) & set(mentor.lived_experience)
    ):
        return "shared_experience"
    return None


def allowed(mentee: Mentee, mentor: Mentor) -> bool:
    return violated_constraint(mentee, mentor) is None


def age_in_range(mentor: Mentor, mentee: Mentee) -> bool:
    age_range = mentee.preferences.age_range
    assert age_range is not None
    if mentor.age is None:
        return False
    low = age_range.min_age if age_range.min_age is not None else -math.inf
    high = age_range.max_age if age_range.max_age is not None else math.inf
    return low <= mentor.age <= high


def score(mentee: Mentee, mentor: Mentor) -> float:
    """The weighted sum documented in docs/matching.md."""
    needs, lived = set(mentee.needs), set(mentor.lived_experience)
    experience = len(needs & lived) / len(needs) if needs else 0.0
    availability = len(set(mentee.availability) & set(mentor.availability)) / len(
        mentee.availability
    )
    preferences = mentee.preferences
    stated = met = 0
    if preferences.mentor_gender is not None:
        stated += 1
        met += mentor.gender in preferences.mentor_gender.values
    if preferences.age_range is not None:
        stated += 1
        met += age_in_range(mentor, mentee)
    if preferences.shared_experience is not None:
        stated += 1
        met += bool(needs & lived)
    preference_share = met / stated if stated else 0.0
    waiting = min(mentee.waiting_days / 90, 1.0)
    return 0.35 * experience + 0.20 * availability + 0.20 * preference_share + 0.25 * waiting


def all_matchings(problem: Problem) -> Iterator[dict[str, str]]:
    """Every assignment that respects all five constraints, by brute force."""
    options = [
        [None, *[mentor for mentor in problem.mentors if allowed(mentee, mentor)]]
        for mentee in problem.mentees
    ]
    for choice in itertools.product(*options):
        load: dict[str, int] = {}
        for mentor in choice:
            if mentor is not None:
                load[mentor.id] = load.get(mentor.id, 0) + 1
        capacity = {mentor.id: mentor.capacity for mentor in problem.mentors}
        if all(count <= capacity[mentor_id] for mentor_id, count in load.items()):
            yield {
                mentee.id: mentor.id
                for mentee, mentor in zip(problem.mentees, choice, strict=True)
                if mentor is not None
            }


def total_score(problem: Problem, matching: dict[str, str]) -> float:
    mentees = {mentee.id: mentee for mentee in problem.mentees}
    mentors = {mentor.id: mentor for mentor in problem.mentors}
    return sum(score(mentees[a], mentors[b]) for a, b in matching.items())
