"""Risk detection in free text. Pure Python: no Django imports, so it can be tested and measured
alone.

INTERFACE ONLY (being replaced): the matching below is the first simple phrase list; the real
lexicon with context rules replaces ``assess``'s insides. Callers depend only on ``assess``,
``RiskAssessment``, ``RiskLevel`` and ``Category``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum


class RiskLevel(StrEnum):
    NONE = "none"
    CONCERN = "concern"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {RiskLevel.NONE: 0, RiskLevel.CONCERN: 1, RiskLevel.HIGH: 2, RiskLevel.URGENT: 3}


class Category(StrEnum):
    SUICIDAL_THOUGHTS = "suicidal_thoughts"
    SELF_HARM = "self_harm"
    PLAN_OR_MEANS = "plan_or_means"
    HARM_TO_OTHERS = "harm_to_others"
    ABUSE = "abuse_or_unsafe_home"
    EATING = "not_eating_or_purging"
    PSYCHOSIS_COMMAND = "psychosis_command_to_harm"
    INTOXICATION = "intoxication_with_risk"


CATEGORY_LABELS = {
    Category.SUICIDAL_THOUGHTS: "Suicidal thoughts",
    Category.SELF_HARM: "Self-harm",
    Category.PLAN_OR_MEANS: "A plan or the means",
    Category.HARM_TO_OTHERS: "Harm to others",
    Category.ABUSE: "Abuse or someone unsafe at home",
    Category.EATING: "Not eating or purging",
    Category.PSYCHOSIS_COMMAND: "Voices telling them to harm",
    Category.INTOXICATION: "Intoxicated and at risk",
}


@dataclass(frozen=True)
class RiskAssessment:
    level: RiskLevel
    categories: tuple[str, ...] = field(default=())
    # The phrases, as written, that triggered the level (for the people who respond).
    matches: tuple[str, ...] = field(default=())

    @property
    def is_risk(self) -> bool:
        return self.level != RiskLevel.NONE

    @property
    def is_serious(self) -> bool:
        """High or urgent: the writer is told someone from the team will be in touch."""
        return self.level in (RiskLevel.HIGH, RiskLevel.URGENT)

    @property
    def matched(self) -> tuple[str, ...]:
        return self.matches

    def as_json(self) -> dict[str, object]:
        return {
            "level": str(self.level),
            "categories": list(self.categories),
            "matches": list(self.matches),
        }


NO_RISK = RiskAssessment(RiskLevel.NONE)

_PHRASES = (
    ("kill myself", Category.SUICIDAL_THOUGHTS),
    ("end my life", Category.SUICIDAL_THOUGHTS),
    ("suicid", Category.SUICIDAL_THOUGHTS),
    ("want to die", Category.SUICIDAL_THOUGHTS),
    ("better off dead", Category.SUICIDAL_THOUGHTS),
    ("hurt myself", Category.SELF_HARM),
    ("harm myself", Category.SELF_HARM),
    ("overdose", Category.PLAN_OR_MEANS),
    ("not safe at home", Category.ABUSE),
)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text)


def assess(*texts: str) -> RiskAssessment:
    """Look for signs of risk in any of ``texts``."""
    combined = " ".join(_normalise(text) for text in texts if text)
    found = [(phrase, category) for phrase, category in _PHRASES if phrase in combined]
    if not found:
        return NO_RISK
    categories = tuple(dict.fromkeys(str(category) for _, category in found))
    return RiskAssessment(RiskLevel.HIGH, categories, tuple(phrase for phrase, _ in found))
