"""The risk detector on the hard cases the issue names, its context rules, how it reads what people
type, and its lexicon (every rule catches the examples it documents)."""

from __future__ import annotations

import pytest

from safeguarding import lexicon
from safeguarding.detector import (
    CATEGORY_LABELS,
    HEAD_CHARACTERS,
    NO_RISK,
    Category,
    RiskAssessment,
    RiskLevel,
    _assess_every_rule,
    assess,
    explain,
)

SUICIDAL = Category.SUICIDAL_THOUGHTS
SELF_HARM = Category.SELF_HARM
PLAN = Category.PLAN_OR_MEANS
OTHERS = Category.HARM_TO_OTHERS
ABUSE = Category.ABUSE
EATING = Category.EATING
VOICES = Category.PSYCHOSIS_COMMAND
DRUNK = Category.INTOXICATION


@pytest.mark.parametrize(
    ("text", "level", "category"),
    [
        # Indirect language.
        ("my family would manage fine if I wasn't here", RiskLevel.HIGH, SUICIDAL),
        ("I've sorted out who gets my guitar", RiskLevel.HIGH, PLAN),
        ("this is probably my last week", RiskLevel.HIGH, SUICIDAL),
        ("I've been stockpiling my meds", RiskLevel.URGENT, PLAN),
        # Intent, a plan, the means at hand or an act in progress.
        ("I've just swallowed everything in the cabinet", RiskLevel.URGENT, PLAN),
        ("I'm at the cliff edge as we speak", RiskLevel.URGENT, PLAN),
        ("tonight's the night", RiskLevel.URGENT, PLAN),
        ("I've got the pills in front of me", RiskLevel.URGENT, PLAN),
        # The other kinds of risk.
        ("I'm going to hurt him", RiskLevel.HIGH, OTHERS),
        ("he hits me when he's drunk", RiskLevel.HIGH, ABUSE),
        ("I'm scared to go home", RiskLevel.HIGH, ABUSE),
        ("I haven't eaten in four days", RiskLevel.HIGH, EATING),
        ("I make myself sick after every meal", RiskLevel.HIGH, EATING),
        ("the voices are telling me to hurt myself", RiskLevel.HIGH, VOICES),
        ("the voices are telling me to hurt them", RiskLevel.HIGH, VOICES),
        ("I've drunk a bottle of vodka and I want it all to stop", RiskLevel.URGENT, DRUNK),
    ],
)
def test_the_issues_hard_cases_are_caught_at_their_level(text, level, category):
    result = assess(text)
    assert result.level == level, result
    assert str(category) in result.categories


def test_drink_with_a_wish_to_die_is_both_kinds_of_risk():
    result = assess("I've drunk a bottle of vodka and I want it all to stop")
    assert set(result.categories) >= {SUICIDAL, DRUNK}
    assert result.matches == ("drunk a bottle of vodka", "want it all to stop")


def test_voices_telling_someone_to_hurt_themselves_is_also_self_harm():
    result = assess("the voices are telling me to hurt myself")
    assert set(result.categories) == {VOICES, SELF_HARM}


@pytest.mark.parametrize(
    "text",
    [
        "my boss is killing me with these deadlines",
        "I'm dying for a cup of tea",
        "I could strangle my printer",
        "that joke killed me",
        "I'd kill for a holiday",
        "My back is killing me after the gardening",
        "I'm bored to death of this weather",
        "I nearly killed myself laughing at the panto",
        "My mum will kill me if I'm late for Sunday dinner again",
        "I'd rather die than do karaoke at the work do",
        "I'm going to kill this presentation tomorrow",
        "Sorry I missed our call, my phone died",
        "I cut myself chopping onions, nothing serious, plaster on",
        "Burnt myself on the oven tray again, I never learn",
        "Tonight's the night – first date in three years, wish me luck!",
        "This is probably my last week at the café before I start my new job",
        "I've been stockpiling tins since the price went up",
        "That's odd, the bus was early",
        "If I have to sit through one more budget meeting I'll jump out of the window",
    ],
)
def test_figures_of_speech_and_everyday_words_are_not_risk(text):
    assert assess(text) == NO_RISK


