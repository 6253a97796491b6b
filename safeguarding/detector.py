"""Risk detection in free text. Pure Python: no Django imports, so it can be tested and measured
alone.

``assess(*texts)`` reads what someone wrote and returns a :class:`RiskAssessment`: a level
(none, concern, high, urgent), the kinds of risk found and the phrases, as written, that
triggered it. The phrases and the context rules are data in ``safeguarding/lexicon.py``; how
they are applied, and the measured figures, are in docs/risk-detection.md.

In short, for each text:

1. normalise a copy of the same length (lower case, one kind of apostrophe, dash and space), so
   every match maps back to the words as written;
2. try only the rules whose key words appear, each a precompiled pattern with bounded gaps;
3. drop a match when its own sentence shows it is negated ("I'd never hurt myself"), past or
   recovery talk ("two years since I last self-harmed"), a story ("in the film the dad dies"),
   a figure of speech ("I'm dying for a cup of tea") or something else the rule names
   ("I cut myself chopping onions");
4. take the most serious level left, then let some signs raise others (drink with any sign,
   thoughts of dying with a plan or the means, someone dangerous here now) to urgent.

Every context rule that cancels a match looks only at the sentence (or clause) holding it, and
what a rule requires may be anywhere in the text (more text can only supply it), so adding
another sentence to a message never lowers its level.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

from safeguarding import lexicon
from safeguarding.lexicon import Rule


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
    # The lexicon rules behind them (for maintainers: see safeguarding/lexicon.py).
    rules: tuple[str, ...] = field(default=())

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

# Only the first HEAD_CHARACTERS and the last TAIL_CHARACTERS of a very long text are read, so
# a pasted book cannot slow messaging; what people write to each other is far shorter.
HEAD_CHARACTERS = 20_000
TAIL_CHARACTERS = 5_000


@dataclass(frozen=True)
class Finding:
    """One rule matching one phrase, and what (if anything) cancelled it."""

    rule: Rule
    text: str  # as written
    start: int  # in the text it came from
    end: int
    cancelled_by: str = ""  # "", "negation", "past", "story", "figure of speech", "unless"...

    @property
    def kept(self) -> bool:
        return not self.cancelled_by


def assess(*texts: str) -> RiskAssessment:
    """Look for signs of risk in any of ``texts`` (read together as one piece of writing)."""
    return _combine([finding for finding in _findings(texts) if finding.kept])


def explain(*texts: str) -> list[Finding]:
    """Every rule that matched, kept or cancelled, for maintainers reviewing a result."""
    return list(_findings(texts))


# Normalising -----------------------------------------------------------------------------------

_APOSTROPHES = "\u2019\u2018\u201b`\u00b4\u02bc\u2032\uff07"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_LINE_BREAKS = "\r\x0b\x0c\x85\u2028\u2029"
_SPACES = "\t\x1c\x1d\x1e\x1f\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
_SPACES += "\u2009\u200a\u202f\u205f\u3000"
_TRANSLATION = str.maketrans(
    {
        **dict.fromkeys(_APOSTROPHES, "'"),
        **dict.fromkeys(_DASHES, "-"),
        **dict.fromkeys(_LINE_BREAKS, "\n"),
        **dict.fromkeys(_SPACES, " "),
        "\u201c": '"',
        "\u201d": '"',
        "\u0130": "i",  # the one capital whose lower case is two characters
    }
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SPACE_RUNS = re.compile(r" {2,}")


@lru_cache(maxsize=4096)
def _fold(character: str) -> str:
    """One character in lower case and compatibility form (full-width and styled letters become
    plain ones), kept as one character so positions do not move."""
    folded = unicodedata.normalize("NFKC", character).lower()
    if len(folded) == 1:
        return folded
    lowered = character.lower()
    return lowered if len(lowered) == 1 else character


def normalise(text: str) -> str:
    """The text as the patterns expect it, with exactly as many characters as ``text``."""
    text = text.translate(_TRANSLATION)
    if text.isascii():
        return text.lower()
    return _NON_ASCII.sub(lambda match: _fold(match.group()), text).lower()


def _pieces(text: str) -> Iterator[tuple[int, str]]:
    if len(text) <= HEAD_CHARACTERS + TAIL_CHARACTERS:
        yield 0, text
        return
    yield 0, text[:HEAD_CHARACTERS]
    yield len(text) - TAIL_CHARACTERS, text[-TAIL_CHARACTERS:]


# Matching --------------------------------------------------------------------------------------


def _key_pattern(keys: Iterable[str]) -> re.Pattern[str]:
    """One pattern that finds, at every position, the longest key starting there: the keys
    as a prefix tree, so each position costs a few character comparisons, not one per key."""
    tree: dict[str, Any] = {}
    for key in keys:
        node = tree
        for character in key:
            node = node.setdefault(character, {})
        node[""] = {}

    def branch(node: dict[str, Any]) -> str:
        ends = "" in node
        children = [
            re.escape(character) + branch(child)
            for character, child in sorted(
                (item for item in node.items() if item[0]), key=lambda item: item[0]
            )
        ]
        if not children:
            return ""
        alternatives = children[0] if len(children) == 1 else "(?:" + "|".join(children) + ")"
        return f"(?:{alternatives})?" if ends else alternatives

    return re.compile("(?=(" + branch(tree) + "))")


# Keys as written in the lexicon, split into plain ones (anywhere) and word starts (a leading
# space: "od" at the start of a word, so not in "today"); both are found by the same pattern.
_RULES_BY_KEY: dict[str, tuple[Rule, ...]] = {}
_RULES_BY_WORD_START: dict[str, tuple[Rule, ...]] = {}
for _rule in lexicon.RULES:
    for _key in _rule.key_words:
        if _key.startswith(" ") and _key.strip():
            _word = _key.lstrip(" ")
            _RULES_BY_WORD_START[_word] = (*_RULES_BY_WORD_START.get(_word, ()), _rule)
        else:
            _RULES_BY_KEY[_key] = (*_RULES_BY_KEY.get(_key, ()), _rule)
_KEY_PATTERN = _key_pattern({*_RULES_BY_KEY, *_RULES_BY_WORD_START})


def _prefix_rules(found: str, rules_by_key: dict[str, tuple[Rule, ...]]) -> tuple[Rule, ...]:
    """The rules of every key that is a prefix of ``found``: finding the longest key at a place
    also finds the shorter keys starting there."""
    return tuple(
        dict.fromkeys(
            rule for key, rules in rules_by_key.items() if found.startswith(key) for rule in rules
        )
    )


_FOUND = {*_RULES_BY_KEY, *_RULES_BY_WORD_START}
_RULES_FOR_FOUND = {key: _prefix_rules(key, _RULES_BY_KEY) for key in _FOUND}
_RULES_FOR_WORD_START = {key: _prefix_rules(key, _RULES_BY_WORD_START) for key in _FOUND}
_ORDER = {rule.name: position for position, rule in enumerate(lexicon.RULES)}


def _findings(texts: Iterable[object], *, gated: bool = True) -> Iterator[Finding]:
    for text in texts:
        if not text:
            continue
        written = text if isinstance(text, str) else str(text)
        for offset, piece in _pieces(written):
            yield from _scan(piece, offset, gated=gated)


def _rules_for(normalised: str) -> list[Rule]:
    """The rules whose keys appear: the only ones worth trying on this text."""
    gate = " " + (_SPACE_RUNS.sub(" ", normalised) if "  " in normalised else normalised)
    found: dict[str, Rule] = {}
    seen: set[tuple[str, bool]] = set()
    for match in _KEY_PATTERN.finditer(gate):
        key = match.group(1)
        before = gate[match.start() - 1]
        word_start = not (before.isalnum() or before == "_")
        if (key, word_start) in seen:
            continue
        seen.add((key, word_start))
        rules = _RULES_FOR_FOUND[key] + (_RULES_FOR_WORD_START[key] if word_start else ())
        for rule in rules:
            found[rule.name] = rule
    return sorted(found.values(), key=lambda rule: _ORDER[rule.name])


def _assess_every_rule(*texts: str) -> RiskAssessment:
    """``assess`` trying every rule, not only those whose keys appear: for tests that check the
    keys never change a result."""
    return _combine([finding for finding in _findings(texts, gated=False) if finding.kept])


# A rule that has matched this many times (and counted) in one text adds nothing by matching
# again; stopping there keeps a long text of repeated words fast.
KEPT_PER_RULE = 5


def _scan(written: str, offset: int, *, gated: bool = True) -> Iterator[Finding]:
    normalised = normalise(written)
    rules = _rules_for(normalised) if gated else list(lexicon.RULES)
    if not rules:
        return
    context = _Context(normalised)
    for rule in rules:
        kept = 0
        for match in rule.pattern.finditer(normalised):
            start, end = match.span()
            if start == end:
                continue
            finding = Finding(
                rule,
                written[start:end],
                offset + start,
                offset + end,
                context.cancelled(rule, start, end),
            )
            yield finding
            kept += finding.kept
            if kept >= KEPT_PER_RULE:
                break


class _Context:
    """Sentence and clause boundaries of one normalised text, and what each sentence and clause
    says about its matches, each worked out once (so a long text with many matches stays fast).
    """

    def __init__(self, normalised: str) -> None:
        self.text = normalised
        self.sentence_ends = [match.start() for match in lexicon.SENTENCE_END.finditer(normalised)]
        clause_marks = [match.span() for match in lexicon.CLAUSE_END.finditer(normalised)]
        self.clause_mark_starts = [mark[0] for mark in clause_marks]
        self.clause_mark_ends = [mark[1] for mark in clause_marks]
        self._sentences: dict[tuple[int, int], dict[str, object]] = {}
        self._recent: dict[tuple[int, int], bool] = {}
        self._requires: dict[str, bool] = {}

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        ends = self.sentence_ends
        before = bisect_right(ends, start - 1)
        sentence_start = 0
        if before:
            boundary = lexicon.SENTENCE_END.match(self.text, ends[before - 1])
            sentence_start = boundary.end() if boundary else ends[before - 1] + 1
        after = bisect_right(ends, end - 1)
        sentence_end = ends[after] if after < len(ends) else len(self.text)
        return sentence_start, max(sentence_end, end)

    def clause(self, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
        """The clause around ``start:end``: from the last , ; : or "but" before it to the next."""
        marks_before = bisect_right(self.clause_mark_ends, start) - 1
        clause_start = sentence[0]
        if marks_before >= 0 and self.clause_mark_ends[marks_before] > sentence[0]:
            clause_start = self.clause_mark_ends[marks_before]
        following = bisect_right(self.clause_mark_starts, end - 1)
        clause_end = sentence[1]
        if following < len(self.clause_mark_starts):
            clause_end = min(clause_end, self.clause_mark_starts[following])
        return clause_start, max(clause_end, end)

    def _about(self, sentence: tuple[int, int]) -> dict[str, object]:
        if sentence not in self._sentences:
            words = self.text[sentence[0] : sentence[1]]
            self._sentences[sentence] = {
                "words": words,
                "figures": [
                    (begin + sentence[0], finish + sentence[0])
                    for begin, finish in (
                        match.span() for match in lexicon.FIGURES_OF_SPEECH.finditer(words)
                    )
                ],
                "hyperbole": bool(lexicon.EVERYDAY_HYPERBOLE.search(words)),
                "past": bool(lexicon.PAST.search(words)),
                "story": bool(lexicon.STORY.search(words)),
            }
        return self._sentences[sentence]

    def _unless(self, rule: Rule, sentence: tuple[int, int], about: dict[str, object]) -> bool:
        key = f"unless:{rule.name}"
        if key not in about:
            words = about["words"]
            assert isinstance(words, str) and rule.unless_pattern is not None
            about[key] = bool(rule.unless_pattern.search(words))
        return bool(about[key])

    def _required(self, rule: Rule) -> bool:
        # What a rule requires may be anywhere in the text ("I've been keeping them in a box"
        # after naming the tablets): more text can only satisfy it, never cancel a sign.
        if rule.name not in self._requires:
            assert rule.requires_pattern is not None
            self._requires[rule.name] = bool(rule.requires_pattern.search(self.text))
        return self._requires[rule.name]

    def _recent_in(self, clause: tuple[int, int]) -> bool:
        if clause not in self._recent:
            self._recent[clause] = bool(lexicon.RECENT.search(self.text, *clause))
        return self._recent[clause]

    def cancelled(self, rule: Rule, start: int, end: int) -> str:
        """Why the match at ``start:end`` does not count, or "" when it does."""
        if rule.requires_pattern is not None and not self._required(rule):
            return "requires"
        sentence = self.sentence(start, end)
        about = self._about(sentence)
        if rule.unless_pattern is not None and self._unless(rule, sentence, about):
            return "unless"
        figures = about["figures"]
        assert isinstance(figures, list)
        if any(begin < end and start < finish for begin, finish in figures):
            return "figure of speech"
        if rule.level != lexicon.URGENT and about["hyperbole"]:
            return "figure of speech"
        clause = self.clause(sentence, start, end)
        if rule.negatable:
            before = self.text[max(clause[0], start - 60) : start]
            if lexicon.NEGATION_BEFORE.search(before) and not (
                lexicon.PSEUDO_NEGATION_BEFORE.search(before)
            ):
                return "negation"
        if rule.past and about["past"] and not self._recent_in(clause):
            return "past"
        if about["story"] and not lexicon.FIRST_PERSON.search(self.text, start, end):
            return "story"
        return ""


# Combining -------------------------------------------------------------------------------------


def _combine(findings: list[Finding]) -> RiskAssessment:
    signs = [finding for finding in findings if not finding.rule.is_modifier]
    if not signs:
        return NO_RISK
    level = max((RiskLevel(finding.rule.level) for finding in signs), key=lambda x: x.rank)
    used = list(signs)
    extra_categories: list[str] = []
    categories = {finding.rule.category for finding in signs}
    modifiers: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.rule.is_modifier:
            modifiers.setdefault(finding.rule.tag, []).append(finding)

    def raise_to_urgent(because: list[Finding], category: str = "") -> None:
        nonlocal level
        level = RiskLevel.URGENT
        used.extend(because)
        if category:
            extra_categories.append(category)

    serious = [finding for finding in signs if finding.rule.level != lexicon.CONCERN]
    # Drink or drugs with any sign of risk: thoughts become acts more easily.
    if lexicon.INTOXICATED in modifiers:
        raise_to_urgent(modifiers[lexicon.INTOXICATED], Category.INTOXICATION)
    # Someone dangerous here now, with a sign of abuse.
    if lexicon.DANGER_NOW in modifiers and Category.ABUSE in categories:
        raise_to_urgent(modifiers[lexicon.DANGER_NOW])
    # Going round now, with wanting to hurt someone.
    if lexicon.GOING_NOW in modifiers and Category.HARM_TO_OTHERS in categories:
        raise_to_urgent(modifiers[lexicon.GOING_NOW])
    # Goodbye ("goodbye", "I love you all") with farewell words or a serious sign of suicidal
    # thinking or a plan; farewell words with any other such sign.
    suicidal = (Category.SUICIDAL_THOUGHTS, Category.PLAN_OR_MEANS)
    farewell = any(finding.rule.name in lexicon.FAREWELL_RULES for finding in signs)
    if lexicon.GOODBYE in modifiers and (
        farewell or any(finding.rule.category in suicidal for finding in serious)
    ):
        raise_to_urgent(modifiers[lexicon.GOODBYE])
    if farewell and any(
        finding.rule.name not in lexicon.FAREWELL_RULES and finding.rule.category in suicidal
        for finding in signs
    ):
        raise_to_urgent([])
    # Thoughts of dying together with a plan, preparations or the means.
    serious_categories = {finding.rule.category for finding in serious}
    if {Category.SUICIDAL_THOUGHTS, Category.PLAN_OR_MEANS} <= serious_categories:
        raise_to_urgent([])

    used.sort(key=lambda finding: (finding.start, _ORDER[finding.rule.name]))
    ordered_categories = [str(category) for category in Category]
    found = {finding.rule.category for finding in signs} | set(extra_categories)
    return RiskAssessment(
        level,
        tuple(category for category in ordered_categories if category in found),
        tuple(dict.fromkeys(finding.text for finding in used)),
        tuple(dict.fromkeys(finding.rule.name for finding in used)),
    )
