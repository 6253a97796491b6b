"""Outcome-measure instruments as data, and their scoring. Pure Python: no Django imports, so
the rules can be tested and reused alone (the ``score_measure`` command, the API, reports).

An instrument is a JSON definition (see ``docs/outcomes.md`` for the format): its questions,
answer options, how missing answers are handled, bands, flags and how change is judged. The
three shipped here (PHQ-9, GAD-7, WHO-5) live in ``data/``; an organisation can add a licensed
one by uploading its definition, which ``load`` checks.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
BUILTIN_KEYS = ("phq9", "gad7", "who5")


class DefinitionError(ValueError):
    """A definition that cannot be used; ``problems`` says what is wrong, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class AnswerError(ValueError):
    """Answers that do not fit the instrument (wrong number, or a value it does not offer)."""


@dataclass(frozen=True)
class Option:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    key: str
    text: str


@dataclass(frozen=True)
class Condition:
    """One test on a scored response. ``kind`` is total, percentage, item, any_item or band."""

    kind: str
    minimum: float | None = None
    maximum: float | None = None
    item: str | None = None
    bands: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """Bands and flags: ``key`` applies when any of ``conditions`` holds (no conditions: always).
    A flag with ``alert`` set raises a safeguarding alert at that level and shows the person
    where to get help now."""

    key: str
    label: str
    conditions: tuple[Condition, ...]
    mentee_text: str = ""
    alert: str = ""


class Direction(StrEnum):
    LOWER_IS_BETTER = "lower_is_better"
    HIGHER_IS_BETTER = "higher_is_better"


@dataclass(frozen=True)
class ChangeRules:
    """How change between two scores is judged: on ``basis`` (total or percentage), a change
    of at least ``reliable_change`` is beyond measurement error; ``caseness`` is the published
    clinical threshold (a score in the clinical range), used for reliable recovery."""

    direction: Direction
    basis: str
    reliable_change: float
    caseness: Condition | None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Instrument:
    key: str
    name: str
    short_name: str
    version: int
    about: str
    minutes: int
    stem: str
    attribution: str
    options: tuple[Option, ...]
    items: tuple[Item, ...]
    max_missing: int
    percentage_multiplier: int | None
    bands: tuple[Rule, ...]
    flags: tuple[Rule, ...]
    change: ChangeRules
    definition: Mapping[str, Any] = field(compare=False, repr=False, hash=False)

    @property
    def values(self) -> frozenset[int]:
        return frozenset(option.value for option in self.options)

    @property
    def lowest(self) -> int:
        return min(self.values)

    @property
    def highest(self) -> int:
        return max(self.values)

    @property
    def max_total(self) -> int:
        return self.highest * len(self.items)

    def option_label(self, value: int | None) -> str:
        for option in self.options:
            if option.value == value:
                return option.label
        return "Not answered"

    def band(self, key: str | None) -> Rule | None:
        return next((band for band in self.bands if band.key == key), None)

    def flag(self, key: str) -> Rule | None:
        return next((flag for flag in self.flags if flag.key == key), None)


@dataclass(frozen=True)
class Score:
    instrument: str
    answers: tuple[int | None, ...]
    total: int | None
    percentage: int | None
    band: str | None
    flags: tuple[str, ...]
    answered: int
    prorated: bool

    @property
    def is_complete(self) -> bool:
        """Enough questions were answered for a total (see the instrument's missing rule)."""
        return self.total is not None

    def basis(self, name: str) -> int | None:
        return self.percentage if name == "percentage" else self.total

    def as_dict(self) -> dict[str, Any]:
        """The figures the command line and API print."""
        data: dict[str, Any] = {
            "instrument": self.instrument,
            "total": self.total,
            "band": self.band,
            "flags": list(self.flags),
        }
        if self.percentage is not None:
            data["percentage"] = self.percentage
        return data


class ChangeKind(StrEnum):
    IMPROVED = "improved"
    NO_RELIABLE_CHANGE = "no_reliable_change"
    DETERIORATED = "deteriorated"


@dataclass(frozen=True)
class Change:
    first: int
    last: int
    difference: int
    kind: ChangeKind
    reliable_recovery: bool


