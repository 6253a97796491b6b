"""The toolkit: the skills library and mentors' own strategies, the mentee's own toolkit, and
the community resource directory. Records: ``skill`` (a library skill), ``toolkit_entry``
(``skill`` shared into the shared mentee's toolkit during ``active_relationship``) and
``community_resource``.

Lists and "new" pages show a person their own organisation's, so another organisation's
coordinator gets theirs.
"""

from __future__ import annotations

from typing import Any

from tests.security.matrix import (
    ALL_COORDINATORS,
    MEMBERS,
    PAIR,
    PAIR_AND_STAFF,
    STAFF,
    Fixture,
    Route,
)

MENTEE = frozenset({"mentee"})
MENTOR = frozenset({"mentor"})
MENTEES = frozenset({"mentee", "other_mentee"})
# Everyone in the organisation who takes part in mentoring reads the library (not referrers).
LIBRARY_READERS = MEMBERS - {"referrer", "other_org_coordinator"}
# Mentors write their own strategies; staff write library skills.
SKILL_WRITERS = frozenset({"mentor", "other_mentor"}) | ALL_COORDINATORS
# Everyone with a role in the organisation reads its resource directory.
ORGANISATION_MEMBERS = MEMBERS - {"other_org_coordinator"}


def _skill(fixture: Fixture) -> dict[str, Any]:
    return {"pk": fixture("skill").pk}


def _entry(fixture: Fixture) -> dict[str, Any]:
    return {"pk": fixture("toolkit_entry").pk}


def _relationship(fixture: Fixture) -> dict[str, Any]:
    return {"pk": fixture("active_relationship").pk}


def _resource(fixture: Fixture) -> dict[str, Any]:
    return {"pk": fixture("community_resource").pk}


def _recommend(fixture: Fixture) -> dict[str, Any]:
    fixture("active_relationship")
    return _resource(fixture)


ROUTES: dict[str, Route] = {
    # The skills library
    "toolkit:skills": Route(get=LIBRARY_READERS | {"other_org_coordinator"}, write=None),
    "toolkit:skill_new": Route(get=SKILL_WRITERS),
    "toolkit:review": Route(get=ALL_COORDINATORS, write=None),
    "toolkit:skill": Route(_skill, get=LIBRARY_READERS, write=None),
    "toolkit:skill_edit": Route(_skill, get=STAFF, note="a library skill: staff edit it"),
    "toolkit:skill_status": Route(
        _skill, get=None, write=STAFF, data=lambda fixture: {"action": "retire"}
    ),
    "toolkit:skill_share": Route(
        _skill,
        get=None,
        write=MENTOR,
        data=lambda fixture: {"mentee": fixture("active_relationship").mentee_id},
    ),
    "toolkit:skill_save": Route(_skill, get=None, write=MENTEES),
    # The mentee's own toolkit
    "toolkit:mine": Route(get=MENTEES, write=None),
    "toolkit:entry": Route(_entry, get=PAIR, write=MENTEE),
    "toolkit:entry_remove": Route(_entry, get=None, write=MENTEE),
    "toolkit:preferences": Route(get=MENTEES),
    "toolkit:relationship": Route(_relationship, get=PAIR_AND_STAFF, write=None),
    "toolkit:insights": Route(get=ALL_COORDINATORS, write=None),
    # Community resources
    "toolkit:resources": Route(get=MEMBERS, write=None),
    "toolkit:resource_new": Route(get=ALL_COORDINATORS),
    "toolkit:stale": Route(get=ALL_COORDINATORS, write=None),
    "toolkit:resource": Route(_resource, get=ORGANISATION_MEMBERS, write=STAFF),
    "toolkit:resource_edit": Route(_resource, get=STAFF),
    "toolkit:resource_checked": Route(_resource, get=None, write=STAFF),
    "toolkit:recommend": Route(
        _recommend,
        get=None,
        write=MENTOR | STAFF,
        data=lambda fixture: {"person": fixture("mentee").pk, "note": "Worth a go"},
    ),
    "toolkit:recommended": Route(get=MENTEES, write=None),
}
