"""Skill and sharing services: who may add, change, suggest, approve, decline, retire and
restore skills; tidy input with clear messages; stale saves refused; and sharing with a mentee
(once, only one's own mentees, only skills one may share, only while mentoring lasts)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from mentoring.concurrency import STALE
from tests.mentoring.factories import SessionFactory
from toolkit.models import Skill, SkillKind, SkillStatus, SkillTag, ToolkitEntry
from toolkit.services.sharing import NOTE_MAX, skill_share
from toolkit.services.skills import (
    skill_approve,
    skill_create,
    skill_decline,
    skill_propose,
    skill_restore,
    skill_retire,
    skill_update,
    steps_from_text,
)

pytestmark = pytest.mark.django_db

FIELDS = {
    "title": "  Cold water reset ",
    "why_it_helps": "Cold water on your face can help your body calm down quickly.",
    "steps": "Fill a bowl with cold water.\n\n  Hold your breath and dip your face for a few "
    "seconds.\n",
    "minutes": "2",
    "tags": [SkillTag.PANIC, SkillTag.STRESS],
    "kind": SkillKind.COPING,
    "accessibility_notes": "A cold pack on your wrists works too.",
}


def _errors(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# Creating ---------------------------------------------------------------------------------------


def test_staff_add_library_skills(organisation, coordinator):
    skill = skill_create(actor=coordinator, organisation=organisation, **FIELDS)
    assert skill.status == SkillStatus.LIBRARY and skill.author is None
    assert skill.title == "Cold water reset"
    assert skill.steps == [
        "Fill a bowl with cold water.",
        "Hold your breath and dip your face for a few seconds.",
    ]
    assert skill.minutes == 2 and skill.tags == ["panic", "stress"]
    assert AuditEvent.objects.filter(action="toolkit.skill_created", object_id=skill.pk).exists()


def test_a_mentor_adds_their_own_strategy(organisation, mentor):
    skill = skill_create(actor=mentor, organisation=organisation, **FIELDS)
    assert skill.status == SkillStatus.MENTOR_OWN and skill.author == mentor


@pytest.mark.parametrize("person", ["mentee", "supervisor", "referrer", "outsider"])
def test_others_cannot_add_skills(person, request, organisation):
    with pytest.raises(ValidationError):
        skill_create(actor=request.getfixturevalue(person), organisation=organisation, **FIELDS)
    assert not Skill.objects.exists()


def test_staff_of_another_organisation_cannot_add_skills(organisation, other_org_coordinator):
    with pytest.raises(ValidationError):
        skill_create(actor=other_org_coordinator, organisation=organisation, **FIELDS)


def test_missing_and_bad_fields_are_explained_next_to_each_field(organisation, coordinator):
    with pytest.raises(ValidationError) as error:
        skill_create(
            actor=coordinator,
            organisation=organisation,
            title=" ",
            why_it_helps="",
            steps="\n \n",
            minutes="",
            tags=["stress", "nerves"],
            kind="medical",
        )
    errors = _errors(error)
    assert errors["title"] == ["Give the skill a short name."]
    assert errors["why_it_helps"] == ["Say in a sentence or two how it can help."]
    assert errors["steps"] == ["Write at least one step, one step on each line."]
    assert errors["minutes"] == ["Say about how many minutes it takes."]
    assert errors["tags"] == ["Choose tags from the list."]
    assert errors["kind"] == ["Choose whether this is a coping skill or a life skill."]
    assert not Skill.objects.exists()


@pytest.mark.parametrize(
    ("minutes", "message"),
    [("five", "whole number"), ("0", "from 1 to 240"), (241, "from 1 to 240")],
)
def test_minutes_must_be_a_sensible_whole_number(organisation, coordinator, minutes, message):
    with pytest.raises(ValidationError) as error:
        skill_create(actor=coordinator, organisation=organisation, **{**FIELDS, "minutes": minutes})
    assert message in _errors(error)["minutes"][0]


def test_steps_come_one_per_line_with_blank_lines_dropped():
    assert steps_from_text("One\r\n\r\n  Two  \n\t\nThree") == ["One", "Two", "Three"]
    assert steps_from_text(["One", " ", "Two"]) == ["One", "Two"]


# Changing ---------------------------------------------------------------------------------------


def _update(actor, skill, **changes):
    fields = {
        "title": skill.title,
        "why_it_helps": skill.why_it_helps,
        "steps": skill.steps,
        "minutes": skill.minutes,
        "tags": skill.tags,
        "kind": skill.kind,
        "accessibility_notes": skill.accessibility_notes,
        **changes,
    }
    return skill_update(
        actor=actor,
        skill=skill,
        version=changes.pop("version", skill.version),
        **{k: v for k, v in fields.items() if k != "version"},
    )


def test_staff_change_a_library_skill_and_the_version_counts_up(skill, coordinator):
    updated = _update(coordinator, skill, title="Square breathing", steps="In 4\nOut 4")
    assert updated.title == "Square breathing" and updated.steps == ["In 4", "Out 4"]
    assert updated.version == 2
    event = AuditEvent.objects.get(action="toolkit.skill_updated")
    assert event.metadata["fields"] == "steps,title"


def test_saving_what_is_already_saved_changes_nothing(skill, coordinator):
    unchanged = _update(coordinator, skill, version=1)
    assert unchanged.version == 1
    assert not AuditEvent.objects.filter(action="toolkit.skill_updated").exists()


def test_a_save_against_an_older_version_is_refused(skill, coordinator, admin):
    _update(admin, skill, title="Square breathing")
    with pytest.raises(ValidationError) as error:
        _update(coordinator, skill, title="Box breaths", version=1)
    assert _errors(error)["version"] == [STALE]
    skill.refresh_from_db()
    assert skill.title == "Square breathing" and skill.version == 2


def test_a_mentor_changes_only_their_own_strategy(mentor_strategy, skill, mentor, other_mentor):
    assert _update(mentor, mentor_strategy, minutes=3).minutes == 3
    with pytest.raises(ValidationError, match="your own"):
        _update(other_mentor, mentor_strategy, minutes=4)
    with pytest.raises(ValidationError, match="your own"):
        _update(mentor, skill, minutes=4)


def test_staff_do_not_change_a_mentors_private_strategy(mentor_strategy, coordinator):
    with pytest.raises(ValidationError):
        _update(coordinator, mentor_strategy, minutes=4)


def test_an_author_can_change_their_suggestion_but_not_once_it_is_in_the_library(
    mentor_strategy, mentor, coordinator
):
    skill_propose(actor=mentor, skill=mentor_strategy)
    mentor_strategy.refresh_from_db()
    assert _update(mentor, mentor_strategy, minutes=3).minutes == 3
    skill_approve(actor=coordinator, skill=mentor_strategy)
    mentor_strategy.refresh_from_db()
    with pytest.raises(ValidationError):
        _update(mentor, mentor_strategy, minutes=4)
    assert _update(coordinator, mentor_strategy, minutes=4).minutes == 4


@pytest.mark.parametrize("person", ["mentee", "supervisor", "other_org_coordinator"])
def test_others_cannot_change_skills(person, request, skill):
    with pytest.raises(ValidationError):
        _update(request.getfixturevalue(person), skill, title="Changed")
    skill.refresh_from_db()
    assert skill.title == "Box breathing"


# Suggesting, approving, declining, retiring -----------------------------------------------------


def test_a_strategy_is_suggested_then_approved_for_the_library(
    mentor_strategy, mentor, coordinator
):
    proposed = skill_propose(actor=mentor, skill=mentor_strategy)
    assert proposed.status == SkillStatus.PROPOSED
    assert skill_propose(actor=mentor, skill=mentor_strategy).status == SkillStatus.PROPOSED
    now = timezone.now()
    approved = skill_approve(actor=coordinator, skill=mentor_strategy, now=now)
    assert approved.status == SkillStatus.LIBRARY
    assert approved.approved_by == coordinator and approved.approved_at == now
    assert approved.author == mentor
    actions = list(
        AuditEvent.objects.filter(object_id=mentor_strategy.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["toolkit.skill_proposed", "toolkit.skill_approved"]


def test_a_declined_suggestion_stays_the_mentors_own(mentor_strategy, mentor, admin):
    skill_propose(actor=mentor, skill=mentor_strategy)
    declined = skill_decline(actor=admin, skill=mentor_strategy)
    assert declined.status == SkillStatus.MENTOR_OWN and declined.approved_by is None


def test_only_the_author_suggests_their_strategy(mentor_strategy, other_mentor, coordinator):
    for person in (other_mentor, coordinator):
        with pytest.raises(ValidationError):
            skill_propose(actor=person, skill=mentor_strategy)
    mentor_strategy.refresh_from_db()
    assert mentor_strategy.status == SkillStatus.MENTOR_OWN


def test_only_staff_approve_decline_retire_and_restore(mentor_strategy, skill, mentor, supervisor):
    skill_propose(actor=mentor, skill=mentor_strategy)
    for person in (mentor, supervisor):
        for service, target in (
            (skill_approve, mentor_strategy),
            (skill_decline, mentor_strategy),
            (skill_retire, skill),
        ):
            with pytest.raises(ValidationError, match="coordinator or admin"):
                service(actor=person, skill=target)


def test_a_strategy_not_suggested_cannot_be_approved_or_declined(mentor_strategy, coordinator):
    with pytest.raises(ValidationError):
        skill_approve(actor=coordinator, skill=mentor_strategy)
    mentor_strategy.refresh_from_db()
    assert mentor_strategy.status == SkillStatus.MENTOR_OWN


def test_staff_retire_and_restore_a_library_skill(skill, coordinator, mentor_strategy):
    assert skill_retire(actor=coordinator, skill=skill).status == SkillStatus.RETIRED
    assert skill_retire(actor=coordinator, skill=skill).status == SkillStatus.RETIRED
    assert skill_restore(actor=coordinator, skill=skill).status == SkillStatus.LIBRARY
    with pytest.raises(ValidationError):
        skill_retire(actor=coordinator, skill=mentor_strategy)
    with pytest.raises(ValidationError):
        skill_restore(actor=coordinator, skill=mentor_strategy)


# Sharing ----------------------------------------------------------------------------------------


def test_a_mentor_shares_a_skill_into_their_mentees_toolkit(
    skill, mentor, mentee, active_relationship, django_capture_on_commit_callbacks
):
    session = SessionFactory(relationship=active_relationship)
    with django_capture_on_commit_callbacks(execute=True):
        shared = skill_share(
            actor=mentor,
            skill=skill,
            relationship=active_relationship,
            session=session,
            note="  You said mornings are hardest. ",
        )
    entry = shared.entry
    assert shared.added
    assert entry.person == mentee and entry.skill == skill and entry.shared_by == mentor
    assert entry.relationship == active_relationship and entry.session == session
    assert entry.note == "You said mornings are hardest."
    [message] = mail.outbox
    assert message.to == [mentee.email]
    assert "Your mentor added something to your toolkit in Alongside" in message.body
    assert "Box breathing" not in message.body + message.subject
    assert "mornings" not in message.body
    event = AuditEvent.objects.get(action="toolkit.skill_shared")
    assert event.metadata["skill"] == skill.pk and event.metadata["added"] is True


def test_sharing_twice_is_harmless(
    skill, mentor, active_relationship, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = skill_share(actor=mentor, skill=skill, relationship=active_relationship)
        again = skill_share(
            actor=mentor, skill=skill, relationship=active_relationship, note="Try it tonight"
        )
    assert not again.added and again.entry.pk == first.entry.pk
    assert again.entry.note == "Try it tonight"
    assert ToolkitEntry.objects.count() == 1
    assert len(mail.outbox) == 1


def test_sharing_a_removed_skill_brings_it_back(skill, mentor, active_relationship, toolkit_entry):
    toolkit_entry.removed_at = timezone.now() - timedelta(days=3)
    toolkit_entry.note = "old"
    toolkit_entry.save()
    shared = skill_share(actor=mentor, skill=skill, relationship=active_relationship, note="new")
    assert shared.added and shared.entry.pk == toolkit_entry.pk
    assert shared.entry.removed_at is None and shared.entry.note == "new"


def test_a_mentor_shares_their_own_strategy(mentor_strategy, mentor, active_relationship):
    assert skill_share(actor=mentor, skill=mentor_strategy, relationship=active_relationship).added


def test_someone_elses_strategy_cannot_be_shared(mentor_strategy, other_mentor, other_relationship):
    with pytest.raises(ValidationError, match="cannot be shared"):
        skill_share(actor=other_mentor, skill=mentor_strategy, relationship=other_relationship)
    assert not ToolkitEntry.objects.exists()


def test_a_retired_skill_cannot_be_shared(skill, mentor, coordinator, active_relationship):
    skill_retire(actor=coordinator, skill=skill)
    with pytest.raises(ValidationError, match="cannot be shared"):
        skill_share(actor=mentor, skill=skill, relationship=active_relationship)


def test_a_mentor_cannot_share_with_another_mentors_mentee(skill, mentor, other_relationship):
    with pytest.raises(ValidationError, match="your own mentees"):
        skill_share(actor=mentor, skill=skill, relationship=other_relationship)
    assert not ToolkitEntry.objects.exists()


def test_nothing_is_shared_once_mentoring_has_ended(skill, mentor, ended_relationship):
    with pytest.raises(ValidationError, match="ended"):
        skill_share(actor=mentor, skill=skill, relationship=ended_relationship)
    assert not ToolkitEntry.objects.exists()


def test_a_skill_of_another_organisation_cannot_be_shared(
    mentor, active_relationship, other_organisation
):
    elsewhere = Skill.objects.create(
        organisation=other_organisation, title="Elsewhere", why_it_helps="x", steps=["x"], minutes=1
    )
    with pytest.raises(ValidationError):
        skill_share(actor=mentor, skill=elsewhere, relationship=active_relationship)


def test_the_session_must_belong_to_the_relationship(
    skill, mentor, active_relationship, other_relationship
):
    theirs = SessionFactory(relationship=other_relationship)
    with pytest.raises(ValidationError) as error:
        skill_share(actor=mentor, skill=skill, relationship=active_relationship, session=theirs)
    assert "session" in _errors(error)
    assert not ToolkitEntry.objects.exists()


def test_a_long_note_is_refused(skill, mentor, active_relationship):
    with pytest.raises(ValidationError) as error:
        skill_share(
            actor=mentor, skill=skill, relationship=active_relationship, note="x" * (NOTE_MAX + 1)
        )
    assert "note" in _errors(error)
