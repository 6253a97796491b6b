"""The care people receive and what it changes: safeguarding alerts and how fast someone
responded, change on the outcome questionnaires, and coping skills practised, for one slice of
the programme (``ReportFilter``).

Each section counts with one ``aggregate`` per table (a filtered ``Count`` per bucket) and
works out medians with ``reports.stats.percentiles``; outcome change comes from
``outcomes.selectors.programme_figures``, so the report and the outcomes programme page judge
change the same way. The number of queries stays the same however big the programme grows.
With a team or area chosen, each section counts only the mentees of relationships in it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from outcomes import instruments as engine
from outcomes.selectors import (
    InstrumentChange,
    Share,
    programme_figures,
)
from privacy.consent import allowed_people_q
from privacy.models import Purpose
from reports.filters import ReportFilter
from reports.stats import as_days, percentiles
from reports.tables import Chart, Headline, Section, Table, Value
from safeguarding.models import Alert, AlertLevel, AlertStatus
from toolkit.models import Practice

MEDIAN = 0.5
MINUTES_A_DAY = 1440
SPLIT_NOTE = "Only {what} mentees of relationships in the chosen team or area are counted."


def _split_note(report_filter: ReportFilter, what: str) -> str:
    return SPLIT_NOTE.format(what=what) if report_filter.is_split else ""


# Alerts ------------------------------------------------------------------------------------------

# Most serious first, as the safeguarding queue lists them.
LEVELS = (AlertLevel.URGENT, AlertLevel.HIGH, AlertLevel.CONCERN)
# The levels whose deadline is counted in minutes: the headline's "answered in time".
QUICK_LEVELS = (AlertLevel.URGENT, AlertLevel.HIGH)
TIME_TO_RESPOND = ExpressionWrapper(
    F("acknowledged_at") - F("created_at"), output_field=DurationField()
)
# Someone said they were responding by the deadline. An escalated alert had already missed its
# deadline (escalation gives it a new one, so ``due_at`` alone would hide the miss).
IN_TIME = Q(
    acknowledged_at__isnull=False,
    due_at__isnull=False,
    escalated_at__isnull=True,
    acknowledged_at__lte=F("due_at"),
)


def _too_late(now: datetime) -> Q:
    """The deadline passed with nobody responding: escalated, responded to after it, or still
    waiting with the deadline gone. Alerts still within their deadline are in neither."""
    return Q(due_at__isnull=False) & (
        Q(escalated_at__isnull=False)
        | Q(acknowledged_at__gt=F("due_at"))
        | Q(acknowledged_at__isnull=True, due_at__lte=now)
    )


def _minutes(duration: Any, group: int) -> Value:
    days = as_days(duration)
    return Value.measure(
        None if days is None else days * MINUTES_A_DAY, group, unit="minutes", places=0
    )


def alerts_section(report_filter: ReportFilter) -> Section:
    """Alerts raised in the period by level: how many, how fast someone said they were
    responding, whether that was by the deadline, and how many still wait for a response."""
    period = report_filter.period
    alerts = Alert.objects.filter(
        report_filter.people("person"),
        organisation=report_filter.organisation,
        created_at__gte=period.since,
        created_at__lt=period.until,
    )
    late = _too_late(timezone.now())
    buckets: dict[str, Q] = {}
    for level in LEVELS:
        at_level = Q(level=level)
        buckets |= {
            f"{level}_raised": at_level,
            f"{level}_in_time": at_level & IN_TIME,
            f"{level}_late": at_level & late,
            f"{level}_waiting": at_level & Q(status=AlertStatus.OPEN),
        }
    counts = alerts.aggregate(**{key: Count("pk", filter=q) for key, q in buckets.items()})
    rows = []
    for level in LEVELS:
        raised = counts[f"{level}_raised"]
        responded, middle = percentiles(
            alerts.filter(level=level, acknowledged_at__isnull=False), TIME_TO_RESPOND, [MEDIAN]
        )
        rows.append(
            (
                AlertLevel(level).label,
                Value.count(raised),
                _minutes(middle[MEDIAN], responded),
                Value.share(counts[f"{level}_in_time"], raised),
                Value.share(counts[f"{level}_late"], raised),
                Value.count(counts[f"{level}_waiting"]),
            )
        )
    quick_raised = sum(counts[f"{level}_raised"] for level in QUICK_LEVELS)
    quick_in_time = sum(counts[f"{level}_in_time"] for level in QUICK_LEVELS)
    by_level = Table(
        key="alerts_by_level",
        caption="Safeguarding alerts raised in the period, by level",
        columns=(
            "Level",
            "Alerts raised",
            "Median time to respond",
            "Responded to by the deadline",
            "Missed the deadline",
            "Still waiting for a response now",
        ),
        rows=tuple(rows),
        chart=Chart(kind="bars", column=1),
        note=(
            "Time to respond: from the alert being raised to someone saying they are "
            "responding. Alerts still within their deadline count in neither share."
        ),
    )
    return Section(
        key="alerts",
        title="Safeguarding alerts",
        headlines=(
            Headline(
                "alerts_raised",
                "Alerts raised",
                Value.count(sum(counts[f"{level}_raised"] for level in LEVELS)),
            ),
            Headline(
                "alerts_in_time",
                "Urgent and high alerts responded to by the deadline",
                Value.share(quick_in_time, quick_raised),
                note="Someone said they were responding before the deadline passed.",
            ),
        ),
        tables=(by_level,),
        note=(
            f"Alerts raised from {period}. The deadline is the one the organisation's response "
            "times set for the alert's level (brought forward if a more serious sign raised "
            "it); an alert that was escalated missed its deadline, whatever happened next. "
            "Still waiting: nobody has said they are responding yet, today. Counts of 1 to 4 "
            "alerts, and figures from so few, are not shown."
        ),
        filter_note=_split_note(report_filter, "alerts about"),
    )


# Outcomes ----------------------------------------------------------------------------------------


def _share(share: Share) -> Value:
    """An outcomes ``Share`` as a ``Value``, withheld exactly when the outcomes programme page
    withholds it (including a share that would give a withheld one away)."""
    if share.withheld:
        return Value.withheld_value("%")
    percent = share.percent
    if percent is None:
        return Value.missing("%")
    return Value(percent, f"{percent}% ({share.count:,} of {share.of:,})", unit="%")


def _unit(definition: engine.Instrument) -> str:
    return "percentage points" if definition.change.basis == "percentage" else "points"


def _outcome_row(change: InstrumentChange) -> tuple[str, Value, Value, Value, Value]:
    return (
        change.instrument.short_name,
        Value.count(change.people),
        Value.measure(change.mean_change, change.people, unit=_unit(change.definition)),
        _share(change.improved),
        _share(change.deteriorated),
    )


def _rule_words(change: InstrumentChange) -> str:
    rules = change.definition.change
    better = "lower" if rules.direction == engine.Direction.LOWER_IS_BETTER else "higher"
    threshold = f"{rules.reliable_change:g} {_unit(change.definition)}"
    return f"{change.instrument.short_name}: {threshold}, {better} is better"


def outcomes_section(report_filter: ReportFilter) -> Section:
    """Change per questionnaire from each person's first to latest score in the period, judged
    with each instrument's reliable change (as on the outcomes programme page)."""
    period = report_filter.period
    people = report_filter.people("person")
    options: dict[str, Any] = {"since": period.since, "until": period.until, "people": people}
    figures = programme_figures(report_filter.organisation, **options)
    changes = figures.changes
    table = Table(
        key="outcomes_by_instrument",
        caption="Change on each questionnaire, first to latest score in the period",
        columns=(
            "Questionnaire",
            "People completing",
            "Mean change",
            "Reliably improved",
            "Reliably deteriorated",
        ),
        rows=tuple(_outcome_row(change) for change in changes),
        chart=Chart(kind="bars", column=3, unit="%"),
        note="Reliable change: " + "; ".join(_rule_words(change) for change in changes) + "."
        if changes
        else "",
    )
    return Section(
        key="outcomes",
        title="Outcomes",
        headlines=(
            Headline(
                "outcomes_people",
                "People with change measured",
                Value.count(figures.people),
                note="Completed the same questionnaire twice or more in the period.",
            ),
            Headline(
                "outcomes_completed",
                "Questionnaires completed",
                Value.count(figures.responses),
                note="With a score, in the period.",
            ),
        ),
        tables=(table,),
        note=(
            f"Questionnaires completed from {period}. People completing: those with two or "
            "more scored answers to the same questionnaire in the period; change is from their "
            "first to their latest. A change counts as reliable when it is at least the "
            "questionnaire's threshold, beyond what measurement error explains. People who said "
            "no to their answers being used in reports are left out. Figures from fewer than 5 "
            "people are not shown, nor a share that would give one away."
        ),
        filter_note=_split_note(report_filter, "the answers of"),
    )


