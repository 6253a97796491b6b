"""The progress pages: who may open each one, what the mentee sees (calm words, never a
clinical band name) and what staff see (bands, flags, change), programme figures with small
groups withheld, the home page cards, and pinned query counts that do not grow with data."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from outcomes.dashboard import mentee_card, staff_card
from outcomes.models import RequestStatus
from outcomes.selectors import GROUP_WITHHELD
from tests.conftest import make_member
from tests.mentoring.access import EVERYONE_INVOLVED, PEOPLE, STAFF, check_page, client_as
from tests.outcomes.fixtures import make_request, make_response
from tests.outcomes.test_selectors import days_ago, phq, who

pytestmark = pytest.mark.django_db

SEVERE_WORDS = re.compile(r"\b(moderately severe|severe)\b", re.IGNORECASE)
SELF_HARM_FLAG = "Thoughts of being better off dead"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def history(active_relationship):
    """Sam's PHQ-9: 21 (severe) two months ago, 16, then 9 last week; one WHO-5."""
    mentee = active_relationship.mentee
    for days, total in ((60, 21), (30, 16), (7, 9)):
        make_response(
            mentee,
            "phq9",
            phq(total - 1) if days == 60 else phq(total),
            relationship=active_relationship,
            completed_at=days_ago(days),
        )
    make_response(mentee, "who5", who(15), relationship=active_relationship)
    return active_relationship


def add_responses(relationship, how_many: int) -> None:
    for day in range(how_many):
        make_response(
            relationship.mentee,
            "phq9",
            phq(day % 20),
            relationship=relationship,
            completed_at=days_ago(100 + day),
        )
        make_response(
            relationship.mentee,
            "gad7",
            [day % 4] * 7,
            relationship=relationship,
            completed_at=days_ago(100 + day),
        )


# Access ------------------------------------------------------------------------------------------