@pytest.mark.parametrize(
    "text",
    [
        "I haven't hurt myself since last spring and I'm proud of it",
        "It's two years today since I last self-harmed. Treating myself to a takeaway.",
        "When I was at school I used to cut my arms, but I haven't done that in a long time.",
        "I used to feel suicidal most days back in 2019, now I'm training to be a mentor",
        "When I was 17 I took an overdose. I talk about it now to help others",
    ],
)
def test_past_and_recovery_talk_is_not_flagged(text):
    """Decided: talk of the past or of recovery is level none (docs/risk-detection.md)."""
    assert assess(text).level == RiskLevel.NONE


def test_the_past_does_not_cancel_what_is_happening_again():
    result = assess("I used to self-harm and the urges are back this week")
    assert result.level == RiskLevel.HIGH
    assert SELF_HARM in result.categories


def test_a_relapse_counts_despite_recovery_words():
    assert assess("Relapsed with self harm after 8 months clean").level == RiskLevel.HIGH


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal, I just feel really flat this week",
        "I'd never hurt myself, I've got too much to live for with my girls",
        "I don't want to die, I want to feel better",
        "I have no plans to harm myself",
    ],
)
def test_negated_risk_is_not_flagged(text):
    assert assess(text) == NO_RISK


@pytest.mark.parametrize(
    "text",
    [
        "I'm not going to lie, some days I wish I could go to sleep and not wake up.",
        "I'm not sure. I want to die.",
        "Not today, but I want to kill myself most days",
    ],
)
def test_a_negation_in_another_clause_does_not_cancel_the_risk(text):
    assert assess(text).level == RiskLevel.HIGH


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to be here anymore",
        "I can't stop thinking about killing myself",
        "Nobody would even notice if I disappeared",
        "I can't promise I'll keep myself safe tonight",
        "I don't feel safe at home anymore",
    ],
)
def test_a_negation_that_is_part_of_the_risk_still_counts(text):
    assert assess(text).is_serious


@pytest.mark.parametrize(
    "text",
    [
        "my friend said she wants to die",
        "My brother keeps saying he's going to end it all and I don't know what to do",
        "Mentee disclosed she has been scratching her arms with a compass at school.",
        "My mentee told me today that she has been hearing voices telling her to hurt her baby",
    ],
)
def test_someone_else_at_risk_is_flagged_at_least_as_a_concern(text):
    assert assess(text).level.rank >= RiskLevel.CONCERN.rank


def test_a_third_party_plan_is_urgent():
    result = assess("Me mate Dave said he's got a plan to kill himself this weekend")
    assert result.level == RiskLevel.URGENT


@pytest.mark.parametrize(
    "text",
    [
        "I've been reading a book about a woman who survived a suicide attempt",
        "Went to see that new film, the ending where the dad dies had me in bits",
        "The training module on suicide awareness was really well done",
        "I found it hard hearing about his brother's suicide, I'll bring it to supervision",
    ],
)
def test_stories_and_suicide_as_a_topic_are_not_flagged(text):
    assert assess(text) == NO_RISK


def test_a_story_does_not_hide_the_writer():
    assert assess("Watching that film made me want to kill myself").is_serious


# Reading what people type -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I DON’T WANT TO BE HERE ANYMORE",
        "i dont want to be here anymore",
        "I   don't\twant  to   be    here   anymore",
        "I don‘t want to be here anymore",
        "ｉ ｄｏｎ'ｔ ｗａｎｔ ｔｏ ｂｅ ｈｅｒｅ ａｎｙｍｏｒｅ",
    ],
)
def test_case_quotes_spacing_and_wide_letters_do_not_matter(text):
    assert assess(text).level == RiskLevel.HIGH


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i wanna kms", SUICIDAL),
        ("been thinking about how to unalive myself", SUICIDAL),
        ("sewerslide thoughts again tonight", SUICIDAL),
        ("suicidle thoughts are getting worse", SUICIDAL),
        ("im gonna jump", PLAN),
        ("ive taken 20 of my tablets", PLAN),
        ("i hve been cuttin again", SELF_HARM),
        ("you should just kys", OTHERS),
        ("i want 2 die", SUICIDAL),
    ],
)
def test_text_speak_missing_apostrophes_and_misspellings(text, category):
    result = assess(text)
    assert result.is_serious, result
    assert str(category) in result.categories


