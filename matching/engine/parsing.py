"""The JSON problem format (see docs/matching.md) read into a ``Problem``.

Every error is a ``ProblemError`` whose one-line message names the person and the field, so a
coordinator or a script author can fix the file without reading a traceback.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Any, NoReturn, TypeVar

from matching.engine.model import (
    AgeRangePreference,
    GenderPreference,
    Location,
    Mentee,
    Mentor,
    Preferences,
    Problem,
    ProblemError,
    SharedExperiencePreference,
)

T = TypeVar("T")

MENTOR_FIELDS = {
    "id",
    "capacity",
    "languages",
    "gender",
    "age",
    "lived_experience",
    "formats",
    "availability",
    "location",
    "max_travel_km",
    "exclude",
}
MENTOR_REQUIRED = ("id", "capacity", "languages", "lived_experience", "formats", "availability")
MENTEE_FIELDS = {
    "id",
    "languages",
    "needs",
    "formats",
    "availability",
    "location",
    "waiting_days",
    "exclude",
    "preferences",
}
MENTEE_REQUIRED = ("id", "languages", "needs", "formats", "availability", "waiting_days")
PREFERENCE_FIELDS = {
    "mentor_gender": {"value", "required"},
    "age_range": {"min", "max", "required"},
    "shared_experience": {"required"},
}


def _fail(where: str, message: str) -> NoReturn:
    raise ProblemError(f"{where}: {message}")


def _reject_constant(name: str) -> NoReturn:
    raise ProblemError(f"not valid JSON: {name} is not a number JSON allows")


def parse_problem(text: str | bytes) -> Problem:
    """Read a problem from JSON text."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ProblemError(f"the input is not UTF-8 text (byte {error.start})") from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise ProblemError(
            f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except RecursionError:
        raise ProblemError("not valid JSON: nested too deeply") from None
    return problem_from_dict(data)


def problem_from_dict(data: Any) -> Problem:
    """Build a problem from already decoded JSON (a dict with "mentors" and "mentees")."""
    if not isinstance(data, dict):
        _fail("problem", f"must be a JSON object, not {_type_name(data)}")
    unknown = sorted(set(data) - {"mentors", "mentees"})
    if unknown:
        _fail("problem", f"unknown field {unknown[0]!r}")
    for key in ("mentors", "mentees"):
        if key not in data:
            _fail("problem", f"missing {key!r}")
        if not isinstance(data[key], list):
            _fail(key, f"must be a list, not {_type_name(data[key])}")
    mentors = [_mentor(item, position) for position, item in enumerate(data["mentors"])]
    mentees = [_mentee(item, position) for position, item in enumerate(data["mentees"])]
    return Problem(mentors=tuple(mentors), mentees=tuple(mentees))


