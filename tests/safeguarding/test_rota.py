"""The duty rota's services: naming and removing safeguarding leads, adding and removing shifts
(one lead on duty at a time), the response times, the gaps in the rota, and working days.
Only coordinators and admins of the organisation change any of it, and every change is
audited."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from audit.models import AuditEvent
from safeguarding.models import AlertLevel, DutyShift, SafeguardingLead, SafeguardingSettings
from safeguarding.services.rota import (
    NOT_STAFF,
    Gap,
    add_working_days,
    deadline_for,
    duty_lead_at,
    lead_add,
    lead_candidates,
    lead_remove,
    response_times_update,
    rota_gaps,
    settings_for,
    shift_add,
    shift_remove,
    upcoming_shifts,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
HOUR = timedelta(hours=1)


def errors_of(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def lead(organisation, coordinator, supervisor):
    supervisor.name = "Helen Morris"
    supervisor.save(update_fields=["name"])
    return lead_add(actor=coordinator, organisation=organisation, user=supervisor)


@pytest.fixture
def second_lead(organisation, coordinator):
    coordinator.name = "Sam Patel"
    coordinator.save(update_fields=["name"])
    return lead_add(actor=coordinator, organisation=organisation, user=coordinator)


def add(actor, lead, starts_at, ends_at, now=None):
    return shift_add(
        actor=actor,
        organisation=lead.organisation,
        lead=lead,
        starts_at=starts_at,
        ends_at=ends_at,
        now=now,
    )


# Leads ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["supervisor", "coordinator", "admin"])
def test_supervisors_coordinators_and_admins_can_be_named_leads(
    role, organisation, coordinator, request
):
    person = request.getfixturevalue(role)
    made = lead_add(actor=coordinator, organisation=organisation, user=person)
    assert (made.organisation, made.user, made.is_active) == (organisation, person, True)
    event = AuditEvent.objects.get(action="safeguarding.lead_added")
    assert event.actor == coordinator
    assert event.metadata == {"role": role, "reactivated": False}


@pytest.mark.parametrize("role", ["mentor", "mentee", "referrer"])
def test_other_roles_cannot_be_named_leads_and_the_message_says_why(
    role, organisation, admin, request
):
    person = request.getfixturevalue(role)
    person.name = "Jo Example"
    person.save(update_fields=["name"])
    with pytest.raises(ValidationError) as error:
        lead_add(actor=admin, organisation=organisation, user=person)
    (message,) = errors_of(error)["user"]
    assert message.startswith(f"Jo Example is a {Role(role).label.lower()}.")
    assert "supervisors, coordinators or admins" in message
    assert not SafeguardingLead.objects.exists()


def test_someone_from_another_organisation_cannot_be_named_lead(
    organisation, coordinator, other_org_coordinator, outsider
):
    for person in (other_org_coordinator, outsider):
        with pytest.raises(ValidationError) as error:
            lead_add(actor=coordinator, organisation=organisation, user=person)
        assert "belongs to the organisation" in errors_of(error)["user"][0]


def test_someone_who_cannot_sign_in_cannot_be_named_lead(organisation, coordinator, supervisor):
    supervisor.is_active = False
    supervisor.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as error:
        lead_add(actor=coordinator, organisation=organisation, user=supervisor)
    assert "user" in errors_of(error)


@pytest.mark.parametrize("actor", ["supervisor", "mentor", "other_org_coordinator", "outsider"])
def test_only_coordinators_and_admins_of_the_organisation_name_leads(
    actor, organisation, admin, request
):
    with pytest.raises(ValidationError) as error:
        lead_add(actor=request.getfixturevalue(actor), organisation=organisation, user=admin)
    assert error.value.messages == [NOT_STAFF]
    assert not SafeguardingLead.objects.exists()


def test_naming_a_lead_twice_changes_nothing(organisation, coordinator, lead, supervisor):
    again = lead_add(actor=coordinator, organisation=organisation, user=supervisor)
    assert again.pk == lead.pk
    assert AuditEvent.objects.filter(action="safeguarding.lead_added").count() == 1


def test_naming_a_removed_lead_again_makes_them_a_lead_again(
    organisation, coordinator, lead, supervisor
):
    lead_remove(actor=coordinator, lead=lead)
    again = lead_add(actor=coordinator, organisation=organisation, user=supervisor)
    assert again.pk == lead.pk and again.is_active
    assert SafeguardingLead.objects.count() == 1
    event = AuditEvent.objects.filter(action="safeguarding.lead_added").latest("pk")
    assert event.metadata["reactivated"] is True


def test_candidates_are_the_supervisors_coordinators_and_admins_not_yet_leads(
    organisation, lead, supervisor, coordinator, admin, mentor, mentee
):
    assert {m.user for m in lead_candidates(organisation)} == {coordinator, admin}


def test_removing_a_lead_removes_their_coming_shifts_and_ends_the_one_in_progress(
    lead, second_lead, coordinator, now
):
    past = DutyShift.objects.create(
        organisation=lead.organisation,
        lead=lead,
        starts_at=now - 30 * HOUR,
        ends_at=now - 20 * HOUR,
    )
    current = add(coordinator, lead, now - HOUR, now + 11 * HOUR, now=now)
    coming = [
        add(coordinator, lead, now + (12 + 24 * n) * HOUR, now + (24 + 24 * n) * HOUR)
        for n in range(3)
    ]
    others = add(coordinator, second_lead, now + 11 * HOUR, now + 12 * HOUR)

    removed = lead_remove(actor=coordinator, lead=lead, now=now)

    assert (removed.shifts_removed, removed.shift_ended) == (3, True)
    lead.refresh_from_db()
    assert not lead.is_active
    assert not DutyShift.objects.filter(pk__in=[shift.pk for shift in coming]).exists()
    current.refresh_from_db()
    assert current.ends_at == now
    assert DutyShift.objects.filter(pk=past.pk).exists()
    assert DutyShift.objects.filter(pk=others.pk).exists()
    assert duty_lead_at(lead.organisation, now) is None
    event = AuditEvent.objects.get(action="safeguarding.lead_removed")
    assert event.metadata == {"shifts_removed": 3, "shift_ended": True}


def test_a_lead_can_only_be_removed_by_staff_of_the_organisation(
    lead, supervisor, other_org_coordinator
):
    for actor in (supervisor, other_org_coordinator):
        with pytest.raises(ValidationError):
            lead_remove(actor=actor, lead=lead)
    lead.refresh_from_db()
    assert lead.is_active


# Shifts -----------------------------------------------------------------------------------------


def test_a_shift_puts_its_lead_on_duty(lead, coordinator, now):
    shift = add(coordinator, lead, now - HOUR, now + 11 * HOUR, now=now)
    assert shift.created_by == coordinator
    assert duty_lead_at(lead.organisation, now) == lead.user
    assert duty_lead_at(lead.organisation, now + 11 * HOUR) is None
    event = AuditEvent.objects.get(action="safeguarding.shift_added")
    assert event.metadata == {"lead": lead.pk, "hours": 12.0}


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        (2, 1, "ends_at", "The end must be after the start."),
        (2, 2, "ends_at", "The end must be after the start."),
        (1, 1 + 14 * 24 + 1, "ends_at", "at most 14 days"),
        (-12, -1, "ends_at", "over already"),
    ],
)
def test_a_shift_must_end_after_it_starts_be_at_most_14_days_and_not_be_over(
    lead, coordinator, now, start, end, field, words
):
    with pytest.raises(ValidationError) as error:
        add(coordinator, lead, now + start * HOUR, now + end * HOUR, now=now)
    assert words in errors_of(error)[field][0]
    assert not DutyShift.objects.exists()


def test_a_shift_of_exactly_14_days_is_allowed(lead, coordinator, now):
    add(coordinator, lead, now + HOUR, now + HOUR + timedelta(days=14), now=now)


def test_overlapping_shifts_are_refused_and_the_message_names_who_is_on_then(
    lead, second_lead, coordinator, now
):
    start = datetime(2030, 3, 5, 8, tzinfo=LONDON)  # a Tuesday
    add(coordinator, lead, start, start + 12 * HOUR, now=now)
    with pytest.raises(ValidationError) as error:
        add(coordinator, second_lead, start + 6 * HOUR, start + 18 * HOUR, now=now)
    assert errors_of(error) == {
        "starts_at": [
            "Helen Morris is on duty from Tue 5 Mar, 08:00 to Tue 5 Mar, 20:00. Only one lead is "
            "on duty at a time: change the times, or remove that shift first."
        ]
    }
    # Ending inside another shift, or covering it whole, is refused next to the end.
    for begin, finish in ((-6, 6), (-1, 13)):
        with pytest.raises(ValidationError) as error:
            add(coordinator, second_lead, start + begin * HOUR, start + finish * HOUR, now=now)
        assert list(errors_of(error)) == ["ends_at"]
    assert DutyShift.objects.count() == 1


def test_shifts_that_meet_end_to_start_are_fine(lead, second_lead, coordinator, now):
    start = now + HOUR
    add(coordinator, lead, start, start + 12 * HOUR, now=now)
    add(coordinator, second_lead, start + 12 * HOUR, start + 24 * HOUR, now=now)
    add(coordinator, lead, start - 12 * HOUR, start, now=now)
    assert DutyShift.objects.count() == 3


def test_a_removed_leads_shift_no_longer_blocks_the_time(lead, second_lead, coordinator, now):
    shift = DutyShift.objects.create(
        organisation=lead.organisation, lead=lead, starts_at=now + HOUR, ends_at=now + 5 * HOUR
    )
    SafeguardingLead.objects.filter(pk=lead.pk).update(is_active=False)
    add(coordinator, second_lead, now + 2 * HOUR, now + 3 * HOUR, now=now)
    assert DutyShift.objects.filter(pk=shift.pk).exists()


def test_a_shift_needs_an_active_lead_of_the_organisation(
    lead, coordinator, other_organisation, other_org_coordinator, now
):
    elsewhere = lead_add(
        actor=other_org_coordinator, organisation=other_organisation, user=other_org_coordinator
    )
    with pytest.raises(ValidationError) as error:
        add(coordinator, elsewhere, now + HOUR, now + 2 * HOUR, now=now)
    # ...the coordinator is not staff of the other organisation, so asking there is refused:
    assert error.value.messages == [NOT_STAFF]
    with pytest.raises(ValidationError) as error:
        shift_add(
            actor=coordinator,
            organisation=lead.organisation,
            lead=elsewhere,
            starts_at=now + HOUR,
            ends_at=now + 2 * HOUR,
        )
    assert "lead" in errors_of(error)
    lead_remove(actor=coordinator, lead=lead)
    with pytest.raises(ValidationError) as error:
        add(coordinator, lead, now + HOUR, now + 2 * HOUR, now=now)
    assert "lead" in errors_of(error)


def test_only_staff_add_shifts(lead, supervisor, now):
    with pytest.raises(ValidationError) as error:
        add(supervisor, lead, now + HOUR, now + 2 * HOUR, now=now)
    assert error.value.messages == [NOT_STAFF]


def test_removing_a_coming_shift_deletes_it(lead, coordinator, now):
    shift = add(coordinator, lead, now + HOUR, now + 2 * HOUR, now=now)
    assert shift_remove(actor=coordinator, shift=shift, now=now) is False
    assert not DutyShift.objects.exists()
    event = AuditEvent.objects.get(action="safeguarding.shift_removed")
    assert event.metadata == {"lead": lead.pk, "ended_early": False}
    assert event.object_id == str(shift.pk)


def test_removing_the_shift_in_progress_ends_it_now(lead, coordinator, now):
    shift = add(coordinator, lead, now - HOUR, now + 2 * HOUR, now=now)
    assert shift_remove(actor=coordinator, shift=shift, now=now) is True
    shift.refresh_from_db()
    assert shift.ends_at == now


def test_a_past_shift_stays_on_the_record(lead, coordinator, now):
    shift = DutyShift.objects.create(
        organisation=lead.organisation, lead=lead, starts_at=now - 3 * HOUR, ends_at=now - HOUR
    )
    with pytest.raises(ValidationError) as error:
        shift_remove(actor=coordinator, shift=shift, now=now)
    assert error.value.messages == ["This shift is over, so it stays on the record."]
    assert DutyShift.objects.filter(pk=shift.pk).exists()


def test_only_staff_remove_shifts(lead, coordinator, supervisor, now):
    shift = add(coordinator, lead, now + HOUR, now + 2 * HOUR, now=now)
    with pytest.raises(ValidationError):
        shift_remove(actor=supervisor, shift=shift, now=now)
    assert DutyShift.objects.filter(pk=shift.pk).exists()


# Upcoming shifts and gaps -------------------------------------------------------------------------


def test_upcoming_shifts_are_those_in_progress_or_starting_in_the_next_14_days(
    lead, coordinator, now
):
    DutyShift.objects.create(
        organisation=lead.organisation, lead=lead, starts_at=now - 3 * HOUR, ends_at=now - HOUR
    )
    current = add(coordinator, lead, now - HOUR, now + HOUR, now=now)
    soon = add(coordinator, lead, now + 2 * HOUR, now + 3 * HOUR, now=now)
    add(coordinator, lead, now + timedelta(days=14, hours=1), now + timedelta(days=14, hours=2))
    assert list(upcoming_shifts(lead.organisation, now)) == [current, soon]


def test_with_nobody_on_the_rota_the_whole_week_is_a_gap(organisation, now):
    end = now + timedelta(days=7)
    assert rota_gaps(organisation, now, end) == [Gap(now, end)]


def test_gaps_are_the_stretches_between_shifts(lead, second_lead, coordinator, now):
    end = now + 48 * HOUR
    add(coordinator, lead, now - HOUR, now + 10 * HOUR, now=now)
    add(coordinator, second_lead, now + 12 * HOUR, now + 24 * HOUR, now=now)
    add(coordinator, lead, now + 24 * HOUR, now + 36 * HOUR, now=now)
    gaps = rota_gaps(lead.organisation, now, end)
    assert gaps == [Gap(now + 10 * HOUR, now + 12 * HOUR), Gap(now + 36 * HOUR, end)]
    assert gaps[0].duration == 2 * HOUR


def test_a_rota_covering_the_week_has_no_gaps(lead, second_lead, coordinator, now):
    for n in range(15):
        add(
            coordinator,
            lead if n % 2 else second_lead,
            now + n * 12 * HOUR - HOUR,
            now + (n + 1) * 12 * HOUR - HOUR,
            now=now,
        )
    assert rota_gaps(lead.organisation, now, now + timedelta(days=7)) == []


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(
    spans=st.lists(
        st.tuples(
            st.integers(min_value=-20, max_value=200), st.integers(min_value=1, max_value=30)
        ),
        max_size=8,
    )
)
def test_gaps_and_shifts_together_cover_the_window_exactly(lead, coordinator, spans):
    """Whatever the rota, every moment of the window is either in a shift or in a gap."""
    DutyShift.objects.all().delete()
    start = datetime(2030, 1, 1, tzinfo=LONDON)
    taken: list[tuple[int, int]] = []
    for begin, length in spans:
        if all(begin + length <= b or begin >= b + n for b, n in taken):
            taken.append((begin, length))
            DutyShift.objects.create(
                organisation=lead.organisation,
                lead=lead,
                starts_at=start + begin * HOUR,
                ends_at=start + (begin + length) * HOUR,
            )
    end = start + 168 * HOUR
    gaps = rota_gaps(lead.organisation, start, end)
    for hour in range(168):
        moment = start + hour * HOUR + timedelta(minutes=30)
        in_shift = any(b <= hour < b + n for b, n in taken)
        in_gap = any(gap.starts_at <= moment < gap.ends_at for gap in gaps)
        assert in_shift != in_gap, hour
    assert all(gap.starts_at < gap.ends_at for gap in gaps)


# Response times ---------------------------------------------------------------------------------


def test_the_defaults_apply_until_someone_saves_response_times(organisation):
    chosen = settings_for(organisation)
    assert chosen.pk is None
    assert (chosen.urgent_minutes, chosen.high_minutes, chosen.concern_working_days) == (15, 60, 1)


def test_saving_response_times_creates_the_settings_and_is_audited(organisation, admin, now):
    response_times_update(
        actor=admin,
        organisation=organisation,
        urgent_minutes=10,
        high_minutes=30,
        concern_working_days=2,
    )
    saved = SafeguardingSettings.objects.get(organisation=organisation)
    assert (saved.urgent_minutes, saved.high_minutes, saved.concern_working_days) == (10, 30, 2)
    event = AuditEvent.objects.get(action="safeguarding.response_times_changed")
    assert event.metadata == {"urgent_minutes": 10, "high_minutes": 30, "concern_working_days": 2}
    assert deadline_for(organisation, AlertLevel.URGENT, now) == now + timedelta(minutes=10)
    assert deadline_for(organisation, AlertLevel.HIGH, now) == now + timedelta(minutes=30)
    # Saving the same numbers again records nothing new.
    response_times_update(
        actor=admin,
        organisation=organisation,
        urgent_minutes=10,
        high_minutes=30,
        concern_working_days=2,
    )
    assert AuditEvent.objects.filter(action="safeguarding.response_times_changed").count() == 1
    assert SafeguardingSettings.objects.count() == 1


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        ((4, 60, 1), {"urgent_minutes": ["Enter a number from 5 to 120 minutes."]}),
        ((121, 200, 1), {"urgent_minutes": ["Enter a number from 5 to 120 minutes."]}),
        ((15, 14, 1), {"high_minutes": ["Enter a number from 15 to 1440 minutes."]}),
        ((15, 1441, 1), {"high_minutes": ["Enter a number from 15 to 1440 minutes."]}),
        ((15, 60, 0), {"concern_working_days": ["Enter a number from 1 to 5 working days."]}),
        ((15, 60, 6), {"concern_working_days": ["Enter a number from 1 to 5 working days."]}),
        (
            (60, 30, 1),
            {
                "high_minutes": [
                    "Give high alerts at least as long as urgent ones (60 minutes or more)."
                ]
            },
        ),
        (
            ("15", None, 1.5),
            {
                "urgent_minutes": ["Enter a whole number of minutes."],
                "high_minutes": ["Enter a whole number of minutes."],
                "concern_working_days": ["Enter a whole number of working days."],
            },
        ),
    ],
)
def test_response_times_must_be_sensible(organisation, coordinator, numbers, expected):
    urgent, high, days = numbers
    with pytest.raises(ValidationError) as error:
        response_times_update(
            actor=coordinator,
            organisation=organisation,
            urgent_minutes=urgent,
            high_minutes=high,
            concern_working_days=days,
        )
    assert errors_of(error) == expected
    assert not SafeguardingSettings.objects.exists()


def test_urgent_and_high_may_be_the_same(organisation, coordinator):
    response_times_update(
        actor=coordinator,
        organisation=organisation,
        urgent_minutes=30,
        high_minutes=30,
        concern_working_days=5,
    )


def test_only_staff_change_response_times(organisation, supervisor, other_org_coordinator):
    for actor in (supervisor, other_org_coordinator):
        with pytest.raises(ValidationError) as error:
            response_times_update(
                actor=actor,
                organisation=organisation,
                urgent_minutes=10,
                high_minutes=30,
                concern_working_days=1,
            )
        assert error.value.messages == [NOT_STAFF]


# Working days -----------------------------------------------------------------------------------


def test_a_working_day_after_friday_afternoon_is_monday_afternoon():
    friday = datetime(2026, 3, 6, 16, tzinfo=LONDON)
    assert add_working_days(friday, 1) == datetime(2026, 3, 9, 16, tzinfo=LONDON)
    assert add_working_days(friday, 5) == datetime(2026, 3, 13, 16, tzinfo=LONDON)


def test_working_days_keep_the_time_on_the_clock_when_the_clocks_change():
    friday = datetime(2026, 3, 27, 16, tzinfo=LONDON)  # the clocks go forward on Sunday 29th
    due = add_working_days(friday.astimezone(ZoneInfo("UTC")), 1)
    assert due == datetime(2026, 3, 30, 16, tzinfo=LONDON)
    assert timezone.localtime(due).hour == 16


def test_just_after_midnight_on_saturday_counts_as_the_weekend():
    saturday = datetime(2026, 6, 6, 0, 30, tzinfo=LONDON)  # still Friday in UTC
    due = add_working_days(saturday.astimezone(ZoneInfo("UTC")), 1)
    assert due == datetime(2026, 6, 8, 0, 30, tzinfo=LONDON)
