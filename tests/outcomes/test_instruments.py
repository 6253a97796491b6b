"""The scoring engine (``outcomes.instruments``), from answers in: every published band boundary,
the PHQ-9 question 9 flag, the missing-answer rule, refused answers and definitions, and how
change between two scores is judged. Pure: no database."""

from __future__ import annotations

import copy
import json
import math
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outcomes.instruments import (
    BUILTIN_KEYS,
    DATA,
    AnswerError,
    ChangeKind,
    DefinitionError,
    Instrument,
    alert_flags,
    builtin,
    compare,
    in_clinical_range,
    load,
    parse,
    score,
)

PHQ9 = builtin("phq9")
GAD7 = builtin("gad7")
WHO5 = builtin("who5")


def answers_totalling(instrument: Instrument, total: int, *, last: int | None = None) -> list[int]:
    """Answers (filled from the first question) that add up to ``total``; ``last`` fixes the
    final question's answer."""
    count = len(instrument.items)
    answers = [0] * count
    remaining = total
    if last is not None:
        answers[-1] = last
        remaining -= last
    for index in range(count - (1 if last is not None else 0)):
        answers[index] = min(instrument.highest, remaining)
        remaining -= answers[index]
    assert remaining == 0 and sum(answers) == total
    return answers


def definition(key: str) -> dict[str, Any]:
    return json.loads((DATA / f"{key}.json").read_text(encoding="utf-8"))


# Bands --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands_at_every_published_boundary(total: int, band: str) -> None:
    # Question 9 left at 0, so no flag muddies the band.
    result = score(PHQ9, answers_totalling(PHQ9, total, last=0) if total <= 24 else [3] * 9)
    assert (result.total, result.band) == (total, band)
    assert result.percentage is None and result.prorated is False


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_bands_at_every_published_boundary(total: int, band: str) -> None:
    result = score(GAD7, answers_totalling(GAD7, total))
    assert (result.total, result.band, result.flags) == (total, band, ())


@pytest.mark.parametrize(
    ("answers", "total", "percentage", "band"),
    [
        ([0, 0, 0, 0, 0], 0, 0, "depression_likely"),
        ([2, 2, 2, 1, 0], 7, 28, "depression_likely"),
        ([2, 2, 2, 2, 0], 8, 32, "poor"),
        ([3, 3, 2, 2, 2], 12, 48, "poor"),
        ([3, 3, 3, 2, 2], 13, 52, "good"),
        ([5, 5, 5, 5, 1], 21, 84, "poor"),
        ([5, 5, 5, 5, 0], 20, 80, "poor"),
        ([5, 5, 5, 5, 5], 25, 100, "good"),
    ],
)
def test_who5_percentage_is_raw_times_four_and_bands_follow_it(
    answers: list[int], total: int, percentage: int, band: str
) -> None:
    result = score(WHO5, answers)
    assert (result.total, result.percentage, result.band) == (total, percentage, band)


def test_who5_raw_8_is_not_depression_likely_even_with_every_answer_at_least_2() -> None:
    result = score(WHO5, [2, 2, 2, 1, 1])  # raw 8, but two answers of 1
    assert (result.percentage, result.band) == (32, "poor")
    assert score(WHO5, [2, 2, 2, 2, 0]).band == "poor"


@pytest.mark.parametrize(
    ("answers", "flagged"),
    [
        ([1, 1, 1, 2, 2], True),  # depression likely
        ([3, 3, 2, 2, 2], True),  # poor: raw 12
        ([5, 5, 5, 5, 1], True),  # poor: one answer of 1
        ([3, 3, 3, 2, 2], False),  # good
        ([5, 5, 5, 5, 5], False),
    ],
)
def test_who5_poor_and_depression_likely_set_screen_for_depression(
    answers: list[int], flagged: bool
) -> None:
    assert ("screen_for_depression" in score(WHO5, answers).flags) is flagged


# PHQ-9 question 9 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        [0, 0, 0, 0, 0, 0, 0, 0, 1],  # total 1, minimal
        [0, 0, 0, 0, 0, 0, 0, 0, 3],
        [3] * 9,  # total 27
        [None, 0, 0, 0, 0, 0, 0, 0, 2],  # prorated
        [None, None, None, 0, 0, 0, 0, 0, 1],  # too few answers for a total
    ],
)
def test_phq9_question_9_above_zero_sets_self_harm_thoughts_whatever_the_total(
    answers: list[int | None],
) -> None:
    result = score(PHQ9, answers)
    assert "self_harm_thoughts" in result.flags
    (rule,) = alert_flags(PHQ9, result.flags)
    assert (rule.key, rule.alert) == ("self_harm_thoughts", "high")


