"""Reads for the personal toolkit, the weekly nudge and programme insights. Each is a fixed number
of queries however many skills, entries or practices there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from toolkit.models import Practice, Skill, SkillStatus, ToolkitEntry, ToolkitPreferences

# The smallest group whose numbers are shown in insights: fewer people could be recognised.
SMALLEST_GROUP = 5
# A skill "helps" someone when their ratings average at least this (4 = "Helpful").
HELPS = 3.5
NUDGE_SPACING = timedelta(days=6)

HELPFULNESS_LABELS = {
    1: "Not helpful",
    2: "A little helpful",
    3: "Somewhat helpful",
    4: "Helpful",
    5: "Very helpful",
}
_USUALLY = {
    5: "helps a lot",
    4: "helps",
    3: "helps somewhat",
    2: "helps a little",
    1: "does not help much",
}
_ONCE = {
    5: "helped a lot",
    4: "helped",
    3: "helped somewhat",
    2: "helped a little",
    1: "did not help much",
}


def rounded(mean: float | None) -> int | None:
    """A mean rating as a whole number of stars (halves round up)."""
    if mean is None:
        return None
    return max(1, min(5, int(mean + 0.5)))


def helpfulness_words(mean: float | None, times: int) -> str:
    """How a skill has gone for someone, in words: "usually helps a lot"."""
    stars = rounded(mean)
    if stars is None:
        return "not tried yet"
    if times == 1:
        return _ONCE[stars]
    return f"usually {_USUALLY[stars]}"


def stars_text(mean: float | None) -> str:
    """Stars as text, for people who read them at a glance (screen readers get the words)."""
    stars = rounded(mean)
    if stars is None:
        return ""
    return "★" * stars + "☆" * (5 - stars)


def tried_words(times: int) -> str:
    if times == 0:
        return "Not tried yet"
    if times == 1:
        return "Tried once"
    if times == 2:
        return "Tried twice"
    return f"Tried {times} times"


@dataclass(frozen=True)
class HowItGoes:
    """How a skill is going for someone, ready to show: "Tried 3 times", "★★★★☆",
    "usually helps"."""

    tried: str
    stars: str
    words: str


def times_tried(entry: ToolkitEntry) -> int:
    """For an entry annotated by ``toolkit_for``: how many times the mentee tried it."""
    return int(getattr(entry, "practice_count", 0) or 0)


def mean_rating(entry: ToolkitEntry) -> float | None:
    """For an entry annotated by ``toolkit_for``: the mean of the mentee's ratings."""
    mean = getattr(entry, "mean_helpfulness", None)
    return None if mean is None else float(mean)


def helps(entry: ToolkitEntry) -> bool:
    """Whether the mentee's ratings say the skill helps them."""
    return (mean_rating(entry) or 0) >= HELPS


def how_it_goes(entry: ToolkitEntry) -> HowItGoes:
    """For an entry annotated by ``toolkit_for``."""
    times = times_tried(entry)
    mean = mean_rating(entry)
    return HowItGoes(
        tried=tried_words(times),
        stars=stars_text(mean) if times else "",
        words=helpfulness_words(mean, times) if times else "",
    )


# The personal toolkit ---------------------------------------------------------------------------


def _with_practice(entries: QuerySet[ToolkitEntry]) -> QuerySet[ToolkitEntry]:
    return entries.annotate(
        practice_count=Count("practices"),
        mean_helpfulness=Avg("practices__helpfulness"),
        last_practised_on=Max("practices__practised_on"),
    )


def _helps_most_first(entries: QuerySet[ToolkitEntry]) -> QuerySet[ToolkitEntry]:
    """What helps most first; skills never tried last, the newest of them first."""
    return entries.order_by(
        F("mean_helpfulness").desc(nulls_last=True),
        "-practice_count",
        "-added_at",
        "pk",
    )


def toolkit_for(person: User, organisation: Organisation | None = None) -> QuerySet[ToolkitEntry]:
    """The person's toolkit (entries not removed), each with ``practice_count``,
    ``mean_helpfulness`` and ``last_practised_on``, sorted by what helps them most. One query."""
    entries = ToolkitEntry.objects.filter(person=person, removed_at__isnull=True)
    if organisation is not None:
        entries = entries.filter(organisation=organisation)
    return _helps_most_first(_with_practice(entries.select_related("skill")))


def entry_practices(entry: ToolkitEntry) -> QuerySet[Practice]:
    """The times the mentee tried this skill, newest first."""
    return entry.practices.order_by("-practised_on", "-created_at")


def preferences_for(person: User) -> ToolkitPreferences:
    """The person's toolkit preferences; unsaved defaults (nudges on) if they never chose."""
    found = ToolkitPreferences.objects.filter(person=person).first()
    return found if found is not None else ToolkitPreferences(person=person)


# The weekly nudge -------------------------------------------------------------------------------


def _nudgeable_entries() -> QuerySet[ToolkitEntry]:
    """Entries a nudge may suggest: not removed, of a person who is still an active mentee of
    the entry's organisation."""
    still_a_mentee = Membership.objects.filter(
        user=OuterRef("person"),
        organisation=OuterRef("organisation"),
        role=Role.MENTEE,
        is_active=True,
    )
    return ToolkitEntry.objects.filter(removed_at__isnull=True).filter(Exists(still_a_mentee))