# "/outcomes/" and the programme page show each person their own (or their organisation's).
ROUTES = {
    "/outcomes/": ["mentee", "other_mentee"],
    "/outcomes/people/{mentee}/": ["mentor", "supervisor", *STAFF],
    "/outcomes/relationships/{relationship}/": EVERYONE_INVOLVED,
    "/outcomes/programme/": [*STAFF, "other_org_coordinator"],
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("route", list(ROUTES))
def test_page_access(route, person, request, client_for, history):
    url = route.format(mentee=history.mentee_id, relationship=history.pk)
    response = client_as(person, request, client_for).get(url)
    if route.startswith("/outcomes/people/") and person == "mentee":
        assert response.status_code == 302 and response.url == "/outcomes/"
        return
    check_page(response, person, ROUTES[route])


def test_pages_of_ones_own_show_nothing_of_anyone_else(
    client_for, other_mentee, other_org_coordinator, history
):
    page = text_of(client_for(other_mentee).get("/outcomes/"))
    assert "Nothing here yet" in page and 'role="img"' not in page
    elsewhere = text_of(client_for(other_org_coordinator).get("/outcomes/programme/"))
    assert "PHQ-9" not in elsewhere and "No questionnaires are in use yet" in elsewhere


def test_pages_only_answer_get(client_for, mentee, coordinator, history):
    assert client_for(mentee).post("/outcomes/").status_code == 405
    assert client_for(coordinator).post("/outcomes/programme/").status_code == 405


def test_a_mentee_opening_someone_elses_person_page_gets_404(client_for, mentee, other_mentee):
    assert client_for(mentee).get(f"/outcomes/people/{other_mentee.pk}/").status_code == 404


def test_staff_cannot_open_a_person_who_is_not_a_mentee_here(
    client_for, coordinator, mentor, other_org_relationship
):
    client = client_for(coordinator)
    assert client.get(f"/outcomes/people/{mentor.pk}/").status_code == 404
    other = other_org_relationship.mentee_id
    assert client.get(f"/outcomes/people/{other}/").status_code == 404
    assert client.get("/outcomes/people/999999/").status_code == 404
    assert client.get("/outcomes/relationships/999999/").status_code == 404


def test_after_the_ending_the_mentor_sees_nothing_and_the_mentee_still_sees_theirs(
    client_for, mentor, mentee, supervisor, history, ended_relationship
):
    relationship_url = f"/outcomes/relationships/{ended_relationship.pk}/"
    assert client_for(mentor).get(relationship_url).status_code == 404
    assert client_for(mentor).get(f"/outcomes/people/{mentee.pk}/").status_code == 404
    page = client_for(mentee).get(relationship_url)
    assert page.status_code == 200
    assert "Your questionnaires" in text_of(page)
    assert client_for(supervisor).get(relationship_url).status_code == 200


# What the mentee sees ----------------------------------------------------------------------------


def test_the_mentee_sees_a_chart_a_table_and_plain_words(client_for, mentee, history):
    page = text_of(client_for(mentee).get("/outcomes/"))
    assert "<h1" in page and page.count("<h1") == 1
    assert page.count('role="img"') == 2  # PHQ-9 and WHO-5
    assert "Your latest score" in page and "<strong>9</strong> out of 27" in page
    assert "Some of these difficulties, some of the time." in page  # the mild band's words
    assert "improved</strong> by more than everyday ups and downs" in page
    assert "Lower scores mean fewer difficulties" in page
    assert "Higher scores mean better wellbeing" in page
    assert "<caption>Your PHQ-9 scores, newest first</caption>" in page
    assert page.count(">Answers<span") == 4  # one link per response
    assert "developed by Drs. Robert L. Spitzer" in page  # attribution
    assert "Psychiatric Research Unit" in page


def test_the_mentee_never_sees_clinical_band_names_or_flags(client_for, mentee, history):
    make_response(
        mentee,
        "phq9",
        [3, 3, 3, 3, 3, 3, 2, 2, 1],
        relationship=history,
        completed_at=days_ago(1),
    )
    for url in ("/outcomes/", f"/outcomes/relationships/{history.pk}/"):
        page = text_of(client_for(mentee).get(url))
        assert not SEVERE_WORDS.search(page), url
        assert SELF_HARM_FLAG not in page
        assert "Minimal" not in page and "Moderate" not in page
        assert "Things have been very hard for most of the time lately." in page


def test_staff_see_band_labels_flags_and_change(client_for, coordinator, history):
    make_response(
        history.mentee,
        "phq9",
        [3, 3, 3, 3, 3, 3, 2, 2, 1],
        relationship=history,
        completed_at=days_ago(1),
    )
    page = text_of(client_for(coordinator).get(f"/outcomes/people/{history.mentee_id}/"))
    assert "Moderately severe" in page and "Severe" in page
    assert SELF_HARM_FLAG in page
    assert "No reliable change" in page  # 21 -> 23
    assert "a change of 6 or more is reliable" in page
    assert 'class="chart-band"' in page
    assert "Samira's questionnaires" in page


def test_a_mentee_whose_scores_got_harder_is_pointed_gently_to_their_mentor_and_help(
    client_for, mentee, active_relationship
):
    make_response(
        mentee, "phq9", phq(4), relationship=active_relationship, completed_at=days_ago(30)
    )
    make_response(mentee, "phq9", phq(13), relationship=active_relationship)
    page = text_of(client_for(mentee).get("/outcomes/"))
    assert "Things look harder lately" in page
    assert "talk about this with your mentor" in page
    assert f'<a href="{reverse("get_help_now")}">see who you can contact today</a>' in page


def test_about_the_same_is_said_kindly(client_for, mentee, active_relationship):
    make_response(
        mentee, "phq9", phq(8), relationship=active_relationship, completed_at=days_ago(30)
    )
    make_response(mentee, "phq9", phq(11), relationship=active_relationship)
    page = text_of(client_for(mentee).get("/outcomes/"))
    assert "About the same as your first one." in page
    assert "harder lately" not in page


def test_with_nothing_yet_the_mentee_sees_what_questionnaires_are_for(client_for, mentee):
    page = text_of(client_for(mentee).get("/outcomes/"))
    assert "Nothing here yet" in page
    assert "They help you and your mentor see what is changing." in page
    assert "you never have to" in page
    assert 'role="img"' not in page


def test_what_is_due_has_start_and_carry_on_buttons(client_for, mentee, active_relationship):
    due = make_request(mentee, "phq9", relationship=active_relationship)
    started = make_request(mentee, "gad7", relationship=active_relationship, status="started")
    make_request(
        mentee, "who5", relationship=active_relationship, due_on=timezone.localdate() + timedelta(1)
    )
    page = text_of(client_for(mentee).get("/outcomes/"))
    assert f'href="/outcomes/requests/{due.pk}/">Start<' in page
    assert f'href="/outcomes/requests/{started.pk}/">Carry on<' in page
    assert "WHO-5" not in page  # not due yet


def test_the_mentor_can_complete_an_open_request_with_the_mentee(
    client_for, mentor, supervisor, coordinator, phq9_request, history
):
    link = f'href="/outcomes/requests/{phq9_request.pk}/">Complete with Samira now'
    assert link in text_of(client_for(mentor).get(f"/outcomes/people/{history.mentee_id}/"))
    assert link in text_of(client_for(mentor).get(f"/outcomes/relationships/{history.pk}/"))
    for person in (supervisor, coordinator):
        page = text_of(client_for(person).get(f"/outcomes/people/{history.mentee_id}/"))
        assert "Open now" in page and "Complete with" not in page


def test_only_staff_see_the_form_to_ask_for_a_questionnaire(
    client_for, mentor, supervisor, coordinator, phq9, gad7, who5, history
):
    url = f"/outcomes/people/{history.mentee_id}/"
    page = text_of(client_for(coordinator).get(url))
    assert f'action="/outcomes/people/{history.mentee_id}/ask/"' in page
    assert "Ask them to complete it" in page
    for instrument in (phq9, gad7, who5):
        assert f'<option value="{instrument.pk}">{instrument.short_name}</option>' in page
    for person in (mentor, supervisor):
        assert "Ask them to complete it" not in text_of(client_for(person).get(url))


def test_a_person_without_responses_is_said_so(client_for, coordinator, active_relationship):
    page = text_of(
        client_for(coordinator).get(f"/outcomes/people/{active_relationship.mentee_id}/")
    )
    assert "Samira has not completed a questionnaire yet." in page


def test_the_relationship_section_is_inside_the_relationship_layout(
    client_for, mentor, mentee, history
):
    page = text_of(client_for(mentor).get(f"/outcomes/relationships/{history.pk}/"))
    assert 'aria-label="This mentoring"' in page
    assert 'aria-current="page">Questionnaires<' in page
    assert "Samira's questionnaires" in page and "Moderately severe" in page
    mine = text_of(client_for(mentee).get(f"/outcomes/relationships/{history.pk}/"))
    assert "Your questionnaires" in mine and not SEVERE_WORDS.search(mine)


# Programme ---------------------------------------------------------------------------------------


def programme_people(organisation, how_many: int, start: int = 0):
    for n in range(start, start + how_many):
        person = make_member(organisation, Role.MENTEE, f"programme{n}@example.org")
        make_response(person, "phq9", phq(18), completed_at=days_ago(60))
        make_response(person, "phq9", phq(9), completed_at=days_ago(3))
        make_request(person, "phq9", status=RequestStatus.COMPLETED)


def test_the_programme_page_withholds_groups_of_fewer_than_five(
    client_for, coordinator, organisation, phq9
):
    programme_people(organisation, 4)
    page = text_of(client_for(coordinator).get("/outcomes/programme/"))
    assert GROUP_WITHHELD in page
    assert "Mean first score" not in page
    assert "fewer than 5 requests to count, so not shown" in page  # completion of 4


def test_the_programme_page_shows_figures_from_five_people(client_for, admin, organisation, phq9):
    programme_people(organisation, 5)
    page = text_of(client_for(admin).get("/outcomes/programme/"))
    assert GROUP_WITHHELD not in page
    assert "Mean first score" in page and "18.0" in page and "-9.0" in page
    assert "5 (100%)" in page
    assert 'class="chart chart-bars"' in page
    assert "5 of 5 requests answered (100%)" in page  # completion
    assert "Scores are totals from 0 to 27; lower scores are better." in page
    assert "developed by Drs. Robert L. Spitzer" in page
    assert "Reliable change: 6 points or more. Clinical range: a total of 10 or more." in page
    assert "Thresholds and their sources" in page
    assert "NHS Talking Therapies" in page


# Query counts ------------------------------------------------------------------------------------


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("person", "url", "most"),
    [
        ("mentee", "/outcomes/", 5),
        ("mentee", "/outcomes/relationships/{relationship}/", 6),
        ("mentor", "/outcomes/people/{mentee}/", 9),
        ("mentor", "/outcomes/relationships/{relationship}/", 8),
        # Staff and supervisors: one more for the urgent safeguarding banner.
        ("coordinator", "/outcomes/people/{mentee}/", 10),
        ("supervisor", "/outcomes/relationships/{relationship}/", 8),
    ],
)
def test_person_pages_take_a_fixed_number_of_queries(
    person, url, most, request, client_for, history, phq9_request, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(person))
    url = url.format(mentee=history.mentee_id, relationship=history.pk)
    with django_assert_max_num_queries(most):
        client.get(url)
    before = queries_for(client, url)
    add_responses(history, 15)
    make_request(history.mentee, "gad7", relationship=history, occasion="extra")
    assert queries_for(client, url) == before


