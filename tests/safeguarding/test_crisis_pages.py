"""Coordinators and admins keep the organisation's crisis resources, which "Get help now"
shows to everyone, signed in or not. The pages check what is typed (a way to reach the service
now, a safe web address) and keep it when something needs another look."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from safeguarding.models import CrisisResource
from safeguarding.services.crisis import (
    CRISIS_NO_CONTACT,
    crisis_resource_add,
    crisis_resource_create,
    crisis_resource_update,
)
from tests.mentoring.access import PEOPLE, check_page, client_as

pytestmark = pytest.mark.django_db

LIST = "/safeguarding/crisis-resources/"
NEW = "/safeguarding/crisis-resources/new/"
EDIT = "/safeguarding/crisis-resources/{pk}/"
HELP = "/help/"
STAFF = ["coordinator", "admin"]


def details(**changes) -> dict[str, object]:
    return {
        "name": "Samaritans",
        "description": "Someone to talk to, day or night.",
        "phone": "116 123",
        "text_number": "",
        "text_keyword": "",
        "website": "https://www.samaritans.org",
        "hours": "24 hours a day",
        "is_emergency": False,
        "position": 1,
        "is_active": True,
        **changes,
    }


def form_data(**changes) -> dict[str, object]:
    data = details(**changes)
    for name in ("is_emergency", "is_active"):
        if data[name]:
            data[name] = "on"
        else:
            del data[name]
    return data


@pytest.fixture
def samaritans(organisation):
    return crisis_resource_create(actor=None, organisation=organisation, **details())


@pytest.fixture
def elsewhere_line(other_organisation):
    return crisis_resource_create(
        actor=None, organisation=other_organisation, name="Elsewhere line", phone="0100"
    )


# Who may open each page --------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_list_access(person, request, client_for, samaritans):
    client = client_as(person, request, client_for)
    response = client.get(LIST)
    check_page(response, person, [*STAFF, "other_org_coordinator"])
    if response.status_code == 200:
        assert ("Samaritans" in response.content.decode()) == (person in STAFF)
    if person != "anonymous":
        assert client.post(LIST).status_code in (404, 405)


@pytest.mark.parametrize("person", PEOPLE)
def test_new_access(person, request, client_for, organisation):
    client = client_as(person, request, client_for)
    allowed = [*STAFF, "other_org_coordinator"]
    check_page(client.get(NEW), person, allowed)
    check_page(client.post(NEW, form_data()), person, allowed, ok=302)
    made = CrisisResource.objects.first()
    assert (made is not None) == (person in allowed)
    if made is not None:
        assert (made.organisation == organisation) == (person in STAFF)


@pytest.mark.parametrize("person", PEOPLE)
def test_edit_access(person, request, client_for, samaritans):
    client = client_as(person, request, client_for)
    url = EDIT.format(pk=samaritans.pk)
    check_page(client.get(url), person, STAFF)
    check_page(client.post(url, form_data(name="Samaritans (changed)")), person, STAFF, ok=302)
    samaritans.refresh_from_db()
    assert (samaritans.name == "Samaritans (changed)") == (person in STAFF)


@pytest.mark.parametrize("person", ["coordinator", "admin"])
def test_another_organisations_resource_is_a_404(person, request, client_for, elsewhere_line):
    client = client_for(request.getfixturevalue(person))
    url = EDIT.format(pk=elsewhere_line.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    assert client.get(EDIT.format(pk=999999)).status_code == 404


# The list ----------------------------------------------------------------------------------------


def test_the_list_puts_emergency_services_first_and_explains_who_sees_it(
    client_for, coordinator, organisation, samaritans
):
    crisis_resource_create(
        actor=None,
        organisation=organisation,
        name="Emergency services",
        phone="999",
        is_emergency=True,
        position=9,
    )
    hidden = crisis_resource_create(
        actor=None, organisation=organisation, name="Old line", phone="1", position=5
    )
    CrisisResource.objects.filter(pk=hidden.pk).update(is_active=False)
    page = client_for(coordinator).get(LIST).content.decode()
    assert page.index("Emergency services") < page.index("Samaritans") < page.index("Old line")
    assert "open to everyone, signed in or not" in page
    assert "keep the list short" in page
    assert "Hidden" in page
    assert "2 shown on" in page
    assert page.count("<h1") == 1


def test_html_typed_into_a_crisis_resource_is_shown_as_text(client_for, coordinator, organisation):
    crisis_resource_create(
        actor=None,
        organisation=organisation,
        name="<script>alert(1)</script>",
        description="<img src=x onerror=alert(2)>",
        phone="111",
        hours="<b>always</b>",
    )
    for client, url in ((client_for(coordinator), LIST), (client_for(coordinator), HELP)):
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page
        assert "<img src=x" not in page
        assert "<b>always" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# Adding and changing -----------------------------------------------------------------------------


def test_a_coordinator_adds_a_crisis_resource(client_for, coordinator, organisation):
    response = client_for(coordinator).post(
        NEW,
        form_data(name="Shout", phone="", website="", text_number="85258", text_keyword="SHOUT"),
        follow=True,
    )
    assert "Shout is added to “Get help now”." in response.content.decode()
    made = CrisisResource.objects.get()
    assert (made.organisation, made.text_number, made.text_keyword) == (
        organisation,
        "85258",
        "SHOUT",
    )
    event = AuditEvent.objects.get(action="crisis_resource.created")
    assert event.actor == coordinator


def test_a_resource_needs_a_phone_a_text_number_or_a_website(client_for, coordinator):
    response = client_for(coordinator).post(
        NEW, form_data(name="Typed name", description="Typed words", phone="", website="")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some answers need another look" in page
    assert re.search(r'id="id_phone_error"[^>]*>\s*<li>' + re.escape(CRISIS_NO_CONTACT), page)
    assert 'value="Typed name"' in page and 'value="Typed words"' in page
    assert not CrisisResource.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"website": "javascript:alert(1)"}, "website"),
        ({"website": "data:text/html,hi"}, "website"),
        ({"name": ""}, "name"),
        ({"phone": "call us"}, "phone"),
        ({"text_keyword": "SHOUT"}, "text_number"),
        ({"position": "first"}, "position"),
    ],
)
def test_problems_are_shown_next_to_their_field(changes, field, client_for, admin):
    response = client_for(admin).post(NEW, form_data(**changes))
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not CrisisResource.objects.exists()


def test_a_bare_web_address_gets_https(admin, organisation):
    made = crisis_resource_add(
        actor=admin, organisation=organisation, **details(website="www.samaritans.org")
    )
    assert made.website == "https://www.samaritans.org"


def test_editing_changes_the_details_and_is_audited(client_for, coordinator, samaritans):
    client = client_for(coordinator)
    url = EDIT.format(pk=samaritans.pk)
    page = client.get(url).content.decode()
    assert 'value="116 123"' in page
    response = client.post(url, form_data(hours="Every day", is_active=False), follow=True)
    assert "Samaritans is saved." in response.content.decode()
    samaritans.refresh_from_db()
    assert (samaritans.hours, samaritans.is_active) == ("Every day", False)
    event = AuditEvent.objects.get(action="crisis_resource.updated")
    assert event.metadata == {"fields_changed": 2, "is_active": False}


def test_saving_the_same_details_writes_nothing(coordinator, samaritans):
    crisis_resource_update(actor=coordinator, resource=samaritans, **details())
    assert not AuditEvent.objects.filter(action="crisis_resource.updated").exists()


@pytest.mark.parametrize("person", ["mentor", "supervisor", "mentee", "other_org_coordinator"])
def test_only_staff_of_the_organisation_change_them(person, request, organisation, samaritans):
    actor = request.getfixturevalue(person)
    with pytest.raises(ValidationError):
        crisis_resource_add(actor=actor, organisation=organisation, **details())
    with pytest.raises(ValidationError):
        crisis_resource_update(actor=actor, resource=samaritans, **details(name="Changed"))


def test_an_update_cannot_remove_every_way_to_reach_it(coordinator, samaritans):
    with pytest.raises(ValidationError) as caught:
        crisis_resource_update(
            actor=coordinator, resource=samaritans, **details(phone="", website="")
        )
    assert caught.value.message_dict == {"phone": [CRISIS_NO_CONTACT]}


# "Get help now" still works for everyone ---------------------------------------------------------


def test_get_help_now_is_open_to_visitors_and_lists_the_resources(client, samaritans):
    response = client.get(HELP)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Samaritans" in page
    assert 'href="tel:116123"' in page


@pytest.mark.parametrize("person", PEOPLE)
def test_get_help_now_opens_for_everyone(person, request, client_for, samaritans):
    response = client_as(person, request, client_for).get(HELP)
    assert response.status_code == 200


def test_get_help_now_links_out_safely(client, samaritans):
    page = client.get(HELP).content.decode()
    link = re.search(r'<a href="https://www\.samaritans\.org"[^>]*>', page)
    assert link is not None
    assert "noopener" in link.group(0) and "noreferrer" in link.group(0)
    assert "target=" not in link.group(0)


def test_a_resource_added_on_the_page_appears_on_get_help_now(client_for, coordinator, client):
    client_for(coordinator).post(NEW, form_data(name="Riverside Crisis Team", phone="0800 1"))
    assert "Riverside Crisis Team" in client.get(HELP).content.decode()
