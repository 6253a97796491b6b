"""Toolkit records (loaded for every test by tests/conftest.py).

``skill``: a library skill of the shared organisation ("Box breathing").
``mentor_strategy``: the shared ``mentor``'s own strategy (not in the library).
``toolkit_entry``: ``skill`` shared by ``mentor`` into ``mentee``'s toolkit during
``active_relationship``. ``community_resource``: an active, recently checked resource.
"""

from __future__ import annotations

import pytest

from toolkit.models import CommunityResource, Skill, SkillStatus, SkillTag, ToolkitEntry


@pytest.fixture
def skill(organisation) -> Skill:
    return Skill.objects.create(
        organisation=organisation,
        title="Box breathing",
        why_it_helps="Slow, even breaths tell your body it is safe to settle.",
        steps=["Breathe in for 4.", "Hold for 4.", "Breathe out for 4.", "Hold for 4."],
        minutes=3,
        tags=[SkillTag.STRESS, SkillTag.PANIC],
    )


@pytest.fixture
def mentor_strategy(organisation, mentor) -> Skill:
    return Skill.objects.create(
        organisation=organisation,
        title="The kettle pause",
        why_it_helps="Boiling the kettle gives me two minutes to step back.",
        steps=["Put the kettle on.", "Notice three sounds while it boils."],
        minutes=2,
        tags=[SkillTag.STRESS],
        status=SkillStatus.MENTOR_OWN,
        author=mentor,
    )


@pytest.fixture
def toolkit_entry(active_relationship, skill, mentor) -> ToolkitEntry:
    return ToolkitEntry.objects.create(
        person=active_relationship.mentee,
        skill=skill,
        organisation=active_relationship.organisation,
        shared_by=mentor,
        relationship=active_relationship,
    )


@pytest.fixture
def community_resource(organisation) -> CommunityResource:
    return CommunityResource.objects.create(
        organisation=organisation,
        name="Riverside Hearing Voices Group",
        offers="A friendly peer group that meets weekly.",
        who_for="Adults who hear voices",
        area="Riverside",
        opening_times="Tuesdays 6-8pm",
    )
