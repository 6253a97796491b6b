"""The duty rota pages: who is on duty now (or what happens when nobody is), the gaps in the
next week, the coming shifts, the leads and the response times. Coordinators and admins change
them; a supervisor who is a safeguarding lead may look at the rota; everyone else gets a 404.
Forms sent with a problem come back with the typed values and the problem next to its field."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from safeguarding.models import DutyShift, SafeguardingLead, SafeguardingSettings
from tests.conftest import make_member
from tests.mentoring.access import PEOPLE, STAFF, check_page, client_as

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
HOUR = timedelta(hours=1)
# Everyone in the access table, and a supervisor who is a safeguarding lead (on duty now).
EVERYONE = [*PEOPLE, "duty_lead"]
VIEWERS = [*STAFF, "duty_lead"]


@pytest.fixture
def lead_record(duty_lead):
    return SafeguardingLead.objects.get(user=duty_lead)


@pytest.fixture
def coming_shift(lead_record):
    start = timezone.now() + timedelta(days=2)
    return DutyShift.objects.create(
        organisation=lead_record.organisation,
        lead=lead_record,
        starts_at=start,
        ends_at=start + 12 * HOUR,
    )


@pytest.fixture
def elsewhere(other_organisation, other_org_coordinator):
    """A lead and a coming shift of another organisation."""
    lead = SafeguardingLead.objects.create(
        organisation=other_organisation, user=other_org_coordinator
    )
    start = timezone.now() + timedelta(days=1)
    shift = DutyShift.objects.create(
        organisation=other_organisation, lead=lead, starts_at=start, ends_at=start + 12 * HOUR
    )
    return lead, shift


def shift_data(lead, start: datetime, end: datetime) -> dict[str, str]:
    start, end = timezone.localtime(start), timezone.localtime(end)
    return {
        "lead": str(lead.pk),
        "start_date": start.strftime("%Y-%m-%d"),
        "start_time": start.strftime("%H:%M"),
        "end_date": end.strftime("%Y-%m-%d"),
        "end_time": end.strftime("%H:%M"),
    }


def text_of(response) -> str:
    """The words of the page's main part, as a person reads them."""
    main = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(html.unescape(strip_tags("<main" + main)).split())


# Access -----------------------------------------------------------------------------------------
# The pages are about the organisation in use: a coordinator of another organisation sees and
# changes their own organisation's rota (never this one's), and this one's leads and shifts are
# 404 to them.


@pytest.mark.parametrize("person", EVERYONE)
def test_the_rota_is_for_staff_and_for_supervisors_who_are_leads(
    person, request, client_for, duty_lead
):
    response = client_as(person, request, client_for).get(reverse("safeguarding:rota"))
    check_page(response, person, [*VIEWERS, "other_org_coordinator"])
    if person == "other_org_coordinator":
        assert "Dana Duty" not in response.content.decode()


@pytest.mark.parametrize("person", EVERYONE)
@pytest.mark.parametrize("name", ["shift_new", "response_times"])
def test_the_forms_are_for_coordinators_and_admins(person, name, request, client_for, duty_lead):
    response = client_as(person, request, client_for).get(reverse(f"safeguarding:{name}"))
    check_page(response, person, [*STAFF, "other_org_coordinator"])
    if person == "other_org_coordinator":
        assert "Dana Duty" not in response.content.decode()


@pytest.mark.parametrize("person", EVERYONE)
@pytest.mark.parametrize("name", ["lead_add", "lead_remove", "shift_remove"])
def test_the_buttons_only_take_a_post(person, name, request, client_for, lead_record, coming_shift):
    args = {"lead_add": [], "lead_remove": [lead_record.pk], "shift_remove": [coming_shift.pk]}
    response = client_as(person, request, client_for).get(
        reverse(f"safeguarding:{name}", args=args[name])
    )
    check_page(response, person, [*STAFF, "other_org_coordinator"], ok=405)


