"""Most mentees matched, then the largest total score: one max-flow-min-cost problem.

Network: source -> each mentee (capacity 1) -> each allowed mentor (capacity 1, cost minus the
pair's score units) -> sink (capacity = the mentor's capacity). OR-Tools'
``solve_max_flow_with_min_cost`` finds the largest flow that fits (the most mentees matched)
and, among all flows of that size, one of least cost (the largest total score), exactly, in
integers.

Large networks are solved on a subset of the pair arcs first (each mentee's and each mentor's
best-scoring pairs), and the answer is then *proved* optimal for all arcs by linear-programming
duality: node potentials for the subset's residual network must give every left-out arc a
non-negative reduced cost. Left-out arcs that fail are added and the subset solved again; after
a few rounds without proof the whole network is solved directly. Either way the result is an
exact optimum of the whole network (docs/matching.md has the argument).
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

from matching.engine.encoding import Flags, Ints

# Below this many pair arcs the whole network is solved at once.
DIRECT_ARCS = 200_000
FIRST_PER_MENTEE = 8
FIRST_PER_PLACE = 4  # per unit of a mentor's capacity
MAX_ROUNDS = 8
MAX_SUBSET_SHARE = 0.4
BUCKETS = 64


class SolverError(RuntimeError):
    """OR-Tools could not solve a network that is always solvable: a bug, never bad input."""


def solve_flow(
    mentee_count: int,
    capacity: Ints,
    rows: Ints,
    columns: Ints,
    units: Ints,
    *,
    direct_arcs: int | None = None,
) -> Flags:
    """Which of the pair arcs ``(rows[k], columns[k])`` carry a match in an optimal solution.

    ``direct_arcs`` (default ``DIRECT_ARCS``): up to this many arcs, skip the subset rounds.
    """
    if rows.size <= (DIRECT_ARCS if direct_arcs is None else direct_arcs):
        return _solve(mentee_count, capacity, rows, columns, units)
    capacity = np.minimum(capacity, mentee_count)
    keep = _first_subset(mentee_count, capacity, rows, columns, units)
    potentials = np.zeros(mentee_count + capacity.size + 2, dtype=np.int64)
    # Worth more than any possible difference in total score: cardinality comes first.
    big = mentee_count * max(int(units.max()), 1) + 1
    pair_cost = units + big
    mentor_nodes = columns + mentee_count
    for _ in range(MAX_ROUNDS):
        subset = np.flatnonzero(keep)
        used = _solve(mentee_count, capacity, rows[subset], columns[subset], units[subset])
        found = _potentials(
            mentee_count,
            capacity,
            rows[subset],
            columns[subset],
            units[subset],
            used,
            big,
            potentials,
        )
        if found is None:
            break
        potentials = found
        # A left-out arc i -> j has reduced cost p(i) - p(j) - (big + units): negative fails.
        gain = potentials[rows]
        gain -= potentials[mentor_nodes]
        violated = gain < pair_cost
        violated &= ~keep
        if not violated.any():
            chosen = np.zeros(rows.size, dtype=np.bool_)
            chosen[subset[used]] = True
            return chosen
        keep |= violated
        if np.count_nonzero(keep) > MAX_SUBSET_SHARE * rows.size:
            break
    return _solve(mentee_count, capacity, rows, columns, units)


def _solve(mentee_count: int, capacity: Ints, rows: Ints, columns: Ints, units: Ints) -> Flags:
    if rows.size == 0:
        return np.zeros(0, dtype=np.bool_)
    mentor_count = capacity.size
    source = mentee_count + mentor_count
    sink = source + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(mentee_count, source, dtype=np.int32),
        np.arange(mentee_count, dtype=np.int32),
        np.ones(mentee_count, dtype=np.int64),
        np.zeros(mentee_count, dtype=np.int64),
    )
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        rows.astype(np.int32),
        (columns + mentee_count).astype(np.int32),
        np.ones(rows.size, dtype=np.int64),
        np.negative(units),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(mentee_count, mentee_count + mentor_count, dtype=np.int32),
        np.full(mentor_count, sink, dtype=np.int32),
        np.minimum(capacity, mentee_count).astype(np.int64),
        np.zeros(mentor_count, dtype=np.int64),
    )
    flow.set_node_supply(source, mentee_count)
    flow.set_node_supply(sink, -mentee_count)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise SolverError(f"min-cost flow ended with status {status}")
    return np.asarray(flow.flows(np.asarray(pair_arcs, dtype=np.int32))) > 0


def _first_subset(
    mentee_count: int, capacity: Ints, rows: Ints, columns: Ints, units: Ints
) -> Flags:
    """Each mentee's best few arcs and each mentor's best few per place, by score.

    Ranks come from a per-person histogram of scores (no sorting of millions of arcs); ties
    within a bucket are all kept, which only makes the subset a little larger.
    """
    width = int(units.max()) // BUCKETS + 1
    bucket = units // width
    wanted_by_mentee = np.full(mentee_count, FIRST_PER_MENTEE, dtype=np.int64)
    mentee_floor = _bucket_floor(rows, bucket, wanted_by_mentee)
    mentor_floor = _bucket_floor(columns, bucket, FIRST_PER_PLACE * capacity)
    return (bucket >= mentee_floor[rows]) | (bucket >= mentor_floor[columns])


def _bucket_floor(owner: Ints, bucket: Ints, wanted: Ints) -> Ints:
    """For each owner, the lowest bucket that still keeps its ``wanted`` best arcs."""
    counts = np.bincount(owner * BUCKETS + bucket, minlength=wanted.size * BUCKETS)
    from_top = np.cumsum(counts.reshape(wanted.size, BUCKETS)[:, ::-1], axis=1)
    reached = from_top >= wanted[:, None]
    position = np.where(reached.any(axis=1), reached.argmax(axis=1), BUCKETS - 1)
    return BUCKETS - 1 - position


def _potentials(
    mentee_count: int,
    capacity: Ints,
    rows: Ints,
    columns: Ints,
    units: Ints,
    used: Flags,
    big: int,
    start: Ints,
) -> Ints | None:
    """Node potentials proving the subset's flow optimal, or None if none were found.

    The subset's flow, plus a zero-cost source -> sink arc carrying the unmatched, is a
    min-cost flow when pair arcs cost ``-(big + units)``. Its residual network then has no
    negative cycle, so Bellman-Ford relaxation from any start reaches potentials ``p`` with
    ``cost(u, v) + p(u) - p(v) >= 0`` on every residual arc.
    """
    mentor_count = capacity.size
    source, sink = mentee_count + mentor_count, mentee_count + mentor_count + 1
    matched = np.zeros(mentee_count, dtype=np.bool_)
    matched[rows[used]] = True
    load = np.bincount(columns[used], minlength=mentor_count)
    unmatched_mentees = np.flatnonzero(~matched)
    matched_mentees = np.flatnonzero(matched)
    mentors_with_room = np.flatnonzero(load < capacity) + mentee_count
    mentors_with_mentees = np.flatnonzero(load > 0) + mentee_count
    matched_count = matched_mentees.size
    bypass_forward = [source] if matched_count > 0 else []
    bypass_backward = [sink] if matched_count < mentee_count else []
    pair_cost = -(big + units)
    tails = np.concatenate(
        [
            np.full(unmatched_mentees.size, source),
            matched_mentees,
            rows[~used],
            columns[used] + mentee_count,
            mentors_with_room,
            np.full(mentors_with_mentees.size, sink),
            bypass_forward,
            bypass_backward,
        ]
    ).astype(np.int64)
    heads = np.concatenate(
        [
            unmatched_mentees,
            np.full(matched_mentees.size, source),
            columns[~used] + mentee_count,
            rows[used],
            np.full(mentors_with_room.size, sink),
            mentors_with_mentees,
            [sink] * len(bypass_forward),
            [source] * len(bypass_backward),
        ]
    ).astype(np.int64)
    costs = np.zeros(tails.size, dtype=np.int64)
    first_pair = unmatched_mentees.size + matched_mentees.size
    costs[first_pair : first_pair + used.size - matched_count] = pair_cost[~used]
    costs[first_pair + used.size - matched_count : first_pair + used.size] = -pair_cost[used]

    order = np.argsort(heads, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    targets, starts = np.unique(heads, return_index=True)
    potentials = start.copy()
    for _ in range(potentials.size + 1):
        best = np.minimum.reduceat(potentials[tails] + costs, starts)
        lower = best < potentials[targets]
        if not lower.any():
            return potentials
        potentials[targets[lower]] = best[lower]
    return None
