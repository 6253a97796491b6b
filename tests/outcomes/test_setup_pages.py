"""The organisation's outcome-measure setup pages: the settings (admins), the questionnaires
(coordinators and admins read; admins add their own), one questionnaire in full, and asking a
mentee for an extra measure. Who may open each, what they show, and bad input explained next to
the field with nothing typed lost."""

from __future__ import annotations

import copy
import json
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from outcomes import instruments as engine
from outcomes.models import (
    Instrument,
    MeasureRequest,
    MeasureSchedule,
    MeasureSettings,
    Occasion,
)
from tests.mentoring.access import PEOPLE, STAFF, check_page, client_as

pytestmark = pytest.mark.django_db

ADMIN = ["admin"]
# Pages about the organisation's own setup: any organisation's staff see theirs (the shipped
# questionnaires are the same for all).
ANY_STAFF = [*STAFF, "other_org_coordinator"]


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def own_definition(**changes) -> dict:
    """A small valid definition of an organisation's own questionnaire."""
    definition = copy.deepcopy(dict(engine.builtin("gad7").definition))
    definition.update(
        {
            "key": "calm-check",
            "name": "Calm Check (licensed)",
            "short_name": "Calm-4",
            "attribution": "Calm Check © Example Press, used under licence.",
            "items": [
                {"key": "1", "text": "Feeling on edge"},
                {"key": "2", "text": "Not able to stop worrying"},
                {"key": "3", "text": "Trouble relaxing"},
                {"key": "4", "text": "Easily annoyed"},
            ],
            "scoring": {"method": "sum", "max_missing": 1},
            "bands": [
                {"key": "low", "label": "Low", "any": [{"total": {"max": 5}}]},
                {"key": "high", "label": "High", "any": [{"total": {"max": 12}}]},
            ],
            "change": {"direction": "lower_is_better", "basis": "total", "reliable_change": 3},
        }
    )
    definition.update(changes)
    return definition


def settings_data(instruments, **overrides) -> dict[str, str]:
    data = {"open_days": "21", "reminder_days": "4", "max_reminders": "3"}
    for instrument in instruments:
        data.update(
            {
                f"{instrument.key}-uses": "on",
                f"{instrument.key}-at_baseline": "on",
                f"{instrument.key}-every_sessions": "4",
                f"{instrument.key}-every_weeks": "",
                f"{instrument.key}-at_closure": "on",
                f"{instrument.key}-at_follow_up": "on",
            }
        )
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def shipped(phq9, gad7, who5):
    return [gad7, phq9, who5]


# Access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_open_the_settings(person, request, client_for, shipped):
    response = client_as(person, request, client_for).get(reverse("outcomes:settings"))
    check_page(response, person, ADMIN)


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_save_the_settings(person, request, client_for, shipped, organisation):
    response = client_as(person, request, client_for).post(
        reverse("outcomes:settings"), settings_data(shipped)
    )
    check_page(response, person, ADMIN, ok=302)
    saved = MeasureSettings.objects.filter(organisation=organisation, open_days=21).exists()
    assert saved == (person == "admin")


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_see_the_questionnaires(person, request, client_for, shipped):
    response = client_as(person, request, client_for).get(reverse("outcomes:instruments"))
    check_page(response, person, ANY_STAFF)


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_add_a_questionnaire(person, request, client_for, shipped):
    response = client_as(person, request, client_for).post(
        reverse("outcomes:instruments"), {"definition": json.dumps(own_definition())}
    )
    check_page(response, person, ADMIN, ok=302)
    assert Instrument.objects.filter(key="calm-check").exists() == (person == "admin")


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_read_a_questionnaire_in_full(person, request, client_for, phq9):
    response = client_as(person, request, client_for).get(
        reverse("outcomes:instrument", args=[phq9.pk])
    )
    check_page(response, person, ANY_STAFF)