def test_phq9_total_1_from_question_9_alone_is_minimal_and_flagged() -> None:
    result = score(PHQ9, [0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert (result.total, result.band, result.flags) == (1, "minimal", ("self_harm_thoughts",))


@pytest.mark.parametrize(
    "answers",
    [
        [0] * 9,
        [3, 3, 3, 3, 3, 3, 3, 3, 0],  # total 24, severe
        [3, 3, 3, 3, 3, 3, 3, 3, None],  # question 9 not answered
        [None, None, None, None, None, None, None, None, None],
    ],
)
def test_phq9_question_9_at_zero_or_unanswered_never_sets_the_flag(
    answers: list[int | None],
) -> None:
    result = score(PHQ9, answers)
    assert result.flags == ()
    assert alert_flags(PHQ9, result.flags) == []


# Properties ---------------------------------------------------------------------------------


def complete_answers(instrument: Instrument) -> st.SearchStrategy[list[int]]:
    return st.lists(
        st.sampled_from(sorted(instrument.values)),
        min_size=len(instrument.items),
        max_size=len(instrument.items),
    )


def with_missing(instrument: Instrument, missing: st.SearchStrategy[int]) -> Any:
    """Complete answers with ``missing`` of them (chosen positions) left unanswered."""

    @st.composite
    def build(draw: Any) -> list[int | None]:
        answers: list[int | None] = list(draw(complete_answers(instrument)))
        count = draw(missing)
        positions = draw(
            st.lists(st.integers(0, len(answers) - 1), min_size=count, max_size=count, unique=True)
        )
        for position in positions:
            answers[position] = None
        return answers

    return build()


def round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


@pytest.mark.parametrize("key", BUILTIN_KEYS)
@given(data=st.data())
def test_complete_answers_total_their_sum_within_range_with_a_band(key: str, data: Any) -> None:
    instrument = builtin(key)
    answers = data.draw(complete_answers(instrument))
    result = score(instrument, answers)
    assert result.total == sum(answers)
    assert 0 <= result.total <= instrument.max_total
    assert result.band is not None and instrument.band(result.band) is not None
    assert result.answered == len(answers) and result.prorated is False
    if key == "who5":
        assert result.percentage == result.total * 4
    else:
        assert result.percentage is None


@pytest.mark.parametrize("key", ["phq9", "gad7"])
@given(data=st.data())
def test_up_to_two_missing_answers_are_prorated(key: str, data: Any) -> None:
    instrument = builtin(key)
    assert instrument.max_missing == 2
    answers = data.draw(with_missing(instrument, st.integers(1, 2)))
    given_answers = [answer for answer in answers if answer is not None]
    result = score(instrument, answers)
    expected = round_half_up(Fraction(sum(given_answers), len(given_answers)) * len(answers))
    assert result.total == expected
    assert result.prorated is True
    assert result.answered == len(given_answers)
    assert result.band is not None


@pytest.mark.parametrize("key", ["phq9", "gad7"])
@given(data=st.data())
def test_more_than_two_missing_answers_give_no_total_never_a_silent_zero(
    key: str, data: Any
) -> None:
    instrument = builtin(key)
    answers = data.draw(with_missing(instrument, st.integers(3, len(instrument.items))))
    result = score(instrument, answers)
    assert (result.total, result.band, result.percentage) == (None, None, None)
    assert result.is_complete is False and result.prorated is False


@given(data=st.data())
def test_who5_with_any_missing_answer_has_no_total(data: Any) -> None:
    answers = data.draw(with_missing(WHO5, st.integers(1, 5)))
    result = score(WHO5, answers)
    assert (result.total, result.percentage, result.band, result.flags) == (None, None, None, ())


def test_prorating_rounds_half_up() -> None:
    # 7 answered, summing 7: mean 1 x 9 = 9. 7 answered summing 5: 5/7 x 9 = 6.43 -> 6.
    # 8 answered summing 4: 4/8 x 9 = 4.5 -> 5 (half up, not to even).
    assert score(PHQ9, [1, 1, 1, 1, 1, 1, 1, None, None]).total == 9
    assert score(PHQ9, [1, 1, 1, 1, 1, 0, 0, None, None]).total == 6
    assert score(PHQ9, [1, 1, 1, 1, 0, 0, 0, 0, None]).total == 5
    assert score(GAD7, [2, 1, 1, 1, 0, None, None]).total == 7  # 5/5 x 7


# Refused answers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument", "answers", "message"),
    [
        (PHQ9, [0] * 8, "PHQ-9 has 9 questions; 8 answers were given."),
        (GAD7, [0] * 8, "GAD-7 has 7 questions; 8 answers were given."),
        (WHO5, [], "WHO-5 has 5 questions; 0 answers were given."),
        (PHQ9, [0, 0, 4, 0, 0, 0, 0, 0, 0], "Answer 3 must be one of 0, 1, 2, 3."),
        (PHQ9, [0, 0, 0, 0, 0, 0, 0, 0, -1], "Answer 9 must be one of 0, 1, 2, 3."),
        (WHO5, [6, 0, 0, 0, 0], "Answer 1 must be one of 0, 1, 2, 3, 4, 5."),
        (GAD7, [0, "1", 0, 0, 0, 0, 0], "Answer 2 must be one of 0, 1, 2, 3."),
        (GAD7, [0, 1.0, 0, 0, 0, 0, 0], "Answer 2 must be one of 0, 1, 2, 3."),
        (GAD7, [True, 0, 0, 0, 0, 0, 0], "Answer 1 must be one of 0, 1, 2, 3."),
        (WHO5, [5, 5, False, 5, 5], "Answer 3 must be one of 0, 1, 2, 3, 4, 5."),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(
    instrument: Instrument, answers: list[Any], message: str
) -> None:
    with pytest.raises(AnswerError) as raised:
        score(instrument, answers)
    assert str(raised.value) == message


# Definitions --------------------------------------------------------------------------------


def minimal_definition() -> dict[str, Any]:
    return {
        "key": "mood3",
        "name": "Three mood questions",
        "short_name": "Mood-3",
        "stem": "Over the last week:",
        "attribution": "Written for this test.",
        "options": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}],
        "items": [
            {"key": "a", "text": "Low"},
            {"key": "b", "text": "Tired"},
            {"key": "c", "text": "Alone"},
        ],
        "scoring": {"max_missing": 1},
        "bands": [
            {"key": "low", "label": "Low", "any": [{"total": {"max": 1}}]},
            {"key": "high", "label": "High", "any": []},
        ],
        "flags": [
            {"key": "alone", "label": "Feels alone", "any": [{"item": {"key": "c", "min": 1}}]}
        ],
        "change": {"direction": "lower_is_better", "reliable_change": 2},
    }


def test_the_shipped_definitions_all_load() -> None:
    for key in BUILTIN_KEYS:
        instrument = load(definition(key))
        assert instrument == builtin(key)
        assert instrument.attribution and instrument.change.sources
    with pytest.raises(KeyError):
        builtin("k10")


def test_a_minimal_custom_definition_loads_and_scores() -> None:
    instrument = load(minimal_definition())
    assert (instrument.key, instrument.version, instrument.minutes) == ("mood3", 1, 5)
    assert instrument.max_total == 3
    assert score(instrument, [0, 1, 0]).as_dict() == {
        "instrument": "mood3",
        "total": 1,
        "band": "low",
        "flags": [],
    }
    result = score(instrument, [1, None, 1])
    assert (result.total, result.band, result.flags, result.prorated) == (
        3,
        "high",
        ("alone",),
        True,
    )
    assert score(instrument, [None, None, 1]).total is None
    assert compare(instrument, 3, 1).kind == ChangeKind.IMPROVED
    assert parse(json.dumps(minimal_definition())) == instrument


def broken(change: Any) -> dict[str, Any]:
    data = minimal_definition()
    change(data)
    return data


@pytest.mark.parametrize(
    ("breaking", "problem"),
    [
        (lambda d: d.pop("key"), "'key' is required."),
        (lambda d: d.update(name="  "), "'name' is required."),
        (lambda d: d.pop("attribution"), "'attribution' is required."),
        (lambda d: d.update(options=[{"value": 0}]), "At least two answer options are needed."),
        (
            lambda d: d.update(options=[{"value": 1, "label": "A"}, {"value": 1, "label": "B"}]),
            "Answer option values must differ.",
        ),
        (
            lambda d: d["options"].append({"value": "2", "label": "Two"}),
            "Answer option 3 needs a whole-number value and a label.",
        ),
        (lambda d: d.update(items=[]), "At least one question is needed."),
        (lambda d: d["items"].append({"key": "a", "text": "Again"}), "Question keys must differ."),
        (lambda d: d["items"].append({"key": "d"}), "Question 4 needs a key and text."),
        (
            lambda d: d["bands"][0].update({"any": [{"median": {"max": 1}}]}),
            "Band 1 test 1: unknown test 'median'.",
        ),
        (
            lambda d: d["bands"][0].update({"any": [{"total": {}}]}),
            "Band 1 test 1: total needs min and/or max.",
        ),
        (
            lambda d: d["flags"][0].update({"any": [{"item": {"key": "9", "min": 1}}]}),
            "'alone' tests question '9', which is not there.",
        ),
        (
            lambda d: d["flags"][0].update({"any": [{"band": ["missing"]}]}),
            "'alone' tests a band that is not defined.",
        ),
        (lambda d: d["bands"].append({"label": "No key"}), "Band 3 needs a key."),
        (
            lambda d: d["change"].update(direction="sideways"),
            "change.direction must be lower_is_better or higher_is_better.",
        ),
        (
            lambda d: d["change"].update(reliable_change=0),
            "change.reliable_change must be a positive number.",
        ),
        (
            lambda d: d["change"].update(basis="median"),
            "change.basis must be total or percentage.",
        ),
        (
            lambda d: d.pop("change"),
            "'change' is required: direction, basis and reliable_change.",
        ),
        (
            lambda d: d["scoring"].update(max_missing=3),
            "scoring.max_missing must be a whole number below the number of questions.",
        ),
        (
            lambda d: d["scoring"].update(percentage_multiplier=0),
            "scoring.percentage_multiplier must be a positive whole number.",
        ),
        # Wrong shapes are problems too, never a crash.
        (lambda d: d.update(scoring="sum"), "'scoring' must be an object, such as"),
        (lambda d: d.update(items=5), "'items' must be a list."),
        (lambda d: d.update(options={"0": "No"}), "'options' must be a list."),
        (lambda d: d["bands"][0].update({"any": 5}), "Band 1: any must be a list of tests."),
        (lambda d: d.update(version="two"), "'version' must be a positive whole number."),
        (
            lambda d: d["change"].update(caseness={"band": ["high"]}),
            "change.caseness must test the total or the percentage.",
        ),
    ],
)
def test_broken_definitions_are_refused_naming_the_problem(breaking: Any, problem: str) -> None:
    with pytest.raises(DefinitionError) as raised:
        load(broken(breaking))
    assert any(line.startswith(problem) for line in raised.value.problems), raised.value.problems


def test_every_problem_is_listed_at_once() -> None:
    data = minimal_definition()
    data.pop("key")
    data["items"] = []
    data["change"]["direction"] = "up"
    with pytest.raises(DefinitionError) as raised:
        load(data)
    assert raised.value.problems == [
        "'key' is required.",
        "At least one question is needed.",
        "scoring.max_missing must be a whole number below the number of questions.",
        "'alone' tests question 'c', which is not there.",
        "change.direction must be lower_is_better or higher_is_better.",
    ]


@pytest.mark.parametrize("text", ["[]", "null", '"phq9"'])
def test_a_definition_must_be_an_object(text: str) -> None:
    with pytest.raises(DefinitionError) as raised:
        parse(text)
    assert raised.value.problems == ["The definition must be a JSON object."]


def test_invalid_json_names_the_line() -> None:
    text = json.dumps(minimal_definition(), indent=2).replace('"name"', "name", 1)
    with pytest.raises(DefinitionError) as raised:
        parse(text)
    (problem,) = raised.value.problems
    assert problem.startswith("This is not valid JSON (line 3): ")


def test_loading_does_not_change_the_definition_it_is_given() -> None:
    data = definition("phq9")
    before = copy.deepcopy(data)
    load(data)
    assert data == before


# Change -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "kind", "recovery"),
    [
        (20, 15, ChangeKind.NO_RELIABLE_CHANGE, False),
        (20, 14, ChangeKind.IMPROVED, False),  # still in the clinical range
        (15, 9, ChangeKind.IMPROVED, True),  # from 15 (clinical) to 9 (not)
        (10, 4, ChangeKind.IMPROVED, True),
        (9, 3, ChangeKind.IMPROVED, False),  # started outside the clinical range
        (14, 9, ChangeKind.NO_RELIABLE_CHANGE, False),  # crossed the cut-off, but by 5
        (9, 14, ChangeKind.NO_RELIABLE_CHANGE, False),
        (9, 15, ChangeKind.DETERIORATED, False),
        (0, 27, ChangeKind.DETERIORATED, False),
        (12, 12, ChangeKind.NO_RELIABLE_CHANGE, False),
    ],
)
def test_phq9_change_needs_6_points_and_recovery_crosses_10(
    first: int, last: int, kind: ChangeKind, recovery: bool
) -> None:
    change = compare(PHQ9, first, last)
    assert (change.kind, change.reliable_recovery) == (kind, recovery)
    assert change.difference == last - first


