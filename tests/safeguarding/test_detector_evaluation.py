"""The detector meets the issue's targets on the labelled evaluation set, measured by the same code
as ``benchmarks/detector.py``; and the set itself is what the issue and the README say it is."""

from __future__ import annotations

import json

import pytest

from benchmarks.detector import (
    EVALUATION_FOLDER,
    SETS,
    TARGETS,
    evaluate,
    load,
    load_all,
    missed_targets,
)

ISSUE_HARD_CASES = [
    "my family would manage fine if I wasn't here",
    "I've sorted out who gets my guitar",
    "this is probably my last week",
    "I've been stockpiling my meds",
    "I haven't hurt myself since last spring and I'm proud of it",
    "my boss is killing me with these deadlines",
    "I'm dying for a cup of tea",
    "I could strangle my printer",
    "I've just swallowed everything in the cabinet",
    "I'm at the cliff edge as we speak",
    "that joke killed me",
    "I'd kill for a holiday",
    "tonight's the night",
    "I've got the pills in front of me",
    "I'm going to hurt him",
    "he hits me when he's drunk",
    "I'm scared to go home",
    "I haven't eaten in four days",
    "I make myself sick after every meal",
    "the voices are telling me to hurt myself",
    "I've drunk a bottle of vodka and I want it all to stop",
    "my friend said she wants to die",
]


@pytest.fixture(scope="module")
def combined():
    return evaluate(load_all())


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.name)
def test_each_target_is_met_on_the_combined_set(combined, target):
    assert target.passed(combined), (
        f"{target.name}: {target.figure(combined):.1%} (target {target.describe()}); "
        "run .venv/bin/python benchmarks/detector.py to see the misses and false alarms"
    )


def test_no_target_is_missed(combined):
    assert missed_targets(combined) == []


def test_the_set_is_large_enough_and_about_half_risk():
    examples = load_all()
    risk = sum(example.label == "risk" for example in examples)
    assert len(examples) >= 200
    assert 0.4 <= risk / len(examples) <= 0.6


def test_a_share_of_the_set_is_kept_in_a_separate_file():
    held_out, everything = load("held out"), load_all()
    assert 0.15 <= len(held_out) / len(everything) <= 0.3
    assert {example.text for example in held_out}.isdisjoint(
        example.text for example in load("tuning")
    )


def test_every_message_is_there_once():
    texts = [example.text for example in load_all()]
    assert len(texts) == len(set(texts))


@pytest.mark.parametrize("text", ISSUE_HARD_CASES)
def test_every_hard_case_quoted_in_the_issue_is_in_the_set(text):
    texts = {example.text.casefold() for example in load_all()}
    assert text.casefold() in texts


def test_the_recovery_example_is_labelled_ordinary():
    """The decision documented in docs/risk-detection.md: recovery talk is level none."""
    [example] = [e for e in load_all() if e.text.startswith("I haven't hurt myself since")]
    assert (example.label, example.level) == ("ordinary", "none")


@pytest.mark.parametrize("name", SETS)
def test_every_line_has_the_documented_fields(name):
    path = EVALUATION_FOLDER / SETS[name]
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert set(row) <= {"text", "label", "level", "categories", "note"}
        assert {"text", "label", "level", "categories"} <= set(row)
        assert row["label"] == "risk" or row["categories"] == []
    load(name)  # checks labels, levels and categories, raising on a bad line


def test_a_wrong_detector_would_fail_the_targets(monkeypatch):
    """The targets can fail: a detector that flags nothing, or everything, misses them."""
    from safeguarding import detector

    examples = load_all()
    monkeypatch.setattr(detector, "assess", lambda *texts: detector.NO_RISK)
    assert {target.name for target in missed_targets(evaluate(examples))} == {
        TARGETS[0].name,
        TARGETS[1].name,
    }
    everything = detector.RiskAssessment(detector.RiskLevel.URGENT, ("self_harm",), ("x",))
    monkeypatch.setattr(detector, "assess", lambda *texts: everything)
    assert {target.name for target in missed_targets(evaluate(examples))} == {
        TARGETS[2].name,
        TARGETS[3].name,
    }