# Skills ------------------------------------------------------------------------------------------

TOP_SKILLS = 10
SMALLEST_GROUP = 5
HELPFULNESS_UNIT = "out of 5"


def _practices(report_filter: ReportFilter) -> QuerySet[Practice]:
    period = report_filter.period
    return Practice.objects.filter(
        report_filter.people("entry__person"),
        allowed_people_q(Purpose.PROGRAMME_EVALUATION, "entry__person"),
        entry__organisation=report_filter.organisation,
        practised_on__gte=period.start,
        practised_on__lte=period.end,
    )


PRACTICE_FIGURES = {
    "practices": Count("pk"),
    "people": Count("entry__person", distinct=True),
    "helpfulness": Avg("helpfulness"),
}


def _skill_row(title: str, figures: dict[str, Any]) -> tuple[str, Value, Value, Value]:
    return (
        title,
        Value.count(figures["practices"]),
        Value.count(figures["people"]),
        Value.measure(figures["helpfulness"], figures["people"], unit=HELPFULNESS_UNIT),
    )


def skills_section(report_filter: ReportFilter) -> Section:
    """Coping skills practised in the period: how often, by how many people, how helpful they
    found them, and the most practised skills."""
    period = report_filter.period
    practices = _practices(report_filter)
    overall = practices.aggregate(**PRACTICE_FIGURES)
    top = list(
        practices.values("entry__skill_id", "entry__skill__title")
        .annotate(**PRACTICE_FIGURES)
        .filter(Q(people__gte=SMALLEST_GROUP))
        .order_by("-practices", "entry__skill__title", "entry__skill_id")[:TOP_SKILLS]
    )
    rows = [_skill_row(row["entry__skill__title"], row) for row in top]
    rest = practices.exclude(entry__skill_id__in=[row["entry__skill_id"] for row in top]).aggregate(
        **PRACTICE_FIGURES
    )
    if rest["practices"]:
        rows.append(_skill_row("Other skills", rest))
    table = Table(
        key="skills_most_practised",
        caption="The most practised skills in the period",
        columns=("Skill", "Practices", "People practising", "Mean helpfulness"),
        rows=tuple(rows),
        chart=Chart(kind="bars", column=1),
        note=(
            f"Up to {TOP_SKILLS} skills practised by at least {SMALLEST_GROUP} people, most "
            "practised first. Every other skill, including any practised by fewer than "
            f"{SMALLEST_GROUP} people, is counted in “Other skills” and never named."
        ),
    )
    return Section(
        key="skills",
        title="Skills practised",
        headlines=(
            Headline(
                "skills_practices", "Times skills were practised", Value.count(overall["practices"])
            ),
            Headline("skills_people", "People practising", Value.count(overall["people"])),
            Headline(
                "skills_helpfulness",
                "Mean helpfulness",
                Value.measure(overall["helpfulness"], overall["people"], unit=HELPFULNESS_UNIT),
                note="1 is not helpful, 5 very helpful.",
            ),
        ),
        tables=(table,),
        note=(
            f"Practices logged for days from {period}, as on the toolkit insights page: a "
            "practice is one time a mentee tried a skill from their toolkit and said how "
            "helpful it was. People who said no to their answers being used in reports are "
            "left out. Counts of 1 to 4, and figures from fewer than 5 people, are not shown."
        ),
        filter_note=_split_note(report_filter, "practices by"),
    )
