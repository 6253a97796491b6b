"""Reads for seeing scores and change over time: one person's series per instrument, what is
due for them now, and programme-wide change with small groups withheld.

Each function runs a fixed number of queries however many responses there are: responses are
fetched in one ordered query and grouped in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import mean

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import Organisation, User
from outcomes import instruments as engine
from outcomes.models import (
    Instrument,
    MeasureRequest,
    MeasureResponse,
    MeasureSchedule,
    RequestStatus,
)
from outcomes.services.instruments import definition_of
from privacy.consent import allowed_people_q
from privacy.models import Purpose

# Programme figures about fewer people than this are not shown, so nobody can be picked out.
MIN_GROUP = 5
WITHHELD = "fewer than 5"
GROUP_WITHHELD = "Fewer than 5 people — not shown to protect privacy"
# Completion is judged over requests due in the last year.
COMPLETION_DAYS = 365


# One person --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One scored response, as a point on the person's chart for that instrument."""

    response_pk: int
    completed_at: datetime
    total: int
    percentage: int | None
    # The score on the instrument's change basis (total, or percentage for the WHO-5).
    value: int
    band: str
    flags: tuple[str, ...]

    @property
    def date(self) -> date:
        return timezone.localdate(self.completed_at)


@dataclass
class InstrumentProgress:
    """One instrument in one person's history: every completed response (newest first, scored
    or not) and the scored ones as a series (oldest first)."""

    instrument: Instrument
    definition: engine.Instrument
    responses: list[MeasureResponse] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)

    @property
    def first(self) -> Point | None:
        return self.points[0] if self.points else None

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def change(self) -> engine.Change | None:
        """How the latest score compares with the first, once there are two."""
        if len(self.points) < 2:
            return None
        return engine.compare(self.definition, self.points[0].value, self.points[-1].value)

    @property
    def latest_band(self) -> engine.Rule | None:
        latest = self.latest
        return self.definition.band(latest.band) if latest is not None else None

    @property
    def latest_flags(self) -> list[engine.Rule]:
        latest = self.latest
        if latest is None:
            return []
        return [rule for rule in self.definition.flags if rule.key in latest.flags]

    @property
    def scale_max(self) -> int:
        """The highest possible score on the change basis (the top of the chart)."""
        if self.definition.change.basis == "percentage":
            return self.definition.max_total * (self.definition.percentage_multiplier or 1)
        return self.definition.max_total

    @property
    def scale_min(self) -> int:
        lowest = self.definition.lowest * len(self.definition.items)
        if self.definition.change.basis == "percentage":
            return lowest * (self.definition.percentage_multiplier or 1)
        return lowest


@dataclass(frozen=True)
class PersonProgress:
    instruments: list[InstrumentProgress]
    open_requests: list[MeasureRequest]

    @property
    def has_responses(self) -> bool:
        return bool(self.instruments)


def _basis_value(response: MeasureResponse, definition: engine.Instrument) -> int | None:
    if definition.change.basis == "percentage":
        return response.percentage
    return response.total


def _point(response: MeasureResponse, definition: engine.Instrument) -> Point | None:
    value = _basis_value(response, definition)
    if response.total is None or value is None or response.completed_at is None:
        return None
    return Point(
        response_pk=response.pk,
        completed_at=response.completed_at,
        total=response.total,
        percentage=response.percentage,
        value=value,
        band=response.band,
        flags=tuple(response.flags or ()),
    )


def _completed(person: User) -> QuerySet[MeasureResponse]:
    return MeasureResponse.objects.filter(person=person, completed_at__isnull=False).order_by(
        "completed_at", "pk"
    )


def scored_series(person: User, instrument: Instrument) -> list[Point]:
    """The person's scored responses to ``instrument``, oldest first (one query)."""
    definition = definition_of(instrument)
    responses = _completed(person).filter(instrument=instrument, total__isnull=False)
    return [point for point in (_point(r, definition) for r in responses) if point is not None]


