"""``manage.py risk_scan``: one message per line in, one line of JSON per message out, streaming;
and ``manage.py risk_false_positives``: closed false alarms out, in the evaluation-set format."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from safeguarding.models import AlertOutcome
from safeguarding.services.alerts import alert_close
from tests.safeguarding.fixtures import raise_for

REPO = Path(__file__).resolve().parents[2]


def scan(text: str) -> list[dict[str, object]]:
    out = io.StringIO()
    call_command("risk_scan", stdin=io.StringIO(text), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def shell(*args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "ALONGSIDE_ENV": "test"}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=environment,
        input=stdin,
        capture_output=True,
        check=False,
        timeout=120,
    )


# risk_scan --------------------------------------------------------------------------------------


def test_each_line_gives_one_json_object():
    assert scan("I want to die\nmy boss is killing me\nI've got the pills in front of me\n") == [
        {"level": "high", "categories": ["suicidal_thoughts"], "matches": ["want to die"]},
        {"level": "none", "categories": [], "matches": []},
        {
            "level": "urgent",
            "categories": ["plan_or_means"],
            "matches": ["I've got the pills in front of me"],
        },
    ]


def test_blank_lines_give_level_none_and_keep_their_place():
    results = scan("\n   \nI want to die\n\n")
    assert [result["level"] for result in results] == ["none", "none", "high", "none"]


def test_the_last_line_needs_no_line_ending_and_windows_endings_are_fine():
    assert [r["level"] for r in scan("ok\r\nI can't go on")] == ["none", "high"]
    assert scan("") == []


def test_help_says_what_comes_in_and_out():
    from safeguarding.management.commands.risk_scan import Command

    assert "one message per line" in Command.help
    assert '"level"' in Command.help and '"matches"' in Command.help


def test_from_the_shell_it_reads_stdin_and_prints_one_line_per_message():
    completed = shell(
        "risk_scan",
        stdin="I’m at the cliff edge as we speak\n\nI'd kill for a holiday\nkms\n".encode(),
    )
    assert completed.returncode == 0, completed.stderr
    lines = [json.loads(line) for line in completed.stdout.decode().splitlines()]
    assert [line["level"] for line in lines] == ["urgent", "none", "none", "high"]
    assert lines[0]["matches"] == ["I’m at the cliff edge as we speak"]
    assert completed.stderr == b""


def test_from_the_shell_bad_bytes_are_replaced_not_fatal():
    completed = shell("risk_scan", stdin=b"\xff\xfe\xfa I want to die\n\xc3\n")
    assert completed.returncode == 0, completed.stderr
    lines = [json.loads(line) for line in completed.stdout.decode().splitlines()]
    assert [line["level"] for line in lines] == ["high", "none"]


def test_from_the_shell_a_large_input_streams_through():
    messages = ["Session went well today", "I want to die", ""] * 20_000
    giant_line = "Lovely walk. " * 200_000 + "I want to die"  # 2.6 MB on one line
    completed = shell("risk_scan", stdin=("\n".join([*messages, giant_line]) + "\n").encode())
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.decode().splitlines()
    assert len(lines) == len(messages) + 1
    levels = [json.loads(line)["level"] for line in lines]
    assert levels[:3] == ["none", "high", "none"]
    assert levels.count("high") == 20_001  # the end of the giant line is read


def test_a_long_line_keeps_its_beginning_and_end():
    from safeguarding.detector import HEAD_CHARACTERS
    from safeguarding.management.commands.risk_scan import _lines

    line = "I want to die. " + "x" * (3 * HEAD_CHARACTERS) + " kill myself"
    kept, following = _lines(io.BytesIO(line.encode() + b"\nnext\n"))
    assert following == "next"
    assert kept.startswith("I want to die.") and kept.endswith(" kill myself")
    assert len(kept) < 2 * HEAD_CHARACTERS
    assert list(_lines(io.StringIO("a\nb"))) == ["a", "b"]


# risk_false_positives ---------------------------------------------------------------------------


def export(*args: str) -> list[dict[str, object]]:
    out = io.StringIO()
    call_command("risk_false_positives", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture
def false_alarm(active_relationship, duty_lead):
    alert = raise_for(
        active_relationship,
        excerpt="My boss is killing me, I want to die lol",
        matches=("want to die",),
    )
    alert_close(
        actor=duty_lead, alert=alert, outcome=AlertOutcome.NO_RISK, note="A figure of speech."
    )
    return alert


@pytest.mark.django_db
def test_false_alarms_are_printed_without_text_by_default(false_alarm, organisation):
    [line] = export()
    assert line == {
        "text": "",
        "label": "ordinary",
        "level": "none",
        "categories": [],
        "note": line["note"],
        "found_level": "high",
        "found_categories": ["suicidal_thoughts"],
        "matches": ["want to die"],
        "organisation": organisation.slug,
        "alert": false_alarm.pk,
    }
    assert "Rewrite it so nobody can be recognised" in line["note"]
    # The matched phrases are the person's own words: the export is on record even so.
    event = AuditEvent.objects.get(action="safeguarding.false_positives_exported")
    assert event.metadata == {"count": 1, "with_text": False}


@pytest.mark.django_db
def test_with_text_the_excerpt_is_printed_and_the_export_audited(false_alarm, organisation):
    [line] = export("--with-text")
    assert line["text"] == "My boss is killing me, I want to die lol"
    event = AuditEvent.objects.get(action="safeguarding.false_positives_exported")
    assert event.organisation == organisation
    assert event.actor is None
    assert event.metadata == {"count": 1, "with_text": True}


@pytest.mark.django_db
def test_alerts_still_open_or_closed_as_real_risk_are_left_out(
    active_relationship, other_relationship, duty_lead, false_alarm
):
    raise_for(other_relationship)  # open
    assert [line["alert"] for line in export()] == [false_alarm.pk]


@pytest.mark.django_db
def test_one_organisation_can_be_chosen(false_alarm, organisation, other_organisation):
    assert len(export("--organisation", organisation.slug)) == 1
    assert export("--organisation", other_organisation.slug) == []
    with pytest.raises(CommandError, match="No organisation with the slug 'nope'"):
        export("--organisation", "nope")


@pytest.mark.django_db
def test_every_sign_of_the_alert_is_listed(active_relationship, duty_lead):
    alert = raise_for(active_relationship, excerpt="first", matches=("want to die",))
    raise_for(active_relationship, excerpt="second", matches=("kill myself",))
    alert_close(actor=duty_lead, alert=alert, outcome=AlertOutcome.NO_RISK, note="Not risk.")
    lines = export("--with-text")
    assert [line["text"] for line in lines] == ["first", "second"]
    assert AuditEvent.objects.get(action="safeguarding.false_positives_exported").metadata == {
        "count": 2,
        "with_text": True,
    }
