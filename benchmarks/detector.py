"""Evaluation and speed of the risk detector (issue 9): ``.venv/bin/python benchmarks/detector.py``.

Reads the labelled evaluation set in ``safeguarding/evaluation/`` (``messages.jsonl``, used while
writing the lexicon, and ``held_out.jsonl``, written at the same time but kept out of the tuning)
and prints, for each and for both together: how many risk messages are flagged at all and flagged
high or urgent, how many ordinary messages are flagged at all and flagged high or urgent, against
the issue's targets; the confusion between expected and found levels; and every miss and false
alarm with the rules involved. Then it times the detector on one core: a fresh Python process
imports it (compiling the lexicon) and assesses a batch of messages drawn from the set; the rate
counts the import. The targets apply to the combined set; the script exits non-zero when one is
missed (with ``--quick``, only when an accuracy target is). ``--quick`` times a smaller batch
(for CI). Figures are recorded in docs/risk-detection.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path; the repository root takes its
# place so that "safeguarding" is the app.
REPO_ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path[0] = str(REPO_ROOT)

import argparse
import json
import os
import platform
import random
import subprocess
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from safeguarding import detector

EVALUATION_FOLDER = REPO_ROOT / "safeguarding" / "evaluation"
SETS = {"tuning": "messages.jsonl", "held out": "held_out.jsonl"}
LEVELS = ("none", "concern", "high", "urgent")
SERIOUS = ("high", "urgent")
SPEED_TARGET = 2_000  # messages per second, start-up included

# What each batch of held-out messages scored the first time it was run, before any change it
# prompted (risk flagged, risk high or urgent, ordinary flagged, ordinary high or urgent). After
# a first look the misses are fixed, so later figures on that batch no longer measure how the
# lexicon does on words it has not seen; these do. See safeguarding/evaluation/README.md.
FIRST_LOOKS = (
    ("batch 1: 70 messages, now messages.jsonl lines 227-296", (0.543, 0.543, 0.086, 0.086)),
    ("batch 2: 70 messages, held_out.jsonl", (0.371, 0.314, 0.0, 0.0)),
)


@dataclass(frozen=True)
class Example:
    text: str
    label: str  # "risk" or "ordinary"
    level: str  # the level expected
    categories: tuple[str, ...]
    note: str = ""
    source: str = ""  # which set


def load(name: str) -> list[Example]:
    """One evaluation set, checked line by line (a bad line is an error, not a skipped line)."""
    path = EVALUATION_FOLDER / SETS[name]
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        example = Example(
            text=row["text"],
            label=row["label"],
            level=row["level"],
            categories=tuple(row.get("categories", ())),
            note=row.get("note", ""),
            source=name,
        )
        if example.label not in ("risk", "ordinary") or example.level not in LEVELS:
            raise ValueError(f"{path.name} line {number}: unknown label or level")
        if (example.label == "ordinary") != (example.level == "none"):
            raise ValueError(f"{path.name} line {number}: label and level disagree")
        unknown = set(example.categories) - {str(category) for category in detector.Category}
        if unknown:
            raise ValueError(f"{path.name} line {number}: unknown categories {sorted(unknown)}")
        examples.append(example)
    return examples


def load_all() -> list[Example]:
    return [example for name in SETS for example in load(name)]


@dataclass(frozen=True)
class Target:
    name: str
    at_least: bool  # True: the figure must be >= limit; False: <= limit
    limit: float
    figure: Callable[[Report], float]

    def passed(self, report: Report) -> bool:
        value = self.figure(report)
        return value >= self.limit if self.at_least else value <= self.limit

    def describe(self) -> str:
        return f"{'>=' if self.at_least else '<='} {self.limit:.0%}"


@dataclass
class Report:
    """The detector's results on a list of examples."""

    examples: list[Example]
    results: list[detector.RiskAssessment] = field(default_factory=list)

    def _share(self, label: str, levels: Sequence[str]) -> float:
        pairs = [
            (example, result)
            for example, result in zip(self.examples, self.results, strict=True)
            if example.label == label
        ]
        if not pairs:
            return 0.0
        return sum(str(result.level) in levels for _, result in pairs) / len(pairs)

    def count(self, label: str) -> int:
        return sum(example.label == label for example in self.examples)

    @property
    def risk_flagged(self) -> float:
        return self._share("risk", ("concern", "high", "urgent"))

    @property
    def risk_serious(self) -> float:
        return self._share("risk", SERIOUS)

    @property
    def ordinary_flagged(self) -> float:
        return self._share("ordinary", ("concern", "high", "urgent"))

    @property
    def ordinary_serious(self) -> float:
        return self._share("ordinary", SERIOUS)

    @property
    def category_recall(self) -> float:
        """Risk messages flagged with every category the set expects (not a target)."""
        pairs = [
            (example, result)
            for example, result in zip(self.examples, self.results, strict=True)
            if example.label == "risk"
        ]
        if not pairs:
            return 0.0
        return sum(
            set(example.categories) <= set(result.categories) for example, result in pairs
        ) / len(pairs)

    def confusion(self) -> dict[str, Counter[str]]:
        table: dict[str, Counter[str]] = {level: Counter() for level in LEVELS}
        for example, result in zip(self.examples, self.results, strict=True):
            table[example.level][str(result.level)] += 1
        return table

    def misses(self) -> list[tuple[Example, detector.RiskAssessment]]:
        """Risk messages not flagged at all."""
        pairs = zip(self.examples, self.results, strict=True)
        return [(e, r) for e, r in pairs if e.label == "risk" and not r.is_risk]

    def below_high(self) -> list[tuple[Example, detector.RiskAssessment]]:
        """Risk messages flagged only as a concern (they count against the high-or-urgent
        target even when the set expects concern)."""
        pairs = zip(self.examples, self.results, strict=True)
        return [
            (e, r) for e, r in pairs if e.label == "risk" and r.level == detector.RiskLevel.CONCERN
        ]

    def false_alarms(self) -> list[tuple[Example, detector.RiskAssessment]]:
        pairs = list(zip(self.examples, self.results, strict=True))
        return [(e, r) for e, r in pairs if e.label == "ordinary" and r.is_risk]


