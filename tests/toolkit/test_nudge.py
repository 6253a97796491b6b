"""The weekly nudge: who gets one (nudges on, a skill in the toolkit, an active account and
mentee role, not nudged in 6 days), which skill it suggests, and what the email says (never the
person's name or their notes)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Membership
from toolkit.models import Skill, SkillStatus, ToolkitEntry, ToolkitPreferences
from toolkit.selectors import nudge_pick, nudge_recipients
from toolkit.services.practice import (
    entry_remove,
    practice_log,
    preferences_save,
    weekly_nudges_send,
)

pytestmark = pytest.mark.django_db

NOTE = "Did it on the bench outside Gran's flat"


def make_skill(organisation, title, **fields) -> Skill:
    return Skill.objects.create(
        organisation=organisation,
        title=title,
        why_it_helps="It can help.",
        steps=["Do it."],
        minutes=4,
        **fields,
    )


def add_entry(person, skill, *, days_ago=10) -> ToolkitEntry:
    return ToolkitEntry.objects.create(
        person=person,
        skill=skill,
        organisation=skill.organisation,
        added_at=timezone.now() - timedelta(days=days_ago),
    )


def rate(entry, rating, *, days_ago=0, note=""):
    practice_log(
        actor=entry.person,
        entry=entry,
        helpfulness=rating,
        practised_on=timezone.localdate() - timedelta(days=days_ago),
        note=note,
    )


def run_weekly(capture) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("toolkit_weekly", "--now", stdout=out)
    return out.getvalue()


@pytest.fixture
def named_mentee(mentee):
    mentee.name = "Samira Quinlan"
    mentee.save(update_fields=["name"])
    return mentee


# Who gets a nudge --------------------------------------------------------------------------------


def test_a_mentee_with_a_skill_gets_one_nudge_a_week(
    toolkit_entry, mentee, django_capture_on_commit_callbacks
):
    first = run_weekly(django_capture_on_commit_callbacks)

    assert first == "Toolkit: nudges 1, stale resource notices 0.\n"
    assert [message.to for message in mail.outbox] == [[mentee.email]]
    preferences = ToolkitPreferences.objects.get(person=mentee)
    assert preferences.weekly_nudge and preferences.last_nudged_at is not None

    assert (
        run_weekly(django_capture_on_commit_callbacks)
        == "Toolkit: nudges 0, stale resource notices 0.\n"
    )
    assert len(mail.outbox) == 1


def test_the_next_nudge_comes_after_6_days(toolkit_entry, mentee):
    now = timezone.now()
    assert weekly_nudges_send(now) == 1
    assert weekly_nudges_send(now + timedelta(days=5, hours=23)) == 0
    assert weekly_nudges_send(now + timedelta(days=6, minutes=1)) == 1


def test_a_mentee_who_turned_nudges_off_gets_none(toolkit_entry, mentee):
    preferences_save(actor=mentee, weekly_nudge=False)
    assert list(nudge_recipients()) == []
    assert weekly_nudges_send() == 0


def test_an_empty_toolkit_gets_no_nudge(toolkit_entry, mentee, other_mentee):
    entry_remove(actor=mentee, entry=toolkit_entry)
    assert list(nudge_recipients()) == []


def test_an_inactive_account_or_role_gets_no_nudge(toolkit_entry, mentee):
    Membership.objects.filter(user=mentee).update(is_active=False)
    assert list(nudge_recipients()) == []
    Membership.objects.filter(user=mentee).update(is_active=True)
    mentee.is_active = False
    mentee.save(update_fields=["is_active"])
    assert list(nudge_recipients()) == []


def test_a_person_without_an_email_gets_no_nudge(toolkit_entry, mentee):
    type(mentee).objects.filter(pk=mentee.pk).update(email="")
    assert list(nudge_recipients()) == []


def test_only_mentees_due_are_chosen_in_a_fixed_number_of_queries(
    organisation, skill, mentee, other_mentee, django_assert_num_queries
):
    add_entry(mentee, skill)
    add_entry(other_mentee, skill)
    ToolkitPreferences.objects.create(
        person=other_mentee, last_nudged_at=timezone.now() - timedelta(days=2)
    )
    with django_assert_num_queries(1):
        assert list(nudge_recipients()) == [mentee]


# Which skill -------------------------------------------------------------------------------------


def test_the_nudge_suggests_what_helped_least_recently_tried(organisation, mentee):
    helped_lately = add_entry(mentee, make_skill(organisation, "Helped lately"))
    helped_long_ago = add_entry(mentee, make_skill(organisation, "Helped long ago"))
    add_entry(mentee, make_skill(organisation, "Untried"))
    did_not_help = add_entry(mentee, make_skill(organisation, "Did not help"))
    rate(helped_lately, 5, days_ago=1)
    rate(helped_long_ago, 4, days_ago=8)
    rate(did_not_help, 1, days_ago=9)

    assert nudge_pick(mentee) == helped_long_ago


def test_without_one_that_helped_the_nudge_suggests_one_not_yet_tried(organisation, mentee):
    did_not_help = add_entry(mentee, make_skill(organisation, "Did not help"), days_ago=20)
    untried_older = add_entry(mentee, make_skill(organisation, "Untried older"), days_ago=15)
    add_entry(mentee, make_skill(organisation, "Untried newer"), days_ago=2)
    rate(did_not_help, 2)

    assert nudge_pick(mentee) == untried_older


def test_when_everything_was_tried_the_best_rated_is_suggested(organisation, mentee):
    low = add_entry(mentee, make_skill(organisation, "Low"))
    better = add_entry(mentee, make_skill(organisation, "Better"))
    rate(low, 1)
    rate(better, 3)
    assert nudge_pick(mentee) == better


# What the email says -----------------------------------------------------------------------------


def test_the_email_is_generic_and_never_names_the_person_or_their_notes(
    toolkit_entry, named_mentee, django_capture_on_commit_callbacks
):
    rate(toolkit_entry, 5, note=NOTE)

    run_weekly(django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.subject == "Alongside: A small idea for this week"
    body = message.body
    assert "Box breathing" in body and "It has helped you before." in body
    assert f"/toolkit/entries/{toolkit_entry.pk}/" in body
    assert "/toolkit/preferences/" in body and "turn them off" in body
    for private in ("Samira", "Quinlan", NOTE, "Gran", named_mentee.email.split("@")[0]):
        assert private not in body
        assert private not in message.subject


def test_a_mentors_own_strategy_is_not_named_in_the_email(
    organisation, mentor_strategy, named_mentee, mentor, django_capture_on_commit_callbacks
):
    ToolkitEntry.objects.create(
        person=named_mentee,
        skill=mentor_strategy,
        organisation=organisation,
        shared_by=mentor,
    )
    run_weekly(django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert mentor_strategy.status == SkillStatus.MENTOR_OWN
    assert "kettle" not in message.body.lower()
    assert "One of the skills your mentor shared with you" in message.body
    assert "You have not tried it yet." in message.body


def test_without_now_the_nudge_is_queued_for_the_worker(db):
    out = StringIO()
    call_command("toolkit_weekly", stdout=out)
    assert out.getvalue().startswith("Queued: ")
