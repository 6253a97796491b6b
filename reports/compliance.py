"""Practice-standard compliance: whether the programme met its own standards, for each mentor
and each relationship in the report's slice.

Each standard picks the mentors or relationships it applies to and annotates each one with
``met``, in SQL; the page counts them and lists the first few that were not met, with what is
missing, so a coordinator can put it right. Standards are judged at the end of the period, or
now if the period has not ended yet (see ``Moment``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, QuerySet, Window

from reports.filters import ReportFilter
from reports.standards_base import MENTORS, RELATIONSHIPS, Context, Gap, context_for
from reports.standards_mentors import (
    screening_description,
    screening_gap,
    screening_rows,
    supervision_description,
    supervision_gap,
    supervision_rows,
    training_description,
    training_gap,
    training_rows,
)
from reports.standards_relationships import (
    agreement_description,
    agreement_gap,
    agreement_rows,
    check_ins_description,
    check_ins_gap,
    check_ins_rows,
    closure_description,
    closure_gap,
    closure_rows,
)

GAPS_SHOWN = 20


@dataclass(frozen=True)
class Standard:
    key: str
    title: str
    # What "met" means, in a sentence, with the setting it uses (e.g. "every 30 days").
    description: str
    # "mentors" or "relationships"
    applies_to: str
    met: int
    of: int
    # The first GAPS_SHOWN gaps; ``gaps_total`` is how many there are.
    gaps: tuple[Gap, ...] = ()

    @property
    def gaps_total(self) -> int:
        return self.of - self.met

    @property
    def percent(self) -> int | None:
        return round(self.met * 100 / self.of) if self.of else None


@dataclass(frozen=True)
class ComplianceReport:
    report_filter: ReportFilter
    standards: tuple[Standard, ...]

    def standard(self, key: str) -> Standard:
        return next(standard for standard in self.standards if standard.key == key)


STANDARD_KEYS: tuple[str, ...] = (
    "screening_before_training",
    "training_before_first_match",
    "supervision_interval",
    "check_ins",
    "agreement_signed",
    "closure",
)


# The standards, in the order the page shows them -------------------------------------------------


@dataclass(frozen=True)
class Rule:
    key: str
    title: str
    applies_to: str
    describe: Callable[[Context], str]
    rows: Callable[[Context], QuerySet[Any]]
    gap: Callable[[Any, Context], Gap]


RULES: dict[str, Rule] = {
    rule.key: rule
    for rule in (
        Rule(
            "screening_before_training",
            "Screening complete before training",
            MENTORS,
            screening_description,
            screening_rows,
            screening_gap,
        ),
        Rule(
            "training_before_first_match",
            "Required training before the first match",
            MENTORS,
            training_description,
            training_rows,
            training_gap,
        ),
        Rule(
            "supervision_interval",
            "Supervision at the set interval",
            MENTORS,
            supervision_description,
            supervision_rows,
            supervision_gap,
        ),
        Rule(
            "check_ins",
            "Coordinator check-ins",
            RELATIONSHIPS,
            check_ins_description,
            check_ins_rows,
            check_ins_gap,
        ),
        Rule(
            "agreement_signed",
            "Agreement acknowledged by both",
            RELATIONSHIPS,
            agreement_description,
            agreement_rows,
            agreement_gap,
        ),
        Rule(
            "closure",
            "Planned endings closed well",
            RELATIONSHIPS,
            closure_description,
            closure_rows,
            closure_gap,
        ),
    )
}
assert tuple(RULES) == STANDARD_KEYS


# What a gap's sentence reads of each row: fetching only these keeps the rows narrow.
GAP_FIELDS = {
    MENTORS: ("pk", "display_name", "application_id"),
    RELATIONSHIPS: (
        "pk",
        "ended_at",
        "exit_conversation_held",
        "mentor__display_name",
        "referral__preferred_name",
        "referral__full_name",
    ),
}


def _gap_rows(rule: Rule, context: Context) -> QuerySet[Any]:
    """The rows that did not meet the standard, each carrying how many there are in all
    (``gaps_total``, counted by a window over the same query before it is cut to a page)."""
    return (
        rule.rows(context)
        .filter(met=False)
        .only(*GAP_FIELDS[rule.applies_to])
        .annotate(gaps_total=Window(Count("pk")))
    )


def _page(rows: QuerySet[Any], offset: int, limit: int | None) -> list[Any]:
    return list(rows[offset:] if limit is None else rows[offset : offset + limit])


def _gaps(rule: Rule, context: Context, offset: int, limit: int | None) -> list[Gap]:
    """One query for the gaps (all of them when ``limit`` is None); the detail of each is
    worked out from its row."""
    return [rule.gap(row, context) for row in _page(_gap_rows(rule, context), offset, limit)]


def _counted(rule: Rule, context: Context) -> Standard:
    """The standard counted, without gaps. Grouped by ``met`` (at most two rows): an
    aggregate's filter cannot refer to ``met``."""
    counts = dict(
        rule.rows(context)
        .order_by()
        .values_list("met")
        .annotate(n=Count("pk"))
        .values_list("met", "n")
    )
    return _made(rule, context, met=counts.get(True, 0), of=sum(counts.values()))


