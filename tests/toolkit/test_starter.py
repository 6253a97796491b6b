"""The starter library: enough skills, every field valid, every tag used, warm wording that
makes no clinical claims, and loading that is safe to repeat."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from toolkit.models import Skill, SkillKind, SkillStatus, SkillTag
from toolkit.services.skills import skills_load_starter
from toolkit.starter import STARTER_PATH, StarterLibraryError, load_starter_skills

COVERED = [
    "box-breathing",
    "grounding-5-4-3-2-1",
    "worry-time",
    "wind-down-routine",
    "task-into-steps",
    "weekly-activity-plan",
    "reach-out-to-one-person",
    "simple-thought-record",
    "mindful-walk",
]
CLINICAL = re.compile(r"\b(treat\w*|cure\w*|therap\w*|diagnos\w*|heal\w*|guarantee\w*)\b", re.I)


def test_there_are_at_least_fifteen_starter_skills_covering_the_basics():
    skills = load_starter_skills()
    assert len(skills) >= 15
    keys = {skill.key for skill in skills}
    assert set(COVERED) <= keys
    assert len(keys) == len(skills)


def test_every_starter_skill_is_complete_and_valid():
    for skill in load_starter_skills():
        assert skill.title and len(skill.title) <= 120, skill.key
        assert skill.kind in SkillKind.values, skill.key
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", skill.why_it_helps) if s]
        assert 1 <= len(sentences) <= 3, skill.key
        assert len(skill.why_it_helps) <= 600, skill.key
        assert 3 <= len(skill.steps) <= 7, skill.key
        assert all(step.strip() for step in skill.steps), skill.key
        assert 1 <= skill.minutes <= 60, skill.key
        assert skill.tags and set(skill.tags) <= set(SkillTag.values), skill.key
        assert skill.accessibility_notes, skill.key


def test_every_tag_and_both_kinds_are_used():
    skills = load_starter_skills()
    assert {tag for skill in skills for tag in skill.tags} == set(SkillTag.values)
    assert {skill.kind for skill in skills} == set(SkillKind.values)


def test_the_wording_is_warm_and_makes_no_clinical_claims():
    for skill in load_starter_skills():
        words = " ".join([skill.title, skill.why_it_helps, *skill.steps, skill.accessibility_notes])
        assert not CLINICAL.search(words), f"{skill.key}: {CLINICAL.search(words)}"
        assert re.search(r"\byou(r)?\b", words, re.I), f"{skill.key} is not written to the reader"
        assert "can help" in skill.why_it_helps.lower() or "can " in skill.why_it_helps.lower()


def test_a_bad_starter_file_fails_loudly(tmp_path):
    entry = json.loads(STARTER_PATH.read_text())[0]
    cases = [
        {**entry, "tags": ["stress", "nerves"]},
        {**entry, "steps": []},
        {**entry, "minutes": "five"},
        {**entry, "kind": "medical"},
        {key: value for key, value in entry.items() if key != "why_it_helps"},
    ]
    for case in cases:
        path = tmp_path / "starter.json"
        path.write_text(json.dumps([case]))
        with pytest.raises(StarterLibraryError):
            load_starter_skills(path)
    path.write_text(json.dumps([entry, entry]))
    with pytest.raises(StarterLibraryError, match="used twice"):
        load_starter_skills(path)


@pytest.mark.django_db
def test_loading_adds_library_skills_once_and_audits_one_row_with_a_count(
    organisation, coordinator
):
    added = skills_load_starter(actor=coordinator, organisation=organisation)
    count = len(load_starter_skills())
    assert len(added) == count
    assert Skill.objects.filter(organisation=organisation, status=SkillStatus.LIBRARY).count() == (
        count
    )
    event = AuditEvent.objects.get(action="toolkit.starter_loaded")
    assert event.metadata == {"added": count}
    assert event.actor == coordinator

    assert skills_load_starter(actor=coordinator, organisation=organisation) == []
    assert Skill.objects.filter(organisation=organisation).count() == count
    assert AuditEvent.objects.filter(action="toolkit.starter_loaded").count() == 1


@pytest.mark.django_db
def test_loading_leaves_edited_and_retired_starter_skills_alone(organisation):
    skills_load_starter(actor=None, organisation=organisation)
    box = Skill.objects.get(organisation=organisation, starter_key="box-breathing")
    box.title = "Square breathing"
    box.status = SkillStatus.RETIRED
    box.save()
    Skill.objects.filter(organisation=organisation, starter_key="worry-time").delete()
    added = skills_load_starter(actor=None, organisation=organisation)
    assert [skill.starter_key for skill in added] == ["worry-time"]
    box.refresh_from_db()
    assert box.title == "Square breathing" and box.status == SkillStatus.RETIRED


@pytest.mark.django_db
def test_the_command_loads_one_organisation_and_says_what_it_added(
    organisation, other_organisation
):
    out = StringIO()
    call_command("load_starter_skills", "--organisation", "riverside", stdout=out)
    assert f"added {len(load_starter_skills())} skills" in out.getvalue()
    assert "Box breathing" in out.getvalue()
    assert not Skill.objects.filter(organisation=other_organisation).exists()

    out = StringIO()
    call_command("load_starter_skills", stdout=out)
    assert "Riverside Peer Support: already has every starter skill." in out.getvalue()
    assert "Elsewhere Mentoring: added" in out.getvalue()

    with pytest.raises(CommandError, match="nowhere"):
        call_command("load_starter_skills", "--organisation", "nowhere", stdout=StringIO())
