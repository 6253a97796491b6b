"""Which person an audited record is about, so the trail can answer "who looked at this person?".

Each entry maps a model label to the lookups that reach that person's user id, tried in order
(the first that is set wins). A model not listed here is about nobody in particular.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

_RELATIONSHIP_MENTEE = ("relationship__mentee_id",)
_APPLICANT = ("application__user_id",)
_MENTOR = ("profile__user_id",)

SUBJECT_LOOKUPS: dict[str, tuple[str, ...]] = {
    "accounts.user": ("id",),
    "accounts.membership": ("user_id",),
    "accounts.apitoken": ("user_id",),
    "referrals.referral": ("mentee_id",),
    "referrals.contactattempt": ("referral__mentee_id",),
    "referrals.intake": ("referral__mentee_id",),
    "mentors.mentorapplication": ("user_id",),
    "mentors.interview": _APPLICANT,
    "mentors.reference": _APPLICANT,
    "mentors.backgroundcheck": _APPLICANT,
    "mentors.trainingcompletion": _APPLICANT,
    "mentors.mentorprofile": ("user_id",),
    "mentors.availabilityslot": _MENTOR,
    "mentors.cpdrecord": _MENTOR,
    "mentors.supervisionsession": _MENTOR,
    "mentors.wellbeingcheckin": _MENTOR,
    "mentors.mentorrequest": ("mentee_id",),
    "matching.matchproposal": ("referral__mentee_id", "mentor_request__mentee_id"),
    "mentoring.relationship": ("mentee_id",),
    "mentoring.agreement": _RELATIONSHIP_MENTEE,
    "mentoring.mentoringsession": _RELATIONSHIP_MENTEE,
    "mentoring.goal": _RELATIONSHIP_MENTEE,
    "mentoring.step": _RELATIONSHIP_MENTEE,
    "mentoring.stepsuggestion": _RELATIONSHIP_MENTEE,
    "mentoring.strengthnote": _RELATIONSHIP_MENTEE,
    "mentoring.milestone": _RELATIONSHIP_MENTEE,
    "mentoring.message": _RELATIONSHIP_MENTEE,
    "mentoring.checkin": _RELATIONSHIP_MENTEE,
    "mentoring.concern": _RELATIONSHIP_MENTEE,
    "mentoring.wellbeingplan": _RELATIONSHIP_MENTEE,
    "mentoring.exitsurvey": _RELATIONSHIP_MENTEE,
    "outcomes.measurerequest": ("person_id",),
    "outcomes.measureresponse": ("person_id",),
    "outcomes.answer": ("response__person_id",),
    "safeguarding.alert": ("person_id",),
    "safeguarding.alertaction": ("alert__person_id",),
    "safeguarding.safeguardinglead": ("user_id",),
    "toolkit.toolkitentry": ("person_id",),
    "toolkit.practice": ("entry__person_id",),
    "toolkit.toolkitpreferences": ("person_id",),
    "toolkit.recommendation": ("person_id",),
    "privacy.consentrecord": ("person_id",),
    "privacy.erasurerequest": ("person_id",),
}


class _NotLoaded(Exception):
    """A related record on the way is not in memory: ask the database instead."""


def subject_person_id(target: models.Model) -> int | None:
    """The user id of the person ``target`` is about, or None.

    Walks relations already loaded in memory (views usually have them), and otherwise asks the
    database once, so auditing never loads whole related records.
    """
    lookups = SUBJECT_LOOKUPS.get(target._meta.label_lower)
    if not lookups:
        return None
    try:
        values = [_from_memory(target, lookup) for lookup in lookups]
    except _NotLoaded:
        if target.pk is None:
            return None
        row = type(target)._base_manager.filter(pk=target.pk).values_list(*lookups).first()
        values = list(row) if row else []
    return next((int(value) for value in values if value is not None), None)


def _from_memory(target: models.Model, lookup: str) -> Any:
    *relations, attribute = lookup.split("__")
    current: models.Model | None = target
    for name in relations:
        assert current is not None
        try:
            field = current._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if getattr(current, field.attname) is None:  # type: ignore[union-attr]
            return None
        if not field.is_cached(current):  # type: ignore[union-attr]
            raise _NotLoaded
        current = getattr(current, name)
    return getattr(current, attribute)