@pytest.mark.parametrize("person", EVERYONE)
def test_naming_a_lead_is_for_staff(person, request, client_for, organisation, duty_lead):
    candidate = make_member(organisation, "supervisor", "new@example.org")
    response = client_as(person, request, client_for).post(
        reverse("safeguarding:lead_add"), {"user": candidate.pk}
    )
    if person == "other_org_coordinator":  # not someone they can choose
        assert response.status_code == 400
    else:
        check_page(response, person, STAFF, ok=302)
    assert SafeguardingLead.objects.filter(user=candidate).exists() == (person in STAFF)


@pytest.mark.parametrize("person", EVERYONE)
def test_removing_a_lead_is_for_staff(person, request, client_for, lead_record):
    response = client_as(person, request, client_for).post(
        reverse("safeguarding:lead_remove", args=[lead_record.pk])
    )
    check_page(response, person, STAFF, ok=302)
    lead_record.refresh_from_db()
    assert lead_record.is_active == (person not in STAFF)


@pytest.mark.parametrize("person", EVERYONE)
def test_adding_a_shift_is_for_staff(person, request, client_for, lead_record):
    start = timezone.now() + timedelta(days=3)
    response = client_as(person, request, client_for).post(
        reverse("safeguarding:shift_new"), shift_data(lead_record, start, start + 12 * HOUR)
    )
    if person == "other_org_coordinator":  # not a lead they can choose
        assert response.status_code == 400
    else:
        check_page(response, person, STAFF, ok=302)
    assert DutyShift.objects.count() == (2 if person in STAFF else 1)


@pytest.mark.parametrize("person", EVERYONE)
def test_removing_a_shift_is_for_staff(person, request, client_for, coming_shift):
    response = client_as(person, request, client_for).post(
        reverse("safeguarding:shift_remove", args=[coming_shift.pk])
    )
    check_page(response, person, STAFF, ok=302)
    assert DutyShift.objects.filter(pk=coming_shift.pk).exists() == (person not in STAFF)


@pytest.mark.parametrize("person", EVERYONE)
def test_changing_response_times_is_for_staff(person, request, client_for, organisation, duty_lead):
    response = client_as(person, request, client_for).post(
        reverse("safeguarding:response_times"),
        {"urgent_minutes": "10", "high_minutes": "45", "concern_working_days": "2"},
    )
    check_page(response, person, [*STAFF, "other_org_coordinator"], ok=302)
    assert SafeguardingSettings.objects.filter(organisation=organisation).exists() == (
        person in STAFF
    )


def test_another_organisations_leads_and_shifts_are_404(
    coordinator, client_for, elsewhere, lead_record
):
    lead, shift = elsewhere
    client = client_for(coordinator)
    assert client.post(reverse("safeguarding:lead_remove", args=[lead.pk])).status_code == 404
    assert client.post(reverse("safeguarding:shift_remove", args=[shift.pk])).status_code == 404
    lead.refresh_from_db()
    assert lead.is_active and DutyShift.objects.filter(pk=shift.pk).exists()
    # ...and cannot be chosen for a shift here.
    start = timezone.now() + timedelta(days=3)
    response = client.post(
        reverse("safeguarding:shift_new"), shift_data(lead, start, start + 12 * HOUR)
    )
    assert response.status_code == 400
    assert "Choose one of the safeguarding leads." in text_of(response)
    assert DutyShift.objects.count() == 2


def test_an_unknown_shift_or_lead_is_404(coordinator, client_for, lead_record):
    client = client_for(coordinator)
    assert client.post(reverse("safeguarding:lead_remove", args=[999999])).status_code == 404
    assert client.post(reverse("safeguarding:shift_remove", args=[999999])).status_code == 404
    lead_record.is_active = False
    lead_record.save(update_fields=["is_active"])
    response = client.post(reverse("safeguarding:lead_remove", args=[lead_record.pk]))
    assert response.status_code == 404