# Loading ----------------------------------------------------------------------------------------


def _number(value: Any, where: str, problems: list[str]) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{where} must be a number.")
        return None
    return float(value)


def _condition(data: Any, where: str, problems: list[str]) -> Condition | None:
    if not isinstance(data, Mapping) or len(data) != 1:
        problems.append(f'{where} must be one test, such as {{"total": {{"min": 10}}}}.')
        return None
    ((kind, spec),) = data.items()
    if kind == "band":
        if not isinstance(spec, list) or not all(isinstance(key, str) for key in spec):
            problems.append(f"{where}: band must be a list of band keys.")
            return None
        return Condition(kind="band", bands=tuple(spec))
    if kind not in ("total", "percentage", "item", "any_item"):
        problems.append(f"{where}: unknown test '{kind}'.")
        return None
    if not isinstance(spec, Mapping):
        problems.append(f"{where}: {kind} needs min and/or max.")
        return None
    item = spec.get("key") if kind == "item" else None
    if kind == "item" and not isinstance(item, str):
        problems.append(f"{where}: item needs the question's key.")
    minimum = _number(spec.get("min"), f"{where} min", problems)
    maximum = _number(spec.get("max"), f"{where} max", problems)
    if minimum is None and maximum is None:
        problems.append(f"{where}: {kind} needs min and/or max.")
    return Condition(kind=kind, minimum=minimum, maximum=maximum, item=item)


def _rules(data: Any, where: str, problems: list[str]) -> tuple[Rule, ...]:
    if not isinstance(data, list):
        problems.append(f"{where} must be a list.")
        return ()
    rules = []
    for index, entry in enumerate(data, start=1):
        here = f"{where} {index}"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("key"), str):
            problems.append(f"{here} needs a key.")
            continue
        tests = entry.get("any", [])
        if not isinstance(tests, list):
            problems.append(f"{here}: any must be a list of tests.")
            tests = []
        conditions = []
        for number, raw in enumerate(tests, start=1):
            condition = _condition(raw, f"{here} test {number}", problems)
            if condition is not None:
                conditions.append(condition)
        rules.append(
            Rule(
                key=entry["key"],
                label=str(entry.get("label", entry["key"])),
                conditions=tuple(conditions),
                mentee_text=str(entry.get("mentee_text", "")),
                alert=str(entry.get("alert", "")),
            )
        )
    return tuple(rules)


def load(definition: Mapping[str, Any]) -> Instrument:
    """Check ``definition`` and build the instrument; ``DefinitionError`` lists what is wrong."""
    problems: list[str] = []
    if not isinstance(definition, Mapping):
        raise DefinitionError(["The definition must be a JSON object."])
    for name in ("key", "name", "short_name", "stem", "attribution"):
        if not isinstance(definition.get(name), str) or not definition[name].strip():
            problems.append(f"'{name}' is required.")
    options = []
    for index, raw in enumerate(_listed(definition, "options", problems), start=1):
        if (
            not isinstance(raw, Mapping)
            or not isinstance(raw.get("value"), int)
            or isinstance(raw.get("value"), bool)
        ):
            problems.append(f"Answer option {index} needs a whole-number value and a label.")
            continue
        options.append(Option(value=raw["value"], label=str(raw.get("label", raw["value"]))))
    if len(options) < 2:
        problems.append("At least two answer options are needed.")
    if len({option.value for option in options}) != len(options):
        problems.append("Answer option values must differ.")
    items = []
    for index, raw in enumerate(_listed(definition, "items", problems), start=1):
        if not isinstance(raw, Mapping) or not raw.get("key") or not raw.get("text"):
            problems.append(f"Question {index} needs a key and text.")
            continue
        items.append(Item(key=str(raw["key"]), text=str(raw["text"])))
    if not items:
        problems.append("At least one question is needed.")
    if len({item.key for item in items}) != len(items):
        problems.append("Question keys must differ.")
    scoring = definition.get("scoring") or {}
    if not isinstance(scoring, Mapping):
        problems.append("'scoring' must be an object, such as {\"max_missing\": 0}.")
        scoring = {}
    max_missing = scoring.get("max_missing", 0)
    if (
        isinstance(max_missing, bool)
        or not isinstance(max_missing, int)
        or not 0 <= max_missing < max(len(items), 1)
    ):
        problems.append("scoring.max_missing must be a whole number below the number of questions.")
        max_missing = 0
    multiplier = scoring.get("percentage_multiplier")
    if multiplier is not None and (
        isinstance(multiplier, bool) or not isinstance(multiplier, int) or multiplier < 1
    ):
        problems.append("scoring.percentage_multiplier must be a positive whole number.")
        multiplier = None
    bands = _rules(definition.get("bands", []), "Band", problems)
    flags = _rules(definition.get("flags", []), "Flag", problems)
    band_keys = {band.key for band in bands}
    for rule in (*bands, *flags):
        for condition in rule.conditions:
            if condition.item is not None and condition.item not in {i.key for i in items}:
                problems.append(
                    f"'{rule.key}' tests question '{condition.item}', which is not there."
                )
            if set(condition.bands) - band_keys:
                problems.append(f"'{rule.key}' tests a band that is not defined.")
    for name, default in (("version", 1), ("minutes", 5)):
        value = definition.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(f"'{name}' must be a positive whole number.")
    change = _change(definition.get("change"), problems)
    if problems:
        raise DefinitionError(problems)
    assert change is not None
    return Instrument(
        key=definition["key"],
        name=definition["name"],
        short_name=definition["short_name"],
        version=int(definition.get("version", 1)),
        about=str(definition.get("about", "")),
        minutes=int(definition.get("minutes", 5)),
        stem=definition["stem"],
        attribution=definition["attribution"],
        options=tuple(options),
        items=tuple(items),
        max_missing=max_missing,
        percentage_multiplier=multiplier,
        bands=bands,
        flags=flags,
        change=change,
        definition=definition,
    )


