"""Free text written in a relationship (messages, session logs, reflections, goals, the plan...)
goes through the safeguarding detector. A sign of risk raises a safeguarding alert about the
mentee in the same transaction as the save (``safeguarding.services.alerts.screen_text``): the
mentor's supervisor and the duty safeguarding lead are told at once, by a content-free email, and
the person who wrote it is shown where to get help now.

Callers use ``check_text`` inside the transaction that saves the text, so the alert exists
exactly when the text does.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from accounts.models import User
from mentoring.models import Relationship
from safeguarding.services.alerts import Screened, screen_text

# What raised the alert, in words for the responders (never what was written).
SOURCE_LABELS = {
    "message": "A message",
    "session log": "A session log",
    "session reflection": "A mentee's reflection on a session",
    "concern": "A concern raised",
    "goal": "A goal",
    "step": "A step towards a goal",
    "step_suggestion": "A suggested step",
    "strength": "A strength",
    "plan": "The plan for after mentoring",
    "exit_survey": "The end-of-mentoring survey",
    "agreement": "The mentoring agreement",
    "practice note": "A note on practising a skill",
}


def source_label(source: str, writer: User | None, relationship: Relationship) -> str:
    label = SOURCE_LABELS.get(source, source.replace("_", " ").capitalize())
    if writer is None:
        return label
    if writer.pk == relationship.mentee_id:
        return f"{label}, written by the mentee"
    if writer.pk == relationship.mentor.user_id:
        return f"{label}, written by the mentor"
    return f"{label}, written by staff"


def check_text(
    relationship: Relationship,
    *texts: str,
    source: str,
    actor: User | None = None,
    target: models.Model | None = None,
) -> Screened:
    """Screen ``texts`` written in ``relationship``; a sign of risk raises (or adds to) an alert
    about the mentee. ``source`` is a short label such as "message"; ``target`` the record
    saved (the relationship when not given)."""
    supervisor = relationship.mentor.supervisor
    return screen_text(
        *texts,
        actor=actor,
        organisation=relationship.organisation,
        person=relationship.mentee,
        source=source,
        source_label=source_label(source, actor, relationship),
        target=target if target is not None else relationship,
        path=reverse("mentoring:overview", args=[relationship.pk]),
        supervisor=supervisor,
    )