# The rota page ----------------------------------------------------------------------------------


def test_the_rota_shows_who_is_on_duty_now_and_until_when(coordinator, client_for, duty_lead):
    shift = DutyShift.objects.get(lead__user=duty_lead)
    page = text_of(client_for(coordinator).get(reverse("safeguarding:rota")))
    until = timezone.localtime(shift.ends_at)
    assert f"Dana Duty, until {until:%a} {until.day} {until:%b}, {until:%H:%M}." in page
    assert "Nobody is on duty now" not in page
    assert "On duty now" in page


def test_with_nobody_on_duty_the_rota_says_alerts_go_to_every_lead(
    organisation, coordinator, client_for, supervisor
):
    SafeguardingLead.objects.create(organisation=organisation, user=supervisor)
    page = text_of(client_for(coordinator).get(reverse("safeguarding:rota")))
    assert "Nobody is on duty now." in page
    assert "New alerts go to every safeguarding lead, and to the supervisor" in page
    assert "No shifts planned." in page


def test_with_no_leads_the_rota_says_alerts_go_to_the_coordinators(coordinator, client_for):
    page = text_of(client_for(coordinator).get(reverse("safeguarding:rota")))
    assert "There are no safeguarding leads, so new alerts go to the coordinators" in page
    assert "No safeguarding leads yet." in page
    assert "To add shifts, first name a safeguarding lead below." in page


def test_the_rota_lists_the_gaps_in_the_next_week(organisation, coordinator, client_for):
    lead = SafeguardingLead.objects.create(organisation=organisation, user=coordinator)
    start = timezone.localtime() + timedelta(days=1)
    start = start.replace(hour=8, minute=0, second=0, microsecond=0)
    DutyShift.objects.create(
        organisation=organisation, lead=lead, starts_at=start, ends_at=start + 12 * HOUR
    )
    page = text_of(client_for(coordinator).get(reverse("safeguarding:rota")))
    assert "Gaps in the next 7 days" in page
    day = f"{start:%a} {start.day} {start:%b}"
    assert "Nobody is on duty at these times" in page
    assert f"From now until {day}, 08:00" in page
    assert f"From {day}, 20:00 on: nobody is on the rota after that" in page


def test_a_gap_between_shifts_shows_both_ends(organisation, coordinator, client_for):
    lead = SafeguardingLead.objects.create(organisation=organisation, user=coordinator)
    now = timezone.now()
    for begin, end in ((-1, 10), (12, 200)):
        DutyShift.objects.create(
            organisation=organisation,
            lead=lead,
            starts_at=now + begin * HOUR,
            ends_at=now + end * HOUR,
        )
    page = text_of(client_for(coordinator).get(reverse("safeguarding:rota")))
    gap_start, gap_end = timezone.localtime(now + 10 * HOUR), timezone.localtime(now + 12 * HOUR)
    expected = f"{gap_start:%a} {gap_start.day} {gap_start:%b}, {gap_start:%H:%M} to "
    assert expected in page
    assert f"{gap_end:%H:%M}" in page.split(expected, 1)[1][:30]


def test_with_nobody_on_the_rota_the_whole_week_is_one_gap(organisation, coordinator, client_for):
    page = text_of(client_for(coordinator).get(reverse("safeguarding:rota")))
    assert "From now on: nobody is on the rota at all" in page


def test_a_full_week_has_no_gaps(organisation, coordinator, client_for):
    lead = SafeguardingLead.objects.create(organisation=organisation, user=coordinator)
    start = timezone.now() - HOUR
    DutyShift.objects.create(
        organisation=organisation, lead=lead, starts_at=start, ends_at=start + timedelta(days=8)
    )
    page = text_of(client_for(coordinator).get(reverse("safeguarding:rota")))
    assert "No gaps: someone is on duty at all times for the next 7 days." in page


