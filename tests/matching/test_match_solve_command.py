"""``manage.py match_solve``: a problem file in, the result as JSON out; bad input is refused with
one line and a non-zero exit, never a traceback."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from matching.engine import FORMATS
from mentors.models import Format
from tests.matching.builders import EXAMPLE

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str | None = None) -> dict:
    out = io.StringIO()
    options = {"stdout": out}
    if stdin is not None:
        options["stdin"] = io.StringIO(stdin)
    call_command("match_solve", *args, **options)
    return json.loads(out.getvalue())


def test_a_problem_file_is_solved_and_printed_as_json(tmp_path: Path) -> None:
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(EXAMPLE))
    result = run("--input", str(path))
    (assignment,) = result["assignments"]
    assert (assignment["mentee"], assignment["mentor"]) == ("P1", "M1")
    assert 0 <= assignment["score"] <= 1
    assert "Shares lived experience of anxiety" in assignment["reasons"]
    assert result["unmatched"] == []
    assert result["stats"]["matched"] == 1
    assert set(result["stats"]) >= {"matched", "unmatched", "total_score", "seconds"}


def test_a_problem_can_come_from_standard_input() -> None:
    result = run("--input", "-", stdin=json.dumps(EXAMPLE))
    assert result["stats"]["matched"] == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "invalid problem: not valid JSON"),
        ('{"mentors": [{"capacity": 1}], "mentees": []}', "mentor #1: missing 'id'"),
        (
            json.dumps({"mentors": EXAMPLE["mentors"] * 2, "mentees": []}),
            "duplicate mentor id 'M1'",
        ),
        (
            json.dumps({"mentors": [{**EXAMPLE["mentors"][0], "capacity": -2}], "mentees": []}),
            "capacity must be 0 or more, not -2",
        ),
        (
            json.dumps({"mentors": [{**EXAMPLE["mentors"][0], "formats": ["fax"]}], "mentees": []}),
            "unknown format 'fax'",
        ),
    ],
)
def test_malformed_input_is_refused_with_a_message(text: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("--input", "-", stdin=text)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"cannot read .*missing\.json: No such file"):
        run("--input", str(tmp_path / "missing.json"))


def test_from_the_shell_bad_input_exits_non_zero_with_one_line_and_no_traceback() -> None:
    environment = {**os.environ, "ALONGSIDE_ENV": "test"}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    completed = subprocess.run(
        [sys.executable, "manage.py", "match_solve", "--input", "-"],
        input='{"mentors": [], "mentees": [{"id": "P1"}]}',
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode != 0
    assert completed.stdout == ""
    assert completed.stderr.strip().splitlines() == [
        "CommandError: invalid problem: mentee 'P1': missing 'languages'"
    ]


def test_the_engine_knows_every_meeting_format_mentors_can_offer() -> None:
    assert set(Format.values) <= set(FORMATS)
