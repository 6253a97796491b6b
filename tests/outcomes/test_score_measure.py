"""``manage.py score_measure``: answers in, one line of JSON out; bad input is refused with one
line and a non-zero exit, never a traceback. No database needed."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> Any:
    out = io.StringIO()
    call_command("score_measure", *args, stdout=out)
    assert out.getvalue().count("\n") == 1
    return json.loads(out.getvalue())


def shell(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "ALONGSIDE_ENV": "test"}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "score_measure", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_phq9_answers_are_scored() -> None:
    assert run("phq9", "1", "2", "0", "1", "3", "0", "1", "2", "0") == {
        "instrument": "phq9",
        "total": 10,
        "band": "moderate",
        "flags": [],
    }


def test_phq9_question_9_is_flagged() -> None:
    assert run("phq9", "0", "0", "0", "0", "0", "0", "0", "0", "1") == {
        "instrument": "phq9",
        "total": 1,
        "band": "minimal",
        "flags": ["self_harm_thoughts"],
    }


def test_gad7_answers_are_scored() -> None:
    assert run("gad7", "3", "3", "3", "3", "3", "0", "0") == {
        "instrument": "gad7",
        "total": 15,
        "band": "severe",
        "flags": [],
    }


def test_who5_answers_are_scored_with_the_percentage() -> None:
    assert run("who5", "5", "5", "5", "5", "1") == {
        "instrument": "who5",
        "total": 21,
        "band": "poor",
        "flags": ["screen_for_depression"],
        "percentage": 84,
    }
    assert run("who5", "3", "3", "3", "2", "2") == {
        "instrument": "who5",
        "total": 13,
        "band": "good",
        "flags": [],
        "percentage": 52,
    }


def test_a_dash_is_not_an_answer() -> None:
    """The command scores complete answers only: anything not a whole number is refused."""
    with pytest.raises(CommandError, match="Answer 6 \\('-'\\) is not a whole number"):
        run("gad7", "2", "2", "2", "2", "2", "-", "-")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("k10", "1"), "Unknown instrument 'k10'; choose one of phq9, gad7, who5."),
        (("PHQ9", "0"), "Unknown instrument 'PHQ9'; choose one of phq9, gad7, who5."),
        (("phq9", *"00000000"), "PHQ-9 has 9 questions; 8 answers were given."),
        (("phq9",), "PHQ-9 has 9 questions; 0 answers were given."),
        (("gad7", *"00000000"), "GAD-7 has 7 questions; 8 answers were given."),
        (("who5", "5", "5", "6", "5", "5"), "Answer 3 must be one of 0, 1, 2, 3, 4, 5."),
        (("phq9", *"0000", "-1", *"0000"), "Answer 5 must be one of 0, 1, 2, 3."),
        (("gad7", "1", "two", *"00000"), "Answer 2 ('two') is not a whole number."),
        (("gad7", "1.5", *"000000"), "Answer 1 ('1.5') is not a whole number."),
    ],
)
def test_bad_input_is_refused_saying_what_was_wrong(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError) as raised:
        run(*args)
    assert str(raised.value).startswith(message)


def test_help_lists_the_instruments_and_answer_ranges() -> None:
    from outcomes.management.commands.score_measure import Command

    assert "phq9 (PHQ-9): 9 answers, each 0 to 3" in Command.help
    assert "gad7 (GAD-7): 7 answers, each 0 to 3" in Command.help
    assert "who5 (WHO-5): 5 answers, each 0 to 5" in Command.help


def test_from_the_shell_it_prints_json_and_exits_zero() -> None:
    completed = shell("who5", "2", "2", "2", "1", "0")
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == {
        "instrument": "who5",
        "total": 7,
        "band": "depression_likely",
        "flags": ["screen_for_depression"],
        "percentage": 28,
    }


def test_from_the_shell_bad_input_exits_non_zero_with_one_line() -> None:
    completed = shell("phq9", "0", "0", "0", "0", "0", "0", "0", "0")
    assert completed.returncode != 0
    assert completed.stdout == ""
    assert completed.stderr.strip().splitlines() == [
        "CommandError: PHQ-9 has 9 questions; 8 answers were given."
    ]
