"""Seeing scores and change over time: the mentee's own page (calm words, no clinical labels),
the page about one person for their mentor, supervisor and staff (band labels, flags and how
change is judged), the same inside a relationship's pages, and programme-wide change for
coordinators with small groups withheld."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from accounts.access import membership_with_role, role_required
from accounts.models import Organisation, Role, User
from alongside.caching import kept
from mentoring.access import Viewer, relationship_for_page
from mentoring.navigation import layout_context
from outcomes import instruments as engine
from outcomes.access import MeasureViewer, for_page, person_access
from outcomes.charts import GREY, TEAL, WARM, Band, Bar, bar_chart, line_chart
from outcomes.models import MeasureResponse
from outcomes.selectors import (
    GROUP_WITHHELD,
    MIN_GROUP,
    WITHHELD,
    InstrumentChange,
    InstrumentProgress,
    person_progress,
    programme_change,
)
from outcomes.services.instruments import instruments_for

SECTION = "Questionnaires"


# What the pages show -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One completed response in a person's table of scores."""

    response: MeasureResponse
    value: int | None
    band: engine.Rule | None
    flags: list[engine.Rule]


@dataclass(frozen=True)
class Shown:
    """One instrument on a person's page: its progress, chart and table rows."""

    item: InstrumentProgress
    chart: SafeString | None
    rows: list[Row]

    @property
    def higher_is_better(self) -> bool:
        return self.item.definition.change.direction == engine.Direction.HIGHER_IS_BETTER

    @property
    def is_percentage(self) -> bool:
        return self.item.definition.change.basis == "percentage"


def _basis_of(condition: engine.Condition, definition: engine.Instrument) -> float | None:
    """A band's upper limit on the chart's scale (the change basis), if it has one there."""
    if condition.maximum is None or condition.minimum is not None:
        return None
    basis = definition.change.basis
    if condition.kind == basis:
        return condition.maximum
    if condition.kind == "total" and basis == "percentage" and definition.percentage_multiplier:
        return condition.maximum * definition.percentage_multiplier
    return None


def band_ranges(item: InstrumentProgress) -> list[Band]:
    """The instrument's bands as ranges of the chart's scale, for shading; none when a band
    cannot be drawn as one range (its rules test single answers only, say)."""
    bands: list[Band] = []
    low = float(item.scale_min)
    for rule in item.definition.bands:
        tops = [_basis_of(condition, item.definition) for condition in rule.conditions]
        usable = [top for top in tops if top is not None]
        if not rule.conditions:
            high = float(item.scale_max)
        elif usable and max(usable) >= low:
            high = max(usable)
        else:
            return []
        bands.append(Band(low=low - 0.5 if bands else low, high=high + 0.5, label=rule.label))
        low = high + 1
        if high >= item.scale_max:
            break
    return bands


def _chart(item: InstrumentProgress, *, name: str, staff: bool) -> SafeString | None:
    if not item.points:
        return None
    definition = item.definition
    same_year = len({point.date.year for point in item.points}) == 1
    label_format = "j M" if same_year else "M Y"
    points = [
        (dateformat.format(point.date, label_format), float(point.value)) for point in item.points
    ]
    unit = "%" if definition.change.basis == "percentage" else ""
    scores = ", ".join(
        f"{dateformat.format(point.date, 'j F Y')}: {point.value}{unit}" for point in item.points
    )
    return line_chart(
        points,
        y_min=item.scale_min,
        y_max=item.scale_max,
        title=f"{name} {definition.short_name} scores over time",
        description=f"Scores out of {item.scale_max}, oldest first. {scores}.",
        bands=band_ranges(item) if staff else None,
        higher_is_better=definition.change.direction == engine.Direction.HIGHER_IS_BETTER,
        chart_id=f"chart-{definition.key}",
    )


def _rows(item: InstrumentProgress) -> list[Row]:
    definition = item.definition
    percentage = definition.change.basis == "percentage"
    return [
        Row(
            response=response,
            value=response.percentage if percentage else response.total,
            band=definition.band(response.band) if response.total is not None else None,
            flags=[rule for rule in definition.flags if rule.key in (response.flags or [])],
        )
        for response in item.responses
    ]


def _shown(person: User, organisation: Organisation, *, name: str, staff: bool) -> dict[str, Any]:
    progress = person_progress(person, organisation)
    return {
        "progress": progress,
        "shown": [
            Shown(item=item, chart=_chart(item, name=name, staff=staff), rows=_rows(item))
            for item in progress.instruments
        ],
    }


def _mine_context(user: User, organisation: Organisation) -> dict[str, Any]:
    return _shown(user, organisation, name="Your", staff=False)


def _person_context(
    person: User, organisation: Organisation, *, viewer: MeasureViewer, name: str
) -> dict[str, Any]:
    context = _shown(person, organisation, name=f"{name}'s", staff=True)
    context.update(
        {
            "person": person,
            "person_name": name,
            "viewer": viewer,
            "is_mentor": viewer == MeasureViewer.MENTOR,
            "is_staff": viewer == MeasureViewer.STAFF,
            "instruments": list(instruments_for(organisation))
            if viewer == MeasureViewer.STAFF
            else [],
        }
    )
    return context