@pytest.mark.parametrize(
    ("first", "last", "kind", "recovery"),
    [
        (12, 9, ChangeKind.NO_RELIABLE_CHANGE, False),
        (12, 8, ChangeKind.IMPROVED, False),  # 8 is still in the clinical range
        (11, 7, ChangeKind.IMPROVED, True),
        (8, 4, ChangeKind.IMPROVED, True),
        (7, 3, ChangeKind.IMPROVED, False),
        (5, 8, ChangeKind.NO_RELIABLE_CHANGE, False),
        (5, 9, ChangeKind.DETERIORATED, False),
    ],
)
def test_gad7_change_needs_4_points_and_recovery_crosses_8(
    first: int, last: int, kind: ChangeKind, recovery: bool
) -> None:
    change = compare(GAD7, first, last)
    assert (change.kind, change.reliable_recovery) == (kind, recovery)


@pytest.mark.parametrize(
    ("first", "last", "kind", "recovery"),
    [
        (40, 48, ChangeKind.NO_RELIABLE_CHANGE, False),
        (40, 50, ChangeKind.IMPROVED, False),  # 50 is still poor wellbeing
        (44, 56, ChangeKind.IMPROVED, True),  # higher is better
        (50, 60, ChangeKind.IMPROVED, True),
        (52, 64, ChangeKind.IMPROVED, False),
        (60, 52, ChangeKind.NO_RELIABLE_CHANGE, False),
        (60, 48, ChangeKind.DETERIORATED, False),
    ],
)
def test_who5_change_is_10_percentage_points_higher_is_better_recovery_crosses_50(
    first: int, last: int, kind: ChangeKind, recovery: bool
) -> None:
    change = compare(WHO5, first, last)
    assert (change.kind, change.reliable_recovery) == (kind, recovery)