def test_the_programme_page_takes_a_fixed_number_of_queries(
    client_for, coordinator, organisation, phq9, gad7, django_assert_max_num_queries
):
    client = client_for(coordinator)
    programme_people(organisation, 5)
    with django_assert_max_num_queries(8):  # 7, and the urgent safeguarding banner
        client.get("/outcomes/programme/")
    before = queries_for(client, "/outcomes/programme/")
    programme_people(organisation, 10, start=10)
    assert queries_for(client, "/outcomes/programme/") == before


# Home page cards ---------------------------------------------------------------------------------


def test_the_mentee_card_lists_what_is_due_and_is_empty_otherwise(
    mentee, organisation, active_relationship, django_assert_num_queries
):
    assert render_to_string("outcomes/_dashboard_mentee.html", mentee_card(mentee)).strip() == ""
    due = make_request(mentee, "phq9", relationship=active_relationship)
    with django_assert_num_queries(1):
        context = mentee_card(mentee, organisation)
    html = render_to_string("outcomes/_dashboard_mentee.html", context)
    assert f'href="/outcomes/requests/{due.pk}/">Start' in html
    assert "A short questionnaire for you" in html


def test_the_staff_card_counts_the_last_30_days(
    coordinator, organisation, active_relationship, other_relationship, django_assert_num_queries
):
    mentee = active_relationship.mentee
    make_response(mentee, "phq9", phq(5))
    make_response(mentee, "phq9", phq(5), completed_at=days_ago(45))
    make_request(mentee, "phq9", relationship=active_relationship)
    make_request(
        other_relationship.mentee,
        "gad7",
        relationship=other_relationship,
        status=RequestStatus.EXPIRED,
        due_on=timezone.localdate() - timedelta(days=30),
    )
    make_request(
        other_relationship.mentee,
        "who5",
        relationship=other_relationship,
        status=RequestStatus.EXPIRED,
        due_on=timezone.localdate() - timedelta(days=90),
    )
    with django_assert_num_queries(2):
        context = staff_card(organisation)
    counts = context["questionnaires"]
    assert (counts.completed_recently, counts.open_now, counts.closed_unanswered_recently) == (
        1,
        1,
        1,
    )
    html = render_to_string("outcomes/_dashboard_staff.html", context)
    assert 'href="/outcomes/programme/"' in html


def test_programme_figures_are_kept_a_few_minutes(client_for, coordinator, monkeypatch):
    from django.core.cache import cache

    from outcomes.views import progress

    worked_out = []

    def counting(organisation):
        worked_out.append(organisation)
        return []

    monkeypatch.setattr(progress, "programme_change", counting)
    client = client_for(coordinator)
    first = client.get("/outcomes/programme/")
    assert "Worked out at" in first.content.decode()
    client.get("/outcomes/programme/")
    assert len(worked_out) == 1  # the second visit shows the kept figures
    cache.clear()
    client.get("/outcomes/programme/")
    assert len(worked_out) == 2
