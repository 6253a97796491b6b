"""The skills library pages: who may open and use each one (every person, GET and POST), what
each person sees, filters, sharing from a skill's page, stale saves keeping the typed text,
HTML injection, and a pinned query count on the list."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from mentoring.concurrency import STALE
from tests.conftest import make_member
from tests.mentoring.access import PEOPLE, STAFF, check_page, client_as
from tests.mentoring.factories import SessionFactory
from tests.mentoring.fixtures import _pair, activate
from toolkit.models import Skill, SkillKind, SkillStatus, SkillTag, ToolkitEntry

pytestmark = pytest.mark.django_db

MEMBERS = ["mentee", "other_mentee", "mentor", "other_mentor", "supervisor", *STAFF]
WRITERS = ["mentor", "other_mentor", *STAFF]
NEW_SKILL = {
    "title": "Cold water reset",
    "kind": "coping",
    "why_it_helps": "Cold water on your face can help your body calm down.",
    "steps": "Fill a bowl with cold water.\nDip your face for a few seconds.",
    "minutes": "2",
    "tags": ["panic"],
    "accessibility_notes": "",
}


def text_of(response) -> str:
    """The page's HTML with whitespace collapsed and entities (such as &#x27;) decoded."""
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def edit_form(skill: Skill, **changes) -> dict[str, object]:
    return {
        "title": skill.title,
        "kind": skill.kind,
        "why_it_helps": skill.why_it_helps,
        "steps": "\n".join(skill.steps),
        "minutes": str(skill.minutes),
        "tags": list(skill.tags),
        "accessibility_notes": skill.accessibility_notes,
        "version": str(skill.version),
        **changes,
    }


@pytest.fixture
def proposed(mentor_strategy):
    mentor_strategy.status = SkillStatus.PROPOSED
    mentor_strategy.save()
    return mentor_strategy


# Access: pages ----------------------------------------------------------------------------------