def open_requests_for(
    person: User, organisation: Organisation | None = None
) -> list[MeasureRequest]:
    """What the person is asked to complete now (due today or earlier, still open), oldest
    first, with each one's started response if any (one query)."""
    requests = MeasureRequest.objects.filter(
        person=person, status__in=RequestStatus.open(), due_on__lte=timezone.localdate()
    )
    if organisation is not None:
        requests = requests.filter(organisation=organisation)
    return list(requests.select_related("instrument").order_by("due_on", "pk"))


def person_progress(person: User, organisation: Organisation) -> PersonProgress:
    """Every instrument the person has completed at least once in ``organisation``, in name
    order, and what is due for them now (two queries)."""
    responses = (
        _completed(person).filter(organisation=organisation).select_related("instrument", "request")
    )
    by_instrument: dict[int, InstrumentProgress] = {}
    for response in responses:
        item = by_instrument.get(response.instrument_id)
        if item is None:
            item = by_instrument[response.instrument_id] = InstrumentProgress(
                instrument=response.instrument, definition=definition_of(response.instrument)
            )
        item.responses.append(response)
        point = _point(response, item.definition)
        if point is not None:
            item.points.append(point)
    for item in by_instrument.values():
        item.responses.reverse()  # the table lists the newest first
    ordered = sorted(by_instrument.values(), key=lambda item: item.instrument.short_name)
    return PersonProgress(
        instruments=ordered, open_requests=open_requests_for(person, organisation)
    )


# The programme -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """A count out of a group, shown with its percentage unless it could identify someone:
    counts from 1 to 4, or any count from a group smaller than 5, are withheld."""

    count: int
    of: int
    withheld: bool = False

    @classmethod
    def of_group(cls, count: int, of: int) -> Share:
        return cls(count, of, withheld=0 < of < MIN_GROUP or 0 < count < MIN_GROUP)

    @classmethod
    def of_split(cls, count: int, of: int) -> Share:
        """A count of a group split in two, where the rest (``of - count``) is implied and so
        must not be between 1 and 4 either."""
        share = cls.of_group(count, of)
        return share.hide() if 0 < of - count < MIN_GROUP else share

    @property
    def percent(self) -> int | None:
        if self.withheld or not self.of:
            return None
        return round(self.count * 100 / self.of)

    def hide(self) -> Share:
        return Share(self.count, self.of, withheld=True)

    def __str__(self) -> str:
        if self.withheld:
            return WITHHELD
        return f"{self.count} ({self.percent}%)" if self.of else "none"


@dataclass(frozen=True)
class InstrumentChange:
    """Change on one instrument across the programme: first and latest score of everyone with
    two or more scored responses. ``withheld`` when fewer than 5 people: then nothing but
    ``completion`` (itself withheld when fewer than 5 requests closed) may be shown."""

    instrument: Instrument
    definition: engine.Instrument
    people: int
    mean_first: float | None
    mean_latest: float | None
    mean_change: float | None
    improved: Share
    no_reliable_change: Share
    deteriorated: Share
    started_in_clinical_range: Share
    # Among those who started in the clinical range.
    reliable_recovery: Share
    completion: Share

    @property
    def withheld(self) -> bool:
        return self.people < MIN_GROUP


def _complementary(shares: list[Share]) -> list[Share]:
    """If exactly one share of a whole is withheld, the others would give it away by
    subtraction: withhold the smallest of the rest as well."""
    withheld = [share for share in shares if share.withheld]
    if len(withheld) != 1:
        return shares
    shown = [share for share in shares if not share.withheld]
    smallest = min(shown, key=lambda share: share.count)
    return [share.hide() if share is smallest else share for share in shares]


def _instrument_change(
    instrument: Instrument, pairs: list[tuple[int, int]], completed: int, closed: int
) -> InstrumentChange:
    definition = definition_of(instrument)
    changes = [engine.compare(definition, first, last) for first, last in pairs]
    people = len(changes)
    counts = {kind: sum(1 for c in changes if c.kind == kind) for kind in engine.ChangeKind}
    clinical = sum(1 for first, _ in pairs if engine.in_clinical_range(definition, first))
    recovered = sum(1 for c in changes if c.reliable_recovery)
    improved, unchanged, deteriorated = _complementary(
        [
            Share.of_group(counts[engine.ChangeKind.IMPROVED], people),
            Share.of_group(counts[engine.ChangeKind.NO_RELIABLE_CHANGE], people),
            Share.of_group(counts[engine.ChangeKind.DETERIORATED], people),
        ]
    )
    started = Share.of_split(clinical, people)
    recovery = Share.of_split(recovered, clinical)
    shown = people >= MIN_GROUP
    return InstrumentChange(
        instrument=instrument,
        definition=definition,
        people=people,
        mean_first=round(mean(first for first, _ in pairs), 1) if shown else None,
        mean_latest=round(mean(last for _, last in pairs), 1) if shown else None,
        mean_change=round(mean(last - first for first, last in pairs), 1) if shown else None,
        improved=improved,
        no_reliable_change=unchanged,
        deteriorated=deteriorated,
        started_in_clinical_range=started,
        reliable_recovery=recovery.hide() if started.withheld else recovery,
        completion=Share.of_group(completed, closed),
    )


@dataclass
class _Seen:
    """One person's first and latest score on one instrument, and how many scores."""

    first: tuple[int | None, int | None]
    latest: tuple[int | None, int | None]
    count: int = 1