def test_matches_are_the_words_as_written():
    result = assess("Honestly?  I’ve got the PILLS in front of me.")
    assert result.matches == ("I’ve got the PILLS in front of me",)
    assert result.rules == ("means_at_hand",)


def test_several_texts_are_read_together_but_never_joined_into_one_phrase():
    assert assess("Goal", "I want to die").level == RiskLevel.HIGH
    assert assess("I want to", "die for a cup of tea") == NO_RISK
    assert assess("I want to", "die") == NO_RISK  # each text is read on its own


def test_empty_and_blank_texts_are_no_risk():
    assert assess() == NO_RISK
    assert assess("") == NO_RISK
    assert assess("   \n\t ") == NO_RISK


def test_only_the_start_and_end_of_a_very_long_text_are_read():
    padding = "Lovely walk today. " * 3_000
    assert len(padding) > HEAD_CHARACTERS + 5_000
    assert assess("I want to die. " + padding).is_risk
    assert assess(padding + " I want to die.").is_risk
    middle = padding[:25_000] + " I want to die. " + padding[:25_000]
    assert assess(middle) == NO_RISK  # documented limit: the middle of a huge text is skipped


# The result -----------------------------------------------------------------------------------


def test_as_json_has_exactly_level_categories_and_matches():
    result = assess("I can't go on, I've got the rope in the car")
    assert result.as_json() == {
        "level": "urgent",
        "categories": ["suicidal_thoughts", "plan_or_means"],
        "matches": ["can't go on", "I've got the rope in the car"],
    }


def test_categories_come_in_a_fixed_order_and_have_labels():
    result = assess("he hits me and I want to die")
    assert result.categories == (str(SUICIDAL), str(ABUSE))
    assert set(CATEGORY_LABELS) == set(Category)


def test_is_risk_and_is_serious_follow_the_level():
    assert not NO_RISK.is_risk and not NO_RISK.is_serious
    assert RiskAssessment(RiskLevel.CONCERN).is_risk
    assert not RiskAssessment(RiskLevel.CONCERN).is_serious
    assert RiskAssessment(RiskLevel.URGENT).is_serious


def test_explain_says_what_cancelled_a_phrase():
    reasons = {
        finding.rule.name: finding.cancelled_by for finding in explain("I'd never hurt myself")
    }
    assert reasons == {"hurting_self": "negation"}
    past = explain("I used to cut myself when I was younger")
    assert [finding.cancelled_by for finding in past] == ["past"]


# The lexicon ----------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", lexicon.RULES, ids=lambda rule: rule.name)
def test_every_rule_is_described_and_catches_its_examples(rule):
    assert rule.catches and rule.why and rule.examples and rule.keys
    assert rule.category in {str(category) for category in Category}
    assert rule.level in (lexicon.CONCERN, lexicon.HIGH, lexicon.URGENT) or rule.is_modifier
    for example in rule.examples:
        kept = [finding.rule.name for finding in explain(example) if finding.kept]
        assert rule.name in kept, f"{rule.name} misses its example {example!r}"


def test_rule_names_are_unique():
    names = [rule.name for rule in lexicon.RULES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("rule", lexicon.RULES, ids=lambda rule: rule.name)
def test_the_key_words_never_change_a_result(rule):
    """Only rules whose keys appear are tried; trying every rule must give the same answer."""
    for example in rule.examples:
        assert assess(example) == _assess_every_rule(example)


def test_the_detector_imports_nothing_from_django():
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys; import safeguarding.detector, safeguarding.lexicon; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout.strip() == "[]"


def test_the_key_words_never_change_a_result_on_the_evaluation_set():
    from benchmarks.detector import load_all

    for example in load_all():
        assert assess(example.text) == _assess_every_rule(example.text), example.text
