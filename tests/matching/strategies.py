"""Hypothesis strategies for small matching problems where every constraint often bites."""

from __future__ import annotations

from hypothesis import strategies as st

from matching.engine import (
    FORMATS,
    AgeRangePreference,
    GenderPreference,
    Location,
    Mentee,
    Mentor,
    Preferences,
    Problem,
    SharedExperiencePreference,
)

LANGUAGES = ["en", "pl", "ar"]
SLOTS = ["mon_evening", "tue_morning", "sat_afternoon", "sun_evening"]
AREAS = ["anxiety", "grief", "psychosis", "loneliness"]
GENDERS = ["woman", "man", "non_binary"]

# A few points in and around London, 0 to 60 km apart, so travel limits matter.
PLACES = [
    Location(lat=51.50, lon=-0.12),
    Location(lat=51.52, lon=-0.10),
    Location(lat=51.55, lon=-0.20),
    Location(lat=51.75, lon=-0.34),
]


def subset(items: list[str], min_size: int = 0) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(items), min_size=min_size, max_size=len(items)).map(tuple)


locations = st.none() | st.sampled_from(PLACES)


@st.composite
def preferences(draw: st.DrawFn) -> Preferences:
    gender = age_range = shared = None
    if draw(st.booleans()):
        gender = GenderPreference(values=draw(subset(GENDERS, 1)), required=draw(st.booleans()))
    if draw(st.booleans()):
        low = draw(st.none() | st.integers(18, 50))
        # At least one end is given; the other may be open.
        high = draw(st.integers(18, 80)) if low is None else draw(st.none() | st.integers(low, 80))
        age_range = AgeRangePreference(min_age=low, max_age=high, required=draw(st.booleans()))
    if draw(st.booleans()):
        shared = SharedExperiencePreference(required=draw(st.booleans()))
    return Preferences(mentor_gender=gender, age_range=age_range, shared_experience=shared)


@st.composite
def problems(
    draw: st.DrawFn, max_mentees: int = 5, max_mentors: int = 3, max_capacity: int = 2
) -> Problem:
    mentor_ids = [f"M{n}" for n in range(draw(st.integers(0, max_mentors)))]
    mentee_ids = [f"P{n}" for n in range(draw(st.integers(0, max_mentees)))]
    mentors = [
        Mentor(
            id=mentor_id,
            capacity=draw(st.integers(0, max_capacity)),
            languages=draw(subset(LANGUAGES, 1)),
            formats=draw(subset(list(FORMATS), 1)),
            availability=draw(subset(SLOTS, 1)),
            lived_experience=draw(subset(AREAS)),
            gender=draw(st.none() | st.sampled_from(GENDERS)),
            age=draw(st.none() | st.integers(18, 80)),
            location=draw(locations),
            max_travel_km=draw(st.none() | st.sampled_from([0.0, 3.0, 10.0, 40.0])),
            exclude=draw(subset(mentee_ids)) if mentee_ids and draw(st.booleans()) else (),
        )
        for mentor_id in mentor_ids
    ]
    mentees = [
        Mentee(
            id=mentee_id,
            languages=draw(subset(LANGUAGES, 1)),
            formats=draw(subset(list(FORMATS), 1)),
            availability=draw(subset(SLOTS, 1)),
            needs=draw(subset(AREAS)),
            waiting_days=draw(st.integers(0, 150)),
            location=draw(locations),
            exclude=draw(subset(mentor_ids)) if mentor_ids and draw(st.booleans()) else (),
            preferences=draw(preferences()),
        )
        for mentee_id in mentee_ids
    ]
    return Problem(mentors=tuple(mentors), mentees=tuple(mentees))
