"""Which slice of the programme a report covers: a period, and optionally a team or an area.

A *team* is a supervisor's mentors (``MentorProfile.supervisor``): the way programmes group
volunteers. An *area* is one of the organisation's places (``matching.Place``), matched by
name, ignoring case, against where the mentee (``Referral.area``) or mentor lives. Figures
about people who have no mentor yet (referrals, the waiting list) cannot be split by team;
their sections say so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import F, Q
from django.forms.models import ModelChoiceIterator
from django.http import HttpRequest
from django.utils import dateformat, timezone

from accounts.models import Membership, Organisation, Role, User
from alongside.caching import kept
from alongside.lookups import InSubquery
from alongside.widgets import QuickSelect
from matching.models import Place
from mentoring.models import Relationship

DEFAULT_DAYS = 365
LONGEST_YEARS = 10
# The filter's team and area choices are kept as long as the figures (reports/cache.py): a
# national programme has a thousand supervisors, and they change far less often than that.
# A choice that has gone since is still refused when the form is checked.
CHOICES_KEPT_SECONDS = 300
NOT_SPLIT_BY_TEAM = "Not split by team: people who have no mentor yet belong to no team."


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included, in the site's time zone."""

    start: date
    end: date

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """The first moment after the period (exclusive upper bound)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        return f"{dateformat.format(self.start, 'j F Y')} to {dateformat.format(self.end, 'j F Y')}"

    @classmethod
    def default(cls, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(today - timedelta(days=DEFAULT_DAYS - 1), today)


@dataclass(frozen=True)
class ReportFilter:
    organisation: Organisation
    period: Period
    team: User | None = None
    area: Place | None = None

    def referrals(self, prefix: str = "") -> Q:
        """Referrals (or rows reached through ``prefix``, e.g. ``"referral__"``) in the slice.
        The team is ignored: see NOT_SPLIT_BY_TEAM."""
        q = Q(**{f"{prefix}organisation": self.organisation})
        if self.area is not None:
            q &= Q(**{f"{prefix}area__iexact": self.area.name})
        return q

    def relationships(self, prefix: str = "") -> Q:
        """Relationships (or rows reached through ``prefix``, e.g. ``"relationship__"``)."""
        q = Q(**{f"{prefix}organisation": self.organisation})
        if self.team is not None:
            q &= Q(**{f"{prefix}mentor__supervisor": self.team})
        if self.area is not None:
            q &= Q(**{f"{prefix}referral__area__iexact": self.area.name})
        return q

    def mentors(self, prefix: str = "") -> Q:
        """Mentor profiles (or rows reached through ``prefix``, e.g. ``"profile__"``)."""
        q = Q(**{f"{prefix}organisation": self.organisation})
        if self.team is not None:
            q &= Q(**{f"{prefix}supervisor": self.team})
        if self.area is not None:
            q &= Q(**{f"{prefix}area__iexact": self.area.name})
        return q

    def people(self, field: str) -> Q:
        """Rows about a person (``field`` names the user, e.g. ``"person"``) in the slice: with
        a team or area, only people who are (or were) the mentee of a relationship in it."""
        if self.team is None and self.area is None:
            return Q()
        mentees = Relationship.objects.filter(self.relationships()).values("mentee_id")
        return Q(**{f"{field}__in": mentees})

    @property
    def is_split(self) -> bool:
        return self.team is not None or self.area is not None

    def describe(self) -> str:
        parts = [str(self.period)]
        if self.team is not None:
            parts.append(f"team: {self.team.name}'s mentors")
        if self.area is not None:
            parts.append(f"area: {self.area.name}")
        return ", ".join(parts)

    def as_query(self) -> dict[str, str]:
        """The filter as query parameters, for links to exports of the same slice."""
        query = {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()}
        if self.team is not None:
            query["team"] = str(self.team.pk)
        if self.area is not None:
            query["area"] = str(self.area.pk)
        return query


def teams_for(organisation: Organisation) -> InSubquery:
    """The people who lead a team: the organisation's active supervisors (a filter on users,
    read by key: ``alongside/lookups.py``)."""
    supervisors = Membership.objects.filter(
        organisation=organisation, role=Role.SUPERVISOR, is_active=True
    ).values("user_id")
    return InSubquery(F("pk"), supervisors)


class NameChoiceIterator(ModelChoiceIterator):
    """The choices as (id, name) pairs read straight from the database: a list of a thousand
    supervisors builds no model objects. A field with ``rows`` set reads its pairs from that."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = getattr(self.field, "rows", None)
        yield from rows() if rows is not None else self.queryset.values_list("pk", "name")