TARGETS = (
    Target("risk messages flagged (any level above none)", True, 0.95, lambda r: r.risk_flagged),
    Target("risk messages flagged high or urgent", True, 0.85, lambda r: r.risk_serious),
    Target("ordinary messages flagged at all", False, 0.15, lambda r: r.ordinary_flagged),
    Target("ordinary messages flagged high or urgent", False, 0.05, lambda r: r.ordinary_serious),
)


def evaluate(examples: list[Example]) -> Report:
    """Run the detector over ``examples`` (the function the evaluation test uses too)."""
    return Report(examples, [detector.assess(example.text) for example in examples])


def missed_targets(report: Report) -> list[Target]:
    return [target for target in TARGETS if not target.passed(report)]


# Printing --------------------------------------------------------------------------------------


def print_figures(title: str, report: Report, *, binding: bool) -> None:
    risk, ordinary = report.count("risk"), report.count("ordinary")
    print(f"\n## {title}: {len(report.examples)} messages ({risk} risk, {ordinary} ordinary)")
    for target in TARGETS:
        value = target.figure(report)
        verdict = (
            ("PASS" if target.passed(report) else "FAIL")
            if binding
            else ("meets" if target.passed(report) else "below")
        )
        print(f"  {target.name:<48} {value:7.1%}   target {target.describe():<7} {verdict}")
    print(f"  {'risk messages with every expected category':<48} {report.category_recall:7.1%}")


def print_first_looks() -> None:
    print("\n## Held-out batches at their first look (words the lexicon had not seen)")
    print(f"  {'':<56}{'risk flagged':>13}{'high/urgent':>13}{'ordinary':>10}{'high/urg.':>11}")
    for name, figures in FIRST_LOOKS:
        print(
            f"  {name:<56}"
            + "".join(
                f"{value:>{width}.1%}"
                for value, width in zip(figures, (13, 13, 10, 11), strict=True)
            )
        )


def print_confusion(report: Report) -> None:
    print("\n  expected \\ found   " + "".join(f"{level:>9}" for level in LEVELS))
    for expected, row in report.confusion().items():
        print(f"  {expected:<18} " + "".join(f"{row[level]:>9}" for level in LEVELS))


def _line(example: Example, result: detector.RiskAssessment) -> str:
    rules = ", ".join(result.rules) or "-"
    return (
        f"  [{example.source}] expected {example.level}, found {result.level} ({rules}): "
        f"{example.text!r}"
    )