def _listed(definition: Mapping[str, Any], name: str, problems: list[str]) -> list[Any]:
    value = definition.get(name) or []
    if not isinstance(value, list):
        problems.append(f"'{name}' must be a list.")
        return []
    return value


def _change(data: Any, problems: list[str]) -> ChangeRules | None:
    if not isinstance(data, Mapping):
        problems.append("'change' is required: direction, basis and reliable_change.")
        return None
    try:
        direction = Direction(str(data.get("direction")))
    except ValueError:
        problems.append("change.direction must be lower_is_better or higher_is_better.")
        return None
    basis = data.get("basis", "total")
    if basis not in ("total", "percentage"):
        problems.append("change.basis must be total or percentage.")
    reliable = _number(data.get("reliable_change"), "change.reliable_change", problems)
    if reliable is None or reliable <= 0:
        problems.append("change.reliable_change must be a positive number.")
        reliable = 1.0
    caseness = None
    if data.get("caseness") is not None:
        caseness = _condition(data["caseness"], "change.caseness", problems)
        if caseness is not None and caseness.kind not in ("total", "percentage"):
            problems.append("change.caseness must test the total or the percentage.")
            caseness = None
    sources = data.get("sources", [])
    if not isinstance(sources, list):
        problems.append("change.sources must be a list.")
        sources = []
    return ChangeRules(
        direction=direction,
        basis=basis,
        reliable_change=reliable,
        caseness=caseness,
        sources=tuple(str(source) for source in sources),
    )


@cache
def builtin(key: str) -> Instrument:
    """One of the instruments shipped with Alongside; ``KeyError`` for any other key."""
    if key not in BUILTIN_KEYS:
        raise KeyError(key)
    return load(json.loads((DATA / f"{key}.json").read_text(encoding="utf-8")))


# Scoring ----------------------------------------------------------------------------------------


def check_answers(instrument: Instrument, answers: Sequence[int | None]) -> tuple[int | None, ...]:
    """The answers in question order; ``None`` is an unanswered question."""
    if len(answers) != len(instrument.items):
        raise AnswerError(
            f"{instrument.short_name} has {len(instrument.items)} questions; "
            f"{len(answers)} answers were given."
        )
    allowed = instrument.values
    for position, answer in enumerate(answers, start=1):
        if answer is None:
            continue
        if isinstance(answer, bool) or not isinstance(answer, int) or answer not in allowed:
            raise AnswerError(
                f"Answer {position} must be one of {', '.join(map(str, sorted(allowed)))}."
            )
    return tuple(answers)


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def _within(value: float | None, condition: Condition) -> bool:
    if value is None:
        return False
    if condition.minimum is not None and value < condition.minimum:
        return False
    return condition.maximum is None or value <= condition.maximum