# Pages -------------------------------------------------------------------------------------------


@role_required(Role.MENTEE)
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The mentee's own questionnaires: what is due, and their scores over time."""
    user, membership = for_page(request)
    assert membership is not None
    context = _mine_context(user, membership.organisation)
    return render(request, "outcomes/progress/mine.html", context)


@login_required
@require_GET
def person(request: HttpRequest, person_pk: int) -> HttpResponse:
    """One mentee's scores for their mentor, their mentor's supervisor and staff."""
    user, membership = for_page(request)
    if membership is not None and membership.role == Role.MENTEE and user.pk == person_pk:
        return redirect("outcomes:mine")
    access = person_access(
        user,
        membership,
        person_pk,
        allow=(MeasureViewer.MENTOR, MeasureViewer.SUPERVISOR, MeasureViewer.STAFF),
    )
    context = _person_context(
        access.person,
        access.membership.organisation,
        viewer=access.viewer,
        name=access.person_name,
    )
    return render(request, "outcomes/progress/person.html", context)


_AS_MEASURE_VIEWER = {
    Viewer.MENTOR: MeasureViewer.MENTOR,
    Viewer.SUPERVISOR: MeasureViewer.SUPERVISOR,
    Viewer.STAFF: MeasureViewer.STAFF,
}


@login_required
@require_GET
def relationship(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaires section of a relationship: the mentee sees their own page; the
    others see the mentee's scores as on the person page."""
    access = relationship_for_page(
        request, pk, allow=(Viewer.MENTOR, Viewer.MENTEE, Viewer.SUPERVISOR, Viewer.STAFF)
    )
    organisation = access.relationship.organisation
    if access.is_mentee:
        context = _mine_context(access.user, organisation)
    else:
        context = _person_context(
            access.relationship.mentee,
            organisation,
            viewer=_AS_MEASURE_VIEWER[access.viewer],
            name=access.mentee_name,
        )
    context.update(layout_context(access, SECTION))
    return render(request, "outcomes/progress/relationship.html", context)


@dataclass(frozen=True)
class ProgrammeRow:
    change: InstrumentChange
    chart: SafeString | None
    reliable_change: str
    clinical_range: str
    direction: str
    scale: str


def _condition_words(condition: engine.Condition | None, basis: str) -> str:
    if condition is None:
        return ""
    what = "a percentage score" if basis == "percentage" else "a total"
    low, high = condition.minimum, condition.maximum
    if low is not None and high is not None:
        return f"{what} from {low:g} to {high:g}"
    if low is not None:
        return f"{what} of {low:g} or more"
    if high is not None:
        return f"{what} of {high:g} or less"
    return ""


def _programme_row(change: InstrumentChange) -> ProgrammeRow:
    rules = change.definition.change
    chart = None
    if not change.withheld:
        chart = bar_chart(
            [
                Bar("Improved", change.improved.percent, TEAL, WITHHELD),
                Bar("No reliable change", change.no_reliable_change.percent, GREY, WITHHELD),
                Bar("Deteriorated", change.deteriorated.percent, WARM, WITHHELD),
            ],
            title=f"{change.definition.short_name}: change from first to latest score",
            description=(
                f"Of {change.people} people: improved {change.improved}, no reliable change "
                f"{change.no_reliable_change}, deteriorated {change.deteriorated}. "
                "The same figures are in the table above."
            ),
            chart_id=f"bars-{change.definition.key}",
        )
    unit = "percentage points" if rules.basis == "percentage" else "points"
    definition = change.definition
    lowest, highest = definition.lowest * len(definition.items), definition.max_total
    if rules.basis == "percentage":
        multiplier = definition.percentage_multiplier or 1
        scale = f"Scores are percentages from {lowest * multiplier} to {highest * multiplier}"
    else:
        scale = f"Scores are totals from {lowest} to {highest}"
    return ProgrammeRow(
        change=change,
        chart=chart,
        reliable_change=f"{rules.reliable_change:g} {unit}",
        clinical_range=_condition_words(rules.caseness, rules.basis),
        direction=(
            "Higher scores are better"
            if rules.direction == engine.Direction.HIGHER_IS_BETTER
            else "Lower scores are better"
        ),
        scale=scale,
    )


PROGRAMME_KEEP_SECONDS = 300


@role_required(Role.COORDINATOR, Role.ADMIN)
@require_GET
def programme(request: HttpRequest) -> HttpResponse:
    """Programme-wide change per instrument, judged with the reliable change index."""
    membership = membership_with_role(request, (Role.COORDINATOR, Role.ADMIN))
    organisation = membership.organisation
    # Worked out over every response the programme has: kept a few minutes, as reports are.
    changes, worked_out_at = kept(
        f"outcomes:programme:{organisation.pk}",
        PROGRAMME_KEEP_SECONDS,
        lambda: programme_change(organisation),
    )
    return render(
        request,
        "outcomes/progress/programme.html",
        {
            "rows": [_programme_row(change) for change in changes],
            "group_withheld": GROUP_WITHHELD,
            "min_group": MIN_GROUP,
            "worked_out_at": worked_out_at,
            "kept_minutes": PROGRAMME_KEEP_SECONDS // 60,
        },
    )
