"""Free text written in a relationship (messages, session logs, reflections, goals, the plan...)
goes through the safeguarding detector. A sign of risk raises a safeguarding alert about the
mentee in the same transaction as the save (``safeguarding.services.alerts.screen_text``): the
mentor's supervisor and the duty safeguarding lead are told at once, by a content-free email, and
the person who wrote it is shown where to get help now.

Callers use ``check_text`` inside the transaction that saves the text, after saving the record
(``target``), so the alert exists exactly when the text does and points at it.

What the writer is shown afterwards:

- whenever what they wrote suggests risk, the crisis resources (phone and text lines, the
  emergency number);
- when it was flagged high or urgent and the mentee wrote it, that someone from the team will get
  in touch (``someone_will_be_in_touch``);
- a mentor, when what they or their mentee wrote was flagged high or urgent, what to do now and
  that they are not alone with it (``mentor_prompt``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from mentoring.models import Message, Relationship
from safeguarding import detector
from safeguarding.detector import RiskLevel
from safeguarding.services.alerts import Screened, assess_safely, screen_text

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

SERIOUS_LEVELS = (RiskLevel.HIGH.value, RiskLevel.URGENT.value)
# How long a mentor keeps seeing the prompt after their mentee wrote something serious.
MENTOR_PROMPT_DAYS = 7

# The value of ``?help=`` on a page a writer is sent to after saving: "1" shows the crisis
# resources; "serious" also says someone will be in touch (or, to a mentor, what to do now).
HELP_PARAMETER = "help"
# What a mentee whose words were flagged high or urgent is told (``_in_touch.html`` says the same).
IN_TOUCH = (
    "Because of what you wrote, someone from the team will get in touch with you soon. You have "
    "not done anything wrong. If you are in danger now, call 999."
)
# What a mentor whose own words about their mentee were flagged high or urgent is told, where a
# page has room for a sentence only (``_mentor_prompt.html`` says more).
NOT_ALONE = (
    "What you wrote suggests your mentee may not be safe. The safeguarding team has been told and "
    "will follow it up. You are not alone with this. Talk to your supervisor, and if they are in "
    "immediate danger, call 999."
)
HELP_NOW = "1"
HELP_SERIOUS = "serious"


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


def reassess(*texts: str) -> Screened:
    """What the detector finds in text already saved and screened (a form sent twice): enough to
    show the writer the same help again, without raising a second alert. A detector failure
    here finds nothing: the first save already raised an alert for a person to read it."""
    written = [text for text in texts if text]
    return Screened(assess_safely(written, "repeated save") or detector.NO_RISK)


def is_serious_level(level: str) -> bool:
    return level in SERIOUS_LEVELS


def someone_will_be_in_touch(
    serious: bool, writer: User | None, relationship: Relationship
) -> bool:
    """The mentee wrote something flagged high or urgent: they are told someone from the team
    will get in touch."""
    return serious and writer is not None and writer.pk == relationship.mentee_id


def help_value(is_risk: bool, serious: bool) -> str:
    """The ``?help=`` value for a page the writer is sent to after saving ("" for none)."""
    if serious:
        return HELP_SERIOUS
    return HELP_NOW if is_risk else ""


def help_wanted(value: str | None) -> tuple[bool, bool]:
    """From a ``?help=`` value: whether to show the crisis resources, and whether what was
    written was serious."""
    return value in (HELP_NOW, HELP_SERIOUS), value == HELP_SERIOUS


def mentee_wrote_something_serious(relationship: Relationship, now: datetime | None = None) -> bool:
    """The mentee sent their mentor a message flagged high or urgent in the last
    ``MENTOR_PROMPT_DAYS`` days (one query): the mentor is shown what to do now."""
    return Message.objects.filter(
        recently_serious(now), relationship=relationship, sender_id=relationship.mentee_id
    ).exists()


def recently_serious(now: datetime | None = None) -> Q:
    """Messages flagged high or urgent in the last ``MENTOR_PROMPT_DAYS`` days."""
    since = (now or timezone.now()) - timedelta(days=MENTOR_PROMPT_DAYS)
    return Q(risk_level__in=SERIOUS_LEVELS, sent_at__gte=since)
