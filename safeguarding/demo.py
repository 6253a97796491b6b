"""Invented demo safeguarding: the supervisor (Helen) and a coordinator (Sam) as safeguarding
leads, a duty rota of 12-hour shifts taking turns over the next 14 days, the default response
times, and three alerts raised from things mentees wrote, each at a different point:

- Jamie, twelve days ago: "I could have died" about an awkward evening, closed as a false alarm
  with a note (so the false-positive review has an example);
- Dani, five hours ago: a high alert Helen is responding to, with a phone call that reached
  Dani, a safety plan discussed and the mentor briefed;
- Rae, forty minutes ago: a concern about not eating, still waiting for someone to respond.

Everything goes through the same services people use, with the times given to them. Jamie's is
closed, so a sign raised about Jamie during a demo (say, from the PHQ-9 waiting for them) opens
a new alert instead of joining this one. Runs after the mentoring and toolkit builders (it
needs Jamie, Dani and Rae). Every person and word here is made up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from mentoring.models import Relationship
from mentoring.safety import source_label
from safeguarding.models import (
    Alert,
    AlertLevel,
    AlertOutcome,
    ContactMethod,
    SafeguardingAction,
)
from safeguarding.services.alerts import (
    alert_acknowledge,
    alert_action_taken,
    alert_close,
    alert_contact_attempt,
    alert_raise,
)
from safeguarding.services.rota import lead_add, response_times_update, shift_add

if TYPE_CHECKING:
    from accounts.models import Organisation, User
    from alongside.demo import DemoWorld

ROTA_DAYS = 14
SHIFT_HOURS = 12
SHIFT_CHANGES = (time(8), time(20))


@dataclass(frozen=True)
class DemoSign:
    mentee: str
    level: str
    categories: tuple[str, ...]
    text: str
    matches: tuple[str, ...]
    # How long ago it was raised, or (days ago, time of day) for a fixed time on the clock.
    raised: timedelta | tuple[int, time]


JAMIE = DemoSign(
    "mentee.jamie",
    AlertLevel.CONCERN,
    ("suicidal_thoughts",),
    "The group on Wednesday was so awkward, I wanted the ground to swallow me up. I could "
    "have died! But I stayed to the end and I'm going back next week.",
    ("I could have died",),
    (12, time(19, 40)),
)
DANI = DemoSign(
    "mentee.dani",
    AlertLevel.HIGH,
    ("suicidal_thoughts",),
    "Honestly some nights I think everyone would be better off without me. I'm not going to "
    "do anything, I just can't shake the thought and I didn't know who else to tell.",
    ("everyone would be better off without me",),
    timedelta(hours=5),
)
RAE = DemoSign(
    "mentee.rae",
    AlertLevel.CONCERN,
    ("not_eating_or_purging",),
    "Sorry it's taken me a while to reply. I've not really been eating since I moved out, "
    "maybe one proper meal every couple of days. It's fine, I just forget.",
    ("not really been eating",),
    timedelta(minutes=40),
)


def _rota_start(now: datetime) -> datetime:
    """The latest shift change (08:00 or 20:00) at or before ``now``, so someone is on duty."""
    local = timezone.localtime(now)
    changes = [
        timezone.make_aware(datetime.combine(local.date() - timedelta(days=back), at))
        for back in (1, 0)
        for at in SHIFT_CHANGES
    ]
    return max(change for change in changes if change <= now)


def _rota(world: DemoWorld, organisation: Organisation, now: datetime) -> None:
    coordinator = world.people["coordinator"]
    leads = [
        lead_add(actor=coordinator, organisation=organisation, user=world.people[key])
        for key in ("supervisor", "coordinator")
    ]
    start = _rota_start(now)
    for number in range(ROTA_DAYS * 24 // SHIFT_HOURS):
        begins = start + timedelta(hours=SHIFT_HOURS * number)
        shift_add(
            actor=coordinator,
            organisation=organisation,
            lead=leads[number % 2],
            starts_at=begins,
            ends_at=begins + timedelta(hours=SHIFT_HOURS),
            now=now,
        )
    response_times_update(
        actor=world.people["admin"],
        organisation=organisation,
        urgent_minutes=15,
        high_minutes=60,
        concern_working_days=1,
    )


def _raised_at(sign: DemoSign, now: datetime) -> datetime:
    if isinstance(sign.raised, timedelta):
        return now - sign.raised
    days_ago, at = sign.raised
    day = timezone.localdate(now) - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, at))


def _raise(world: DemoWorld, sign: DemoSign, now: datetime) -> Alert:
    """The alert a flagged message from the mentee raises, as ``check_text`` raises it."""
    mentee: User = world.people[sign.mentee]
    relationship = Relationship.objects.select_related("mentor__user", "organisation").get(
        mentee=mentee, organisation=world.organisations["riverside"]
    )
    return alert_raise(
        actor=mentee,
        organisation=relationship.organisation,
        person=mentee,
        level=sign.level,
        categories=sign.categories,
        source="message",
        source_label=source_label("message", mentee, relationship),
        target=relationship,
        path=reverse("mentoring:overview", args=[relationship.pk]),
        supervisor=relationship.mentor.supervisor,
        excerpt=sign.text,
        matches=sign.matches,
        now=_raised_at(sign, now),
    )


def build_safeguarding(world: DemoWorld) -> None:
    organisation = world.organisations["riverside"]
    now = timezone.now()
    helen, sam = world.people["supervisor"], world.people["coordinator"]
    _rota(world, organisation, now)

    # Jamie: a figure of speech, looked at with the mentor and closed as a false alarm.
    alert = _raise(world, JAMIE, now)
    raised = alert.created_at
    alert_acknowledge(actor=sam, alert=alert, now=raised + timedelta(minutes=25))
    alert_close(
        actor=sam,
        alert=alert,
        outcome=AlertOutcome.NO_RISK,
        note="Read it with Jordan, who knows Jamie well: Jamie meant the group was "
        "embarrassing, and says they are going back. No sign of risk. Marked as a false alarm "
        "so the detector's maintainers can look at the phrase.",
        now=raised + timedelta(minutes=40),
    )

    # Dani: Helen is responding; she reached Dani by phone and they made a safety plan.
    alert = _raise(world, DANI, now)
    raised = alert.created_at
    alert_acknowledge(actor=helen, alert=alert, now=raised + timedelta(minutes=8))
    alert_contact_attempt(
        actor=helen,
        alert=alert,
        method=ContactMethod.PHONE,
        reached=True,
        note="Spoke with Dani for about forty minutes. The thoughts have come and gone since "
        "the winter; no plan and nothing at hand. Dani feels safe tonight and their sister is "
        "staying this week.",
        now=raised + timedelta(minutes=20),
    )
    alert_action_taken(
        actor=helen,
        alert=alert,
        action=SafeguardingAction.SAFETY_PLAN,
        note="Went through a safety plan together: who to call (their sister, Samaritans on "
        "116 123), what helps (a walk, music), and the GP appointment on Thursday. I will ring "
        "again tomorrow at 6pm.",
        now=raised + timedelta(minutes=55),
    )
    alert_action_taken(
        actor=helen,
        alert=alert,
        action=SafeguardingAction.MENTOR_BRIEFED,
        note="Talked it through with Jordan: he knows what to say if it comes up again, and "
        "that he is not on his own with it.",
        now=raised + timedelta(minutes=70),
    )

    # Rae: a concern, raised forty minutes ago and waiting for someone to respond.
    _raise(world, RAE, now)
