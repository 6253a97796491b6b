"""Solve a matching problem from a JSON file, for batch runs, scripts and benchmarks."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching.engine import ProblemError, parse_problem, solve


class Command(BaseCommand):
    help = (
        "Match mentees to mentors: reads a problem as JSON (docs/matching.md describes the "
        "format) and prints the assignments, with scores and reasons, and why anyone was left "
        "unmatched, as JSON. Use '--input -' to read standard input."
    )
    # Tests pass a stream in place of the process's standard input.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--input", required=True, help="The problem as a JSON file, or '-' for stdin."
        )
        parser.add_argument(
            "--indent", type=int, default=None, help="Indent the JSON output (default: compact)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["input"]
        if source == "-":
            stream = options.get("stdin") or sys.stdin
            text: str | bytes = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        else:
            try:
                text = Path(source).read_bytes()
            except OSError as error:
                raise CommandError(f"cannot read {source}: {error.strerror}") from None
        try:
            problem = parse_problem(text)
        except ProblemError as error:
            raise CommandError(f"invalid problem: {error}") from None
        result = solve(problem)
        self.stdout.write(json.dumps(result.to_dict(), indent=options["indent"]))