def _holds(
    condition: Condition,
    instrument: Instrument,
    answers: tuple[int | None, ...],
    total: int | None,
    percentage: int | None,
    band: str | None,
) -> bool:
    if condition.kind == "total":
        return _within(total, condition)
    if condition.kind == "percentage":
        return _within(percentage, condition)
    if condition.kind == "band":
        return band in condition.bands
    if condition.kind == "item":
        keys = [item.key for item in instrument.items]
        answer = answers[keys.index(condition.item)] if condition.item in keys else None
        return _within(answer, condition)
    # any_item: any answered question within the range
    return any(_within(answer, condition) for answer in answers if answer is not None)


def _applies(rule: Rule, *args: Any) -> bool:
    return not rule.conditions or any(_holds(condition, *args) for condition in rule.conditions)


def score(instrument: Instrument, answers: Sequence[int | None]) -> Score:
    """Score ``answers`` (one per question, ``None`` for unanswered).

    Up to ``max_missing`` unanswered questions are prorated (the mean of the answered ones times
    the number of questions, rounded half up); with more missing there is no total and no band,
    never a silent zero. Flags that test single questions still apply to the answered ones.
    """
    answers = check_answers(instrument, answers)
    given = [answer for answer in answers if answer is not None]
    missing = len(answers) - len(given)
    total: int | None
    if missing == 0:
        total = sum(given)
    elif given and missing <= instrument.max_missing:
        total = _round_half_up(sum(given) / len(given) * len(answers))
    else:
        total = None
    percentage = (
        total * instrument.percentage_multiplier
        if total is not None and instrument.percentage_multiplier
        else None
    )
    band = None
    if total is not None:
        band = next(
            (
                rule.key
                for rule in instrument.bands
                if _applies(rule, instrument, answers, total, percentage, None)
            ),
            None,
        )
    flags = tuple(
        rule.key
        for rule in instrument.flags
        if rule.conditions and _applies(rule, instrument, answers, total, percentage, band)
    )
    return Score(
        instrument=instrument.key,
        answers=answers,
        total=total,
        percentage=percentage,
        band=band,
        flags=flags,
        answered=len(given),
        prorated=total is not None and missing > 0,
    )


def alert_flags(instrument: Instrument, flags: Sequence[str]) -> list[Rule]:
    """The flags among ``flags`` that call for a safeguarding alert."""
    return [rule for rule in instrument.flags if rule.key in flags and rule.alert]


# Change -----------------------------------------------------------------------------------------


def in_clinical_range(instrument: Instrument, value: int) -> bool:
    caseness = instrument.change.caseness
    return caseness is not None and _within(value, caseness)


def compare(instrument: Instrument, first: int, last: int) -> Change:
    """Judge the change from ``first`` to ``last`` (values on the instrument's change basis).

    Improved or deteriorated only when the change is at least the reliable change threshold;
    reliable recovery is a reliable improvement from inside the clinical range to outside it.
    """
    difference = last - first
    better = -difference if instrument.change.direction == Direction.LOWER_IS_BETTER else difference
    if better >= instrument.change.reliable_change:
        kind = ChangeKind.IMPROVED
    elif -better >= instrument.change.reliable_change:
        kind = ChangeKind.DETERIORATED
    else:
        kind = ChangeKind.NO_RELIABLE_CHANGE
    recovery = (
        kind == ChangeKind.IMPROVED
        and in_clinical_range(instrument, first)
        and not in_clinical_range(instrument, last)
    )
    return Change(
        first=first, last=last, difference=difference, kind=kind, reliable_recovery=recovery
    )


def parse(text: str) -> Instrument:
    """Load a definition from JSON text (an upload), with a clear message for bad JSON."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DefinitionError(
            [f"This is not valid JSON (line {error.lineno}): {error.msg}."]
        ) from None
    return load(data)
