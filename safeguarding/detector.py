"""Risk detection in free text. Pure Python: no Django imports, so it can be tested and measured
alone.

This is the first, deliberately simple version: a list of phrases that suggest someone may be at
risk right now. The safeguarding work replaces the matching inside ``assess`` with a real
detector; callers depend only on ``assess`` and ``RiskAssessment``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum


class RiskLevel(StrEnum):
    NONE = "none"
    POSSIBLE = "possible"


# Phrases people use when they may be at risk of harming themselves or being harmed. Kept short
# and explicit on purpose: a false alarm costs a phone call; a miss can cost a life.
RISK_PHRASES = (
    "kill myself",
    "killing myself",
    "end my life",
    "ending my life",
    "end it all",
    "take my own life",
    "suicide",
    "suicidal",
    "don't want to be alive",
    "dont want to be alive",
    "do not want to be alive",
    "don't want to live",
    "dont want to live",
    "better off dead",
    "want to die",
    "hurt myself",
    "hurting myself",
    "harm myself",
    "self harm tonight",
    "overdose",
    "no reason to live",
    "not safe at home",
    "going to hurt me",
)


@dataclass(frozen=True)
class RiskAssessment:
    level: RiskLevel
    matched: tuple[str, ...] = field(default=())

    @property
    def is_risk(self) -> bool:
        return self.level != RiskLevel.NONE


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text)


def assess(*texts: str) -> RiskAssessment:
    """Look for signs of risk in any of ``texts``. Returns which phrases matched (for staff)."""
    combined = " ".join(_normalise(text) for text in texts if text)
    matched = tuple(phrase for phrase in RISK_PHRASES if phrase in combined)
    return RiskAssessment(RiskLevel.POSSIBLE if matched else RiskLevel.NONE, matched)