def _type_name(value: Any) -> str:
    names = {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


def _where(kind: str, position: int, item: Mapping[str, Any]) -> str:
    person_id = item.get("id")
    if isinstance(person_id, str) and person_id:
        return f"{kind} {person_id!r}"
    return f"{kind} #{position + 1}"


def _check_fields(
    item: Any, kind: str, position: int, allowed: set[str], required: tuple[str, ...]
) -> str:
    if not isinstance(item, dict):
        _fail(f"{kind} #{position + 1}", f"must be an object, not {_type_name(item)}")
    where = _where(kind, position, item)
    unknown = sorted(set(item) - allowed)
    if unknown:
        _fail(where, f"unknown field {unknown[0]!r}")
    for name in required:
        if name not in item:
            _fail(where, f"missing {name!r}")
    return where


def _string(value: Any, where: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        _fail(where, f"{name!r} must be a non-empty string, not {_type_name(value)}")
    return value


def _strings(value: Any, where: str, name: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        _fail(where, f"{name!r} must be a list of strings, not {_type_name(value)}")
    for item in value:
        if not isinstance(item, str) or not item:
            _fail(where, f"{name!r} must hold non-empty strings, not {_type_name(item)}")
    return tuple(value)


def _integer(value: Any, where: str, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        _fail(where, f"{name!r} must be a whole number, not {_type_name(value)}")
    if isinstance(value, float):
        if not value.is_integer():
            _fail(where, f"{name!r} must be a whole number, not {value}")
        value = int(value)
    return value


def _number(value: Any, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        _fail(where, f"{name!r} must be a number, not {_type_name(value)}")
    number = float(value)
    if not math.isfinite(number):
        _fail(where, f"{name!r} must be a finite number")
    return number


def _boolean(value: Any, where: str, name: str) -> bool:
    if not isinstance(value, bool):
        _fail(where, f"{name!r} must be true or false, not {_type_name(value)}")
    return value


def _optional(item: Mapping[str, Any], name: str, read: Callable[[Any], T]) -> T | None:
    value = item.get(name)
    return None if value is None else read(value)


def _location(value: Any, where: str) -> Location:
    if not isinstance(value, dict) or set(value) != {"lat", "lon"}:
        _fail(where, "'location' must be an object with 'lat' and 'lon'")
    return Location(
        lat=_number(value["lat"], where, "location.lat"),
        lon=_number(value["lon"], where, "location.lon"),
    )


def _construct(where: str, build: Callable[[], T]) -> T:
    try:
        return build()
    except ProblemError as error:
        message = str(error)
        # Constructors that already name the person need no second prefix.
        if message.startswith(("mentor ", "mentee ")):
            raise
        _fail(where, message)


def _mentor(item: Any, position: int) -> Mentor:
    where = _check_fields(item, "mentor", position, MENTOR_FIELDS, MENTOR_REQUIRED)
    return _construct(
        where,
        lambda: Mentor(
            id=_string(item["id"], where, "id"),
            capacity=_integer(item["capacity"], where, "capacity"),
            languages=_strings(item["languages"], where, "languages"),
            formats=_strings(item["formats"], where, "formats"),
            availability=_strings(item["availability"], where, "availability"),
            lived_experience=_strings(item["lived_experience"], where, "lived_experience"),
            gender=_optional(item, "gender", lambda value: _string(value, where, "gender")),
            age=_optional(item, "age", lambda value: _integer(value, where, "age")),
            location=_optional(item, "location", lambda value: _location(value, where)),
            max_travel_km=_optional(
                item, "max_travel_km", lambda value: _number(value, where, "max_travel_km")
            ),
            exclude=_strings(item.get("exclude") or [], where, "exclude"),
        ),
    )


def _mentee(item: Any, position: int) -> Mentee:
    where = _check_fields(item, "mentee", position, MENTEE_FIELDS, MENTEE_REQUIRED)
    return _construct(
        where,
        lambda: Mentee(
            id=_string(item["id"], where, "id"),
            languages=_strings(item["languages"], where, "languages"),
            needs=_strings(item["needs"], where, "needs"),
            formats=_strings(item["formats"], where, "formats"),
            availability=_strings(item["availability"], where, "availability"),
            waiting_days=_number(item["waiting_days"], where, "waiting_days"),
            location=_optional(item, "location", lambda value: _location(value, where)),
            exclude=_strings(item.get("exclude") or [], where, "exclude"),
            preferences=_preferences(item.get("preferences") or {}, where),
        ),
    )


def _preferences(value: Any, where: str) -> Preferences:
    if not isinstance(value, dict):
        _fail(where, f"'preferences' must be an object, not {_type_name(value)}")
    for name, preference in value.items():
        if name not in PREFERENCE_FIELDS:
            _fail(
                where,
                f"unknown preference {name!r} (known: {', '.join(PREFERENCE_FIELDS)})",
            )
        if not isinstance(preference, dict):
            _fail(where, f"preference {name!r} must be an object, not {_type_name(preference)}")
        unknown = sorted(set(preference) - PREFERENCE_FIELDS[name])
        if unknown:
            _fail(where, f"preference {name!r} has unknown field {unknown[0]!r}")

    def required(name: str) -> bool:
        return _boolean(value[name].get("required", False), where, f"{name}.required")

    gender = None
    if "mentor_gender" in value:
        wanted = value["mentor_gender"].get("value")
        if isinstance(wanted, str):
            wanted = [wanted]
        gender = GenderPreference(
            values=_strings(wanted, where, "mentor_gender.value"),
            required=required("mentor_gender"),
        )
        if not gender.values:
            _fail(where, "'mentor_gender.value' must list at least one gender")
    age_range = None
    if "age_range" in value:
        bounds = value["age_range"]
        age_range = AgeRangePreference(
            min_age=_optional(bounds, "min", lambda v: _integer(v, where, "age_range.min")),
            max_age=_optional(bounds, "max", lambda v: _integer(v, where, "age_range.max")),
            required=required("age_range"),
        )
    shared = None
    if "shared_experience" in value:
        shared = SharedExperiencePreference(required=required("shared_experience"))
    return Preferences(mentor_gender=gender, age_range=age_range, shared_experience=shared)