def print_lists(report: Report) -> None:
    misses = report.misses()
    print(f"\n## Risk messages not flagged ({len(misses)})")
    for example, result in misses:
        print(_line(example, result))
    low = report.below_high()
    print(f"\n## Risk messages flagged only as concern ({len(low)})")
    for example, result in low:
        print(_line(example, result))
    alarms = report.false_alarms()
    print(f"\n## Ordinary messages flagged ({len(alarms)})")
    for example, result in alarms:
        print(_line(example, result))


# Speed -----------------------------------------------------------------------------------------

_TIMER = r"""
import json, os, sys, time
texts = json.load(open(sys.argv[1], encoding="utf-8"))
cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
if cpus:
    os.sched_setaffinity(0, {cpus[-1]})
started = time.perf_counter()
from safeguarding.detector import assess
imported = time.perf_counter()
flagged = sum(assess(text).is_risk for text in texts)
finished = time.perf_counter()
print(json.dumps({"import": imported - started, "scan": finished - imported,
                  "count": len(texts), "flagged": flagged, "one_core": bool(cpus)}))
"""


def time_batch(texts: list[str]) -> dict[str, float]:
    """Import the detector in a fresh process pinned to one core and assess ``texts``."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as file:
        json.dump(texts, file)
    try:
        completed = subprocess.run(
            [sys.executable, "-c", _TIMER, file.name],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(file.name)
    figures: dict[str, float] = json.loads(completed.stdout)
    figures["rate"] = figures["count"] / (figures["import"] + figures["scan"])
    return figures


def print_speed(figures: dict[str, float]) -> bool:
    count = int(figures["count"])
    passed = figures["rate"] >= SPEED_TARGET
    print(f"\n## Speed: {count:,} messages drawn from the set, one process, one core")
    machine = platform.processor() or platform.machine()
    print(f"  machine: {machine}, Python {platform.python_version()}")
    print(f"  start-up (import and compile the lexicon): {figures['import'] * 1000:8.1f} ms")
    print(f"  assessing {count:,} messages:                  {figures['scan'] * 1000:8.1f} ms")
    print(f"  per message (without start-up):           {figures['scan'] / count * 1e6:8.1f} µs")
    print(
        f"  messages per second, start-up included:   {figures['rate']:8,.0f}   "
        f"target >= {SPEED_TARGET:,} {'PASS' if passed else 'FAIL'}"
    )
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="time 2,000 messages, not 20,000")
    parser.add_argument("--batch", type=int, help="how many messages to time")
    parser.add_argument(
        "--set",
        choices=("all", "tuning", "held-out"),
        default="all",
        help="print one set only (the targets are checked on all)",
    )
    parser.add_argument("--seed", type=int, default=9)
    options = parser.parse_args(argv)

    sets = {name: load(name) for name in SETS}
    combined = [example for examples in sets.values() for example in examples]
    report = evaluate(combined)
    print("# Risk detector: evaluation set and speed")
    shown = {"tuning": ["tuning"], "held-out": ["held out"], "all": list(SETS)}[options.set]
    for name in shown:
        print_figures(f"{name} set", evaluate(sets[name]), binding=False)
    if options.set in ("all", "held-out"):
        print_first_looks()
    if options.set == "all":
        print_figures("Combined set (the targets apply here)", report, binding=True)
        print_confusion(report)
        print_lists(report)
    else:
        partial = evaluate(sets[shown[0]])
        print_confusion(partial)
        print_lists(partial)

    batch = options.batch or (2_000 if options.quick else 20_000)
    texts = random.Random(options.seed).choices([example.text for example in combined], k=batch)
    fast = print_speed(time_batch(texts))

    missed = missed_targets(report)
    print()
    for target in missed:
        print(f"MISSED: {target.name} {target.figure(report):.1%} (target {target.describe()})")
    if not fast:
        print(f"MISSED: speed below {SPEED_TARGET:,} messages per second")
    # A quick run (CI, on a shared machine) reports the speed but fails only on accuracy, so a
    # busy machine cannot fail it; measure speed with a full run on a quiet machine.
    if missed or (not fast and not options.quick):
        return 1
    print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
