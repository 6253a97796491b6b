"""What mentees may see of a mentor (the directory's cards, the mentor's own preview, a matched
mentee's view of their mentor), built from a profile or, for a page of them, in one query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, F, IntegerField, QuerySet, TimeField, Value
from django.db.models.functions import Cast

from mentors.models import AvailabilitySlot, Format, MentorProfile

_FORMAT_LABELS = dict(Format.choices)
# The columns a card shows (with ``current_mentees`` annotated): nothing private is read.
CARD_FIELDS = (
    "pk",
    "display_name",
    "bio",
    "specialisms",
    "gender",
    "show_gender",
    "formats",
    "area",
    "capacity",
)


@dataclass
class PublicProfile:
    """What mentees may see of a mentor: public fields plus languages, formats and area."""

    pk: int
    display_name: str
    bio: str
    specialisms: str
    gender: str
    areas: list[str]
    languages: list[str]
    formats: list[str]
    area: str
    slots: list[AvailabilitySlot] = field(default_factory=list)
    full: bool = False


def _card(
    profile: MentorProfile, areas: list[str], languages: list[str], slots: list[AvailabilitySlot]
) -> PublicProfile:
    return PublicProfile(
        pk=profile.pk,
        display_name=profile.display_name,
        bio=profile.bio,
        specialisms=profile.specialisms,
        gender=profile.gender if profile.show_gender else "",
        areas=areas,
        languages=languages,
        formats=[_FORMAT_LABELS.get(value, value) for value in profile.formats],
        area=profile.area,
        slots=slots,
        full=getattr(profile, "current_mentees", 0) >= profile.capacity,
    )


def public_profile(profile: MentorProfile) -> PublicProfile:
    return _card(
        profile,
        [area.name for area in profile.lived_experience_areas.all()],
        [language.name for language in profile.languages.all()],
        list(profile.availability_slots.all()),
    )


_AREA, _LANGUAGE, _SLOT = 0, 1, 2


def public_profiles(profiles: Sequence[MentorProfile]) -> list[PublicProfile]:
    """Cards for a page of profiles: their areas, languages and weekly times in one query (a
    union, in the orders the models give them) instead of one prefetch each."""
    cards: dict[int, tuple[list[str], list[str], list[AvailabilitySlot]]] = {
        profile.pk: ([], [], []) for profile in profiles
    }
    if cards:
        for kind, profile_id, _, name, weekday, starts_at, ends_at in _extras(list(cards)):
            areas, languages, slots = cards[profile_id]
            if kind == _AREA:
                areas.append(name)
            elif kind == _LANGUAGE:
                languages.append(name)
            else:
                slots.append(
                    AvailabilitySlot(
                        profile_id=profile_id, weekday=weekday, starts_at=starts_at, ends_at=ends_at
                    )
                )
    return [_card(profile, *cards[profile.pk]) for profile in profiles]


def _extras(profile_ids: list[int]) -> QuerySet[Any, Any]:
    """Rows of (kind, profile, position, name, weekday, starts at, ends at), sorted so each
    profile's areas come by position and name, languages by name, and times by day and start."""
    columns = ("kind", "profile_pk", "position", "label", "day", "starts", "ends")
    # Typed, so PostgreSQL can match each column of the union across its parts.
    no_day = Cast(Value(None), output_field=IntegerField())
    no_time = Cast(Value(None), output_field=TimeField())
    areas = MentorProfile.lived_experience_areas.through.objects.filter(
        mentorprofile_id__in=profile_ids
    ).annotate(
        kind=Value(_AREA, output_field=IntegerField()),
        profile_pk=F("mentorprofile_id"),
        position=F("supportarea__position"),
        label=F("supportarea__name"),
        day=no_day,
        starts=no_time,
        ends=no_time,
    )
    languages = MentorProfile.languages.through.objects.filter(
        mentorprofile_id__in=profile_ids
    ).annotate(
        kind=Value(_LANGUAGE, output_field=IntegerField()),
        profile_pk=F("mentorprofile_id"),
        position=Value(0, output_field=IntegerField()),
        label=F("language__name"),
        day=no_day,
        starts=no_time,
        ends=no_time,
    )
    slots = AvailabilitySlot.objects.filter(profile_id__in=profile_ids).annotate(
        kind=Value(_SLOT, output_field=IntegerField()),
        profile_pk=F("profile_id"),
        position=Value(0, output_field=IntegerField()),
        label=Value("", output_field=CharField()),
        day=F("weekday"),
        starts=F("starts_at"),
        ends=F("ends_at"),
    )
    return (
        areas.order_by()
        .values_list(*columns)
        .union(
            languages.order_by().values_list(*columns),
            slots.order_by().values_list(*columns),
            all=True,
        )
        .order_by("kind", "position", "label", "day", "starts")
    )
