"""Benchmark of the matching engine (issue 5): run with ``.venv/bin/python benchmarks/matching.py``.

(a) the full engine on 10,000 mentees x 3,000 mentors (constraints, scores, optimal solve,
reasons), against (b) a bare pipeline on the same instance that only evaluates the hard
constraints and runs OR-Tools' SimpleMinCostFlow with no costs (a maximum flow); (c) top-5
suggestions for one new mentee among the 3,000 mentors; (d) on 1,000 x 300, how many more mentees
the optimal solve matches than a stable (hospital-resident) matching from the ``matching``
package. ``--quick`` runs a small version in seconds. Figures are recorded in docs/matching.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, and "matching" would then mean
# this very file rather than the Django app. The repository root takes its place, so
# "matching" is the app (the PyPI package of the same name is used in a subprocess, below).
REPO_ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path[0] = str(REPO_ROOT)

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from typing import Any, TypeVar
from unittest import mock

import numpy as np
from ortools.graph.python import min_cost_flow

from matching.engine import (
    AgeRangePreference,
    GenderPreference,
    Location,
    Mentee,
    Mentor,
    Preferences,
    Problem,
    SharedExperiencePreference,
    solve,
    solver,
    suggest,
)
from matching.engine.constraints import allowed_pairs, nonzero_pairs
from matching.engine.encoding import MenteeTable
from matching.engine.solving import available_mentors, scored_pairs

T = TypeVar("T")

AREAS = [
    "anxiety",
    "depression",
    "grief",
    "loneliness",
    "bipolar",
    "psychosis",
    "eating_disorders",
    "self_harm",
    "trauma",
    "addiction",
]
OTHER_LANGUAGES = ["pl", "ur", "ar", "so", "bn", "pa", "ro", "pt", "es", "tr"]
OTHER_LANGUAGE_WEIGHTS = [25, 15, 12, 10, 10, 8, 7, 5, 5, 3]
SLOTS = [
    f"{day}_{part}"
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for part in ("morning", "afternoon", "evening")
]
FORMAT_CHANCE = {"in_person": 0.5, "video": 0.55, "phone": 0.35, "text": 0.2}


# --- a random instance, with attributes like the example ---------------------------


class Generator:
    """Random mentors and mentees around London; tuned so that about 23% of pairs
    (7 million of 30 million) meet every hard constraint."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def languages(self) -> tuple[str, ...]:
        chosen = ["en"] if self.random.random() < 0.85 else []
        extra = self.random.choices([0, 1, 2], weights=[60, 33, 7])[0] if chosen else 1
        while len(chosen) < extra + (1 if "en" in chosen else 0):
            language = self.random.choices(OTHER_LANGUAGES, weights=OTHER_LANGUAGE_WEIGHTS)[0]
            if language not in chosen:
                chosen.append(language)
        return tuple(chosen)

    def formats(self) -> tuple[str, ...]:
        chosen = tuple(name for name, p in FORMAT_CHANCE.items() if self.random.random() < p)
        return chosen or ("video",)

    def location(self) -> Location | None:
        if self.random.random() < 0.1:
            return None
        return Location(
            lat=51.5 + self.random.gauss(0, 0.12), lon=-0.12 + self.random.gauss(0, 0.2)
        )

    def mentor(self, number: int) -> Mentor:
        pick = self.random.sample
        return Mentor(
            id=f"M{number}",
            capacity=self.random.randint(1, 3),
            languages=self.languages(),
            formats=self.formats(),
            availability=tuple(pick(SLOTS, self.random.randint(3, 6))),
            lived_experience=tuple(pick(AREAS, self.random.randint(1, 3))),
            gender=self.random.choices(["woman", "man", "non_binary"], weights=[55, 40, 5])[0],
            age=self.random.randint(20, 70),
            location=self.location(),
            max_travel_km=float(self.random.randint(3, 20)),
        )

    def mentee(self, number: int, mentor_count: int) -> Mentee:
        chance = self.random.random
        gender = age_range = shared = None
        if chance() < 0.3:
            wanted = "woman" if chance() < 0.7 else "man"
            gender = GenderPreference(values=(wanted,), required=chance() < 0.4)
        if chance() < 0.2:
            low = self.random.randint(18, 40)
            age_range = AgeRangePreference(
                min_age=low, max_age=low + self.random.randint(10, 40), required=chance() < 0.3
            )
        if chance() < 0.3:
            shared = SharedExperiencePreference(required=chance() < 0.3)
        excluded = (f"M{self.random.randrange(mentor_count)}",) if chance() < 0.02 else ()
        return Mentee(
            id=f"P{number}",
            languages=self.languages(),
            formats=self.formats(),
            availability=tuple(self.random.sample(SLOTS, self.random.randint(2, 6))),
            needs=tuple(self.random.sample(AREAS, self.random.randint(1, 2))),
            waiting_days=float(self.random.randint(0, 180)),
            location=self.location(),
            exclude=excluded,
            preferences=Preferences(
                mentor_gender=gender, age_range=age_range, shared_experience=shared
            ),
        )

    def problem(self, mentee_count: int, mentor_count: int) -> Problem:
        mentors = tuple(self.mentor(number) for number in range(mentor_count))
        mentees = tuple(self.mentee(number, mentor_count) for number in range(mentee_count))
        return Problem(mentors=mentors, mentees=mentees)


