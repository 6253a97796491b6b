"""Bitmask encoding: narrow masks for small vocabularies, several 64-bit columns for large ones;
both give the same answers as the plain reference."""

from __future__ import annotations

import random

import numpy as np
import pytest

from matching.engine import Mentee, Mentor, Problem, solve
from matching.engine.constraints import allowed_pairs
from matching.engine.encoding import MenteeTable, Vocabulary
from tests.matching import reference


@pytest.mark.parametrize(
    ("size", "dtype", "width"),
    [
        (0, np.uint8, 1),
        (8, np.uint8, 1),
        (9, np.uint16, 1),
        (33, np.uint64, 1),
        (130, np.uint64, 3),
    ],
)
def test_masks_use_the_narrowest_type_that_fits(size: int, dtype: type, width: int) -> None:
    words = [f"w{n}" for n in range(size)]
    vocabulary = Vocabulary([words])
    packed = vocabulary.pack([tuple(words)])
    assert (packed.dtype, packed.shape) == (dtype, (1, width))
    assert vocabulary.unpack(packed[0].tolist()) == words


def wide_problem(seed: int) -> Problem:
    chooser = random.Random(seed)
    languages = [f"x{n}" for n in range(100)]
    slots = [f"slot{n}" for n in range(150)]
    areas = [f"area{n}" for n in range(80)]

    def pick(items: list[str], most: int) -> tuple[str, ...]:
        return tuple(chooser.sample(items, chooser.randint(1, most)))

    mentors = tuple(
        Mentor(
            id=f"M{n}",
            capacity=chooser.randint(0, 2),
            languages=pick(languages, 30),
            formats=("video",),
            availability=pick(slots, 40),
            lived_experience=pick(areas, 20),
        )
        for n in range(12)
    )
    mentees = tuple(
        Mentee(
            id=f"P{n}",
            languages=pick(languages, 30),
            formats=("video",),
            availability=pick(slots, 40),
            needs=pick(areas, 20),
            waiting_days=chooser.randint(0, 100),
        )
        for n in range(15)
    )
    return Problem(mentors=mentors, mentees=mentees)


@pytest.mark.parametrize("seed", range(5))
def test_vocabularies_wider_than_64_words_agree_with_the_reference(seed: int) -> None:
    problem = wide_problem(seed)
    mentors = problem.mentor_table
    assert mentors.languages.shape[1] == 2 and mentors.slots.shape[1] == 2
    mentees = MenteeTable.encode(problem.mentees, mentors)
    expected = np.array(
        [[reference.allowed(a, b) for b in problem.mentors] for a in problem.mentees]
    )
    assert (allowed_pairs(mentees, mentors) == expected).all()
    by_id = {mentor.id: mentor for mentor in problem.mentors}
    for assignment in solve(problem).assignments:
        mentee = next(m for m in problem.mentees if m.id == assignment.mentee)
        assert assignment.score == pytest.approx(
            reference.score(mentee, by_id[assignment.mentor]), abs=1e-4
        )


def test_a_language_only_the_mentee_knows_does_not_match_and_does_not_break_encoding() -> None:
    problem = Problem(
        mentors=(
            Mentor(id="M1", capacity=1, languages=("en",), formats=("phone",), availability=("a",)),
        ),
        mentees=(
            Mentee(id="P1", languages=("cy",), formats=("phone",), availability=("a", "b")),
            Mentee(id="P2", languages=("en", "cy"), formats=("phone",), availability=("a", "b")),
        ),
    )
    result = solve(problem)
    assert [(a.mentee, a.mentor) for a in result.assignments] == [("P2", "M1")]
    # Half of P2's times are shared: the unknown slot "b" still counts in the denominator.
    assert result.assignments[0].score == pytest.approx(0.20 * 0.5, abs=1e-4)
