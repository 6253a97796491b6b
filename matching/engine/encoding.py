"""People turned into NumPy arrays, so every comparison runs over whole blocks of pairs.

Sets of words (languages, availability slots, lived experience, needs, genders) become bitmasks:
one bit per word the *mentors* use. A mentee's word that no mentor uses can never be shared, so
it gets no bit; it still counts in the mentee's totals (the denominators of the score). Because
the vocabularies come from the mentors alone, the mentor side is encoded once and reused for any
mentee.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from matching.engine.model import FORMATS, Mentee, Mentor

Bits = npt.NDArray[np.unsignedinteger[Any]]
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]
Ages = npt.NDArray[np.float32]

FORMAT_BITS = {name: 1 << position for position, name in enumerate(FORMATS)}
IN_PERSON_BIT = FORMAT_BITS["in_person"]
WORD = 64


class Vocabulary:
    """Words in first-seen order, each with its bit position.

    A mask is one column of the narrowest unsigned type with a bit for every word (``uint8`` for
    up to 8 words, ... ``uint64`` for up to 64): comparisons over millions of pairs run several
    times faster on narrow types. A vocabulary of more than 64 words spreads each mask over
    several ``uint64`` columns.
    """

    def __init__(self, groups: Iterable[Iterable[str]]) -> None:
        self.index: dict[str, int] = {}
        for group in groups:
            for word in group:
                self.index.setdefault(word, len(self.index))
        self.words = tuple(self.index)
        size = len(self.index)
        self.dtype: type[np.unsignedinteger[Any]] = (
            np.uint8
            if size <= 8
            else np.uint16
            if size <= 16
            else np.uint32
            if size <= 32
            else np.uint64
        )
        self.width = max(1, math.ceil(size / WORD))
        self._masks: dict[tuple[str, ...], int] = {}

    def mask(self, words: tuple[str, ...]) -> int:
        mask = self._masks.get(words)
        if mask is None:
            mask = 0
            for word in words:
                position = self.index.get(word)
                if position is not None:
                    mask |= 1 << position
            self._masks[words] = mask
        return mask

    def pack(self, groups: Iterable[tuple[str, ...]]) -> Bits:
        masks = [self.mask(group) for group in groups]
        if self.width == 1:
            return np.array(masks, dtype=self.dtype).reshape(len(masks), 1)
        packed = np.zeros((len(masks), self.width), dtype=np.uint64)
        for row, mask in enumerate(masks):
            for word in range(self.width):
                packed[row, word] = (mask >> (WORD * word)) & 0xFFFF_FFFF_FFFF_FFFF
        return packed

    def unpack(self, words: Sequence[int]) -> list[str]:
        """The words whose bits are set, in vocabulary order."""
        found = []
        for position, value in enumerate(words):
            while value:
                low = value & -value
                found.append(self.words[WORD * position + low.bit_length() - 1])
                value ^= low
        return found


def _radians(values: Iterable[float | None]) -> Floats:
    return np.radians(np.array([np.nan if v is None else v for v in values], dtype=np.float64))


def _floats(values: Iterable[float | None], missing: float = np.nan) -> Floats:
    return np.array([missing if v is None else v for v in values], dtype=np.float64)


def _ages(values: Iterable[int | None], missing: float) -> Ages:
    return _floats(values, missing).astype(np.float32)


def _format_bits(formats: Iterable[tuple[str, ...]]) -> npt.NDArray[np.uint8]:
    return np.array([sum(FORMAT_BITS[name] for name in group) for group in formats], dtype=np.uint8)


class _Table:
    """Row selection shared by both tables: every array field has one row per person."""

    def _take_arrays(self, rows: slice | Ints) -> dict[str, Any]:
        return {
            item.name: getattr(self, item.name)[rows]
            for item in fields(self)  # type: ignore[arg-type]
            if isinstance(getattr(self, item.name), np.ndarray)
        }


@dataclass(frozen=True, eq=False)
class MentorTable(_Table):
    mentors: tuple[Mentor, ...]
    capacity: Ints
    languages: Bits
    slots: Bits
    lived: Bits
    formats: npt.NDArray[np.uint8]
    gender: Bits
    age: Ages
    lat: Floats
    lon: Floats
    max_travel_km: Floats
    language_words: Vocabulary
    slot_words: Vocabulary
    experience_words: Vocabulary
    gender_words: Vocabulary
    excluded_mentees: tuple[tuple[str, ...], ...]

    @classmethod
    def from_mentors(cls, mentors: Sequence[Mentor]) -> MentorTable:
        languages = Vocabulary(mentor.languages for mentor in mentors)
        slots = Vocabulary(mentor.availability for mentor in mentors)
        experience = Vocabulary(mentor.lived_experience for mentor in mentors)
        genders = Vocabulary((mentor.gender,) for mentor in mentors if mentor.gender)
        return cls(
            mentors=tuple(mentors),
            capacity=np.array([mentor.capacity for mentor in mentors], dtype=np.int64),
            languages=languages.pack(mentor.languages for mentor in mentors),
            slots=slots.pack(mentor.availability for mentor in mentors),
            lived=experience.pack(mentor.lived_experience for mentor in mentors),
            formats=_format_bits(mentor.formats for mentor in mentors),
            gender=genders.pack((mentor.gender,) if mentor.gender else () for mentor in mentors),
            age=_ages((mentor.age for mentor in mentors), missing=np.nan),
            lat=_radians(mentor.location.lat if mentor.location else None for mentor in mentors),
            lon=_radians(mentor.location.lon if mentor.location else None for mentor in mentors),
            max_travel_km=_floats(mentor.max_travel_km for mentor in mentors),
            language_words=languages,
            slot_words=slots,
            experience_words=experience,
            gender_words=genders,
            excluded_mentees=tuple(mentor.exclude for mentor in mentors),
        )

    def __len__(self) -> int:
        return len(self.mentors)

    def take(self, columns: Ints) -> MentorTable:
        """The same mentors' encoding restricted to ``columns`` (vocabularies unchanged)."""
        return replace(
            self,
            mentors=tuple(self.mentors[column] for column in columns),
            excluded_mentees=tuple(self.excluded_mentees[column] for column in columns),
            **self._take_arrays(columns),
        )