# --- (b) the bare pipeline -----------------------------------------------------------------


def bare_pipeline(problem: Problem) -> tuple[int, int]:
    """Hard constraints only, vectorised with the engine's own constraint code (so both
    pipelines allow exactly the same pairs), then a maximum flow with OR-Tools'
    SimpleMinCostFlow and every cost zero. No scores, no reasons. Returns (matched, arcs)."""
    mentors = available_mentors(problem)
    mentees = MenteeTable.encode(problem.mentees, mentors)
    step = max(1, (1 << 21) // max(len(mentors), 1))
    found_rows, found_columns = [], []
    for start in range(0, len(mentees), step):
        rows, columns = nonzero_pairs(
            allowed_pairs(mentees.take(slice(start, start + step)), mentors)
        )
        found_rows.append(rows + start)
        found_columns.append(columns)
    rows, columns = np.concatenate(found_rows), np.concatenate(found_columns)

    mentee_count, mentor_count = len(mentees), len(mentors)
    source, sink = mentee_count + mentor_count, mentee_count + mentor_count + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(mentee_count, source, dtype=np.int32),
        np.arange(mentee_count, dtype=np.int32),
        np.ones(mentee_count, dtype=np.int64),
        np.zeros(mentee_count, dtype=np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        rows.astype(np.int32),
        (columns + mentee_count).astype(np.int32),
        np.ones(rows.size, dtype=np.int64),
        np.zeros(rows.size, dtype=np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(mentee_count, mentee_count + mentor_count, dtype=np.int32),
        np.full(mentor_count, sink, dtype=np.int32),
        mentors.capacity,
        np.zeros(mentor_count, dtype=np.int64),
    )
    flow.set_node_supply(source, mentee_count)
    flow.set_node_supply(sink, -mentee_count)
    status = flow.solve_max_flow_with_min_cost()
    assert status == flow.OPTIMAL, status
    return int(flow.maximum_flow()), int(rows.size)


# --- (d) the stable matching, in a subprocess ------------------------------------------------

# The PyPI package "matching" has the same top-level name as our Django app, and its modules
# import each other as "matching.*", so it cannot be loaded under another name in this process
# (where "matching" is already the app). It is not installed in the project's environment
# either, where it would shadow the app for tools that import it from outside the repository
# (mypy's Django plugin did). The benchmark installs it on first use into a folder of its own,
# and a child interpreter in isolated mode (-I: no script folder, working directory or
# PYTHONPATH on sys.path), started in an empty folder, loads it from there.
STABLE_PACKAGE = "matching==1.4.3"
STABLE_PACKAGE_DIR = Path(__file__).resolve().parent.parent / "var" / "benchmark-packages"
STABLE_SCRIPT = """
import json, sys, threading, time, warnings
sys.path.insert(0, sys.argv[1])
from matching.games import HospitalResident

def run():
    data = json.load(sys.stdin)
    warnings.simplefilter("ignore")
    started = time.perf_counter()
    game = HospitalResident.create_from_dictionaries(
        data["resident_prefs"], data["hospital_prefs"], data["capacities"]
    )
    solution = game.solve(optimal="resident")
    seconds = time.perf_counter() - started
    matched = {str(resident.name): str(hospital.name)
               for hospital, residents in solution.items() for resident in residents}
    print(json.dumps({"matched": matched, "stable": game.check_stability(),
                      "valid": game.check_validity(), "seconds": seconds}))

# The package deep-copies players that point at each other: deep recursion on big instances.
sys.setrecursionlimit(1_000_000)
threading.stack_size(1 << 29)
worker = threading.Thread(target=run)
worker.start()
worker.join()
"""


def stable_matching_package_dir() -> Path:
    """Where the stable-matching package lives, installed there from PyPI the first time."""
    if not (STABLE_PACKAGE_DIR / "matching" / "games").is_dir():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--target",
                str(STABLE_PACKAGE_DIR),
                STABLE_PACKAGE,
            ],
            check=True,
        )
    return STABLE_PACKAGE_DIR


