"""Score one set of answers with a shipped instrument, for checking by hand and for scripts.
Needs no database: it uses the definitions in ``outcomes/instruments/data``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from outcomes import instruments as engine


def _instrument_lines() -> str:
    lines = []
    for key in engine.BUILTIN_KEYS:
        instrument = engine.builtin(key)
        lines.append(
            f"{key} ({instrument.short_name}): {len(instrument.items)} answers, "
            f"each {instrument.lowest} to {instrument.highest}"
        )
    return "; ".join(lines)


class Command(BaseCommand):
    help = (
        "Score answers to a shipped questionnaire and print one line of JSON: instrument, "
        "total, band and flags (and percentage for WHO-5). Instruments: "
        f"{_instrument_lines()}. Give every answer, in question order. "
        "Example: manage.py score_measure phq9 1 2 0 1 3 0 1 2 0"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instrument", help=f"One of {', '.join(engine.BUILTIN_KEYS)}.")
        parser.add_argument("answers", nargs="*", metavar="ANSWER", help="Whole numbers.")

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["instrument"]
        if key not in engine.BUILTIN_KEYS:
            raise CommandError(
                f"Unknown instrument '{key}'; choose one of {', '.join(engine.BUILTIN_KEYS)}."
            )
        instrument = engine.builtin(key)
        answers = [
            self._answer(position, text) for position, text in enumerate(options["answers"], 1)
        ]
        try:
            result = engine.score(instrument, answers)
        except engine.AnswerError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(json.dumps(result.as_dict()))

    @staticmethod
    def _answer(position: int, text: str) -> int:
        try:
            return int(text)
        except ValueError:
            raise CommandError(f"Answer {position} ('{text}') is not a whole number.") from None