def _made(
    rule: Rule, context: Context, *, met: int, of: int, gaps: tuple[Gap, ...] = ()
) -> Standard:
    return Standard(
        key=rule.key,
        title=rule.title,
        description=rule.describe(context),
        applies_to=rule.applies_to,
        met=met,
        of=of,
        gaps=gaps,
    )


def _standard(
    rule: Rule, context: Context, gaps: int | None, offset: int = 0
) -> tuple[Standard, list[Gap]]:
    """The standard counted, and its gaps from ``offset`` (at most ``gaps``; all when None).

    Two queries: how many mentors or relationships the standard applies to (a plain count,
    without judging each one), and the gaps, which carry how many gaps there are in all, so
    each one is judged only once. A page past the last gap has no row to carry that count;
    then the standard is counted on its own."""
    rows = _page(_gap_rows(rule, context), offset, gaps)
    if not rows and offset:
        return _counted(rule, context), []
    of = rule.rows(context).order_by().count()
    gaps_total = rows[0].gaps_total if rows else 0
    found = [rule.gap(row, context) for row in rows]
    standard = _made(rule, context, met=of - gaps_total, of=of, gaps=tuple(found))
    return standard, found


def compliance_report(
    report_filter: ReportFilter, *, gaps: int | None = GAPS_SHOWN
) -> ComplianceReport:
    """Every standard with its first ``gaps`` gaps (every gap when None, for the CSV file), in
    a fixed number of queries."""
    context = context_for(report_filter)
    if gaps == 0:
        return ComplianceReport(
            report_filter, tuple(_counted(rule, context) for rule in RULES.values())
        )
    return ComplianceReport(
        report_filter, tuple(_standard(rule, context, gaps)[0] for rule in RULES.values())
    )


def standard_gaps(
    report_filter: ReportFilter, key: str, *, offset: int = 0, limit: int = 50
) -> tuple[Standard, list[Gap]]:
    """One standard, and its gaps from ``offset`` (at most ``limit``), for the page listing
    them all. ``key`` must be one of STANDARD_KEYS (the view answers 404 otherwise)."""
    rule = RULES[key]
    context = context_for(report_filter)
    if not limit:
        return _counted(rule, context), []
    standard, gaps = _standard(rule, context, limit, offset)
    return replace(standard, gaps=()), gaps


def gaps_of(report_filter: ReportFilter, key: str, *, offset: int, limit: int) -> list[Gap]:
    """Only the gaps, for a page whose standard is already counted."""
    return _gaps(RULES[key], context_for(report_filter), offset, limit)
