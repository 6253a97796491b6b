"""Example people and the issue's example problem, shared by the engine's tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from matching.engine import Location, Mentee, Mentor

EXAMPLE: dict[str, Any] = {
    "mentors": [
        {
            "id": "M1",
            "capacity": 2,
            "languages": ["en", "pl"],
            "gender": "woman",
            "age": 41,
            "lived_experience": ["anxiety"],
            "formats": ["video", "in_person"],
            "availability": ["mon_evening"],
            "location": {"lat": 51.5, "lon": -0.12},
            "max_travel_km": 10,
            "exclude": ["P7"],
        }
    ],
    "mentees": [
        {
            "id": "P1",
            "languages": ["en"],
            "needs": ["anxiety"],
            "formats": ["video"],
            "availability": ["mon_evening"],
            "location": {"lat": 51.52, "lon": -0.1},
            "waiting_days": 35,
            "exclude": [],
            "preferences": {
                "mentor_gender": {"value": ["woman"], "required": True},
                "age_range": {"min": 25, "max": 50, "required": False},
                "shared_experience": {"required": False},
            },
        }
    ],
}

CENTRAL = Location(lat=51.50, lon=-0.12)
NEARBY = Location(lat=51.52, lon=-0.10)  # about 2.6 km away
FAR = Location(lat=52.20, lon=0.12)  # Cambridge, about 80 km away


def mentor(**changes: object) -> Mentor:
    base = Mentor(
        id="M1",
        capacity=1,
        languages=("en", "pl"),
        formats=("video", "in_person"),
        availability=("mon_evening", "thu_morning"),
        lived_experience=("anxiety", "grief"),
        gender="woman",
        age=41,
        location=CENTRAL,
        max_travel_km=10,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def mentee(**changes: object) -> Mentee:
    base = Mentee(
        id="P1",
        languages=("pl",),
        formats=("video",),
        availability=("mon_evening",),
        needs=("anxiety",),
        waiting_days=35,
        location=NEARBY,
    )
    return replace(base, **changes)  # type: ignore[arg-type]
