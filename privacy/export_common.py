"""What every part of a person's data download shares: the reasons given where something is
withheld, and how dates and choices are written."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

PRIVATE_NOTES_WITHHELD = (
    "Your mentor's private notes are kept for their supervision and are not shared"
)
CHECK_IN_NOTES_WITHHELD = (
    "The coordinator's notes from check-ins are staff working notes and are not included"
)
CONCERN_NOTES_WITHHELD = "The coordinator's note on how it was resolved is a staff working note"
ALERT_NOTES_WITHHELD = (
    "Notes staff made while making sure you were safe are kept for safeguarding and are not "
    "included; you can ask the coordinator about them"
)
CONTACT_NOTES_WITHHELD = "Staff notes about trying to reach you are working notes and not included"
INTAKE_NOTES_WITHHELD = (
    "Staff notes from your intake are working notes; your emergency contact's details are "
    "someone else's personal information. Ask the coordinator if you need to check them"
)
APPLICATION_NOTES_WITHHELD = (
    "Interview notes, what your referees wrote and the reasons staff recorded are kept for the "
    "programme's records and are not included; ask the coordinator if you would like to see them"
)
SUPERVISION_NOTES_WITHHELD = (
    "Supervision notes can describe the people you mentor, so they are not included; ask your "
    "supervisor if you would like to go through them"
)

MATCH_NOTES_WITHHELD = (
    "How the programme scored a match, and reasons that would say something private about the "
    "other person, are the coordinator's working notes and are not included"
)
OTHER_PEOPLES_DETAILS_WITHHELD = (
    "Other people's contact details (your mentor's or mentee's email and phone) are not included"
)


def when(value: datetime | date | time | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def label(instance: Any, field: str) -> str:
    """The display label of a choices field ("" when blank)."""
    return str(getattr(instance, f"get_{field}_display")()) if getattr(instance, field) else ""