def nudge_recipients(now: datetime | None = None) -> QuerySet[User]:
    """Mentees due a weekly nudge: nudges on (no preferences saved means on), an active
    account with an email, at least one skill in their toolkit, and not nudged in 6 days."""
    now = now or timezone.now()
    said_no_or_recent = ToolkitPreferences.objects.filter(person=OuterRef("pk")).filter(
        Q(weekly_nudge=False) | Q(last_nudged_at__gt=now - NUDGE_SPACING)
    )
    has_entries = _nudgeable_entries().filter(person=OuterRef("pk"))
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(Exists(has_entries))
        .exclude(Exists(said_no_or_recent))
        .order_by("pk")
    )


def nudge_pick(person: User) -> ToolkitEntry | None:
    """The skill to suggest this week: one that helped them, the one they have not tried for
    longest; else one they have not tried yet, oldest first; else the best of the rest. One
    query."""
    entries = list(
        _with_practice(_nudgeable_entries().filter(person=person).select_related("skill")).order_by(
            "added_at", "pk"
        )
    )
    helped = [entry for entry in entries if helps(entry)]
    if helped:
        return min(helped, key=lambda entry: getattr(entry, "last_practised_on", None) or date.min)
    untried = [entry for entry in entries if times_tried(entry) == 0]
    if untried:
        return untried[0]
    if entries:
        return max(entries, key=lambda entry: mean_rating(entry) or 0)
    return None


# Programme insights ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillInsight:
    """One skill across the programme. ``shown`` is False when fewer than 5 mentees are behind
    it; then no numbers are given at all."""

    skill_id: int
    title: str
    status_label: str
    shown: bool
    mentees: int | None
    shared_by_mentor: int | None
    practised_by: int | None
    practices: int | None
    mean_helpfulness: float | None

    @property
    def helpfulness_words(self) -> str:
        stars = rounded(self.mean_helpfulness)
        return HELPFULNESS_LABELS[stars] if stars is not None else ""


@dataclass(frozen=True)
class Insights:
    shown: list[SkillInsight]
    not_shown: list[SkillInsight]
    most_shared: list[SkillInsight]
    most_practised: list[SkillInsight]
    most_helpful: list[SkillInsight]


def insights(organisation: Organisation, *, top: int = 5) -> Insights:
    """How the organisation's skills are shared, practised and rated, with no names. A skill's
    numbers are shown only when at least 5 mentees have had it in their toolkit, and its mean
    rating only when at least 5 mentees rated it. One query."""
    rows = (
        Skill.objects.filter(organisation=organisation)
        .annotate(
            mentees=Count(
                "toolkit_entries__person",
                filter=Q(toolkit_entries__organisation=organisation),
                distinct=True,
            ),
            shared_by_mentor=Count(
                "toolkit_entries__person",
                filter=Q(
                    toolkit_entries__organisation=organisation,
                    toolkit_entries__shared_by__isnull=False,
                ),
                distinct=True,
            ),
            practised_by=Count(
                "toolkit_entries__person",
                filter=Q(
                    toolkit_entries__organisation=organisation,
                    toolkit_entries__practices__isnull=False,
                ),
                distinct=True,
            ),
            practices=Count(
                "toolkit_entries__practices",
                filter=Q(toolkit_entries__organisation=organisation),
            ),
            mean_helpfulness=Avg(
                "toolkit_entries__practices__helpfulness",
                filter=Q(toolkit_entries__organisation=organisation),
            ),
        )
        .order_by("title", "pk")
        .values(
            "pk",
            "title",
            "status",
            "mentees",
            "shared_by_mentor",
            "practised_by",
            "practices",
            "mean_helpfulness",
        )
    )
    shown: list[SkillInsight] = []
    not_shown: list[SkillInsight] = []
    for row in rows:
        enough = row["mentees"] >= SMALLEST_GROUP
        enough_ratings = enough and row["practised_by"] >= SMALLEST_GROUP
        insight = SkillInsight(
            skill_id=row["pk"],
            title=row["title"],
            status_label=SkillStatus(row["status"]).label,
            shown=enough,
            mentees=row["mentees"] if enough else None,
            shared_by_mentor=row["shared_by_mentor"] if enough else None,
            practised_by=row["practised_by"] if enough else None,
            practices=row["practices"] if enough else None,
            mean_helpfulness=(
                round(float(row["mean_helpfulness"]), 1)
                if enough_ratings and row["mean_helpfulness"] is not None
                else None
            ),
        )
        (shown if enough else not_shown).append(insight)
    return Insights(
        shown=shown,
        not_shown=not_shown,
        most_shared=sorted(shown, key=lambda row: (-(row.mentees or 0), row.title))[:top],
        most_practised=sorted(
            (row for row in shown if row.practices),
            key=lambda row: (-(row.practices or 0), row.title),
        )[:top],
        most_helpful=sorted(
            (row for row in shown if row.mean_helpfulness is not None),
            key=lambda row: (-(row.mean_helpfulness or 0), row.title),
        )[:top],
    )
