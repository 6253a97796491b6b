"""The mentee's toolkit services and selectors: only the owner logs practice, ratings and dates
are checked, a double-click logs once, the toolkit sorts by what helps, removing keeps what was
logged, saving from the library, preferences, and the mentee's home page card."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from safeguarding.models import Alert, AlertSign
from toolkit.dashboard import mentee_card
from toolkit.models import Practice, Skill, SkillStatus, ToolkitEntry, ToolkitPreferences
from toolkit.selectors import (
    entry_practices,
    helpfulness_words,
    how_it_goes,
    preferences_for,
    stars_text,
    toolkit_for,
)
from toolkit.services.practice import (
    HELPFULNESS_REQUIRED,
    NOT_YOURS,
    NOTE_MAX,
    entry_remove,
    entry_save,
    practice_log,
    preferences_save,
)

pytestmark = pytest.mark.django_db

RISKY = "Some days I want to kill myself"


def make_skill(organisation, title, **fields) -> Skill:
    return Skill.objects.create(
        organisation=organisation,
        title=title,
        why_it_helps="It can help.",
        steps=["Do it."],
        minutes=5,
        **fields,
    )


def add_entry(person, skill, *, days_ago=10, **fields) -> ToolkitEntry:
    return ToolkitEntry.objects.create(
        person=person,
        skill=skill,
        organisation=skill.organisation,
        added_at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )


def log(entry, *ratings):
    for rating in ratings:
        practice_log(actor=entry.person, entry=entry, helpfulness=rating)


# Logging a practice ------------------------------------------------------------------------------


def test_the_mentee_logs_a_practice_with_a_rating_and_a_note(toolkit_entry, mentee):
    logged = practice_log(
        actor=mentee, entry=toolkit_entry, helpfulness="4", note="  Calmer before the bus.  "
    )

    practice = Practice.objects.get()
    assert logged.created and logged.practice == practice and not logged.at_risk
    assert practice.helpfulness == 4
    assert practice.note == "Calmer before the bus."
    assert practice.practised_on == timezone.localdate()
    event = AuditEvent.objects.get(action="toolkit.practice_logged")
    assert event.actor == mentee and event.object_id == str(practice.pk)
    assert event.metadata == {}  # labels only: never the rating or the note


@pytest.mark.parametrize("person", ["mentor", "other_mentee", "coordinator"])
def test_nobody_else_can_log_practice_in_a_mentees_toolkit(toolkit_entry, person, request):
    with pytest.raises(ValidationError) as error:
        practice_log(actor=request.getfixturevalue(person), entry=toolkit_entry, helpfulness=5)
    assert NOT_YOURS in error.value.messages
    assert not Practice.objects.exists()


@pytest.mark.parametrize("rating", [None, "", 0, 6, "lots"])
def test_a_rating_from_1_to_5_is_required(toolkit_entry, mentee, rating):
    with pytest.raises(ValidationError) as error:
        practice_log(actor=mentee, entry=toolkit_entry, helpfulness=rating)
    assert error.value.message_dict == {"helpfulness": [HELPFULNESS_REQUIRED]}
    assert not Practice.objects.exists()


def test_a_practice_cannot_be_dated_in_the_future(toolkit_entry, mentee):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        practice_log(actor=mentee, entry=toolkit_entry, helpfulness=3, practised_on=tomorrow)
    assert error.value.message_dict == {"practised_on": ["The date cannot be in the future."]}


def test_a_practice_can_be_dated_from_the_day_before_the_skill_was_added(skill, mentee):
    entry = add_entry(mentee, skill, days_ago=3)
    added = timezone.localdate(entry.added_at)

    practice_log(actor=mentee, entry=entry, helpfulness=3, practised_on=added - timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        practice_log(
            actor=mentee, entry=entry, helpfulness=3, practised_on=added - timedelta(days=2)
        )
    assert (
        "this skill was added to your toolkit then" in error.value.message_dict["practised_on"][0]
    )
    assert Practice.objects.count() == 1


def test_a_long_note_is_refused_with_its_length(toolkit_entry, mentee):
    practice_log(actor=mentee, entry=toolkit_entry, helpfulness=3, note="x" * NOTE_MAX)
    with pytest.raises(ValidationError) as error:
        practice_log(actor=mentee, entry=toolkit_entry, helpfulness=3, note="x" * (NOTE_MAX + 1))
    assert error.value.message_dict["note"] == [
        "Keep this to 1,000 characters or fewer (it has 1,001)."
    ]


def test_every_problem_is_reported_at_once(toolkit_entry, mentee):
    with pytest.raises(ValidationError) as error:
        practice_log(
            actor=mentee,
            entry=toolkit_entry,
            helpfulness=None,
            practised_on=timezone.localdate() + timedelta(days=3),
            note="x" * (NOTE_MAX + 1),
        )
    assert set(error.value.message_dict) == {"helpfulness", "practised_on", "note"}


def test_the_same_form_sent_twice_logs_one_practice(toolkit_entry, mentee):
    first = practice_log(actor=mentee, entry=toolkit_entry, helpfulness=5, client_key="k1")
    second = practice_log(actor=mentee, entry=toolkit_entry, helpfulness=2, client_key="k1")

    assert first.created and not second.created
    assert second.practice == first.practice
    assert Practice.objects.get().helpfulness == 5
    assert AuditEvent.objects.filter(action="toolkit.practice_logged").count() == 1
    practice_log(actor=mentee, entry=toolkit_entry, helpfulness=2, client_key="k2")
    assert Practice.objects.count() == 2


def test_a_removed_skill_cannot_be_practised(toolkit_entry, mentee):
    entry_remove(actor=mentee, entry=toolkit_entry)
    with pytest.raises(ValidationError):
        practice_log(actor=mentee, entry=toolkit_entry, helpfulness=4)


def test_a_risky_note_is_saved_and_the_team_is_told_without_the_words(
    toolkit_entry, mentee, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        logged = practice_log(actor=mentee, entry=toolkit_entry, helpfulness=1, note=RISKY)

    assert logged.at_risk and logged.practice.note == RISKY
    assert AuditEvent.objects.filter(action="safeguarding.alert_raised").exists()
    sign = AlertSign.objects.get(alert__person=mentee)
    assert (sign.object_type, sign.object_id) == ("toolkit.practice", str(logged.practice.pk))
    assert sign.source_label == "A note on practising a skill, written by the mentee"
    assert mail.outbox and all(RISKY not in message.body for message in mail.outbox)


def test_a_risky_note_without_current_mentoring_still_reaches_the_safeguarding_team(
    skill, mentee, coordinator, django_capture_on_commit_callbacks
):
    entry = add_entry(mentee, skill)
    with django_capture_on_commit_callbacks(execute=True):
        logged = practice_log(actor=mentee, entry=entry, helpfulness=1, note=RISKY)
    assert logged.at_risk
    alert = Alert.objects.get(person=mentee)
    assert alert.supervisor is None and alert.organisation == entry.organisation
    assert alert.source_label == "A note on practising a skill, written by the person themselves"
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    assert RISKY not in mail.outbox[0].body


def test_an_ordinary_note_raises_no_alert(toolkit_entry, mentee):
    logged = practice_log(
        actor=mentee, entry=toolkit_entry, helpfulness=4, note="We talked about my job search."
    )
    assert not logged.at_risk and not Alert.objects.exists()


def test_the_same_risky_note_sent_twice_raises_one_alert_sign(toolkit_entry, mentee):
    first = practice_log(
        actor=mentee, entry=toolkit_entry, helpfulness=1, note=RISKY, client_key="same"
    )
    again = practice_log(
        actor=mentee, entry=toolkit_entry, helpfulness=1, note=RISKY, client_key="same"
    )
    assert first.at_risk and again.at_risk and not again.created
    assert again.serious == first.serious
    assert AlertSign.objects.count() == 1


# Sorting by what helps ---------------------------------------------------------------------------


def test_the_toolkit_sorts_by_what_helps_most(organisation, mentee, django_assert_num_queries):
    helps_a_lot = add_entry(mentee, make_skill(organisation, "Helps a lot"), days_ago=20)
    helps_some = add_entry(mentee, make_skill(organisation, "Helps some"), days_ago=20)
    same_but_more = add_entry(mentee, make_skill(organisation, "Same, tried more"), days_ago=20)
    old_untried = add_entry(mentee, make_skill(organisation, "Old untried"), days_ago=9)
    new_untried = add_entry(mentee, make_skill(organisation, "New untried"), days_ago=1)
    removed = add_entry(mentee, make_skill(organisation, "Removed"), days_ago=20)
    log(helps_some, 3, 4)
    log(same_but_more, 4, 3, 4, 3)
    log(helps_a_lot, 5, 4)
    log(removed, 5)
    entry_remove(actor=mentee, entry=removed)

    with django_assert_num_queries(1):
        entries = list(toolkit_for(mentee))
        how = [how_it_goes(entry) for entry in entries]

    assert entries == [helps_a_lot, same_but_more, helps_some, new_untried, old_untried]
    assert entries[0].practice_count == 2 and entries[0].mean_helpfulness == 4.5
    assert how[0].tried == "Tried twice" and how[0].words == "usually helps a lot"
    assert how[0].stars == "★★★★★"
    assert how[1].tried == "Tried 4 times" and how[1].words == "usually helps"
    assert how[3].tried == "Not tried yet" and how[3].words == "" and how[3].stars == ""


def test_how_it_goes_in_words():
    assert helpfulness_words(5, 1) == "helped a lot"
    assert helpfulness_words(1.4, 3) == "usually does not help much"
    assert helpfulness_words(2.5, 2) == "usually helps somewhat"
    assert helpfulness_words(None, 0) == "not tried yet"
    assert stars_text(3.2) == "★★★☆☆"


def test_the_toolkit_of_one_organisation_leaves_out_the_others(skill, mentee, other_organisation):
    mine = add_entry(mentee, skill)
    elsewhere = add_entry(mentee, make_skill(other_organisation, "Elsewhere"))
    assert list(toolkit_for(mentee, skill.organisation)) == [mine]
    assert set(toolkit_for(mentee)) == {mine, elsewhere}


# Removing and saving ----------------------------------------------------------------------------


def test_removing_a_skill_keeps_what_was_logged(toolkit_entry, mentee):
    log(toolkit_entry, 4, 5)

    entry_remove(actor=mentee, entry=toolkit_entry)

    toolkit_entry.refresh_from_db()
    assert toolkit_entry.removed_at is not None
    assert Practice.objects.filter(entry=toolkit_entry).count() == 2
    assert list(toolkit_for(mentee)) == []
    assert AuditEvent.objects.filter(action="toolkit.entry_removed").count() == 1


def test_only_the_owner_removes_a_skill(toolkit_entry, mentor):
    with pytest.raises(ValidationError):
        entry_remove(actor=mentor, entry=toolkit_entry)
    toolkit_entry.refresh_from_db()
    assert toolkit_entry.removed_at is None


def test_a_mentee_saves_a_library_skill_once(skill, mentee):
    first = entry_save(actor=mentee, skill=skill)
    again = entry_save(actor=mentee, skill=skill)

    assert first == again and first.shared_by is None and first.person == mentee
    assert ToolkitEntry.objects.count() == 1
    assert AuditEvent.objects.filter(action="toolkit.entry_saved").count() == 1


def test_saving_a_removed_skill_brings_it_back_with_its_log(toolkit_entry, skill, mentee):
    log(toolkit_entry, 5)
    entry_remove(actor=mentee, entry=toolkit_entry)

    restored = entry_save(actor=mentee, skill=skill)

    assert restored == toolkit_entry and restored.removed_at is None
    assert list(entry_practices(restored).values_list("helpfulness", flat=True)) == [5]
    assert AuditEvent.objects.filter(action="toolkit.entry_restored").count() == 1


@pytest.mark.parametrize("person", ["mentor", "coordinator", "referrer", "other_org_coordinator"])
def test_only_mentees_save_skills_to_a_toolkit(skill, person, request):
    with pytest.raises(ValidationError):
        entry_save(actor=request.getfixturevalue(person), skill=skill)
    assert not ToolkitEntry.objects.exists()


@pytest.mark.parametrize(
    "status", [SkillStatus.MENTOR_OWN, SkillStatus.PROPOSED, SkillStatus.RETIRED]
)
def test_only_library_skills_can_be_saved(organisation, mentee, status):
    with pytest.raises(ValidationError):
        entry_save(actor=mentee, skill=make_skill(organisation, "Not offered", status=status))


# Preferences -------------------------------------------------------------------------------------


def test_weekly_nudges_are_on_until_the_mentee_turns_them_off(mentee):
    assert preferences_for(mentee).weekly_nudge is True
    assert not ToolkitPreferences.objects.exists()

    preferences_save(actor=mentee, weekly_nudge=False)
    preferences_save(actor=mentee, weekly_nudge=False)

    assert preferences_for(mentee).weekly_nudge is False
    events = AuditEvent.objects.filter(action="toolkit.weekly_nudge_changed")
    assert [event.metadata for event in events] == [{"weekly_nudge": False}]
    preferences_save(actor=mentee, weekly_nudge=True)
    assert preferences_for(mentee).weekly_nudge is True


# The home page card -----------------------------------------------------------------------------


def test_the_home_page_card_shows_what_helps_most_in_one_query(
    organisation, mentee, django_assert_num_queries
):
    best = add_entry(mentee, make_skill(organisation, "Best"))
    good = add_entry(mentee, make_skill(organisation, "Good"))
    third = add_entry(mentee, make_skill(organisation, "Also good"))
    meh = add_entry(mentee, make_skill(organisation, "Meh"))
    add_entry(mentee, make_skill(organisation, "Untried"))
    log(best, 5)
    log(good, 5, 4)
    log(third, 4)
    log(meh, 2)

    with django_assert_num_queries(1):
        card = mentee_card(mentee, organisation)

    assert [item["entry"] for item in card["helps"]] == [best, good]
    assert card["skill_count"] == 5


def test_the_home_page_card_prompts_when_nothing_helps_yet(toolkit_entry, mentee):
    card = mentee_card(mentee)
    assert card == {"helps": [], "skill_count": 1}