def stable_matching(problem: Problem) -> dict[str, Any]:
    """Hospital-resident stable matching: mentees rank the mentors they may be matched with by
    score, mentors rank those mentees by score (ties by id), capacity as hospital capacity."""
    mentors = available_mentors(problem)
    mentees = MenteeTable.encode(problem.mentees, mentors)
    rows, columns, units = scored_pairs(mentees, mentors)
    mentee_ids = [mentee.id for mentee in problem.mentees]
    mentor_ids = [mentor.id for mentor in mentors.mentors]
    by_mentee = np.lexsort((columns, -units, rows))
    resident_prefs: dict[str, list[str]] = {mentee_id: [] for mentee_id in mentee_ids}
    for row, column in zip(rows[by_mentee].tolist(), columns[by_mentee].tolist(), strict=True):
        resident_prefs[mentee_ids[row]].append(mentor_ids[column])
    by_mentor = np.lexsort((rows, -units, columns))
    hospital_prefs: dict[str, list[str]] = {mentor_id: [] for mentor_id in mentor_ids}
    for row, column in zip(rows[by_mentor].tolist(), columns[by_mentor].tolist(), strict=True):
        hospital_prefs[mentor_ids[column]].append(mentee_ids[row])
    capacities = {mentor.id: mentor.capacity for mentor in mentors.mentors}
    payload = json.dumps(
        {
            "resident_prefs": {k: v for k, v in resident_prefs.items() if v},
            "hospital_prefs": hospital_prefs,
            "capacities": capacities,
        }
    )
    with tempfile.TemporaryDirectory() as empty:
        completed = subprocess.run(
            [sys.executable, "-I", "-c", STABLE_SCRIPT, str(stable_matching_package_dir())],
            input=payload,
            capture_output=True,
            text=True,
            cwd=empty,
            check=False,
        )
    if completed.returncode != 0:
        raise RuntimeError(f"the stable matching failed: {completed.stderr.strip()}")
    result: dict[str, Any] = json.loads(completed.stdout)
    score_of = {
        (mentee_ids[row], mentor_ids[column]): unit
        for row, column, unit in zip(rows.tolist(), columns.tolist(), units.tolist(), strict=True)
    }
    result["total_score"] = sum(score_of[pair] for pair in result["matched"].items()) / 10_000
    return result


# --- timing ----------------------------------------------------------------------------------


