"""The wellbeing plan the mentee keeps shows "Skills from my toolkit" (most helpful first) and
"Places and people that can help" (resources recommended to them), on the plan page and the
printable copy, through the plan's registry of extras: mentoring never imports the toolkit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import timezone

from mentoring.services import plans
from mentoring.services.plans import PlanExtra, plan_extras
from toolkit import plan as toolkit_plan
from toolkit.models import CommunityResource, Practice, Skill, ToolkitEntry
from toolkit.services.resources import resource_recommend

pytestmark = pytest.mark.django_db

PLAN = "/mentoring/{pk}/plan/"
PRINT = "/mentoring/{pk}/plan/print/"
MENTORING = Path(plans.__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def registered(monkeypatch):
    """The toolkit's parts, registered as ToolkitConfig.ready does, without leaking a changed
    registry into other tests."""
    monkeypatch.setattr(plans, "PLAN_EXTRAS", [])
    toolkit_plan.register()
    toolkit_plan.register()  # twice is harmless
    assert [toolkit_plan.skills_extra, toolkit_plan.resources_extra] == plans.PLAN_EXTRAS


def add_skill(organisation, mentee, title: str, ratings: list[int]) -> ToolkitEntry:
    skill = Skill.objects.create(
        organisation=organisation,
        title=title,
        why_it_helps=f"Why {title} helps",
        steps=[f"First step of {title}", f"Second step of {title}"],
        minutes=5,
    )
    entry = ToolkitEntry.objects.create(person=mentee, skill=skill, organisation=organisation)
    for rating in ratings:
        Practice.objects.create(entry=entry, helpfulness=rating)
    return entry


@pytest.fixture
def toolkit(organisation, mentee, active_relationship):
    add_skill(organisation, mentee, "Worry time", [2, 3])
    add_skill(organisation, mentee, "Grounding", [5, 4])
    add_skill(organisation, mentee, "Untried skill", [])
    removed = add_skill(organisation, mentee, "Removed skill", [5])
    removed.removed_at = timezone.now()
    removed.save(update_fields=["removed_at"])


@pytest.fixture
def recommended(mentor, mentee, active_relationship, community_resource):
    CommunityResource.objects.filter(pk=community_resource.pk).update(
        phone="0800 222", website="https://voices.example.org"
    )
    community_resource.refresh_from_db()
    resource_recommend(
        actor=mentor, resource=community_resource, person=mentee, note="Tuesday is friendly"
    )
    return community_resource


def order(page: str, *titles: str) -> list[int]:
    return [page.index(title) for title in titles]


def test_mentoring_does_not_import_the_toolkit():
    for path in MENTORING.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("toolkit"), path
            elif isinstance(node, ast.Import):
                assert not any(alias.name.startswith("toolkit") for alias in node.names), path


def test_without_contributors_the_plan_has_no_extras(monkeypatch, active_relationship):
    monkeypatch.setattr(plans, "PLAN_EXTRAS", [])
    assert plan_extras(active_relationship) == []


def test_a_contributor_with_nothing_to_add_is_left_out(active_relationship):
    assert plan_extras(active_relationship) == []


def test_the_extras_come_in_order(toolkit, recommended, active_relationship):
    extras = plan_extras(active_relationship)
    assert [extra.title for extra in extras] == [
        "Skills from my toolkit",
        "Places and people that can help",
    ]
    assert all(isinstance(extra, PlanExtra) for extra in extras)
    skills = [entry.skill.title for entry in extras[0].context["entries"]]
    assert skills == ["Grounding", "Worry time", "Untried skill"]


def test_each_contributor_costs_one_query(
    toolkit, recommended, active_relationship, django_assert_num_queries
):
    with django_assert_num_queries(1):
        toolkit_plan.skills_extra(active_relationship)
    with django_assert_num_queries(1):
        toolkit_plan.resources_extra(active_relationship)


def test_the_plan_page_shows_the_mentees_skills_and_places(
    client_for, mentee, toolkit, recommended, active_relationship
):
    page = client_for(mentee).get(PLAN.format(pk=active_relationship.pk)).content.decode()
    assert "Skills from my toolkit" in page
    assert "Self-help to keep using, not treatment." in page
    assert order(page, "Grounding", "Worry time", "Untried skill") == sorted(
        order(page, "Grounding", "Worry time", "Untried skill")
    )
    assert "Removed skill" not in page
    assert "helpfulness 4.5 out of 5" in page
    assert "not tried yet" in page
    assert "Places and people that can help" in page
    assert recommended.name in page
    assert "Tuesday is friendly" in page
    assert 'href="tel:0800222"' in page
    assert 'rel="noopener noreferrer"' in page
    assert page.index("Places and people that can help") < page.index("If things get hard")


def test_the_printable_plan_carries_them_with_the_steps(
    client_for, mentee, toolkit, recommended, active_relationship
):
    page = client_for(mentee).get(PRINT.format(pk=active_relationship.pk)).content.decode()
    assert "Skills from my toolkit" in page
    assert "First step of Grounding" in page
    assert "Places and people that can help" in page
    assert recommended.name in page
    assert "0800 222" in page
    assert "https://voices.example.org" in page


def test_the_mentor_sees_them_while_mentoring_lasts(
    client_for, mentor, toolkit, recommended, active_relationship
):
    page = client_for(mentor).get(PLAN.format(pk=active_relationship.pk)).content.decode()
    assert "Skills from my toolkit" in page
    assert recommended.name in page


def test_staff_reading_the_plan_do_not_see_the_personal_toolkit(
    client_for, coordinator, toolkit, recommended, active_relationship
):
    page = client_for(coordinator).get(PLAN.format(pk=active_relationship.pk)).content.decode()
    assert "Skills from my toolkit" not in page
    assert "Grounding" not in page
    assert recommended.name in page


def test_after_the_ending_the_mentee_keeps_them(
    client_for, mentee, toolkit, recommended, ended_relationship
):
    client = client_for(mentee)
    for url in (PLAN, PRINT):
        page = client.get(url.format(pk=ended_relationship.pk)).content.decode()
        assert "Grounding" in page
        assert recommended.name in page


def test_html_in_skills_and_resources_is_shown_as_text(
    client_for, mentee, mentor, organisation, active_relationship
):
    add_skill(organisation, mentee, "<script>alert(1)</script>", [3])
    resource = CommunityResource.objects.create(
        organisation=organisation,
        name="<img src=x onerror=alert(2)>",
        offers="<b>bold</b>",
        who_for="x",
        phone="1",
    )
    resource_recommend(actor=mentor, resource=resource, person=mentee, note="<i>hi</i>")
    for url in (PLAN, PRINT):
        page = client_for(mentee).get(url.format(pk=active_relationship.pk)).content.decode()
        assert "<script>alert(1)" not in page
        assert "<img src=x" not in page
        assert "<b>bold" not in page and "<i>hi" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_plan_page_takes_the_same_queries_however_much_is_in_the_toolkit(
    client_for,
    mentee,
    organisation,
    active_relationship,
    community_resource,
    mentor,
    django_assert_num_queries,
):
    client = client_for(mentee)
    url = PLAN.format(pk=active_relationship.pk)
    add_skill(organisation, mentee, "One", [3])
    resource_recommend(actor=mentor, resource=community_resource, person=mentee)
    client.get(url)
    with django_assert_num_queries(10):
        client.get(url)
    for number in range(5):
        add_skill(organisation, mentee, f"Skill {number}", [number % 5 + 1])
        extra = CommunityResource.objects.create(
            organisation=organisation, name=f"Place {number}", offers="x", who_for="y", phone="1"
        )
        resource_recommend(actor=mentor, resource=extra, person=mentee)
    with django_assert_num_queries(10):
        client.get(url)
