"""What a referral must make sense of before it is accepted: one set of checks for the public
form, the partner pages and the API, run again by ``referral_create`` so no route can skip them.

Messages speak to the person filling in the form: ``you`` when they refer themselves, ``them``
when a partner refers someone.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone

from referrals.models import Importance

YOUNGEST_AGE = 16
OLDEST_AGE = 110

_PHONE_PATTERN = re.compile(r"^\+?[\d\s().-]+$")


def year_of_birth_problem(year: int | None) -> str:
    if year is None:
        return ""
    age = timezone.localdate().year - year
    if age < YOUNGEST_AGE:
        return f"Peer mentoring here is for people aged {YOUNGEST_AGE} and over."
    if age > OLDEST_AGE:
        return "Check the year of birth; it should have four digits."
    return ""


def phone_problem(phone: str) -> str:
    if phone and (not _PHONE_PATTERN.match(phone) or not 7 <= len(re.sub(r"\D", "", phone)) <= 15):
        return "Enter a phone number, like 07700 900123."
    return ""


def normalise_preferences(data: dict[str, Any]) -> None:
    """A preference someone took the trouble to give counts as at least "nice to have"."""
    given = {
        "mentor_gender_importance": bool(data.get("mentor_gender")),
        "mentor_age_importance": data.get("mentor_age_min") is not None
        or data.get("mentor_age_max") is not None,
    }
    for importance, is_given in given.items():
        if is_given and data.get(importance, Importance.NONE) == Importance.NONE:
            data[importance] = Importance.NICE


def referral_problems(data: dict[str, Any], *, them: str = "them") -> dict[str, str]:
    """Field name -> what is wrong, for answers that do not make sense together."""
    problems: dict[str, str] = {}
    for field, problem in (
        ("year_of_birth", year_of_birth_problem(data.get("year_of_birth"))),
        ("phone", phone_problem(str(data.get("phone") or ""))),
    ):
        if problem:
            problems[field] = problem
    email, phone = data.get("email"), data.get("phone")
    if not email and not phone:
        problems["email"] = f"Give an email address or a phone number, so we can reach {them}."
        problems["phone"] = f"Give a phone number or an email address, so we can reach {them}."
    elif email and not phone and not data.get("email_ok"):
        problems["email_ok"] = (
            f"We can only reach {them} by email. Tick this box, or give a phone number."
        )

    if data.get("mentor_gender_importance") == Importance.MUST and not data.get("mentor_gender"):
        problems["mentor_gender"] = (
            "You said the mentor's gender must match: say which gender, or choose “No preference”."
        )
    youngest, oldest = data.get("mentor_age_min"), data.get("mentor_age_max")
    for field, age in (("mentor_age_min", youngest), ("mentor_age_max", oldest)):
        if age is not None and not YOUNGEST_AGE <= age <= OLDEST_AGE:
            problems[field] = f"Give an age from {YOUNGEST_AGE} to {OLDEST_AGE}."
    if youngest is not None and oldest is not None and youngest > oldest:
        problems["mentor_age_max"] = "The oldest age must be the same as the youngest, or more."
    if data.get("mentor_age_importance") == Importance.MUST and youngest is None and oldest is None:
        problems["mentor_age_min"] = (
            "You said the mentor's age must match: give a youngest or oldest age, or "
            "choose “No preference”."
        )
    if data.get("shared_experience_importance") == Importance.MUST and not data.get(
        "support_areas"
    ):
        problems["shared_experience_importance"] = (
            "Tick at least one thing under “support with” above, so we know which "
            "experience to look for, or choose “No preference”."
        )
    return problems
