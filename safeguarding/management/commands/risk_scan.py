"""Screen text with the risk detector from the command line: one message per line in, one line of
JSON out. Needs no database. Reads as it goes, so a file of any size streams through; a very long
line is read in pieces and only its beginning and end are kept, as the detector reads anyway."""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Iterator
from typing import IO, Any

from django.core.management.base import BaseCommand

from safeguarding.detector import HEAD_CHARACTERS, TAIL_CHARACTERS, assess

CHUNK = 65_536


def _lines(stream: IO[Any]) -> Iterator[str]:
    """The lines of ``stream`` (text or bytes; bytes are read as UTF-8, bad bytes replaced)
    without their line endings. Of a line longer than the detector reads, only the first
    HEAD_CHARACTERS and the last TAIL_CHARACTERS are kept, so memory stays bounded."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    head: list[str] = []
    head_size = 0
    tail = ""
    dropped = False
    while True:
        chunk = stream.readline(CHUNK)
        if isinstance(chunk, bytes):
            chunk = decoder.decode(chunk, final=not chunk)
        if not chunk:
            if head or tail:
                yield "".join(head) + ("\n" if dropped else "") + tail
            return
        ended = chunk.endswith("\n")
        if ended:
            chunk = chunk[:-1].removesuffix("\r")
        if head_size < HEAD_CHARACTERS:
            taken = chunk[: HEAD_CHARACTERS - head_size]
            head.append(taken)
            head_size += len(taken)
            chunk = chunk[len(taken) :]
        if chunk:
            tail += chunk
            if len(tail) > TAIL_CHARACTERS:
                tail, dropped = tail[-TAIL_CHARACTERS:], True
        if ended:
            # The middle of an over-long line is left out, as the detector would leave it out:
            # a line break in its place keeps the two ends from joining into one phrase.
            yield "".join(head) + ("\n" if dropped else "") + tail
            head, head_size, tail, dropped = [], 0, "", False


class Command(BaseCommand):
    help = (
        "Read one message per line on standard input and print, for each, one line of JSON: "
        '{"level": "none|concern|high|urgent", "categories": [...], "matches": [...]}. '
        'A blank line gives level none. Example: echo "I can\'t go on" | manage.py risk_scan'
    )
    requires_system_checks: list[str] = []
    stealth_options = ("stdin",)

    def handle(self, *args: Any, **options: Any) -> None:
        stream: IO[Any] = options.get("stdin") or sys.stdin.buffer
        try:
            for line in _lines(stream):
                self.stdout.write(json.dumps(assess(line).as_json()))
                self.stdout.flush()
        except BrokenPipeError:  # the reader stopped listening (e.g. `| head`)
            sys.stderr.close()