def test_change_is_judged_on_the_percentage_for_who5_and_the_total_otherwise() -> None:
    assert (PHQ9.change.basis, GAD7.change.basis, WHO5.change.basis) == (
        "total",
        "total",
        "percentage",
    )
    before, after = score(WHO5, [1, 1, 2, 2, 2]), score(WHO5, [2, 2, 2, 2, 2])
    assert (before.basis("percentage"), after.basis("percentage")) == (32, 40)
    # 2 raw points is 8 percentage points: not reliable.
    assert compare(WHO5, 32, 40).kind == ChangeKind.NO_RELIABLE_CHANGE


@pytest.mark.parametrize(
    ("instrument", "inside", "outside"),
    [(PHQ9, [10, 27], [0, 9]), (GAD7, [8, 21], [0, 7]), (WHO5, [0, 50], [52, 100])],
)
def test_clinical_range_cut_offs(
    instrument: Instrument, inside: list[int], outside: list[int]
) -> None:
    assert all(in_clinical_range(instrument, value) for value in inside)
    assert not any(in_clinical_range(instrument, value) for value in outside)


def test_without_a_clinical_cut_off_nobody_reliably_recovers() -> None:
    instrument = load(minimal_definition())
    assert instrument.change.caseness is None
    assert compare(instrument, 3, 0).kind == ChangeKind.IMPROVED
    assert compare(instrument, 3, 0).reliable_recovery is False
