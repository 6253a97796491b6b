"""Data rights pages: download my data, download on someone's behalf, privacy choices."""

from __future__ import annotations

from tests.security.matrix import ALL_COORDINATORS, MEMBERS, STAFF, Route

ADMIN = frozenset({"admin"})


def _person(fixture):
    return {"user_pk": fixture("mentee").pk}


def _on_behalf(fixture):
    return {"reason": "access_request", "format": "json", "identity_checked": "on"}


def _purpose(fixture):
    return {"purpose": "email_reminders"}


ROUTES: dict[str, Route] = {
    "privacy:my_data": Route(get=MEMBERS, write=None),
    "privacy:my_data_json": Route(get=MEMBERS, write=None),
    "privacy:people": Route(
        get=ALL_COORDINATORS, write=None, note="Each organisation's staff find their own people."
    ),
    "privacy:person_data": Route(
        kwargs=_person,
        get=STAFF,
        data=_on_behalf,
        note="The other organisation's coordinator gets 404: the person is not theirs.",
    ),
    "privacy:consent": Route(get=MEMBERS, write=None),
    "privacy:consent_answer": Route(
        kwargs=_purpose,
        get=None,
        write=MEMBERS,
        data=lambda fixture: {"answer": "withdraw"},
    ),
    "privacy:consent_wordings": Route(get=ADMIN, write=None),
    "privacy:consent_wording": Route(kwargs=_purpose, get=ADMIN),
}
