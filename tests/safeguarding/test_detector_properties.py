"""Properties of the risk detector that hold for any text: it never crashes, its answer is always
well formed, matches are the words as written, the lexicon's key words never change a result, and
adding a sentence (or another text) to a message never lowers its level."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from safeguarding import lexicon
from safeguarding.detector import (
    HEAD_CHARACTERS,
    TAIL_CHARACTERS,
    Category,
    RiskLevel,
    _assess_every_rule,
    _rules_for,
    assess,
    explain,
    normalise,
)

CATEGORIES = {str(category) for category in Category}

# Any character at all, lone surrogates and control characters included.
ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=300)

# Text made of the lexicon's own words, so that rules match and context rules are exercised.
VOCABULARY = sorted(
    {
        word
        for rule in lexicon.RULES
        for phrase in (*rule.examples, *rule.keys)
        for word in phrase.replace(".", " ").split()
    }
    | {"not", "never", "used", "to", "years", "ago", "film", "lol", "again", "tonight", ".", ","}
    | {"\n", "but", "I", "I'm", "don't", "dont", "she", "he", "my", "friend", "😂", "ß", "İ"}
)
SEPARATORS = [" ", " ", " ", "  ", ", ", ": ", "(", ") ", "\n", ". ", "-", "'", "!", "?", "\t", "’"]
LEXICON_TEXT = st.lists(
    st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(SEPARATORS)), max_size=40
).map(lambda pairs: "".join(word + separator for word, separator in pairs))
EXAMPLES = st.sampled_from([example for rule in lexicon.RULES for example in rule.examples])
SOME_TEXT = st.one_of(ANY_TEXT, LEXICON_TEXT, EXAMPLES)


def well_formed(texts: tuple[str, ...]) -> None:
    result = assess(*texts)
    assert result.level in set(RiskLevel)
    assert set(result.categories) <= CATEGORIES
    assert result.is_risk == bool(result.categories) == bool(result.matches)
    for match in result.matches:
        assert any(match in text for text in texts), match
    json.dumps(result.as_json())  # always serialisable (lone surrogates are escaped)


@given(st.lists(SOME_TEXT, max_size=3))
@example([""])
@example(["\ud800 I want to die \udfff"])
@example(["\x00\x01\x1b[31m kill myself \u200b\u202e"])
@example(["ß" * 50 + "İ" * 50 + " I'M GOING TO KILL MYSELF"])
@example(["🙂🔪💊 i want to die 💀"])
@example(["我想死 أريد أن أموت хочу умереть I want to die"])
@example(["\r\n\r\n\u2028\u2029\x85"])
def test_any_text_gives_a_well_formed_answer(texts):
    well_formed(tuple(texts))


@given(SOME_TEXT)
def test_trying_only_the_rules_whose_keys_appear_changes_nothing(text):
    assert assess(text) == _assess_every_rule(text)


@pytest.mark.parametrize("rule", lexicon.RULES, ids=lambda rule: rule.name)
def test_every_text_a_rule_matches_gets_past_its_key_words(rule):
    """Generate texts from the rule's own pattern: whenever the pattern matches (and what the rule
    requires is there), the rule must be among those tried, or a key word is missing."""

    # Patterns with lookaheads make Hypothesis discard many draws: that is expected here.
    @settings(max_examples=25, database=None, suppress_health_check=[HealthCheck.filter_too_much])
    @given(st.from_regex(rule.pattern, fullmatch=True))
    def check(text: str) -> None:
        normalised = normalise(text)
        if rule.pattern.search(normalised) and (
            rule.requires_pattern is None or rule.requires_pattern.search(normalised)
        ):
            assert rule in _rules_for(normalised), text

    check()


@given(SOME_TEXT, SOME_TEXT)
@example("I want to die", "of laughter")
@example("I'd never", "hurt myself")
@example("Tonight's the night", "first date, wish me luck!")
@example("I cut myself", "chopping onions")
@example("I used to want to die", "it's back again")
def test_adding_a_sentence_never_lowers_the_level(first, second):
    """Every context rule reads only the sentence holding a phrase, and signs only ever raise
    one another, so another sentence before or after cannot lower the level."""
    before = assess(first).level.rank
    assert assess(first + "\n" + second).level.rank >= before
    assert assess(second + "\n" + first).level.rank >= before
    assert assess(first, second).level.rank >= before


def _ordinary_messages() -> list[str]:
    from benchmarks.detector import load_all

    return [example.text for example in load_all() if example.label == "ordinary"]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


@given(EXAMPLES, st.sampled_from(_ordinary_messages()))
def test_an_ordinary_sentence_added_to_a_risk_message_never_lowers_it(risky, ordinary):
    before = assess(risky).level.rank
    for joined in (
        _sentence(risky) + " " + _sentence(ordinary),
        _sentence(ordinary) + " " + risky,
        risky + "\n" + ordinary,
    ):
        assert assess(joined).level.rank >= before, joined


@settings(max_examples=25)
@given(SOME_TEXT)
def test_explain_lists_every_kept_rule(text):
    kept = {finding.rule.name for finding in explain(text) if finding.kept}
    assert set(assess(text).rules) <= kept


def test_a_megabyte_of_text_is_read_quickly():
    for text in (
        "I want to die. " * 70_000,
        "kill myself " * 90_000,
        "a" * 1_000_000,
        "🙂" * 1_000_000,
        "\ud800" * 1_000_000,
        "he hits me and " * 70_000,
        "i used to kill myself and " * 40_000,
    ):
        started = time.perf_counter()
        well_formed((text,))
        assert time.perf_counter() - started < 2.0, text[:30]


def test_a_single_huge_sentence_full_of_matches_is_read_quickly():
    text = "voices tell me to hurt myself " * (HEAD_CHARACTERS // 30)
    started = time.perf_counter()
    assert assess(text).is_serious
    assert time.perf_counter() - started < 2.0
    assert len(text) <= HEAD_CHARACTERS + TAIL_CHARACTERS