@pytest.mark.parametrize("person", PEOPLE)
def test_a_questionnaire_page_takes_no_posts(person, request, client_for, phq9):
    response = client_as(person, request, client_for).post(
        reverse("outcomes:instrument", args=[phq9.pk])
    )
    check_page(response, person, ANY_STAFF, ok=405)


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_ask_for_an_extra_measure(person, request, client_for, mentee, phq9):
    response = client_as(person, request, client_for).post(
        reverse("outcomes:ask", args=[mentee.pk]), {"instrument": phq9.pk}
    )
    check_page(response, person, STAFF, ok=302)
    assert MeasureRequest.objects.filter(person=mentee).exists() == (person in STAFF)


@pytest.mark.parametrize("person", PEOPLE)
def test_asking_takes_no_gets(person, request, client_for, mentee, phq9):
    response = client_as(person, request, client_for).get(reverse("outcomes:ask", args=[mentee.pk]))
    check_page(response, person, STAFF, ok=405)


def test_another_organisations_questionnaire_is_a_404(
    client_for, coordinator, other_org_coordinator, other_organisation, admin
):
    theirs = Instrument.objects.create(
        organisation=other_organisation,
        key="calm-check",
        name="Calm",
        short_name="Calm-4",
        definition=own_definition(),
    )
    url = reverse("outcomes:instrument", args=[theirs.pk])
    assert client_for(coordinator).get(url).status_code == 404
    assert client_for(other_org_coordinator).get(url).status_code == 200
    assert "Calm-4" not in text_of(client_for(admin).get(reverse("outcomes:instruments")))
    assert (
        client_for(coordinator).get(reverse("outcomes:instrument", args=[999999])).status_code
        == 404
    )


@pytest.mark.parametrize("who", ["mentor", "coordinator", "other_mentee", "admin"])
def test_only_a_mentee_of_the_organisation_can_be_asked(
    who, request, client_for, coordinator, phq9
):
    person = request.getfixturevalue(who)
    response = client_for(coordinator).post(
        reverse("outcomes:ask", args=[person.pk]), {"instrument": phq9.pk}
    )
    assert response.status_code == (302 if who == "other_mentee" else 404)


def test_another_organisations_coordinator_cannot_ask_our_mentee(
    client_for, other_org_coordinator, mentee, phq9
):
    response = client_for(other_org_coordinator).post(
        reverse("outcomes:ask", args=[mentee.pk]), {"instrument": phq9.pk}
    )
    assert response.status_code == 404
    assert not MeasureRequest.objects.exists()


# Settings ----------------------------------------------------------------------------------------


def test_the_settings_start_from_the_defaults(client_for, admin, shipped, organisation):
    response = client_for(admin).get(reverse("outcomes:settings"))
    page = text_of(response)
    assert "Outcome measure settings" in page and page.count("<h1") == 1
    form = response.context["form"]
    assert form["phq9-uses"].value() is True
    assert form["phq9-every_sessions"].value() == 6
    assert form["open_days"].value() == 28
    assert not MeasureSchedule.objects.exists(), "opening the page changes nothing"


