"""What every part of the seeding shares: the bulk writer, a fast way to make instances, the
context passed from step to step, and small helpers.

Rows are built in Python and written with ``bulk_create``; the ids the database gives back
(PostgreSQL, and SQLite from 3.35) are kept in the plan for the rows that point at them. The
``scale_*`` modules never go through the per-record services: those audit and notify one record
at a time, which is right for people's actions and far too slow for a million invented rows.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from itertools import islice
from typing import Any, TypeVar

from django.db import models
from django.db.models.base import ModelState

from accounts.models import Organisation, Role, SupportArea, User
from alongside.scale_plan import Journey, Plan, Spell
from mentors.models import (
    TrainingModule,
)

FIRST_NAMES = (
    "Alex",
    "Amara",
    "Ash",
    "Bea",
    "Cam",
    "Dana",
    "Eli",
    "Esme",
    "Farah",
    "Finn",
    "Gus",
    "Hana",
    "Idris",
    "Ivy",
    "Jade",
    "Jon",
    "Kai",
    "Lena",
    "Leo",
    "Maya",
    "Milo",
    "Nia",
    "Noah",
    "Omar",
    "Pia",
    "Quinn",
    "Rae",
    "Rosa",
    "Sam",
    "Sana",
    "Tess",
    "Theo",
    "Uma",
    "Vik",
    "Wren",
    "Yara",
    "Zac",
    "Zoe",
)
LAST_NAMES = (
    "Adams",
    "Bell",
    "Brooks",
    "Carter",
    "Chen",
    "Das",
    "Ellis",
    "Evans",
    "Fox",
    "Grant",
    "Hart",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kaur",
    "Khan",
    "Lewis",
    "Mensah",
    "Moore",
    "Novak",
    "Okafor",
    "Owen",
    "Patel",
    "Price",
    "Reid",
    "Rossi",
    "Shah",
    "Silva",
    "Stone",
    "Taylor",
    "Walsh",
    "Ward",
    "Webb",
    "Wood",
    "Young",
)
GOALS = (
    "Feel steadier day to day.",
    "Get out of the house more.",
    "Sleep better and keep a routine.",
    "Go back to a group I used to enjoy.",
    "Feel less on my own with it.",
)
FORMATS = ("video", "phone", "in_person")

Progress = Callable[[str], None]
M = TypeVar("M", bound=models.Model)


@cache
def _defaults(model: type[models.Model]) -> tuple[dict[str, Any], frozenset[str]]:
    values = model().__dict__.copy()
    del values["_state"]
    return values, frozenset(values)


def build(model: type[M], **values: Any) -> M:
    """An unsaved instance for ``bulk_create``, made without ``Model.__init__``.

    ``__init__`` resolves every keyword through the field machinery and was a third of the
    seeding's time; here the model's defaults are worked out once and copied. Values must be
    given by attribute name (``organisation_id``, not ``organisation``); defaults are shared
    between instances, which is safe because nothing here changes them after insert.
    """
    defaults, names = _defaults(model)
    if not values.keys() <= names:
        raise TypeError(f"{model.__name__} has no {sorted(values.keys() - names)}.")
    instance = model.__new__(model)
    instance.__dict__.update(defaults)
    instance.__dict__.update(values)
    instance._state = ModelState()
    return instance


class Writer:
    """Bulk inserts in batches, counting rows per table and reporting progress."""

    def __init__(self, batch_size: int, progress: Progress) -> None:
        self.batch_size = batch_size
        self.progress = progress
        self.counts: Counter[str] = Counter()
        self.started = time.perf_counter()

    def add(self, model: type[models.Model], rows: list[Any], *, report: bool = True) -> list[Any]:
        """Insert ``rows`` and return them with their new ids."""
        created = model._default_manager.bulk_create(rows, batch_size=self.batch_size)
        self.counts[model._meta.label] += len(created)
        if report:
            self.report(model)
        return created

    def stream(self, model: type[models.Model], rows: Iterable[Any]) -> int:
        """Insert rows as they are made, batch by batch, keeping none of them in memory."""
        written = 0
        iterator: Iterator[Any] = iter(rows)
        while batch := list(islice(iterator, self.batch_size * 4)):
            model._default_manager.bulk_create(batch, batch_size=self.batch_size)
            written += len(batch)
        self.counts[model._meta.label] += written
        self.report(model)
        return written

    def report(self, model: type[models.Model]) -> None:
        label = model._meta.label
        seconds = time.perf_counter() - self.started
        self.progress(f"{seconds:7.1f}s  {label}: {self.counts[label]:,}")


@dataclass
class Context:
    """What every step of the seeding shares."""

    organisation: Organisation
    slug: str
    rng: random.Random
    now: datetime
    plan: Plan
    writer: Writer
    password_hash: str
    areas: list[SupportArea]
    places: list[str]
    modules: list[TrainingModule]
    staff: dict[str, list[User]] = field(default_factory=dict)
    mentor_users: list[int] = field(default_factory=list)
    mentor_profiles: list[int] = field(default_factory=list)
    mentee_users: list[int] = field(default_factory=list)
    mentee_names: list[str] = field(default_factory=list)

    def coordinator(self) -> int:
        return self.rng.choice(self.staff[Role.COORDINATOR]).pk

    def supervisor_of(self, mentor: int) -> int:
        supervisors = self.staff[Role.SUPERVISOR]
        return supervisors[self.plan.mentors[mentor].supervisor].pk

    def token(self, kind: str, number: int) -> str:
        """A unique stand-in for a secret link's hash (nobody holds the link)."""
        return hashlib.sha256(f"seed/{self.slug}/{kind}/{number}".encode()).hexdigest()


def at_hour(day: datetime, hour: int) -> datetime:
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def name_for(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def email_for(ctx: Context, role: str, number: int, width: int) -> str:
    """``role@slug.example`` for the first of each role (the sign-in accounts), numbered after."""
    if number == 0:
        return f"{role}@{ctx.slug}.example"
    return f"{role}.{number:0{width}d}@{ctx.slug}.example"


def chance(ctx: Context, share: float) -> bool:
    return ctx.rng.random() < share


def active_pairs(ctx: Context) -> Iterator[tuple[Journey, Spell]]:
    for journey in ctx.plan.journeys:
        for spell in journey.spells:
            if spell.activated is not None:
                yield journey, spell


def until(ctx: Context, spell: Spell) -> datetime:
    """The end of the relationship so far: its ending, or now."""
    return spell.ended or ctx.now
