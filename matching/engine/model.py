"""The matching problem and its result as plain, immutable values.

Django code builds these from its models; the command line builds them from JSON (see
``parsing.py``). Constructors check what makes a problem meaningless (a negative capacity, an
unknown format, two people with one id), so an invalid problem cannot reach the solver.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matching.engine.encoding import MentorTable

# The same values as mentors.models.Format, plus "text" (messaging), which the engine already
# understands so that organisations can offer it without an engine change.
IN_PERSON = "in_person"
FORMATS: tuple[str, ...] = (IN_PERSON, "video", "phone", "text")


class ProblemError(ValueError):
    """A problem that cannot be solved as given; the message names what is wrong, in one line."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ProblemError(message)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float

    def __post_init__(self) -> None:
        _require(
            math.isfinite(self.lat) and -90 <= self.lat <= 90,
            f"latitude must be between -90 and 90, not {self.lat}",
        )
        _require(
            math.isfinite(self.lon) and -180 <= self.lon <= 180,
            f"longitude must be between -180 and 180, not {self.lon}",
        )


@dataclass(frozen=True)
class GenderPreference:
    """The mentor's gender should be one of ``values``."""

    values: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True)
class AgeRangePreference:
    """The mentor's age should be within ``[min_age, max_age]``; either end may be open."""

    min_age: int | None = None
    max_age: int | None = None
    required: bool = False

    def __post_init__(self) -> None:
        _require(
            self.min_age is not None or self.max_age is not None,
            "age_range needs 'min' or 'max'",
        )
        if self.min_age is not None and self.max_age is not None:
            _require(
                self.min_age <= self.max_age,
                f"age_range 'min' ({self.min_age}) is above 'max' ({self.max_age})",
            )


@dataclass(frozen=True)
class SharedExperiencePreference:
    """The mentor's lived experience should overlap the mentee's needs."""

    required: bool = False


@dataclass(frozen=True)
class Preferences:
    mentor_gender: GenderPreference | None = None
    age_range: AgeRangePreference | None = None
    shared_experience: SharedExperiencePreference | None = None

    @property
    def stated(
        self,
    ) -> tuple[GenderPreference | AgeRangePreference | SharedExperiencePreference, ...]:
        return tuple(
            preference
            for preference in (self.mentor_gender, self.age_range, self.shared_experience)
            if preference is not None
        )

    @property
    def has_required(self) -> bool:
        return any(preference.required for preference in self.stated)


def _check_person(kind: str, person_id: str, formats: tuple[str, ...]) -> None:
    _require(bool(person_id), f"a {kind} has an empty id")
    for name in formats:
        if name not in FORMATS:
            raise ProblemError(
                f"{kind} {person_id!r}: unknown format {name!r} (known: {', '.join(FORMATS)})"
            )


@dataclass(frozen=True)
class Mentor:
    id: str
    capacity: int
    languages: tuple[str, ...]
    formats: tuple[str, ...]
    availability: tuple[str, ...]
    lived_experience: tuple[str, ...] = ()
    gender: str | None = None
    age: int | None = None
    location: Location | None = None
    max_travel_km: float | None = None
    exclude: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_person("mentor", self.id, self.formats)
        _require(
            self.capacity >= 0,
            f"mentor {self.id!r}: capacity must be 0 or more, not {self.capacity}",
        )
        _require(
            self.age is None or self.age >= 0,
            f"mentor {self.id!r}: age must be 0 or more, not {self.age}",
        )
        _require(
            self.max_travel_km is None
            or (math.isfinite(self.max_travel_km) and self.max_travel_km >= 0),
            f"mentor {self.id!r}: max_travel_km must be 0 or more, not {self.max_travel_km}",
        )
        for name in ("languages", "formats", "availability", "lived_experience", "exclude"):
            object.__setattr__(self, name, _unique(getattr(self, name)))


@dataclass(frozen=True)
class Mentee:
    id: str
    languages: tuple[str, ...]
    formats: tuple[str, ...]
    availability: tuple[str, ...]
    needs: tuple[str, ...] = ()
    waiting_days: float = 0
    location: Location | None = None
    exclude: tuple[str, ...] = ()
    preferences: Preferences = field(default_factory=Preferences)

    def __post_init__(self) -> None:
        _check_person("mentee", self.id, self.formats)
        _require(
            math.isfinite(self.waiting_days) and self.waiting_days >= 0,
            f"mentee {self.id!r}: waiting_days must be 0 or more, not {self.waiting_days}",
        )
        for name in ("languages", "formats", "availability", "needs", "exclude"):
            object.__setattr__(self, name, _unique(getattr(self, name)))


def _check_unique(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for person_id in ids:
        _require(person_id not in seen, f"duplicate {kind} id {person_id!r}")
        seen.add(person_id)


@dataclass(frozen=True, eq=False)
class Problem:
    """Everyone waiting and every mentor with room, for one matching run.

    Compared by identity: the encoded mentor side is cached on the instance, so a page that asks
    for suggestions for several mentees encodes the mentors once.
    """

    mentors: tuple[Mentor, ...]
    mentees: tuple[Mentee, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "mentors", tuple(self.mentors))
        object.__setattr__(self, "mentees", tuple(self.mentees))
        _check_unique("mentor", [mentor.id for mentor in self.mentors])
        _check_unique("mentee", [mentee.id for mentee in self.mentees])

    @cached_property
    def mentor_table(self) -> MentorTable:
        from matching.engine.encoding import MentorTable

        return MentorTable.from_mentors(self.mentors)

    def excluding(self, pairs: Iterable[tuple[str, str]]) -> Problem:
        """A copy in which each ``(mentee_id, mentor_id)`` pair may not be matched.

        For pairs that were proposed and declined, so the engine does not propose them again.
        """
        extra: dict[str, list[str]] = {}
        for mentee_id, mentor_id in pairs:
            extra.setdefault(mentee_id, []).append(mentor_id)
        mentees = tuple(
            replace(mentee, exclude=(*mentee.exclude, *extra[mentee.id]))
            if mentee.id in extra
            else mentee
            for mentee in self.mentees
        )
        return Problem(mentors=self.mentors, mentees=mentees)


@dataclass(frozen=True)
class Assignment:
    mentee: str
    mentor: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Unmatched:
    mentee: str
    reason: str


@dataclass(frozen=True)
class Suggestion:
    mentor: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Stats:
    matched: int
    unmatched: int
    total_score: float
    seconds: float
    feasible_pairs: int


@dataclass(frozen=True)
class Result:
    assignments: tuple[Assignment, ...]
    unmatched: tuple[Unmatched, ...]
    stats: Stats

    def to_dict(self) -> dict[str, Any]:
        """The result in the JSON shape ``match_solve`` prints."""
        return {
            "assignments": [
                {
                    "mentee": assignment.mentee,
                    "mentor": assignment.mentor,
                    "score": assignment.score,
                    "reasons": list(assignment.reasons),
                }
                for assignment in self.assignments
            ],
            "unmatched": [
                {"mentee": unmatched.mentee, "reason": unmatched.reason}
                for unmatched in self.unmatched
            ],
            "stats": {
                "matched": self.stats.matched,
                "unmatched": self.stats.unmatched,
                "total_score": self.stats.total_score,
                "seconds": self.stats.seconds,
                "feasible_pairs": self.stats.feasible_pairs,
            },
        }
