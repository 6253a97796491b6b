"""Reading the JSON problem format: a valid file becomes a Problem; anything else is refused with
one line that names the problem."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from matching.engine import (
    AgeRangePreference,
    GenderPreference,
    Location,
    ProblemError,
    SharedExperiencePreference,
    parse_problem,
)
from tests.matching.builders import EXAMPLE


def example() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE)


def test_the_issue_example_is_read_in_full() -> None:
    problem = parse_problem(json.dumps(EXAMPLE))
    (mentor,) = problem.mentors
    (mentee,) = problem.mentees
    assert mentor.capacity == 2
    assert mentor.languages == ("en", "pl")
    assert mentor.location == Location(lat=51.5, lon=-0.12)
    assert mentor.exclude == ("P7",)
    assert mentee.waiting_days == 35
    assert mentee.preferences.mentor_gender == GenderPreference(values=("woman",), required=True)
    assert mentee.preferences.age_range == AgeRangePreference(min_age=25, max_age=50)
    assert mentee.preferences.shared_experience == SharedExperiencePreference(required=False)


def test_optional_fields_may_be_left_out() -> None:
    data = example()
    for key in ("location", "max_travel_km", "exclude", "gender", "age"):
        del data["mentors"][0][key]
    for key in ("location", "exclude", "preferences"):
        del data["mentees"][0][key]
    problem = parse_problem(json.dumps(data))
    assert problem.mentors[0].location is None
    assert problem.mentees[0].preferences.stated == ()


def test_bytes_are_read_as_utf8() -> None:
    assert parse_problem(json.dumps(EXAMPLE).encode()).mentors[0].id == "M1"


def broken(change: Any) -> str:
    data = example()
    change(data)
    return json.dumps(data)


CASES = [
    ("{", "not valid JSON: Expecting property name enclosed in double quotes at line 1"),
    ("[]", "problem: must be a JSON object, not a list"),
    ('{"mentors": []}', "problem: missing 'mentees'"),
    ('{"mentors": {}, "mentees": []}', "mentors: must be a list, not an object"),
    ('{"mentors": [], "mentees": [], "extra": 1}', "problem: unknown field 'extra'"),
    ('{"mentors": [], "mentees": [NaN]}', "not valid JSON: NaN is not a number JSON allows"),
    (broken(lambda d: d["mentors"][0].pop("id")), "mentor #1: missing 'id'"),
    (broken(lambda d: d["mentees"][0].pop("id")), "mentee #1: missing 'id'"),
    (broken(lambda d: d["mentees"][0].update(id=7)), "mentee #1: 'id' must be a non-empty string"),
    (broken(lambda d: d["mentors"].append(d["mentors"][0])), "duplicate mentor id 'M1'"),
    (broken(lambda d: d["mentees"].append(d["mentees"][0])), "duplicate mentee id 'P1'"),
    (
        broken(lambda d: d["mentors"][0].update(capacity=-1)),
        "mentor 'M1': capacity must be 0 or more, not -1",
    ),
    (
        broken(lambda d: d["mentors"][0].update(capacity=1.5)),
        "mentor 'M1': 'capacity' must be a whole number, not 1.5",
    ),
    (
        broken(lambda d: d["mentors"][0].update(capacity="2")),
        "mentor 'M1': 'capacity' must be a whole number, not a string",
    ),
    (
        broken(lambda d: d["mentors"][0].update(capacity=True)),
        "mentor 'M1': 'capacity' must be a whole number, not true/false",
    ),
    (
        broken(lambda d: d["mentors"][0].update(formats=["video", "zoom"])),
        "mentor 'M1': unknown format 'zoom' (known: in_person, video, phone, text)",
    ),
    (
        broken(lambda d: d["mentees"][0].update(formats=["carrier_pigeon"])),
        "mentee 'P1': unknown format 'carrier_pigeon'",
    ),
    (
        broken(lambda d: d["mentees"][0].update(languages="en")),
        "mentee 'P1': 'languages' must be a list of strings, not a string",
    ),
    (
        broken(lambda d: d["mentees"][0].update(availability=[3])),
        "mentee 'P1': 'availability' must hold non-empty strings, not a number",
    ),
    (
        broken(lambda d: d["mentees"][0].update(location={"lat": 51.5})),
        "mentee 'P1': 'location' must be an object with 'lat' and 'lon'",
    ),
    (
        broken(lambda d: d["mentors"][0].update(location={"lat": 95, "lon": 0})),
        "mentor 'M1': latitude must be between -90 and 90, not 95",
    ),
    (
        broken(lambda d: d["mentors"][0].update(max_travel_km=-3)),
        "mentor 'M1': max_travel_km must be 0 or more, not -3.0",
    ),
    (
        broken(lambda d: d["mentees"][0].update(waiting_days=-1)),
        "mentee 'P1': waiting_days must be 0 or more, not -1.0",
    ),
    (
        broken(lambda d: d["mentees"][0].update(langauges=["en"])),
        "mentee 'P1': unknown field 'langauges'",
    ),
    (
        broken(lambda d: d["mentees"][0]["preferences"].update(religion={"required": True})),
        "mentee 'P1': unknown preference 'religion'",
    ),
    (
        broken(lambda d: d["mentees"][0]["preferences"]["age_range"].update(min=60)),
        "mentee 'P1': age_range 'min' (60) is above 'max' (50)",
    ),
    (
        broken(lambda d: d["mentees"][0]["preferences"]["mentor_gender"].update(required="yes")),
        "mentee 'P1': 'mentor_gender.required' must be true or false, not a string",
    ),
    (
        broken(lambda d: d["mentees"][0]["preferences"]["mentor_gender"].update(value=[])),
        "mentee 'P1': 'mentor_gender.value' must list at least one gender",
    ),
    (
        broken(lambda d: d["mentees"][0]["preferences"].update(age_range={"required": True})),
        "mentee 'P1': age_range needs 'min' or 'max'",
    ),
]


@pytest.mark.parametrize(("text", "message"), CASES)
def test_a_malformed_problem_is_refused_with_a_message_naming_the_problem(
    text: str, message: str
) -> None:
    with pytest.raises(ProblemError) as raised:
        parse_problem(text)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_text_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(ProblemError, match="not UTF-8"):
        parse_problem(b"\xff\xfe{}")
