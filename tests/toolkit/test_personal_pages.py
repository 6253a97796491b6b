"""The mentee's toolkit pages and the relationship's Toolkit section: who may open and use each
one, what each person sees (the mentor never sees the mentee's notes), errors kept next to the
fields with what was typed, double-clicks, and pinned query counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.mentoring.access import PEOPLE, check_page, client_as
from toolkit.models import Practice, Skill, SkillStatus, ToolkitEntry, ToolkitPreferences
from toolkit.services.practice import HELPFULNESS_REQUIRED, practice_log

pytestmark = pytest.mark.django_db

NOTE = "Did it at the bus stop and felt calmer"
RISKY = "Honestly I want to kill myself"
MENTEES = ["mentee", "other_mentee"]


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def entry_url(entry, tail=""):
    return f"/toolkit/entries/{entry.pk}/{tail}"


def make_entry(person, title, organisation, **fields) -> ToolkitEntry:
    skill = Skill.objects.create(
        organisation=organisation,
        title=title,
        why_it_helps="It can help.",
        steps=["Do it."],
        minutes=5,
    )
    return ToolkitEntry.objects.create(
        person=person, skill=skill, organisation=organisation, **fields
    )


@pytest.fixture
def practised(toolkit_entry, mentee):
    practice_log(actor=mentee, entry=toolkit_entry, helpfulness=4, note=NOTE)
    practice_log(actor=mentee, entry=toolkit_entry, helpfulness=5)
    return toolkit_entry


# Access ----------------------------------------------------------------------------------------

PAGES = {
    "/toolkit/": MENTEES,
    "/toolkit/entries/{entry}/": ["mentee", "mentor"],
    "/toolkit/preferences/": MENTEES,
    "/toolkit/relationships/{relationship}/": ["mentee", "mentor", "coordinator", "admin"],
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", list(PAGES))
def test_page_access(path, person, request, client_for, active_relationship, toolkit_entry):
    url = path.format(entry=toolkit_entry.pk, relationship=active_relationship.pk)
    check_page(client_as(person, request, client_for).get(url), person, PAGES[path])


ACTIONS = {
    # path: (who may, the form)
    "/toolkit/entries/{entry}/": (["mentee"], {"helpfulness": "4", "client_key": "a"}),
    "/toolkit/entries/{entry}/remove/": (["mentee"], {}),
    "/toolkit/preferences/": (MENTEES, {"weekly_nudge": ""}),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", list(ACTIONS))
def test_action_access(path, person, request, client_for, toolkit_entry):
    allowed, form = ACTIONS[path]
    response = client_as(person, request, client_for).post(
        path.format(entry=toolkit_entry.pk), form
    )
    check_page(response, person, allowed, ok=302)
    toolkit_entry.refresh_from_db()
    if person not in allowed:
        assert not Practice.objects.exists()
        assert toolkit_entry.removed_at is None
        assert not ToolkitPreferences.objects.filter(weekly_nudge=False).exists()


READ_ONLY = ["/toolkit/", "/toolkit/relationships/{relationship}/", "/toolkit/insights/"]


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", READ_ONLY)
def test_pages_that_only_show_refuse_a_post(path, person, request, client_for, active_relationship):
    url = path.format(relationship=active_relationship.pk)
    response = client_as(person, request, client_for).post(url)
    if person == "anonymous":
        check_page(response, person, [])
    else:
        assert response.status_code == 405


@pytest.mark.parametrize("person", ["mentee", "mentor", "coordinator"])
def test_removing_is_only_a_post(person, request, client_for, toolkit_entry):
    response = client_as(person, request, client_for).get(entry_url(toolkit_entry, "remove/"))
    assert response.status_code == 405
    toolkit_entry.refresh_from_db()
    assert toolkit_entry.removed_at is None


def test_the_mentor_loses_the_entry_when_mentoring_ends(
    client_for, mentor, toolkit_entry, ended_relationship
):
    assert client_for(mentor).get(entry_url(toolkit_entry)).status_code == 404


def test_a_removed_entry_or_an_unknown_one_is_a_404(client_for, mentee, mentor, toolkit_entry):
    client = client_for(mentee)
    assert client.get("/toolkit/entries/999999/").status_code == 404
    client.post(entry_url(toolkit_entry, "remove/"))
    assert client.get(entry_url(toolkit_entry)).status_code == 404
    assert client_for(mentor).get(entry_url(toolkit_entry)).status_code == 404


def test_another_mentors_mentee_is_not_theirs(client_for, other_mentor, toolkit_entry):
    assert client_for(other_mentor).get(entry_url(toolkit_entry)).status_code == 404


# The toolkit page --------------------------------------------------------------------------------


def test_the_toolkit_sorts_what_helps_first_with_words_and_stars(
    client_for, mentee, organisation, practised
):
    untried = make_entry(mentee, "Worry time", organisation)
    meh = make_entry(mentee, "Thought record", organisation)
    practice_log(actor=mentee, entry=meh, helpfulness=2)

    page = text_of(client_for(mentee).get("/toolkit/"))

    assert "<h1" in page and page.count("<h1") == 1
    assert page.index("Box breathing") < page.index("Thought record") < page.index("Worry time")
    words = re.sub(r"<[^>]+>", "", page)
    assert "Tried twice · ★★★★★ usually helps a lot" in words
    assert '<span aria-hidden="true" class="stars">★★★★★</span>' in page
    assert "Tried once" in page and "helped a little" in page
    assert "Not tried yet" in page
    assert "self-help" in page and "not treatment" in page
    assert f'href="{entry_url(untried)}"' in page
    assert 'href="/toolkit/recommended/"' in page
    assert 'href="/toolkit/preferences/"' in page
    assert "Weekly ideas by email: on" in page


def test_each_quick_form_has_its_own_field_ids(client_for, mentee, organisation, toolkit_entry):
    other = make_entry(mentee, "Worry time", organisation)
    page = client_for(mentee).get("/toolkit/").content.decode()
    ids = re.findall(r'\sid="(id_[^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert f'id="id_entry{toolkit_entry.pk}_helpfulness_0"' in page
    assert f'id="id_entry{other.pk}_note"' in page
    assert page.count('name="client_key"') == 2


def test_an_empty_toolkit_explains_how_skills_arrive(client_for, other_mentee):
    page = text_of(client_for(other_mentee).get("/toolkit/"))
    assert "Nothing in your toolkit yet" in page
    assert "Your mentor can share skills with you" in page
    assert 'href="/toolkit/skills/"' in page


def test_titles_are_escaped(client_for, mentee, organisation):
    make_entry(mentee, "<script>alert(1)</script>", organisation)
    page = client_for(mentee).get("/toolkit/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_logging_from_the_toolkit_goes_back_to_the_skill_there(client_for, mentee, toolkit_entry):
    client = client_for(mentee)
    response = client.post(
        entry_url(toolkit_entry),
        {"helpfulness": "5", "note": NOTE, "client_key": "k", "return_to": "toolkit"},
    )
    assert response.status_code == 302
    assert response.url == f"/toolkit/#entry-{toolkit_entry.pk}"
    practice = Practice.objects.get()
    assert practice.helpfulness == 5 and practice.note == NOTE
    page = text_of(client.get(response.url))
    assert "Noticing what helps you is a skill in itself" in page


def test_an_unknown_return_to_goes_back_to_the_entry(client_for, mentee, toolkit_entry):
    response = client_for(mentee).post(
        entry_url(toolkit_entry),
        {"helpfulness": "5", "return_to": "https://evil.example/"},
    )
    assert response.url == f"{entry_url(toolkit_entry)}#history"


# The entry page ----------------------------------------------------------------------------------


def test_the_owner_sees_the_skill_in_full_who_shared_it_and_their_history(
    client_for, mentee, practised, active_relationship
):
    ToolkitEntry.objects.filter(pk=practised.pk).update(note="Try it before sleep.")
    page = text_of(client_for(mentee).get(entry_url(practised)))

    assert "Breathe in for 4." in page and "Why it can help" in page
    assert "shared by " + active_relationship.mentor.display_name in page
    assert "Try it before sleep." in page
    assert NOTE in page and "Very helpful" in page and "Helpful" in page
    assert "I tried this" in page and "Remove from my toolkit" in page


def test_the_mentor_reads_dates_and_ratings_but_never_the_notes(client_for, mentor, practised):
    page = text_of(client_for(mentor).get(entry_url(practised)))

    assert "Breathe in for 4." in page
    assert "Very helpful" in page and "Helpful" in page
    assert timezone.localdate().strftime("%Y") in page
    assert NOTE not in page and "bus stop" not in page
    assert "Samira's toolkit" in page  # the name the mentee asked to be called
    assert "stay private" in page
    assert 'name="helpfulness"' not in page and "Remove from my toolkit" not in page


def test_the_mentor_cannot_log_for_the_mentee(client_for, mentor, toolkit_entry):
    response = client_for(mentor).post(entry_url(toolkit_entry), {"helpfulness": "5"})
    assert response.status_code == 404
    assert not Practice.objects.exists()


def test_logging_on_the_entry_page_goes_back_to_the_history_with_a_calm_message(
    client_for, mentee, toolkit_entry
):
    client = client_for(mentee)
    response = client.post(entry_url(toolkit_entry), {"helpfulness": "3", "client_key": "x"})
    assert response.url == f"{entry_url(toolkit_entry)}#history"
    page = text_of(client.get(response.url))
    assert "Saved: you tried “Box breathing”" in page and "Somewhat helpful" in page


def test_a_missing_rating_is_explained_next_to_it_and_nothing_typed_is_lost(
    client_for, mentee, toolkit_entry
):
    day = timezone.localdate() - timedelta(days=1)
    response = client_for(mentee).post(
        entry_url(toolkit_entry),
        {
            "note": NOTE,
            "practised_on": day.isoformat(),
            "client_key": "typed",
            "return_to": "toolkit",
        },
    )
    page = text_of(response)

    assert response.status_code == 200
    assert HELPFULNESS_REQUIRED in page
    assert 'href="#id_helpfulness"' in page  # the summary links to the field
    assert NOTE in page and f'value="{day.isoformat()}"' in page
    assert 'value="typed"' in page and 'name="return_to" value="toolkit"' in page
    assert not Practice.objects.exists()


def test_a_date_before_the_skill_was_added_is_explained_next_to_it(
    client_for, mentee, toolkit_entry
):
    long_ago = timezone.localdate() - timedelta(days=30)
    page = text_of(
        client_for(mentee).post(
            entry_url(toolkit_entry), {"helpfulness": "4", "practised_on": long_ago.isoformat()}
        )
    )
    assert "this skill was added to your toolkit then" in page
    assert not Practice.objects.exists()


def test_a_double_click_logs_once_and_says_so_once(client_for, mentee, toolkit_entry):
    client = client_for(mentee)
    form = {"helpfulness": "4", "client_key": "same-click"}
    client.post(entry_url(toolkit_entry), form)
    client.post(entry_url(toolkit_entry), form)

    assert Practice.objects.count() == 1
    page = text_of(client.get(entry_url(toolkit_entry)))
    assert page.count("Noticing what helps you") == 1


def test_a_risky_note_shows_where_to_get_help(client_for, mentee, toolkit_entry):
    client = client_for(mentee)
    response = client.post(entry_url(toolkit_entry), {"helpfulness": "1", "note": RISKY})
    assert "?help=serious" in response.url
    page = text_of(client.get(response.url))
    assert "If you need help now" in page
    assert "someone from the team will get in touch with you soon" in page


def test_removing_a_skill_keeps_its_log_and_says_how_to_bring_it_back(
    client_for, mentee, practised
):
    client = client_for(mentee)
    response = client.post(entry_url(practised, "remove/"))
    assert response.url == "/toolkit/"
    practised.refresh_from_db()
    assert practised.removed_at is not None and practised.practices.count() == 2
    page = text_of(client.get("/toolkit/"))
    assert "is no longer in your toolkit" in page and "Nothing in your toolkit yet" in page


# Preferences -------------------------------------------------------------------------------------


def test_the_mentee_turns_weekly_ideas_off_and_on(client_for, mentee):
    client = client_for(mentee)
    page = text_of(client.get("/toolkit/preferences/"))
    assert "checked" in page and "once a week" in page.lower()

    response = client.post("/toolkit/preferences/", {})
    assert response.status_code == 302
    assert ToolkitPreferences.objects.get(person=mentee).weekly_nudge is False
    page = text_of(client.get("/toolkit/preferences/"))
    assert "We will not send you weekly ideas" in page
    assert 'name="weekly_nudge" checked' not in page

    client.post("/toolkit/preferences/", {"weekly_nudge": "on"})
    assert ToolkitPreferences.objects.get(person=mentee).weekly_nudge is True


# The relationship's Toolkit section --------------------------------------------------------------


@pytest.fixture
def saved_by_mentee(mentee, organisation):
    return make_entry(mentee, "Worry time", organisation)


def test_the_mentor_sees_the_toolkit_and_how_it_goes_without_notes(
    client_for, mentor, active_relationship, practised, saved_by_mentee
):
    page = text_of(client_for(mentor).get(f"/toolkit/relationships/{active_relationship.pk}/"))

    assert "Samira's toolkit" in page
    shared, others = page.split("Other skills in their toolkit")
    assert "Box breathing" in shared and "Tried twice" in shared and "usually helps a lot" in shared
    assert "Worry time" in others and "Not tried yet" in others
    assert NOTE not in page
    assert 'href="/toolkit/skills/"' in page
    assert "Mentoring Samira" in page  # inside the relationship layout


def test_the_mentee_is_pointed_to_their_full_toolkit(
    client_for, mentee, active_relationship, practised
):
    page = text_of(client_for(mentee).get(f"/toolkit/relationships/{active_relationship.pk}/"))
    assert "Your toolkit" in page and 'href="/toolkit/"' in page
    assert NOTE not in page
    assert "Share a skill from the library" not in page


def test_staff_see_what_was_shared_but_not_how_it_goes(
    client_for, coordinator, active_relationship, practised, saved_by_mentee
):
    page = text_of(client_for(coordinator).get(f"/toolkit/relationships/{active_relationship.pk}/"))
    assert "Box breathing" in page
    assert "Worry time" not in page  # saved by the mentee themselves, not shared here
    assert "Tried" not in page and "helps" not in page and NOTE not in page
    assert "Share a skill" not in page


def test_the_mentee_keeps_the_section_after_mentoring_ends(
    client_for, mentee, mentor, ended_relationship, practised
):
    url = f"/toolkit/relationships/{ended_relationship.pk}/"
    assert "Box breathing" in text_of(client_for(mentee).get(url))
    assert client_for(mentor).get(url).status_code == 404


# Query counts ------------------------------------------------------------------------------------


def _fill(mentee, organisation, count):
    for number in range(count):
        entry = make_entry(mentee, f"Skill {number} {timezone.now().timestamp()}", organisation)
        practice_log(actor=mentee, entry=entry, helpfulness=number % 5 + 1, note="n")


# Session, user, membership, the toolkit (one query), the preferences. The same however many
# skills are in it.
TOOLKIT_QUERIES = 5


def test_the_toolkit_costs_the_same_for_one_or_many_skills(
    client_for, mentee, organisation, django_assert_num_queries
):
    client = client_for(mentee)
    _fill(mentee, organisation, 1)
    client.get("/toolkit/")
    with django_assert_num_queries(TOOLKIT_QUERIES):
        assert client.get("/toolkit/").status_code == 200
    _fill(mentee, organisation, 6)
    with django_assert_num_queries(TOOLKIT_QUERIES):
        assert client.get("/toolkit/").status_code == 200


@pytest.mark.parametrize("person", ["mentor", "mentee"])
def test_the_relationship_section_costs_the_same_for_one_or_many_skills(
    person,
    request,
    client_for,
    mentee,
    organisation,
    active_relationship,
    django_assert_num_queries,
):
    client = client_as(person, request, client_for)
    url = f"/toolkit/relationships/{active_relationship.pk}/"
    _fill(mentee, organisation, 1)
    client.get(url)
    with django_assert_num_queries(RELATIONSHIP_QUERIES[person]) as first:
        client.get(url)
    _fill(mentee, organisation, 6)
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


RELATIONSHIP_QUERIES = {"mentee": 5, "mentor": 6}


def test_a_skill_in_the_library_can_be_practised_after_it_is_retired(
    client_for, mentee, toolkit_entry, skill
):
    Skill.objects.filter(pk=skill.pk).update(status=SkillStatus.RETIRED)
    response = client_for(mentee).post(entry_url(toolkit_entry), {"helpfulness": "4"})
    assert response.status_code == 302 and Practice.objects.count() == 1
