"""Human-readable reasons: why a pair was proposed, and why someone could not be matched.

Reasons are worked out only for the pairs in the answer (at most one per mentee), from the
same bitmasks the solver used, and each distinct set of shared words is phrased once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matching.engine.constraints import allowed_pairs, haversine_km
from matching.engine.encoding import (
    FORMAT_BITS,
    IN_PERSON_BIT,
    Bits,
    Flags,
    Ints,
    MenteeTable,
    MentorTable,
    Vocabulary,
)
from matching.engine.model import AgeRangePreference, Mentee, Mentor

WAITING_REASON_DAYS = 28
MOST_SLOTS_NAMED = 3

DAYS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
DAY_PARTS = {"morning": "mornings", "afternoon": "afternoons", "evening": "evenings"}
# The languages Alongside offers by default (accounts' seed data); others show their code.
LANGUAGE_NAMES = {
    "ar": "Arabic",
    "bn": "Bengali",
    "sgn-GB": "British Sign Language",
    "yue": "Cantonese",
    "en": "English",
    "fa": "Farsi",
    "fr": "French",
    "gu": "Gujarati",
    "hi": "Hindi",
    "it": "Italian",
    "ku": "Kurdish",
    "lt": "Lithuanian",
    "zh": "Mandarin",
    "pl": "Polish",
    "pt": "Portuguese",
    "pa": "Punjabi",
    "ro": "Romanian",
    "so": "Somali",
    "es": "Spanish",
    "ta": "Tamil",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "cy": "Welsh",
}
FORMAT_PHRASES = {
    "in_person": "in person",
    "video": "by video",
    "phone": "by phone",
    "text": "by text message",
}

UNMATCHED_REASONS = {
    "languages": "no available mentor shares a language",
    "availability": "no mentor is free at the same times",
    "mentor_gender": "no mentor matches the required mentor gender",
    "age_range": "no mentor is in the required age range",
    "shared_experience": "no mentor has the required shared lived experience",
    "exclusions": "every mentor who could be matched is excluded (for example after a declined "
    "match)",
}
NO_MENTORS = "there are no mentors in this matching run"
AT_CAPACITY_REQUIRED = "all mentors who meet your required preferences are at capacity"
AT_CAPACITY = "all mentors who could be matched are at capacity"


def join(words: Sequence[str], conjunction: str = "and") -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def slot_label(slot: str) -> str:
    """``mon_evening`` -> ``Monday evenings``; a slot in another style is shown as it is."""
    day, _, part = slot.partition("_")
    if day in DAYS and part in DAY_PARTS:
        return f"{DAYS[day]} {DAY_PARTS[part]}"
    return slot


def formats_phrase(formats: Sequence[str]) -> str:
    return join([FORMAT_PHRASES[name] for name in formats], "or")


def age_range_label(preference: AgeRangePreference) -> str:
    if preference.min_age is not None and preference.max_age is not None:
        return f"{preference.min_age}–{preference.max_age}"
    if preference.min_age is not None:
        return f"{preference.min_age} or older"
    return f"{preference.max_age} or younger"


class _Phrases:
    """Each distinct shared bitmask phrased once, then looked up."""

    def __init__(self, vocabulary: Vocabulary, phrase: str) -> None:
        self.vocabulary = vocabulary
        self.phrase = phrase
        self.cache: dict[tuple[int, ...], str] = {}

    def __call__(self, words: tuple[int, ...]) -> str | None:
        if not any(words):
            return None
        text = self.cache.get(words)
        if text is None:
            text = self.phrase.format(self.render(self.vocabulary.unpack(words)))
            self.cache[words] = text
        return text

    def render(self, found: list[str]) -> str:
        return join(found)


class _SlotPhrases(_Phrases):
    def render(self, found: list[str]) -> str:
        labels = [slot_label(slot) for slot in found]
        if len(labels) > MOST_SLOTS_NAMED:
            extra = len(labels) - MOST_SLOTS_NAMED
            return f"{', '.join(labels[:MOST_SLOTS_NAMED])} and {extra} more"
        return join(labels)


class _LanguagePhrases(_Phrases):
    def render(self, found: list[str]) -> str:
        return join([LANGUAGE_NAMES.get(code, code) for code in found])


def _words(bits: Bits) -> list[tuple[int, ...]]:
    return [tuple(row) for row in bits.tolist()]


def pair_reasons(
    mentees: MenteeTable, mentors: MentorTable, rows: Ints, columns: Ints
) -> list[tuple[str, ...]]:
    """Reasons for each allowed pair ``(rows[k], columns[k])``, strongest first."""
    experience = _Phrases(mentors.experience_words, "Shares lived experience of {}")
    slots = _SlotPhrases(mentors.slot_words, "Both free on {}")
    languages = _LanguagePhrases(mentors.language_words, "Speaks {}")
    shared_experience = _words(mentees.needs[rows] & mentors.lived[columns])
    shared_slots = _words(mentees.slots[rows] & mentors.slots[columns])
    shared_languages = _words(mentees.languages[rows] & mentors.languages[columns])
    shared_formats = (mentees.formats[rows] & mentors.formats[columns]).tolist()
    distances = haversine_km(
        mentees.lat[rows], mentees.lon[rows], mentors.lat[columns], mentors.lon[columns]
    ).tolist()
    format_phrases: dict[int, str] = {}

    reasons = []
    for k, (row, column) in enumerate(zip(rows.tolist(), columns.tolist(), strict=True)):
        mentee, mentor = mentees.mentees[row], mentors.mentors[column]
        found = [
            experience(shared_experience[k]),
            slots(shared_slots[k]),
            languages(shared_languages[k]),
        ]
        bits = shared_formats[k]
        if bits == IN_PERSON_BIT:
            found.append(f"Can meet in person ({distances[k]:.1f} km apart)")
        else:
            if bits not in format_phrases:
                names = [name for name, bit in FORMAT_BITS.items() if bits & bit]
                format_phrases[bits] = f"Can meet {formats_phrase(names)}"
            found.append(format_phrases[bits])
        found.extend(_preference_reasons(mentee, mentor, shared_experience[k]))
        if mentee.waiting_days >= WAITING_REASON_DAYS:
            found.append(f"Waiting {int(mentee.waiting_days)} days — prioritised")
        reasons.append(tuple(reason for reason in found if reason))
    return reasons


def _preference_reasons(mentee: Mentee, mentor: Mentor, shared: tuple[int, ...]) -> list[str]:
    preferences = mentee.preferences
    found = []
    if preferences.mentor_gender is not None:
        wanted = preferences.mentor_gender.values
        if mentor.gender in wanted:
            found.append(f"Mentor's gender ({mentor.gender}) is as preferred")
        else:
            found.append(
                f"Preference not met: mentor gender {join(wanted, 'or')} "
                f"(mentor: {mentor.gender or 'not given'})"
            )
    if preferences.age_range is not None:
        age_range = preferences.age_range
        label = age_range_label(age_range)
        low = age_range.min_age if age_range.min_age is not None else -1
        high = age_range.max_age if age_range.max_age is not None else float("inf")
        if mentor.age is not None and low <= mentor.age <= high:
            found.append(f"Mentor's age ({mentor.age}) is in the preferred range {label}")
        else:
            age = mentor.age if mentor.age is not None else "not given"
            found.append(f"Preference not met: mentor aged {label} (mentor: {age})")
    if preferences.shared_experience is not None and not any(shared):
        found.append("Preference not met: shared lived experience")
    return found


def unmatched_reasons(mentees: MenteeTable, mentors: MentorTable) -> list[str]:
    """Why each mentee could not be matched, given a solution that matched as many as possible.

    ``mentors`` is every mentor, including those with no room, and ``mentees`` was encoded
    against it. The hard constraints run in order; the reason is the first that leaves a mentee
    with no mentor. If some mentors pass them all, those mentors are full: a maximum matching
    would otherwise have given the mentee one of them.
    """
    if len(mentors) == 0:
        return [NO_MENTORS] * len(mentees)
    reasons: list[str | None] = [None] * len(mentees)

    def record(stage: str, allowed: Flags) -> None:
        for row in np.flatnonzero(~allowed.any(axis=1)).tolist():
            if reasons[row] is None:
                reasons[row] = _stage_reason(stage, mentees.mentees[row])

    allowed_pairs(mentees, mentors, after_stage=record)
    return [
        reason if reason is not None else at_capacity_reason(mentee)
        for reason, mentee in zip(reasons, mentees.mentees, strict=True)
    ]


def at_capacity_reason(mentee: Mentee) -> str:
    return AT_CAPACITY_REQUIRED if mentee.preferences.has_required else AT_CAPACITY


def _stage_reason(stage: str, mentee: Mentee) -> str:
    if stage == "formats":
        if not mentee.formats:
            return "no way of meeting (in person, video, phone or text) was given"
        return f"no mentor who shares a language can meet {formats_phrase(mentee.formats)}"
    if stage == "distance":
        if mentee.location is None:
            return (
                "the mentors who could meet can only meet in person, and there is no location "
                "to check the distance"
            )
        return "the mentors who could meet can only meet in person and are too far away"
    return UNMATCHED_REASONS[stage]