def test_a_supervisor_who_is_a_lead_sees_the_rota_without_ways_to_change_it(
    duty_lead, coming_shift, client_for
):
    page = text_of(client_for(duty_lead).get(reverse("safeguarding:rota")))
    assert "Dana Duty (you)" in page
    assert "To change it, ask a coordinator." in page
    for control in ("Add a shift", "Remove", "Name as lead", "Change the response times"):
        assert control not in page
    main = client_for(duty_lead).get(reverse("safeguarding:rota")).content.decode()
    assert "<form" not in main.split("<main", 1)[1]


def test_the_lead_form_offers_only_people_who_can_be_leads_and_are_not_yet(
    organisation, coordinator, admin, supervisor, mentor, duty_lead, client_for
):
    supervisor.name, admin.name = "Helen Morris", "Amara Okafor"
    supervisor.save(update_fields=["name"])
    admin.save(update_fields=["name"])
    page = client_for(coordinator).get(reverse("safeguarding:rota")).content.decode()
    options = page.split('name="user"', 1)[1].split("</select>", 1)[0]
    assert "Helen Morris (Supervisor)" in options
    assert "Amara Okafor (Administrator)" in options
    assert "Dana Duty" not in options
    assert mentor.email not in options


def test_the_coming_shifts_are_paginated(organisation, coordinator, client_for, duty_lead):
    lead = SafeguardingLead.objects.get(user=duty_lead)
    start = timezone.now() + timedelta(days=1, hours=1)
    DutyShift.objects.bulk_create(
        DutyShift(
            organisation=organisation,
            lead=lead,
            starts_at=start + n * 12 * HOUR,
            ends_at=start + (n + 1) * 12 * HOUR,
        )
        for n in range(24)
    )
    client = client_for(coordinator)
    first = text_of(client.get(reverse("safeguarding:rota")))
    assert "Page 1 of 2" in first and "Later shifts" in first
    second = text_of(client.get(reverse("safeguarding:rota") + "?page=2"))
    assert "Page 2 of 2" in second and "Earlier shifts" in second
    assert second.count("Remove the shift of") == 5


def test_the_rota_page_makes_a_fixed_number_of_queries(
    organisation, coordinator, admin, client_for, duty_lead, django_assert_max_num_queries
):
    lead = SafeguardingLead.objects.create(organisation=organisation, user=admin)
    start = timezone.now() + timedelta(days=1, hours=1)
    for n in range(12):
        DutyShift.objects.create(
            organisation=organisation,
            lead=lead,
            starts_at=start + n * 12 * HOUR,
            ends_at=start + (n + 1) * 12 * HOUR,
        )
    client = client_for(coordinator)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("safeguarding:rota")).status_code == 200


# Leads ------------------------------------------------------------------------------------------


def test_naming_a_lead_says_so_on_the_rota(organisation, coordinator, supervisor, client_for):
    supervisor.name = "Helen Morris"
    supervisor.save(update_fields=["name"])
    response = client_for(coordinator).post(
        reverse("safeguarding:lead_add"), {"user": supervisor.pk}, follow=True
    )
    page = text_of(response)
    assert "Helen Morris is now a safeguarding lead" in page
    assert SafeguardingLead.objects.get(user=supervisor).is_active


@pytest.mark.parametrize(
    ("choose", "message"),
    [
        ("", "Choose who to name a safeguarding lead."),
        ("mentor", "Choose someone from the list: they may have been added already."),
        ("other_org_coordinator", "Choose someone from the list"),
    ],
)
def test_naming_a_lead_with_a_problem_shows_it_next_to_the_field(
    choose, message, request, coordinator, client_for
):
    person = request.getfixturevalue(choose).pk if choose else ""
    response = client_for(coordinator).post(reverse("safeguarding:lead_add"), {"user": person})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_user_error"' in page
    assert message in text_of(response)
    assert not SafeguardingLead.objects.exists()