def timed(function: Callable[[], T]) -> tuple[T, float, float]:
    """The result, wall-clock seconds and this process's CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def fresh(problem: Problem) -> Problem:
    """The same people in a new Problem, so no run reuses another's cached mentor encoding."""
    return Problem(mentors=problem.mentors, mentees=problem.mentees)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small instance, in seconds")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of (a) and (b)")
    options = parser.parse_args()
    mentee_count, mentor_count = (1_000, 300) if options.quick else (10_000, 3_000)
    mid_mentees, mid_mentors = (300, 90) if options.quick else (1_000, 300)
    suggestion_runs = 50

    print(f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} cores")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    generator = Generator(options.seed)
    problem, seconds, _ = timed(lambda: generator.problem(mentee_count, mentor_count))
    print(f"instance: {mentee_count:,} mentees x {mentor_count:,} mentors ({seconds:.1f} s)")

    engine_wall, engine_cpu, bare_wall, bare_cpu, whole_wall, whole_cpu = [], [], [], [], [], []
    result = whole = None
    for run in range(options.runs):
        # Interleaved, so a busy machine slows every pipeline alike.
        result, wall, cpu = timed(lambda: solve(fresh(problem)))
        engine_wall.append(wall)
        engine_cpu.append(cpu)
        (bare_matched, arcs), wall, cpu = timed(lambda: bare_pipeline(fresh(problem)))
        bare_wall.append(wall)
        bare_cpu.append(cpu)
        with mock.patch.object(solver, "DIRECT_ARCS", 1 << 62):
            whole, wall, cpu = timed(lambda: solve(fresh(problem)))
        whole_wall.append(wall)
        whole_cpu.append(cpu)
        print(
            f"  run {run + 1}: engine {engine_wall[-1]:.2f} s wall / {engine_cpu[-1]:.2f} s CPU, "
            f"bare {bare_wall[-1]:.2f} / {bare_cpu[-1]:.2f}, "
            f"engine solving the whole network at once {whole_wall[-1]:.2f} / {whole_cpu[-1]:.2f}"
        )
    assert result is not None and whole is not None
    stats = result.stats
    assert (whole.stats.matched, whole.stats.total_score) == (stats.matched, stats.total_score)
    print(f"feasible pairs: {stats.feasible_pairs:,} (bare pipeline arcs: {arcs:,})")
    print(
        f"matched: {stats.matched:,}, unmatched {stats.unmatched:,} "
        f"(bare pipeline matched {bare_matched:,}), total score {stats.total_score:,.2f}"
    )
    assert stats.matched == bare_matched, "both pipelines must find a maximum matching"
    median = statistics.median
    print(
        f"(a) full engine solve (constraints, scores, optimal solve, reasons), median of "
        f"{options.runs}: {median(engine_wall):.2f} s wall, {median(engine_cpu):.2f} s CPU"
    )
    print(
        f"(b) bare pipeline (hard constraints + SimpleMinCostFlow, no costs): "
        f"{median(bare_wall):.2f} s wall, {median(bare_cpu):.2f} s CPU"
    )
    print(
        f"    ratio (a)/(b): {median(engine_wall) / median(bare_wall):.2f}x wall, "
        f"{median(engine_cpu) / median(bare_cpu):.2f}x CPU (target <= 1.5x)"
    )
    print(
        f"    for comparison, the engine solving the whole network in one min-cost flow (no "
        f"subset rounds): {median(whole_wall):.2f} s wall, {median(whole_cpu):.2f} s CPU, "
        f"{median(whole_wall) / median(bare_wall):.2f}x wall; same optimum"
    )

    newcomer = Generator(options.seed + 1).mentee(mentee_count, mentor_count)
    alone = Problem(mentors=problem.mentors, mentees=(newcomer,))
    cold = [timed(lambda: suggest(fresh(alone), newcomer.id, k=5))[1] for _ in range(20)]
    suggestions, _, _ = timed(lambda: suggest(alone, newcomer.id, k=5))
    warm = [timed(lambda: suggest(alone, newcomer.id, k=5))[1] for _ in range(suggestion_runs)]
    print(
        f"(c) top-5 suggestions for one new mentee among {mentor_count:,} mentors: "
        f"median {1000 * median(warm):.1f} ms over {suggestion_runs} runs with the mentors "
        f"encoded once, {1000 * median(cold):.1f} ms including encoding them (target < 50 ms)"
    )
    print(f"    best: {suggestions[0].mentor} {suggestions[0].score}" if suggestions else "")

    mid = Generator(options.seed + 2).problem(mid_mentees, mid_mentors)
    optimal = solve(mid)
    stable = stable_matching(mid)
    extra = optimal.stats.matched - len(stable["matched"])
    print(
        f"(d) {mid_mentees:,} mentees x {mid_mentors:,} mentors: optimal solve matches "
        f"{optimal.stats.matched} (total score {optimal.stats.total_score:.2f}) in "
        f"{optimal.stats.seconds:.2f} s; stable hospital-resident matching matches "
        f"{len(stable['matched'])} (total score {stable['total_score']:.2f}, stable: "
        f"{stable['stable']}) in {stable['seconds']:.2f} s: {extra} more mentees matched "
        f"({100 * extra / max(len(stable['matched']), 1):.1f}%)"
    )


if __name__ == "__main__":
    main()