class NameChoiceField(forms.ModelChoiceField):
    """A choice of rows that have a ``name``, drawn by ``QuickSelect``; the chosen one is still
    fetched and checked against the queryset when the form is cleaned."""

    iterator = NameChoiceIterator
    widget = QuickSelect
    rows: Callable[[], Iterable[tuple[int, str]]] | None = None


def kept_choices(
    kind: str, organisation: Organisation, read: Callable[[Organisation], list[tuple[int, str]]]
) -> list[tuple[int, str]]:
    """The organisation's choices of ``kind`` as ``read`` gives them, kept for a few minutes."""
    key = f"reports:choices:{kind}:{organisation.pk}"
    return kept(key, CHOICES_KEPT_SECONDS, lambda: read(organisation))[0]


def area_choices(organisation: Organisation) -> list[tuple[int, str]]:
    """The organisation's places by name, as (id, name) pairs."""
    places = Place.objects.filter(organisation=organisation).order_by("name", "pk")
    return list(places.values_list("pk", "name"))


def team_choices(organisation: Organisation) -> list[tuple[int, str]]:
    """The organisation's active supervisors by name, as (id, label) pairs, in one query (read
    by key: ``alongside/lookups.py``). Names that repeat (a national programme may have three
    "Zoe Young"s) are told apart by email address."""
    people = User.objects.filter(teams_for(organisation)).order_by("name", "pk")
    rows = list(people.values_list("pk", "name", "email"))
    repeated = {name for name, times in Counter(name for _, name, _ in rows).items() if times > 1}
    return [(pk, f"{name} ({email})" if name in repeated else name) for pk, name, email in rows]


class ReportFilterForm(forms.Form):
    start = forms.DateField(
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )
    end = forms.DateField(
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )
    team = NameChoiceField(
        label="Team",
        queryset=User.objects.none(),
        required=False,
        empty_label="All teams",
        help_text="A supervisor's mentors.",
    )
    area = NameChoiceField(
        label="Area", queryset=Place.objects.none(), required=False, empty_label="All areas"
    )

    def __init__(self, *args: object, organisation: Organisation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.organisation = organisation
        team_field = self.fields["team"]
        area_field = self.fields["area"]
        assert isinstance(team_field, NameChoiceField)
        assert isinstance(area_field, NameChoiceField)
        team_field.queryset = User.objects.filter(teams_for(organisation))
        team_field.rows = lambda: kept_choices("teams", organisation, team_choices)
        area_field.queryset = Place.objects.filter(organisation=organisation)
        area_field.rows = lambda: kept_choices("areas", organisation, area_choices)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        default = Period.default()
        start = cleaned.get("start") or None
        end = cleaned.get("end") or None
        if end is None:
            end = default.end
        if start is None:
            start = end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            self.add_error("end", "The end date must be on or after the start date.")
        elif (end - start).days > 366 * LONGEST_YEARS:
            self.add_error("start", f"Choose a period of {LONGEST_YEARS} years or less.")
        cleaned["start"], cleaned["end"] = start, end
        return cleaned


def report_filter(
    data: object, organisation: Organisation
) -> tuple[ReportFilterForm, ReportFilter]:
    """The form (bound to ``data``, a QueryDict, when it has any of the form's fields) and the
    filter it gives. Invalid input leaves the form with its errors and the filter at the
    default period for the whole programme, so the page still answers."""
    keys = ("start", "end", "team", "area")
    bound = hasattr(data, "keys") and any(key in data for key in keys)  # type: ignore[operator]
    default = Period.default()
    form = ReportFilterForm(
        data if bound else None,
        organisation=organisation,
        initial={"start": default.start, "end": default.end},
    )
    if bound and form.is_valid():
        cleaned = form.cleaned_data
        return form, ReportFilter(
            organisation=organisation,
            period=Period(cleaned["start"], cleaned["end"]),
            team=cleaned.get("team"),
            area=cleaned.get("area"),
        )
    return form, ReportFilter(organisation=organisation, period=Period.default())


def request_filter(
    request: HttpRequest, organisation: Organisation
) -> tuple[ReportFilterForm, ReportFilter]:
    return report_filter(request.GET, organisation)