def test_removing_a_lead_says_what_happened_to_their_shifts(
    coordinator, client_for, lead_record, coming_shift
):
    response = client_for(coordinator).post(
        reverse("safeguarding:lead_remove", args=[lead_record.pk]), follow=True
    )
    page = text_of(response)
    assert "Dana Duty is no longer a safeguarding lead." in page
    assert "Their shift on duty now has ended. Their 1 coming shift is removed." in page
    assert "Nobody is on duty now." in page


# Adding a shift ---------------------------------------------------------------------------------


def test_a_new_shift_starts_where_the_rota_ends(coordinator, client_for, duty_lead):
    shift = DutyShift.objects.get(lead__user=duty_lead)
    response = client_for(coordinator).get(reverse("safeguarding:shift_new"))
    form = response.context["form"]
    ends = timezone.localtime(shift.ends_at)
    assert form.initial["start_date"] == ends.date()
    assert form.initial["start_time"] == ends.time().replace(second=0, microsecond=0)
    assert form.initial["lead"] == shift.lead_id  # the only lead is chosen already
    assert "Europe/London" in text_of(response)


def test_adding_a_shift_takes_the_times_on_the_local_clock(coordinator, client_for, lead_record):
    start = datetime(2031, 7, 1, 8, tzinfo=LONDON)  # summer time: 07:00 UTC
    response = client_for(coordinator).post(
        reverse("safeguarding:shift_new"),
        shift_data(lead_record, start, start + 12 * HOUR),
        follow=True,
    )
    shift = DutyShift.objects.latest("pk")
    assert (shift.starts_at, shift.ends_at) == (start, start + 12 * HOUR)
    assert shift.starts_at.astimezone(ZoneInfo("UTC")).hour == 7
    assert "Shift added: Dana Duty is on duty from Tue 1 Jul, 08:00 to Tue 1 Jul, 20:00." in (
        text_of(response)
    )


def test_a_shift_ending_before_it_starts_keeps_what_was_typed(coordinator, client_for, lead_record):
    data = {
        "lead": str(lead_record.pk),
        "start_date": "2031-03-05",
        "start_time": "20:00",
        "end_date": "2031-03-05",
        "end_time": "08:00",
    }
    response = client_for(coordinator).post(reverse("safeguarding:shift_new"), data)
    assert response.status_code == 400
    page = response.content.decode()
    error_list = page.split('id="id_end_date_error"', 1)[1].split("</ul>", 1)[0]
    assert "The end must be after the start." in error_list
    for value in ("2031-03-05", "20:00", "08:00"):
        assert f'value="{value}"' in page
    assert re.search(rf'<option value="{lead_record.pk}" selected\s*>', page)
    assert DutyShift.objects.count() == 1


def test_an_overlapping_shift_is_refused_with_who_is_on_then(
    coordinator, client_for, lead_record, duty_lead, organisation
):
    other = make_member(organisation, "coordinator", "second.coordinator@example.org")
    other_lead = SafeguardingLead.objects.create(organisation=organisation, user=other)
    now = timezone.now()
    response = client_for(coordinator).post(
        reverse("safeguarding:shift_new"), shift_data(other_lead, now + HOUR, now + 3 * HOUR)
    )
    assert response.status_code == 400
    assert "Dana Duty is on duty from" in text_of(response)
    assert "Only one lead is on duty at a time" in text_of(response)


def test_missing_and_impossible_times_are_explained(coordinator, client_for, lead_record):
    response = client_for(coordinator).post(
        reverse("safeguarding:shift_new"),
        {"lead": "", "start_date": "2031-02-30", "start_time": "", "end_date": "", "end_time": "9"},
    )
    assert response.status_code == 400
    page = text_of(response)
    for message in (
        "Choose who is on duty.",
        "Enter a date.",
        "Enter the time the shift starts.",
        "Enter the day the shift ends.",
    ):
        assert message in page