PAGES = {
    # The list and the "new" page show the person's own organisation: a coordinator elsewhere
    # sees their own (empty) library, never ours.
    "skills/": [*MEMBERS, "other_org_coordinator"],
    "skills/new/": [*WRITERS, "other_org_coordinator"],
    "skills/review/": [*STAFF, "other_org_coordinator"],
    "skills/{skill}/": MEMBERS,
    "skills/{strategy}/": ["mentor", *STAFF],
    "skills/{skill}/edit/": STAFF,
    "skills/{strategy}/edit/": ["mentor"],
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", list(PAGES))
def test_page_access(path, person, request, client_for, skill, mentor_strategy):
    url = "/toolkit/" + path.format(skill=skill.pk, strategy=mentor_strategy.pk)
    response = client_as(person, request, client_for).get(url)
    check_page(response, person, PAGES[path])
    if response.status_code == 200 and person == "other_org_coordinator":
        assert "Box breathing" not in text_of(response)
        assert "kettle pause" not in text_of(response)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(
    "path", ["skills/", "skills/review/", "skills/{skill}/", "skills/{skill}/share/"]
)
def test_the_wrong_method_changes_nothing(path, person, request, client_for, skill):
    """Pages that only show are GET-only; the share action is POST-only."""
    url = "/toolkit/" + path.format(skill=skill.pk)
    client = client_as(person, request, client_for)
    response = client.get(url) if path.endswith("share/") else client.post(url, {"q": "x"})
    if person == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response.url
    else:
        assert response.status_code == 405
    assert not ToolkitEntry.objects.exists()


def test_a_mentee_sees_a_strategy_only_while_it_is_in_their_toolkit(
    client_for, mentee, other_mentee, mentor_strategy, active_relationship, mentor
):
    url = f"/toolkit/skills/{mentor_strategy.pk}/"
    assert client_for(mentee).get(url).status_code == 404
    entry = ToolkitEntry.objects.create(
        person=mentee,
        skill=mentor_strategy,
        organisation=active_relationship.organisation,
        shared_by=mentor,
        relationship=active_relationship,
    )
    assert client_for(mentee).get(url).status_code == 200
    assert client_for(other_mentee).get(url).status_code == 404
    entry.removed_at = timezone.now()
    entry.save()
    assert client_for(mentee).get(url).status_code == 404


def test_a_retired_skill_is_seen_by_staff_and_mentees_who_have_it(
    client_for, skill, toolkit_entry, mentee, other_mentee, mentor, coordinator
):
    skill.status = SkillStatus.RETIRED
    skill.save()
    url = f"/toolkit/skills/{skill.pk}/"
    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(mentee).get(url).status_code == 200
    assert client_for(other_mentee).get(url).status_code == 404
    assert client_for(mentor).get(url).status_code == 404


def test_unknown_skills_are_404(client_for, coordinator):
    assert client_for(coordinator).get("/toolkit/skills/999999/").status_code == 404


# Access: actions --------------------------------------------------------------------------------


def _snapshot() -> tuple:
    return (
        list(Skill.objects.order_by("pk").values_list("title", "status", "version")),
        ToolkitEntry.objects.count(),
    )


ACTIONS = {
    # path: (who may, the form)
    "skills/new/": ([*WRITERS, "other_org_coordinator"], NEW_SKILL),
    "skills/{skill}/edit/": (STAFF, {"title": "Square breathing"}),
    "skills/{strategy}/edit/": (["mentor"], {"title": "The kettle break"}),
    "skills/{strategy}/status/": (["mentor"], {"action": "propose"}),
    "skills/{proposed}/status/": (STAFF, {"action": "approve"}),
    "skills/{skill}/status/": (STAFF, {"action": "retire"}),
    "skills/{skill}/share/": (["mentor"], {"mentee": "{mentee}", "note": "Try it"}),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", list(ACTIONS))
def test_action_access(
    path, person, request, client_for, skill, mentor_strategy, mentee, active_relationship
):
    allowed, form = ACTIONS[path]
    target = {"skill": skill, "strategy": mentor_strategy, "proposed": mentor_strategy}
    if "{proposed}" in path:
        mentor_strategy.status = SkillStatus.PROPOSED
        mentor_strategy.save()
    url = "/toolkit/" + path.format(**{key: value.pk for key, value in target.items()})
    if "edit/" in path:
        name = path.split("{")[1].split("}")[0]
        form = edit_form(target[name], **form)
    data = {
        key: str(value).format(mentee=mentee.pk) if isinstance(value, str) else value
        for key, value in form.items()
    }
    before = _snapshot()
    response = client_as(person, request, client_for).post(url, data)
    check_page(response, person, allowed, ok=302)
    if person not in allowed:
        assert _snapshot() == before
    else:
        assert _snapshot() != before


def test_a_mentor_cannot_suggest_another_mentors_strategy_or_use_staff_actions(
    client_for, mentor, other_mentor, mentor_strategy, skill, proposed
):
    assert (
        client_for(other_mentor)
        .post(f"/toolkit/skills/{proposed.pk}/status/", {"action": "propose"})
        .status_code
        == 404
    )
    for action in ("approve", "decline"):
        response = client_for(mentor).post(
            f"/toolkit/skills/{proposed.pk}/status/", {"action": action}
        )
        assert response.status_code == 404
    for action in ("retire", "restore", "nonsense", ""):
        response = client_for(mentor).post(
            f"/toolkit/skills/{skill.pk}/status/", {"action": action}
        )
        assert response.status_code == 404
    proposed.refresh_from_db()
    skill.refresh_from_db()
    assert proposed.status == SkillStatus.PROPOSED and skill.status == SkillStatus.LIBRARY


# The list ---------------------------------------------------------------------------------------


def test_the_library_shows_skills_with_the_self_help_note(client_for, mentee, skill):
    page = text_of(client_for(mentee).get("/toolkit/skills/"))
    assert "<h1" in page and page.count("<h1") == 1
    assert "Box breathing" in page and "about 3 minutes" in page
    assert "Stress" in page and "Panic" in page
    assert "They are not treatment. If you need urgent help, use" in page
    assert f'href="/toolkit/skills/{skill.pk}/"' in page


def test_a_mentor_sees_their_own_strategies_and_how_to_add_one(
    client_for, mentor, other_mentor, mentor_strategy, skill
):
    page = text_of(client_for(mentor).get("/toolkit/skills/"))
    assert "Your own strategies" in page and "The kettle pause" in page
    assert "Add a strategy from your experience" in page
    assert "Add a skill to the library" not in page
    other = text_of(client_for(other_mentor).get("/toolkit/skills/"))
    assert "The kettle pause" not in other and "Box breathing" in other


def test_mentees_and_supervisors_do_not_see_private_strategies_or_add_links(
    client_for, mentee, supervisor, mentor_strategy, skill
):
    for person in (mentee, supervisor):
        page = text_of(client_for(person).get("/toolkit/skills/"))
        assert "The kettle pause" not in page
        assert "Your own strategies" not in page
        assert "/toolkit/skills/new/" not in page


def test_staff_see_retired_skills_apart_and_what_waits_for_review(
    client_for, coordinator, skill, proposed, organisation
):
    Skill.objects.create(
        organisation=organisation,
        title="Old idea",
        why_it_helps="Once helped.",
        steps=["Do it."],
        minutes=5,
        status=SkillStatus.RETIRED,
    )
    page = text_of(client_for(coordinator).get("/toolkit/skills/"))
    assert "Add a skill to the library" in page
    assert "Suggested for the library (1 waiting)" in page
    library, retired = page.split("Retired skills")
    assert "Box breathing" in library and "Old idea" not in library and "Old idea" in retired
    assert "The kettle pause" not in page  # waits on the review page, not in the list


def test_a_mentee_sees_which_skills_are_in_their_toolkit(client_for, mentee, toolkit_entry):
    assert "In your toolkit" in text_of(client_for(mentee).get("/toolkit/skills/"))


@pytest.fixture
def varied(organisation):
    def make(title, why, tags, kind=SkillKind.COPING):
        return Skill.objects.create(
            organisation=organisation,
            title=title,
            why_it_helps=why,
            steps=["One step."],
            minutes=5,
            tags=tags,
            kind=kind,
        )

    return [
        make("Wind down", "Helps you rest before sleep.", [SkillTag.SLEEP], SkillKind.LIFE),
        make("Ground yourself", "Back to the here and now.", [SkillTag.PANIC]),
        make("Weekly plan", "Small things that lift you.", [SkillTag.LOW_MOOD], SkillKind.LIFE),
    ]


def test_the_library_filters_by_tag_kind_and_words_and_keeps_the_choices(
    client_for, mentor, skill, varied
):
    client = client_for(mentor)
    page = text_of(client.get("/toolkit/skills/", {"tag": "sleep"}))
    assert "Wind down" in page and "Box breathing" not in page and "Ground yourself" not in page
    assert re.search(r'<option value="sleep" selected\s*>', page)
    assert "Skills that match (1)" in page

    page = text_of(client.get("/toolkit/skills/", {"kind": "life"}))
    assert "Wind down" in page and "Weekly plan" in page and "Box breathing" not in page

    page = text_of(client.get("/toolkit/skills/", {"q": "HERE AND NOW"}))
    assert "Ground yourself" in page and "Wind down" not in page
    assert 'value="HERE AND NOW"' in page

    page = text_of(client.get("/toolkit/skills/", {"q": "zebra"}))
    assert "No skills match" in page

    page = text_of(client.get("/toolkit/skills/", {"tag": "not-a-tag"}))
    assert "Box breathing" in page and "Wind down" in page


def test_a_skill_title_with_html_is_shown_as_text(client_for, mentor, coordinator, organisation):
    hostile = Skill.objects.create(
        organisation=organisation,
        title="<script>alert(1)</script>",
        why_it_helps="<img src=x onerror=alert(2)>",
        steps=["<b>bold</b>"],
        minutes=1,
        accessibility_notes="<a href='javascript:alert(3)'>x</a>",
    )
    for url in ("/toolkit/skills/", f"/toolkit/skills/{hostile.pk}/"):
        body = client_for(mentor).get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
        assert "<img src=x" not in body
    body = client_for(mentor).get(f"/toolkit/skills/{hostile.pk}/").content.decode()
    assert "<b>bold</b>" not in body and "javascript:alert(3)'>" not in body
    body = client_for(coordinator).get(f"/toolkit/skills/{hostile.pk}/edit/").content.decode()
    assert "<script>alert(1)</script>" not in body


@pytest.mark.parametrize("person", ["mentee", "mentor", "coordinator"])
def test_the_list_takes_a_fixed_number_of_queries(
    person, request, client_for, organisation, django_assert_max_num_queries, toolkit_entry
):
    client = client_for(request.getfixturevalue(person))
    client.get("/toolkit/skills/")  # warm the session and membership caches
    for n in range(25):
        Skill.objects.create(
            organisation=organisation,
            title=f"Skill {n}",
            why_it_helps="It can help.",
            steps=["A step."],
            minutes=5,
            tags=[SkillTag.STRESS],
            status=SkillStatus.RETIRED if n % 5 == 0 else SkillStatus.LIBRARY,
        )
    with django_assert_max_num_queries(9):
        response = client.get("/toolkit/skills/", {"tag": "stress", "q": "skill"})
    assert response.status_code == 200
    assert "Skill 24" in text_of(response)


# One skill --------------------------------------------------------------------------------------


def test_the_skill_page_shows_the_skill_in_full(client_for, mentee, skill):
    skill.accessibility_notes = "Skip the holds if they are uncomfortable."
    skill.save()
    page = text_of(client_for(mentee).get(f"/toolkit/skills/{skill.pk}/"))
    assert page.count("<h1") == 1
    assert "Slow, even breaths" in page and "takes about 3 minutes" in page
    assert re.search(r"<ol[^>]*>.*Breathe in for 4.*Hold for 4.*</ol>", page)
    assert "Skip the holds" in page
    assert "They are not treatment" in page
    assert "Not in your toolkit" in page


def test_a_mentee_sees_it_is_in_their_toolkit_with_a_link(client_for, mentee, toolkit_entry):
    page = text_of(client_for(mentee).get(f"/toolkit/skills/{toolkit_entry.skill_id}/"))
    assert "In your toolkit" in page
    assert f'href="/toolkit/entries/{toolkit_entry.pk}/"' in page


def test_a_mentors_strategy_says_whose_experience_it_is(
    client_for, mentor, coordinator, mentor_strategy, mentor_profile
):
    name = mentor_profile.display_name
    page = text_of(client_for(coordinator).get(f"/toolkit/skills/{mentor_strategy.pk}/"))
    assert f"From {name}'s experience." in page
    page = text_of(client_for(mentor).get(f"/toolkit/skills/{mentor_strategy.pk}/"))
    assert "From your experience." in page and "Your own strategy" in page
    assert "Suggest it for the library" in page and "Edit your strategy" in page


def test_staff_see_the_buttons_that_fit(client_for, coordinator, skill, proposed):
    page = text_of(client_for(coordinator).get(f"/toolkit/skills/{skill.pk}/"))
    assert "Edit this skill" in page and "Retire this skill" in page
    assert "Approve for the library" not in page
    page = text_of(client_for(coordinator).get(f"/toolkit/skills/{proposed.pk}/"))
    assert "Approve for the library" in page and "Decline" in page
    assert "Retire this skill" not in page


def test_a_mentor_without_mentees_has_no_share_form(client_for, mentor, skill, mentor_profile):
    page = text_of(client_for(mentor).get(f"/toolkit/skills/{skill.pk}/"))
    assert "Share this skill" not in page
    assert "When you have a mentee" in page
    assert "Edit this skill" not in page and "Retire" not in page


# Sharing ----------------------------------------------------------------------------------------


def test_a_mentor_shares_a_skill_with_their_mentee_from_its_page(
    client_for, mentor, mentee, skill, active_relationship
):
    client = client_for(mentor)
    held = SessionFactory(
        relationship=active_relationship,
        scheduled_for=timezone.now() - timedelta(days=2),
        status="held",
    )
    old = SessionFactory(
        relationship=active_relationship, scheduled_for=timezone.now() - timedelta(days=30)
    )
    page = text_of(client.get(f"/toolkit/skills/{skill.pk}/"))
    assert "Share with Samira" in page
    assert re.search(rf'<option value="{held.pk}"\s*>', page)
    assert f'<option value="{old.pk}"' not in page
    response = client.post(
        f"/toolkit/skills/{skill.pk}/share/",
        {"mentee": mentee.pk, "session": held.pk, "note": "For Wednesday mornings"},
        follow=True,
    )
    assert "Shared. It is in Samira's toolkit now." in text_of(response)
    entry = ToolkitEntry.objects.get()
    assert entry.person == mentee and entry.session == held
    assert entry.note == "For Wednesday mornings"
    assert "Already in Samira's toolkit." in text_of(response)

    response = client.post(f"/toolkit/skills/{skill.pk}/share/", {"mentee": mentee.pk}, follow=True)
    assert "This was already in Samira's toolkit." in text_of(response)
    assert ToolkitEntry.objects.count() == 1


def test_a_mentor_with_two_mentees_chooses_who_to_share_with(
    client_for, mentor, mentee, skill, active_relationship, organisation
):
    second_mentee = make_member(organisation, Role.MENTEE, "second.mentee@example.org")
    second = activate(_pair(organisation, active_relationship.mentor, second_mentee, "Ola Second"))
    theirs = SessionFactory(relationship=second, scheduled_for=timezone.now() - timedelta(days=1))
    client = client_for(mentor)
    page = text_of(client.get(f"/toolkit/skills/{skill.pk}/"))
    assert "Share with a mentee" in page
    assert '<option value="" selected>Choose a mentee</option>' in page.replace(" >", ">")
    assert '<optgroup label="With Ola">' in page
    # A session of one mentee cannot be linked when sharing with the other.
    response = client.post(
        f"/toolkit/skills/{skill.pk}/share/",
        {"mentee": mentee.pk, "session": theirs.pk, "note": "Keep me"},
    )
    assert response.status_code == 400
    assert "Choose a session with this mentee." in text_of(response)
    client.post(
        f"/toolkit/skills/{skill.pk}/share/", {"mentee": second_mentee.pk, "session": theirs.pk}
    )
    entry = ToolkitEntry.objects.get()
    assert entry.person == second_mentee and entry.session == theirs


def test_sharing_with_someone_elses_mentee_or_after_the_end_is_a_404(
    client_for, mentor, other_mentee, other_relationship, skill, ended_relationship, mentee
):
    client = client_for(mentor)
    url = f"/toolkit/skills/{skill.pk}/share/"
    assert client.post(url, {"mentee": other_mentee.pk}).status_code == 404
    assert client.post(url, {"mentee": mentee.pk}).status_code == 404  # ended
    assert client.post(url, {"mentee": "abc"}).status_code == 404
    assert not ToolkitEntry.objects.exists()


def test_sharing_someone_elses_strategy_is_a_404(
    client_for, other_mentor, other_mentee, other_relationship, mentor_strategy
):
    response = client_for(other_mentor).post(
        f"/toolkit/skills/{mentor_strategy.pk}/share/", {"mentee": other_mentee.pk}
    )
    assert response.status_code == 404
    assert not ToolkitEntry.objects.exists()


def test_a_bad_share_is_explained_and_keeps_the_note(
    client_for, mentor, mentee, skill, active_relationship, other_relationship
):
    theirs = SessionFactory(relationship=other_relationship, scheduled_for=timezone.now())
    response = client_for(mentor).post(
        f"/toolkit/skills/{skill.pk}/share/",
        {"mentee": mentee.pk, "session": theirs.pk, "note": "Keep this note"},
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "Some answers need another look" in page
    assert "Keep this note" in page
    response = client_for(mentor).post(
        f"/toolkit/skills/{skill.pk}/share/",
        {"mentee": mentee.pk, "note": "x" * 301},
    )
    assert response.status_code == 400
    assert "300 characters" in text_of(response)
    assert not ToolkitEntry.objects.exists()


def test_sharing_without_choosing_a_mentee_is_explained(
    client_for, mentor, skill, active_relationship
):
    response = client_for(mentor).post(f"/toolkit/skills/{skill.pk}/share/", {"note": "Hi"})
    assert response.status_code == 400
    assert "Choose who to share it with." in text_of(response)


# Writing ----------------------------------------------------------------------------------------


def test_a_mentor_adds_a_strategy(client_for, mentor):
    response = client_for(mentor).post("/toolkit/skills/new/", NEW_SKILL, follow=True)
    made = Skill.objects.get()
    assert made.status == SkillStatus.MENTOR_OWN and made.author == mentor
    assert made.steps == ["Fill a bowl with cold water.", "Dip your face for a few seconds."]
    assert "Your strategy is saved" in text_of(response)


def test_staff_add_a_library_skill(client_for, coordinator):
    response = client_for(coordinator).post("/toolkit/skills/new/", NEW_SKILL, follow=True)
    assert Skill.objects.get().status == SkillStatus.LIBRARY
    assert "The skill is in the library now." in text_of(response)


def test_bad_input_is_explained_next_to_each_field_and_nothing_typed_is_lost(
    client_for, coordinator
):
    response = client_for(coordinator).post(
        "/toolkit/skills/new/",
        {**NEW_SKILL, "title": "", "steps": "\n\n", "minutes": "lots", "tags": ["nerves"]},
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Give the skill a short name." in page
    assert "Write at least one step, one step on each line." in page
    assert "Write the minutes as a whole number, such as 5." in page
    assert "Choose tags from the list." in page or "Select a valid choice" in page
    assert "Cold water on your face can help your body calm down." in page
    assert not Skill.objects.exists()


def test_a_stale_edit_is_refused_and_keeps_the_typed_text(client_for, coordinator, admin, skill):
    client_for(admin).post(
        f"/toolkit/skills/{skill.pk}/edit/", edit_form(skill, title="Square breathing")
    )
    response = client_for(coordinator).post(
        f"/toolkit/skills/{skill.pk}/edit/",
        edit_form(skill, title="My better title", version="1"),
    )
    assert response.status_code == 200
    page = text_of(response)
    assert STALE in page
    assert 'value="My better title"' in page
    assert "The latest saved version" in page and "Square breathing" in page
    assert 'name="version" value="2"' in page
    skill.refresh_from_db()
    assert skill.title == "Square breathing"
    # Saving again now counts as made against the latest version.
    client_for(coordinator).post(
        f"/toolkit/skills/{skill.pk}/edit/", edit_form(skill, title="My better title")
    )
    skill.refresh_from_db()
    assert skill.title == "My better title" and skill.version == 3


def test_the_edit_form_is_filled_in(client_for, mentor, mentor_strategy):
    page = client_for(mentor).get(f"/toolkit/skills/{mentor_strategy.pk}/edit/").content.decode()
    assert 'value="The kettle pause"' in page
    assert "Put the kettle on.\nNotice three sounds while it boils." in page


# Suggesting and reviewing -----------------------------------------------------------------------


def test_a_mentor_suggests_a_strategy_and_a_coordinator_approves_it(
    client_for, mentor, coordinator, mentor_strategy, mentee
):
    response = client_for(mentor).post(
        f"/toolkit/skills/{mentor_strategy.pk}/status/", {"action": "propose"}, follow=True
    )
    assert "A coordinator will look at your strategy" in text_of(response)
    review = text_of(client_for(coordinator).get("/toolkit/skills/review/"))
    assert "The kettle pause" in review and "Suggested by" in review
    response = client_for(coordinator).post(
        f"/toolkit/skills/{mentor_strategy.pk}/status/",
        {"action": "approve", "next": "review"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/toolkit/skills/review/"
    assert "The strategy is in the library now." in text_of(response)
    assert "Nothing is waiting" in text_of(response)
    assert "The kettle pause" in text_of(client_for(mentee).get("/toolkit/skills/"))


def test_a_coordinator_declines_a_suggestion(client_for, coordinator, proposed, mentee):
    client_for(coordinator).post(
        f"/toolkit/skills/{proposed.pk}/status/", {"action": "decline", "next": "review"}
    )
    proposed.refresh_from_db()
    assert proposed.status == SkillStatus.MENTOR_OWN
    assert "The kettle pause" not in text_of(client_for(mentee).get("/toolkit/skills/"))


def test_a_refused_status_change_is_explained(client_for, coordinator, mentor_strategy):
    response = client_for(coordinator).post(
        f"/toolkit/skills/{mentor_strategy.pk}/status/", {"action": "approve"}, follow=True
    )
    assert "Only a strategy suggested for the library can be approved." in text_of(response)


def test_staff_retire_and_restore_from_the_skill_page(client_for, coordinator, skill, mentor):
    client = client_for(coordinator)
    client.post(f"/toolkit/skills/{skill.pk}/status/", {"action": "retire"})
    skill.refresh_from_db()
    assert skill.status == SkillStatus.RETIRED
    assert "Box breathing" not in text_of(client_for(mentor).get("/toolkit/skills/"))
    page = text_of(client.get(f"/toolkit/skills/{skill.pk}/"))
    assert "Bring it back to the library" in page
    client.post(f"/toolkit/skills/{skill.pk}/status/", {"action": "restore"})
    skill.refresh_from_db()
    assert skill.status == SkillStatus.LIBRARY
