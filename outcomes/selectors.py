"""Reads for seeing scores and change over time: one person's series per instrument, what is
due for them now, and programme-wide change with small groups withheld.

Each function runs a fixed number of queries however many responses there are: one person's
responses are fetched in one ordered query and grouped in Python; programme figures are worked
out by the database (window functions and conditional aggregates), never row by row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Aggregate, Avg, Count, F, Q, QuerySet, RowRange, Sum, Window
from django.db.models.functions import FirstValue, LastValue, RowNumber
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


def scored_responses(
    organisation: Organisation,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    people: Q | None = None,
) -> QuerySet[MeasureResponse]:
    """Completed, scored responses that programme figures may use: everyone who said no to
    their answers being used in reports is left out at once. ``since`` (included) and
    ``until`` (excluded) bound ``completed_at``; ``people`` is a filter on the response (its
    person, say), so callers such as reports can narrow the programme to a team or area."""
    scores = MeasureResponse.objects.filter(
        allowed_people_q(Purpose.PROGRAMME_EVALUATION),
        organisation=organisation,
        completed_at__isnull=False,
        total__isnull=False,
    )
    if since is not None:
        scores = scores.filter(completed_at__gte=since)
    if until is not None:
        scores = scores.filter(completed_at__lt=until)
    if people is not None:
        scores = scores.filter(people)
    return scores


def first_and_latest(scores: QuerySet[MeasureResponse]) -> QuerySet[MeasureResponse]:
    """One row per person and instrument with any of ``scores``: how many there are
    (``scores``; change needs two or more), the first and the latest total and percentage
    (``first_total``, ``latest_percentage``…) and the change between them on each basis
    (``change_total``, ``change_percentage``). Window functions pick them out, so the
    database does the work whatever the number of responses.

    Every window shares one order (person, instrument, oldest first), so the database sorts
    the responses once (or reads them in order from the ``(person, instrument, completed_at)``
    index); the latest values are the last of the whole partition."""
    partition = [F("person_id"), F("instrument_id")]
    oldest_first = [F("completed_at").asc(), F("pk").asc()]
    whole = RowRange(start=None, end=None)

    def window(expression: Any) -> Window:
        # The same frame everywhere (row numbers ignore it), so one pass computes them all.
        return Window(expression, partition_by=partition, order_by=oldest_first, frame=whole)

    return (
        scores.order_by()
        .annotate(
            position=window(RowNumber()),
            scores=window(Count("pk")),
            first_total=window(FirstValue("total")),
            latest_total=window(LastValue("total")),
            first_percentage=window(FirstValue("percentage")),
            latest_percentage=window(LastValue("percentage")),
        )
        .annotate(
            change_total=F("latest_total") - F("first_total"),
            change_percentage=F("latest_percentage") - F("first_percentage"),
        )
        .filter(position=1)
    )


def _in_range(field: str, condition: engine.Condition) -> Q:
    """``condition``'s range as a filter on ``field`` (as ``engine.in_clinical_range`` tests
    it: on the value of the change basis)."""
    bounds = Q()
    if condition.minimum is not None:
        bounds &= Q(**{f"{field}__gte": condition.minimum})
    if condition.maximum is not None:
        bounds &= Q(**{f"{field}__lte": condition.maximum})
    return bounds


def _change_aggregates(instrument: Instrument) -> dict[str, Aggregate]:
    """The sums behind one instrument's ``InstrumentChange``, judged in SQL by its change rules
    exactly as ``engine.compare`` judges one person: a change of at least the reliable change,
    in the better or worse direction; recovery from inside the clinical range to outside."""
    rules = definition_of(instrument).change
    first, latest, change = (f"{name}_{rules.basis}" for name in ("first", "latest", "change"))
    paired = Q(
        instrument_id=instrument.pk,
        scores__gte=2,
        **{f"{first}__isnull": False, f"{latest}__isnull": False},
    )
    threshold = rules.reliable_change
    higher = Q(**{f"{change}__gte": threshold})
    lower = Q(**{f"{change}__lte": -threshold})
    better, worse = (
        (higher, lower) if rules.direction == engine.Direction.HIGHER_IS_BETTER else (lower, higher)
    )
    prefix = f"i{instrument.pk}_"
    aggregates: dict[str, Aggregate] = {
        "people": Count("pk", filter=paired),
        "first": Avg(first, filter=paired),
        "latest": Avg(latest, filter=paired),
        "change": Avg(change, filter=paired),
        "improved": Count("pk", filter=paired & better),
        "deteriorated": Count("pk", filter=paired & worse),
    }
    if rules.caseness is not None:
        clinical = paired & _in_range(first, rules.caseness)
        aggregates["clinical"] = Count("pk", filter=clinical)
        aggregates["recovered"] = Count(
            "pk", filter=clinical & better & ~_in_range(latest, rules.caseness)
        )
    return {prefix + name: aggregate for name, aggregate in aggregates.items()}


def _rounded(value: float | None, shown: bool) -> float | None:
    return round(float(value), 1) if shown and value is not None else None


def _instrument_change(
    instrument: Instrument, sums: dict[str, Any], completed: int, closed: int
) -> InstrumentChange:
    prefix = f"i{instrument.pk}_"

    def summed(name: str) -> Any:
        return sums.get(prefix + name) or 0

    people = summed("people")
    improved_count, deteriorated_count = summed("improved"), summed("deteriorated")
    clinical, recovered = summed("clinical"), summed("recovered")
    improved, unchanged, deteriorated = _complementary(
        [
            Share.of_group(improved_count, people),
            Share.of_group(people - improved_count - deteriorated_count, people),
            Share.of_group(deteriorated_count, people),
        ]
    )
    started = Share.of_split(clinical, people)
    recovery = Share.of_split(recovered, clinical)
    shown = people >= MIN_GROUP
    return InstrumentChange(
        instrument=instrument,
        definition=definition_of(instrument),
        people=people,
        mean_first=_rounded(sums.get(prefix + "first"), shown),
        mean_latest=_rounded(sums.get(prefix + "latest"), shown),
        mean_change=_rounded(sums.get(prefix + "change"), shown),
        improved=improved,
        no_reliable_change=unchanged,
        deteriorated=deteriorated,
        started_in_clinical_range=started,
        reliable_recovery=recovery.hide() if started.withheld else recovery,
        completion=Share.of_group(completed, closed),
    )


@dataclass(frozen=True)
class ProgrammeFigures:
    """``programme_change`` with two totals worked out by the same query: how many people
    completed an instrument twice or more, and how many scored responses there were."""

    changes: list[InstrumentChange]
    people: int
    responses: int


def programme_change(
    organisation: Organisation,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    people: Q | None = None,
) -> list[InstrumentChange]:
    """Per instrument the organisation uses (scheduled, or with responses), in name order
    (three queries however many responses): see ``programme_figures``."""
    return programme_figures(organisation, since=since, until=until, people=people).changes


def programme_figures(
    organisation: Organisation,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    people: Q | None = None,
) -> ProgrammeFigures:
    """Change per instrument the organisation uses (scheduled, or with responses), in name
    order, and the totals (three queries however many responses).

    Change is from each person's first to latest scored response; with ``since`` and
    ``until``, among responses completed in that time, and completion among requests due in
    it (otherwise all responses, and requests due in the last year). ``people`` narrows both
    to some people: a filter on the ``person`` of a response or request."""
    scores = scored_responses(organisation, since=since, until=until, people=people)
    requests = MeasureRequest.objects.filter(
        organisation=organisation,
        status__in=[RequestStatus.COMPLETED, RequestStatus.EXPIRED],
        due_on__gte=(
            timezone.localdate(since)
            if since is not None
            else timezone.localdate() - timedelta(days=COMPLETION_DAYS)
        ),
    )
    if until is not None:
        requests = requests.filter(due_on__lt=timezone.localdate(until))
    if people is not None:
        requests = requests.filter(people)
    closed = (
        requests.order_by()
        .values("instrument_id")
        .annotate(
            completed=Count("pk", filter=Q(status=RequestStatus.COMPLETED)), closed=Count("pk")
        )
    )
    completion = {row["instrument_id"]: (row["completed"], row["closed"]) for row in closed}
    scheduled = MeasureSchedule.objects.filter(organisation=organisation, is_active=True).values(
        "instrument_id"
    )
    instruments = list(
        Instrument.objects.filter(
            Q(pk__in=scheduled)
            | Q(pk__in=scores.values("instrument_id"))
            | Q(pk__in=list(completion))
        ).order_by("short_name", "pk")
    )
    aggregates: dict[str, Aggregate] = {
        "people": Count("person_id", distinct=True, filter=Q(scores__gte=2)),
        "responses": Sum("scores"),
    }
    for instrument in instruments:
        aggregates.update(_change_aggregates(instrument))
    # Without instruments there are no scores either: nothing to ask the database.
    sums = first_and_latest(scores).aggregate(**aggregates) if instruments else {}
    changes = [
        _instrument_change(instrument, sums, *completion.get(instrument.pk, (0, 0)))
        for instrument in instruments
    ]
    return ProgrammeFigures(
        changes, people=sums.get("people") or 0, responses=sums.get("responses") or 0
    )