def programme_change(organisation: Organisation) -> list[InstrumentChange]:
    """Per instrument the organisation uses (scheduled, or with responses), in name order
    (three queries however many responses)."""
    scores = (
        MeasureResponse.objects.filter(
            # Leaves out, at once, everyone who said no to their answers being used in reports.
            allowed_people_q(Purpose.PROGRAMME_EVALUATION),
            organisation=organisation,
            completed_at__isnull=False,
            total__isnull=False,
        )
        .order_by("instrument_id", "person_id", "completed_at", "pk")
        .values_list("instrument_id", "person_id", "total", "percentage")
    )
    since = timezone.localdate() - timedelta(days=COMPLETION_DAYS)
    closed = (
        MeasureRequest.objects.filter(
            organisation=organisation,
            status__in=[RequestStatus.COMPLETED, RequestStatus.EXPIRED],
            due_on__gte=since,
        )
        .order_by()
        .values("instrument_id")
        .annotate(
            completed=Count("pk", filter=Q(status=RequestStatus.COMPLETED)), closed=Count("pk")
        )
    )
    completion = {row["instrument_id"]: (row["completed"], row["closed"]) for row in closed}
    # instrument -> person -> [first, latest, how many], scores as (total, percentage)
    series: dict[int, dict[int, _Seen]] = defaultdict(dict)
    for instrument_id, person_id, total, percentage in scores:
        seen = series[instrument_id].get(person_id)
        if seen is None:
            series[instrument_id][person_id] = _Seen((total, percentage), (total, percentage))
        else:
            seen.latest = (total, percentage)
            seen.count += 1
    scheduled = MeasureSchedule.objects.filter(organisation=organisation, is_active=True).values(
        "instrument_id"
    )
    instruments = Instrument.objects.filter(
        Q(pk__in=scheduled) | Q(pk__in=list(series)) | Q(pk__in=list(completion))
    ).order_by("short_name", "pk")
    found = []
    for instrument in instruments:
        index = 1 if definition_of(instrument).change.basis == "percentage" else 0
        pairs = [
            (seen.first[index], seen.latest[index])
            for seen in series[instrument.pk].values()
            if seen.count >= 2
        ]
        found.append(
            _instrument_change(
                instrument,
                [(first, last) for first, last in pairs if first is not None and last is not None],
                *completion.get(instrument.pk, (0, 0)),
            )
        )
    return found