def test_without_leads_the_shift_page_says_to_name_one_first(coordinator, client_for):
    page = text_of(client_for(coordinator).get(reverse("safeguarding:shift_new")))
    assert "There are no safeguarding leads yet." in page


def test_removing_a_coming_shift(coordinator, client_for, coming_shift):
    response = client_for(coordinator).post(
        reverse("safeguarding:shift_remove", args=[coming_shift.pk]), follow=True
    )
    assert "Dana Duty's shift from" in text_of(response)
    assert not DutyShift.objects.filter(pk=coming_shift.pk).exists()


def test_ending_the_shift_in_progress(coordinator, client_for, duty_lead):
    shift = DutyShift.objects.get(lead__user=duty_lead)
    response = client_for(coordinator).post(
        reverse("safeguarding:shift_remove", args=[shift.pk]), follow=True
    )
    assert "Dana Duty's shift has ended now." in text_of(response)
    shift.refresh_from_db()
    assert shift.ends_at <= timezone.now()


def test_a_past_shift_cannot_be_removed(coordinator, client_for, lead_record):
    past = DutyShift.objects.create(
        organisation=lead_record.organisation,
        lead=lead_record,
        starts_at=timezone.now() - 30 * HOUR,
        ends_at=timezone.now() - 20 * HOUR,
    )
    response = client_for(coordinator).post(
        reverse("safeguarding:shift_remove", args=[past.pk]), follow=True
    )
    assert "This shift is over, so it stays on the record." in text_of(response)
    assert DutyShift.objects.filter(pk=past.pk).exists()


# Response times ---------------------------------------------------------------------------------


def test_the_response_times_form_shows_the_current_numbers(coordinator, client_for):
    response = client_for(coordinator).get(reverse("safeguarding:response_times"))
    page = response.content.decode()
    for name, value in (("urgent_minutes", 15), ("high_minutes", 60), ("concern_working_days", 1)):
        assert f'name="{name}" value="{value}"' in page
    assert "Urgent alerts: minutes" in page


def test_saving_response_times_shows_them_on_the_rota(organisation, admin, client_for):
    response = client_for(admin).post(
        reverse("safeguarding:response_times"),
        {"urgent_minutes": "10", "high_minutes": "45", "concern_working_days": "2"},
        follow=True,
    )
    page = text_of(response)
    assert "The response times are saved." in page
    assert "Urgent: within 10 minutes" in page
    assert "Concern: within 2 working days" in page
    saved = SafeguardingSettings.objects.get(organisation=organisation)
    assert (saved.urgent_minutes, saved.high_minutes, saved.concern_working_days) == (10, 45, 2)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"urgent_minutes": "3", "high_minutes": "60", "concern_working_days": "1"},
            "urgent_minutes",
            "Enter a number from 5 to 120 minutes.",
        ),
        (
            {"urgent_minutes": "15", "high_minutes": "an hour", "concern_working_days": "1"},
            "high_minutes",
            "Enter a whole number.",
        ),
        (
            {"urgent_minutes": "60", "high_minutes": "30", "concern_working_days": "1"},
            "high_minutes",
            "Give high alerts at least as long as urgent ones (60 minutes or more).",
        ),
        (
            {"urgent_minutes": "15", "high_minutes": "60", "concern_working_days": ""},
            "concern_working_days",
            "Enter a number.",
        ),
    ],
)
def test_response_times_with_a_problem_keep_what_was_typed(
    coordinator, client_for, data, field, message
):
    response = client_for(coordinator).post(reverse("safeguarding:response_times"), data)
    assert response.status_code == 400
    page = response.content.decode()
    error_list = page.split(f'id="id_{field}_error"', 1)[1].split("</ul>", 1)[0]
    assert message in error_list
    for name, value in data.items():
        if value:
            assert f'name="{name}" value="{value}"' in page
    assert not SafeguardingSettings.objects.exists()