def test_an_admin_chooses_which_questionnaires_and_when(client_for, admin, shipped, organisation):
    data = settings_data(
        shipped,
        **{
            "who5-uses": None,
            "gad7-every_sessions": "",
            "gad7-every_weeks": "8",
            "gad7-at_follow_up": None,
        },
    )
    response = client_for(admin).post(reverse("outcomes:settings"), data, follow=True)
    assert "The outcome measure settings are saved" in text_of(response)
    rows = {
        row.instrument.key: row
        for row in MeasureSchedule.objects.filter(organisation=organisation).select_related(
            "instrument"
        )
    }
    assert rows["who5"].is_active is False
    assert (rows["gad7"].every_sessions, rows["gad7"].every_weeks) == (None, 8)
    assert rows["gad7"].at_follow_up is False
    assert rows["phq9"].every_sessions == 4
    saved = MeasureSettings.objects.get(organisation=organisation)
    assert (saved.open_days, saved.reminder_days, saved.max_reminders) == (21, 4, 3)
    event = AuditEvent.objects.get(action="measure_settings.updated")
    assert event.metadata["instruments"] == "gad7,phq9"
    page = text_of(client_for(admin).get(reverse("outcomes:settings")))
    assert 'name="gad7-every_weeks" value="8"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phq9-every_sessions", "0", "between 1 and 52"),
        ("phq9-every_sessions", "60", "between 1 and 52"),
        ("gad7-every_weeks", "abc", "between 1 and 52"),
        ("open_days", "", "between 1 and 90"),
        ("reminder_days", "45", "between 1 and 30"),
        ("max_reminders", "-1", "between 0"),
    ],
)
def test_bad_numbers_are_explained_next_to_the_field_and_kept(
    field, value, message, client_for, admin, shipped, organisation
):
    data = settings_data(shipped, **{field: value, "who5-every_sessions": "9"})
    response = client_for(admin).post(reverse("outcomes:settings"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    page = text_of(response)
    assert f'name="{field}"' in page and 'name="who5-every_sessions" value="9"' in page
    if value:
        assert f'value="{value}"' in page
    assert "Some answers need another look" in page
    assert not MeasureSchedule.objects.filter(organisation=organisation).exists()
    assert not MeasureSettings.objects.filter(organisation=organisation).exists()


def test_using_a_questionnaire_without_saying_when_is_explained(
    client_for, admin, shipped, organisation
):
    data = settings_data(
        shipped,
        **{
            "phq9-at_baseline": None,
            "phq9-every_sessions": "",
            "phq9-at_closure": None,
            "phq9-at_follow_up": None,
        },
    )
    response = client_for(admin).post(reverse("outcomes:settings"), data)
    errors = response.context["form"].errors
    assert list(errors) == ["phq9-uses"]
    assert "Choose at least one time to ask" in errors["phq9-uses"][0]
    assert "PHQ-9" in text_of(response)


def test_an_organisations_own_questionnaire_can_be_scheduled(
    client_for, admin, shipped, organisation
):
    own = Instrument.objects.create(
        organisation=organisation,
        key="calm-check",
        name="Calm",
        short_name="Calm-4",
        definition=own_definition(),
    )
    page = client_for(admin).get(reverse("outcomes:settings"))
    assert page.context["form"]["calm-check-uses"].value() is False
    client_for(admin).post(reverse("outcomes:settings"), settings_data([*shipped, own]))
    assert MeasureSchedule.objects.get(instrument=own).is_active


# Questionnaires ----------------------------------------------------------------------------------


def test_the_list_shows_each_questionnaire_and_when_it_is_used(
    client_for, coordinator, shipped, organisation
):
    page = text_of(client_for(coordinator).get(reverse("outcomes:instruments")))
    for short_name in ("PHQ-9", "GAD-7", "WHO-5"):
        assert short_name in page
    assert "Add your own questionnaire" not in page


def test_a_questionnaire_in_full(client_for, coordinator, phq9):
    page = text_of(client_for(coordinator).get(reverse("outcomes:instrument", args=[phq9.pk])))
    definition = engine.builtin("phq9")
    assert page.count("<h1") == 1
    assert definition.stem in page
    for item in definition.items:
        assert item.text.split(" ")[0] in page
    for option in definition.options:
        assert option.label in page
    assert "Moderately severe" in page and "total at most 19" in page
    assert "Raises a safeguarding alert" in page and "question 9 at least 1" in page
    assert "A change of at least 6 on the total" in page
    assert "Jacobson &amp; Truax" in page
    assert "Spitzer" in page  # the attribution line


def test_an_admin_pastes_a_definition(client_for, admin, organisation):
    response = client_for(admin).post(
        reverse("outcomes:instruments"), {"definition": json.dumps(own_definition())}, follow=True
    )
    added = Instrument.objects.get(organisation=organisation, key="calm-check")
    assert response.redirect_chain[-1][0] == reverse("outcomes:instrument", args=[added.pk])
    page = text_of(response)
    assert "can now be used" in page and "Feeling on edge" in page
    assert "Calm Check © Example Press" in page
    assert AuditEvent.objects.filter(action="instrument.added").exists()


def test_an_admin_uploads_a_definition_file(client_for, admin, organisation):
    upload = SimpleUploadedFile(
        "calm.json", json.dumps(own_definition()).encode(), content_type="application/json"
    )
    response = client_for(admin).post(reverse("outcomes:instruments"), {"definition_file": upload})
    assert response.status_code == 302
    assert Instrument.objects.filter(organisation=organisation, key="calm-check").exists()


def test_problems_with_a_pasted_definition_are_listed_and_the_text_kept(
    client_for, admin, organisation
):
    bad = own_definition(options=[{"value": 0, "label": "Only one"}])
    del bad["stem"]
    pasted = json.dumps(bad, indent=2)
    response = client_for(admin).post(reverse("outcomes:instruments"), {"definition": pasted})
    assert response.status_code == 200
    errors = response.context["form"].errors["definition"]
    assert "'stem' is required." in errors
    assert "At least two answer options are needed." in errors
    page = response.content.decode()
    assert '"Calm Check (licensed)"' in page.replace("&quot;", '"')
    assert "Traceback" not in page
    assert not Instrument.objects.filter(organisation=organisation).exists()


def test_text_that_is_not_json_is_explained(client_for, admin):
    response = client_for(admin).post(reverse("outcomes:instruments"), {"definition": "{ nope"})
    errors = response.context["form"].errors["definition"]
    assert "This is not valid JSON" in errors[0]
    assert "{ nope" in response.content.decode()


def test_a_bad_file_is_explained_next_to_the_file_field(client_for, admin):
    upload = SimpleUploadedFile(
        "phq.json", json.dumps(dict(engine.builtin("phq9").definition)).encode()
    )
    response = client_for(admin).post(reverse("outcomes:instruments"), {"definition_file": upload})
    errors = response.context["form"].errors
    assert list(errors) == ["definition_file"]
    assert "key of an instrument Alongside ships" in errors["definition_file"][0]


def test_nothing_chosen_or_pasted_is_explained(client_for, admin):
    response = client_for(admin).post(reverse("outcomes:instruments"), {"definition": "  "})
    assert "Choose a definition file, or paste" in text_of(response)


# Asking for an extra measure ---------------------------------------------------------------------


def test_a_coordinator_asks_a_mentee_for_an_extra_measure(
    client_for, coordinator, active_relationship, gad7
):
    mentee = active_relationship.mentee
    response = client_for(coordinator).post(
        reverse("outcomes:ask", args=[mentee.pk]), {"instrument": gad7.pk}
    )
    assert response.status_code == 302
    assert response.url == reverse("outcomes:person", args=[mentee.pk])
    request = MeasureRequest.objects.get(person=mentee)
    assert (request.instrument, request.occasion) == (gad7, Occasion.EXTRA)
    [message] = messages_of(response)
    assert "has been asked to complete the GAD-7" in message and "Sam" in message


@pytest.mark.parametrize("chosen", ["", "999999", "not-a-number"])
def test_a_bad_choice_is_explained_and_nothing_is_asked(chosen, client_for, coordinator, mentee):
    response = client_for(coordinator).post(
        reverse("outcomes:ask", args=[mentee.pk]), {"instrument": chosen}
    )
    assert response.status_code == 302
    assert response.url == reverse("outcomes:person", args=[mentee.pk])
    [message] = messages_of(response)
    assert message.startswith("Choose")
    assert not MeasureRequest.objects.exists()


def test_another_organisations_questionnaire_cannot_be_asked_for(
    client_for, coordinator, mentee, other_organisation
):
    theirs = Instrument.objects.create(
        organisation=other_organisation,
        key="calm-check",
        name="Calm",
        short_name="Calm-4",
        definition=own_definition(),
    )
    response = client_for(coordinator).post(
        reverse("outcomes:ask", args=[mentee.pk]), {"instrument": theirs.pk}
    )
    assert response.status_code == 302
    assert messages_of(response)[0].startswith("Choose")
    assert not MeasureRequest.objects.exists()


def test_the_list_and_settings_pages_queries_are_pinned(
    client_for, admin, shipped, organisation, django_assert_max_num_queries
):
    for number in range(4):
        Instrument.objects.create(
            organisation=organisation,
            key=f"own-{number}",
            name=f"Own {number}",
            short_name=f"Own-{number}",
            definition=own_definition(key=f"own-{number}"),
        )
    client = client_for(admin)
    client.get(reverse("outcomes:instruments"))
    # 7, and the urgent safeguarding banner on every staff page.
    with django_assert_max_num_queries(8):
        assert client.get(reverse("outcomes:instruments")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("outcomes:settings")).status_code == 200