@dataclass(frozen=True, eq=False)
class MenteeTable(_Table):
    """Mentees encoded against one ``MentorTable``'s vocabularies and columns."""

    mentees: tuple[Mentee, ...]
    languages: Bits
    slots: Bits
    needs: Bits
    slot_count: Floats
    needs_count: Floats
    formats: npt.NDArray[np.uint8]
    lat: Floats
    lon: Floats
    waiting_days: Floats
    gender_stated: Flags
    gender_required: Flags
    gender_wanted: Bits
    age_stated: Flags
    age_required: Flags
    age_min: Ages
    age_max: Ages
    shared_stated: Flags
    shared_required: Flags
    stated_count: Floats
    # Pairs that may not be matched, as (row, column) sorted by row.
    excluded_rows: Ints
    excluded_columns: Ints

    @classmethod
    def encode(cls, mentees: Sequence[Mentee], mentors: MentorTable) -> MenteeTable:
        preferences = [mentee.preferences for mentee in mentees]
        age_ranges = [preference.age_range for preference in preferences]
        shared = [preference.shared_experience for preference in preferences]
        gender = [preference.mentor_gender for preference in preferences]
        excluded_rows, excluded_columns = _exclusions(mentees, mentors)
        return cls(
            mentees=tuple(mentees),
            languages=mentors.language_words.pack(mentee.languages for mentee in mentees),
            slots=mentors.slot_words.pack(mentee.availability for mentee in mentees),
            needs=mentors.experience_words.pack(mentee.needs for mentee in mentees),
            slot_count=_floats(len(mentee.availability) for mentee in mentees),
            needs_count=_floats(len(mentee.needs) for mentee in mentees),
            formats=_format_bits(mentee.formats for mentee in mentees),
            lat=_radians(mentee.location.lat if mentee.location else None for mentee in mentees),
            lon=_radians(mentee.location.lon if mentee.location else None for mentee in mentees),
            waiting_days=_floats(mentee.waiting_days for mentee in mentees),
            gender_stated=np.array([p is not None for p in gender], dtype=np.bool_),
            gender_required=np.array([p is not None and p.required for p in gender], dtype=bool),
            gender_wanted=mentors.gender_words.pack(p.values if p else () for p in gender),
            age_stated=np.array([p is not None for p in age_ranges], dtype=np.bool_),
            age_required=np.array(
                [p is not None and p.required for p in age_ranges], dtype=np.bool_
            ),
            age_min=_ages((p.min_age if p else None for p in age_ranges), missing=-np.inf),
            age_max=_ages((p.max_age if p else None for p in age_ranges), missing=np.inf),
            shared_stated=np.array([p is not None for p in shared], dtype=np.bool_),
            shared_required=np.array([p is not None and p.required for p in shared], dtype=bool),
            stated_count=_floats(len(preference.stated) for preference in preferences),
            excluded_rows=excluded_rows,
            excluded_columns=excluded_columns,
        )

    def __len__(self) -> int:
        return len(self.mentees)

    def take(self, rows: slice) -> MenteeTable:
        """The encoding of a contiguous block of these mentees."""
        start, stop, _ = rows.indices(len(self))
        low, high = np.searchsorted(self.excluded_rows, [start, stop])
        return replace(
            self,
            mentees=self.mentees[rows],
            excluded_rows=self.excluded_rows[low:high] - start,
            excluded_columns=self.excluded_columns[low:high],
            **{
                name: values
                for name, values in self._take_arrays(rows).items()
                if not name.startswith("excluded_")
            },
        )


def _exclusions(mentees: Sequence[Mentee], mentors: MentorTable) -> tuple[Ints, Ints]:
    """Pairs excluded by either side, as sorted (mentee row, mentor column) arrays."""
    mentor_column = {mentor.id: column for column, mentor in enumerate(mentors.mentors)}
    mentee_row = {mentee.id: row for row, mentee in enumerate(mentees)}
    pairs: set[tuple[int, int]] = set()
    for row, mentee in enumerate(mentees):
        for mentor_id in mentee.exclude:
            if mentor_id in mentor_column:
                pairs.add((row, mentor_column[mentor_id]))
    for column, excluded in enumerate(mentors.excluded_mentees):
        for mentee_id in excluded:
            if mentee_id in mentee_row:
                pairs.add((mentee_row[mentee_id], column))
    ordered = sorted(pairs)
    rows = np.array([row for row, _ in ordered], dtype=np.int64)
    columns = np.array([column for _, column in ordered], dtype=np.int64)
    return rows, columns
