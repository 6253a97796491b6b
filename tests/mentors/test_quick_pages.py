"""The directory, the mentor's own profile and the supervision overview are main pages: their
cards and rows are written in Python and their figures read in few queries. Here the written
HTML is held to what the templates wrote, and the figures to what they were."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Language, SupportArea
from mentors.cards import PublicProfile, public_profile, public_profiles
from mentors.models import (
    AvailabilitySlot,
    MentorProfile,
    MentorProgrammeSettings,
    WellbeingCheckIn,
)
from mentors.templatetags.mentor_cards import public_cards
from mentors.templatetags.supervision_list import supervision_rows
from mentors.views import profiles as profile_views
from mentors.views.supervision import OverviewRow
from tests.mentors.factories import MentorProfileFactory
from tests.mentors.test_profile_pages import listed  # noqa: F401 (a fixture)
from tests.project.test_long_lists import four_mentors  # noqa: F401 (a fixture)
from tests.project.test_widgets import elements

pytestmark = pytest.mark.django_db

TRICKY = 'Jo "JJ" <b>O\'Neill</b> & co'


def _slot(weekday: int, starts: int, ends: int) -> AvailabilitySlot:
    return AvailabilitySlot(weekday=weekday, starts_at=time(starts), ends_at=time(ends))


FULL_CARD = PublicProfile(
    pk=7,
    display_name=TRICKY,
    bio="First line <i>\nsecond line & more\n\nA new paragraph 'quoted'",
    specialisms=TRICKY,
    gender="Woman <& more>",
    areas=["Anxiety & panic", "<Grief>"],
    languages=["English", "Polish"],
    formats=["Video call", "Phone"],
    area=TRICKY,
    slots=[_slot(0, 9, 11), _slot(4, 18, 20)],
    full=True,
)
BARE_CARD = PublicProfile(
    pk=8,
    display_name="Sam",
    bio="",
    specialisms="",
    gender="",
    areas=[],
    languages=[],
    formats=[],
    area="",
)


@pytest.mark.parametrize(("level", "link"), [(3, True), (3, False), (0, False)])
def test_cards_are_written_as_the_card_template_writes_them(level, link):
    cards = [FULL_CARD, BARE_CARD]
    template_made = "".join(
        render_to_string(
            "mentors/profiles/_public_profile.html", {"card": card, "level": level, "link": link}
        )
        for card in cards
    )
    assert elements(public_cards(cards, level=level, link=link)) == elements(template_made)


def _comparable(card: PublicProfile) -> PublicProfile:
    """Unsaved slots (the page's) and saved ones are equal when they read the same."""
    card.slots = [str(slot) for slot in card.slots]  # type: ignore[misc]
    return card


def test_a_page_of_cards_reads_what_each_profile_gives(listed, areas):  # noqa: F811
    ada = listed[0]
    for position, area in ((2, areas[0]), (1, areas[2]), (0, areas[3])):  # last comes first
        SupportArea.objects.filter(pk=area.pk).update(position=position)
    ada.lived_experience_areas.set([areas[0], areas[3], areas[2]])
    ada.languages.set(Language.objects.filter(code__in=["pl", "en", "cy"]))
    AvailabilitySlot.objects.create(profile=ada, weekday=0, starts_at=time(8), ends_at=time(9))
    AvailabilitySlot.objects.create(profile=ada, weekday=6, starts_at=time(7), ends_at=time(8))
    profiles = list(
        MentorProfile.objects.filter(pk__in=[profile.pk for profile in listed]).order_by("pk")
    )
    one_at_a_time = [_comparable(public_profile(profile)) for profile in profiles]
    assert [_comparable(card) for card in public_profiles(profiles)] == one_at_a_time
    assert one_at_a_time[0].areas == [areas[3].name, areas[2].name, areas[0].name]
    assert one_at_a_time[0].slots == [
        "Monday 08:00–09:00",
        "Monday 18:00–20:00",
        "Sunday 07:00–08:00",
    ]
    assert public_profiles([]) == []


def test_mentors_with_the_same_name_each_appear_once_across_the_pages(
    monkeypatch, client_for, mentee, organisation
):
    monkeypatch.setattr(profile_views, "DIRECTORY_PER_PAGE", 2)
    made = [MentorProfileFactory(organisation=organisation, display_name="Sam") for _ in range(5)]
    client = client_for(mentee)
    shown = [
        card.pk
        for number in (1, 2, 3)
        for card in client.get(reverse("mentors:directory"), {"page": number}).context["cards"]
    ]
    assert shown == sorted(profile.pk for profile in made)


def test_directory_counts_all_listed_mentors_or_those_a_filter_leaves(
    client_for,
    mentee,
    listed,  # noqa: F811
):
    client = client_for(mentee)
    assert client.get(reverse("mentors:directory")).context["page"].paginator.count == 3
    video = client.get(reverse("mentors:directory"), {"format": "video"})
    assert video.context["page"].paginator.count == 1
    monday = client.get(reverse("mentors:directory"), {"weekday": "0"})  # Monday is 0
    assert [card.display_name for card in monday.context["cards"]] == ["Ada"]


def test_the_own_profile_page_says_the_programmes_most_mentees(client_for, mentor, mentor_profile):
    client = client_for(mentor)
    MentorProgrammeSettings.objects.filter(organisation=mentor_profile.organisation).delete()
    assert "(up to 3)" in client.get(reverse("mentors:my_profile")).content.decode()
    MentorProgrammeSettings.objects.filter(organisation=mentor_profile.organisation).update(
        max_capacity=7
    )
    assert "(up to 7)" in client.get(reverse("mentors:my_profile")).content.decode()


def test_the_own_profile_page_asks_few_queries(
    client_for, mentor, mentor_profile, django_assert_max_num_queries
):
    client = client_for(mentor)
    client.get(reverse("mentors:my_profile"))  # the programme's settings are made
    with django_assert_max_num_queries(6):  # was 12: areas, languages, times in one query
        response = client.get(reverse("mentors:my_profile"))
    assert response.status_code == 200


# The supervision overview ----------------------------------------------------------------------

# The rows as the overview's template wrote them before they were written in Python.
ROWS_TEMPLATE = Template(
    """{% for row in rows %}
        <li class="border-top py-3">
          <h2 class="h5 mb-2">
            <a href="{{ row.url }}">{{ row.name }}</a>
            {% if row.is_overdue %}<span class="badge text-bg-warning ms-1">Overdue</span>{% endif %}
            {% if row.wellbeing_flag %}<span class="badge text-bg-warning ms-1">{{ row.wellbeing_flag }}</span>{% endif %}
          </h2>
          <dl class="row mb-0">
            {% if not is_supervisor %}
              <div class="col-6 col-md-3"><dt class="fw-normal text-body-secondary">Supervisor</dt><dd class="mb-1">{{ row.supervisor }}</dd></div>
            {% endif %}
            <div class="col-6 col-md-3"><dt class="fw-normal text-body-secondary">Last supervision</dt><dd class="mb-1">{{ row.last_held }}</dd></div>
            <div class="col-6 col-md-3"><dt class="fw-normal text-body-secondary">{% if row.is_overdue %}Was due{% else %}Next due{% endif %}</dt><dd class="mb-1">{{ row.next_due }}</dd></div>
            <div class="col-6 col-md-3"><dt class="fw-normal text-body-secondary">Last check-in</dt><dd class="mb-1">{{ row.last_check_in }}</dd></div>
          </dl>
        </li>
      {% endfor %}"""  # noqa: E501
)
ROWS = [
    OverviewRow(
        url="/mentors/supervision/1/",
        name=TRICKY,
        is_overdue=True,
        wellbeing_flag="Asked for support",
        supervisor=TRICKY,
        last_held="Not yet",
        next_due="1 May 2026",
        last_check_in="None yet",
    ),
    OverviewRow(
        url="/mentors/supervision/2/?a=1&b=2",
        name="Sam",
        is_overdue=False,
        wellbeing_flag="",
        supervisor="None yet",
        last_held="2 April 2026",
        next_due="2 May 2026",
        last_check_in="3 April 2026",
    ),
]


@pytest.mark.parametrize("is_supervisor", [True, False])
def test_overview_rows_are_written_as_the_template_wrote_them(is_supervisor):
    template_made = ROWS_TEMPLATE.render(Context({"rows": ROWS, "is_supervisor": is_supervisor}))
    assert elements(supervision_rows(ROWS, is_supervisor)) == elements(template_made)


def test_a_page_past_the_last_shows_the_last(client_for, coordinator, four_mentors):  # noqa: F811
    client = client_for(coordinator)
    first = client.get(reverse("mentors:supervision"))
    for number in ("9", "0", "-1"):
        page = client.get(reverse("mentors:supervision"), {"page": number})
        assert page.context["rows"] == first.context["rows"]
        assert page.context["overdue_count"] == 3
    assert client.get(reverse("mentors:supervision"), {"page": "x"}).context["page"].number == 1


def test_overview_rows_carry_each_mentors_figures(client_for, coordinator, four_mentors):  # noqa: F811
    ana, ben = four_mentors[:2]
    WellbeingCheckIn.objects.create(profile=ben, coping=1, load=5, wants_support=True)
    response = client_for(coordinator).get(reverse("mentors:supervision"))
    rows = {row.name: row for row in response.context["rows"]}
    today = timezone.localdate()
    assert rows["Cy"].last_held == "Not yet"
    assert rows["Ana"].next_due == _day(today - timedelta(days=10))
    assert (rows["Ben"].is_overdue, rows["Ben"].wellbeing_flag) == (False, "Asked for support")
    assert rows["Ben"].last_check_in == _day(today)
    assert rows["Ben"].supervisor == str(ben.supervisor)
    assert rows["Ana"].url == reverse("mentors:supervision_mentor", args=[ana.pk])
    assert response.context["overdue_count"] == 3 and response.context["page"].paginator.count == 4


def _day(on) -> str:
    return f"{on.day} {on:%B} {on.year}"
