"""The referrals API: a partner's system refers people and follows only their status; coordinators
read the queue. Same service and same access rules as the pages, by session or token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import Language, Role
from accounts.services import api_token_create
from audit.models import AuditEvent
from referrals import consent
from referrals.models import Referral, Source, Status, Urgency
from safeguarding.services.crisis import crisis_resource_create
from tests.factories import MembershipFactory
from tests.mentors.factories import SupportAreaFactory
from tests.referrals.factories import ReferralFactory

LIST = "/api/v1/referrals/"

PEOPLE = [
    "anonymous",
    "mentee",
    "mentor",
    "other_mentor",
    "supervisor",
    "coordinator",
    "admin",
    "referrer",
    "outsider",
    "other_org_coordinator",
]

ENDPOINTS = {
    # (method, path): {person: status}; everyone else signed in gets 404, anonymous 401.
    ("get", LIST): {
        "referrer": 200,
        "coordinator": 200,
        "admin": 200,
        "other_org_coordinator": 200,
    },
    ("get", LIST + "{referral}/"): {"referrer": 200, "coordinator": 200, "admin": 200},
    ("post", LIST): {"referrer": 201},
}

# Never in anything a referrer receives.
PRIVATE_TO_STAFF = {
    "hopes",
    "urgency",
    "urgency_reasons",
    "full_name",
    "preferred_name",
    "email",
    "phone",
    "support_areas",
    "safe_now",
    "possible_duplicate_of",
}
CONTACT_DETAILS = {"full_name", "preferred_name", "email", "phone", "best_time_to_contact"}
STATUS_FIELDS = {"id", "status", "status_label", "source", "created_at", "status_changed_at"}
RECEIPT_FIELDS = {"id", "status", "status_label", "urgent", "created_at", "crisis_resources"}


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Request rates are counted in the cache; start every test from zero."""
    cache.clear()


@pytest.fixture
def languages(db):
    english, _ = Language.objects.get_or_create(code="en", defaults={"name": "English"})
    polish, _ = Language.objects.get_or_create(code="pl", defaults={"name": "Polish"})
    return [english, polish]


@pytest.fixture
def other_referrer(organisation):
    return MembershipFactory(
        organisation=organisation, role=Role.REFERRER, user__email="other.referrer@example.org"
    ).user


def body(**overrides):
    data = {
        "full_name": "Jordan Example",
        "preferred_name": "Jo",
        "email": "jordan@example.net",
        "phone": "07700 900555",
        "email_ok": True,
        "voicemail_ok": False,
        "text_ok": True,
        "best_time_to_contact": "Weekday mornings",
        "year_of_birth": 1990,
        "safe_now": "yes",
        "support_areas": ["Anxiety"],
        "hopes": "To feel more confident meeting new people.",
        "languages": ["en"],
        "formats": ["video", "phone"],
        "area": "Leeds",
        "availability_slots": ["mon_evening", "sat_morning"],
        "availability": "Not the first week of the month.",
        "mentor_gender_importance": "nice",
        "mentor_gender": "A woman",
        "source": "gp",
        "referrer_organisation_name": "Northgate Surgery",
        "consent_confirmed": True,
    }
    data.update(overrides)
    return data


def post(client, data, key=None, **headers):
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(LIST, data, content_type="application/json", **headers)


def token_client(user, organisation):
    _, key = api_token_create(actor=None, user=user, organisation=organisation, name="GP system")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def call(client, method, url, person):
    if method == "post":
        # A new person each time, so no call is mistaken for a repeat or a duplicate.
        return post(client, body(email=f"{person}@example.net", phone=""))
    return client.get(url)


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(("method", "path"), list(ENDPOINTS))
def test_endpoint_access_by_session(
    method, path, person, request, client_for, partner_referral, areas
):
    url = path.format(referral=partner_referral.pk)
    if person == "anonymous":
        assert call(Client(), method, url, person).status_code == 401
        assert Referral.objects.count() == 1
        return
    response = call(client_for(request.getfixturevalue(person)), method, url, person)
    expected = ENDPOINTS[method, path].get(person, 404)
    assert response.status_code == expected, f"{person} {method} {url}"
    assert Referral.objects.count() == (2 if expected == 201 else 1)


@pytest.mark.parametrize("person", [p for p in PEOPLE if p not in ("anonymous", "outsider")])
@pytest.mark.parametrize(("method", "path"), list(ENDPOINTS))
def test_endpoint_access_by_token(
    method, path, person, request, organisation, partner_referral, areas
):
    user = request.getfixturevalue(person)
    token_organisation = (
        request.getfixturevalue("other_organisation")
        if person == "other_org_coordinator"
        else organisation
    )
    url = path.format(referral=partner_referral.pk)
    response = call(token_client(user, token_organisation), method, url, person)
    expected = ENDPOINTS[method, path].get(person, 404)
    assert response.status_code == expected, f"{person} {method} {url} with a token"


def test_made_up_token_is_refused(db):
    response = post(Client(HTTP_AUTHORIZATION="Token not-a-key"), body())
    assert response.status_code == 401
    assert not Referral.objects.exists()


@pytest.mark.parametrize("person", ["referrer", "coordinator"])
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_referrals_cannot_be_changed_or_deleted_through_the_api(
    person, method, request, client_for, partner_referral
):
    client = client_for(request.getfixturevalue(person))
    response = getattr(client, method)(
        f"{LIST}{partner_referral.pk}/", {}, content_type="application/json"
    )
    assert response.status_code == 405
    assert Referral.objects.get().status == Status.NEW


def test_a_mentee_trying_to_change_a_referral_gets_404(client_for, mentee, partner_referral):
    response = client_for(mentee).delete(f"{LIST}{partner_referral.pk}/")
    assert response.status_code == 404
    assert Referral.objects.filter(pk=partner_referral.pk).exists()


def test_a_coordinator_may_not_refer_through_the_api(client_for, coordinator, areas):
    assert post(client_for(coordinator), body()).status_code == 404
    assert not Referral.objects.exists()


# Referring ------------------------------------------------------------------------------------


def test_partner_refers_someone_and_gets_its_id_and_status(
    client_for, referrer, organisation, areas, languages
):
    response = post(client_for(referrer), body(), key="abc-123")
    assert response.status_code == 201
    data = response.json()
    assert set(data) == RECEIPT_FIELDS
    referral = Referral.objects.get()
    assert data["id"] == referral.pk
    assert (data["status"], data["status_label"]) == ("new", "New")
    assert data["urgent"] is False
    assert data["crisis_resources"] == []
    assert response["Location"].endswith(f"{LIST}{referral.pk}/")

    assert referral.organisation == organisation
    assert referral.referrer == referral.consent_confirmed_by == referrer
    assert referral.source == Source.GP
    assert referral.consent_version == consent.CURRENT_VERSION
    assert referral.idempotency_key == f"api:{referrer.pk}:abc-123"
    assert referral.access_token_hash == ""
    assert referral.full_name == "Jordan Example"
    assert referral.hopes == "To feel more confident meeting new people."
    assert [area.name for area in referral.support_areas.all()] == ["Anxiety"]
    assert [language.code for language in referral.languages.all()] == ["en"]
    assert referral.formats == ["video", "phone"]
    assert referral.availability_slots == ["mon_evening", "sat_morning"]
    assert referral.mentor_gender_importance == "nice"
    assert referral.referrer_organisation_name == "Northgate Surgery"
    event = AuditEvent.objects.get(action="referral.created")
    assert event.metadata["source"] == "gp"


def test_a_token_refers_into_its_own_organisation(
    referrer, organisation, other_organisation, partner_referral
):
    MembershipFactory(organisation=other_organisation, user=referrer, role=Role.REFERRER)
    client = token_client(referrer, other_organisation)
    response = post(client, body(support_areas=[]))
    assert response.status_code == 201
    assert Referral.objects.get(pk=response.json()["id"]).organisation == other_organisation
    listed = client.get(LIST).json()["results"]
    assert [row["id"] for row in listed] == [response.json()["id"]]


def test_support_areas_and_languages_match_without_regard_to_case(
    client_for, referrer, areas, languages
):
    response = post(
        client_for(referrer), body(support_areas=["anxiety", "GRIEF"], languages=["PL"])
    )
    assert response.status_code == 201
    referral = Referral.objects.get()
    assert {area.name for area in referral.support_areas.all()} == {"Anxiety", "Grief"}
    assert [language.code for language in referral.languages.all()] == ["pl"]


def test_repeat_with_the_same_key_returns_the_first_referral_with_200(
    client_for, referrer, areas, languages
):
    client = client_for(referrer)
    first = post(client, body(), key="order-77")
    again = post(client, body(), key="order-77")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Referral.objects.count() == 1
    assert AuditEvent.objects.filter(action="referral.created").count() == 1


def test_repeat_with_the_same_key_and_a_different_body_still_returns_the_first(
    client_for, referrer, areas, languages
):
    client = client_for(referrer)
    first = post(client, body(), key="order-78")
    changed = post(client, body(full_name="Someone Else", safe_now="no"), key="order-78")
    assert changed.status_code == 200
    assert changed.json() == first.json()
    assert Referral.objects.get().full_name == "Jordan Example"
    invalid = post(client, body(consent_confirmed=False, formats=["fax"]), key="order-78")
    assert invalid.status_code == 200
    assert invalid.json()["id"] == first.json()["id"]
    assert Referral.objects.count() == 1


def test_the_same_key_by_session_and_by_token_is_one_referral(
    client_for, referrer, organisation, areas, languages
):
    first = post(client_for(referrer), body(), key="k-1")
    again = post(token_client(referrer, organisation), body(), key="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert Referral.objects.count() == 1


def test_two_partners_using_the_same_key_make_two_referrals(
    client_for, referrer, other_referrer, areas, languages
):
    mine = post(client_for(referrer), body(), key="1")
    theirs = post(client_for(other_referrer), body(email="sam@example.net", phone=""), key="1")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    assert Referral.objects.count() == 2
    assert Referral.objects.get(pk=theirs.json()["id"]).referrer == other_referrer


def test_without_a_key_each_call_is_a_new_referral(client_for, referrer, areas, languages):
    client = client_for(referrer)
    post(client, body())
    post(client, body(email="other@example.net", phone=""))
    assert Referral.objects.count() == 2


def test_a_too_long_key_is_refused_and_nothing_is_made(client_for, referrer, areas, languages):
    room = 100 - len(f"api:{referrer.pk}:")
    client = client_for(referrer)
    response = post(client, body(), key="k" * (room + 1))
    assert response.status_code == 400
    assert f"at most {room} characters" in response.json()["Idempotency-Key"][0]
    assert not Referral.objects.exists()
    assert post(client, body(), key="k" * room).status_code == 201


def test_missing_consent_is_a_field_error_and_nothing_is_made(client_for, referrer, areas):
    data = body()
    del data["consent_confirmed"]
    response = post(client_for(referrer), data)
    assert response.status_code == 400
    assert "consent_confirmed" in response.json()
    assert not Referral.objects.exists()


def test_consent_not_confirmed_is_refused_by_the_service_rule(client_for, referrer, areas):
    response = post(client_for(referrer), body(consent_confirmed=False), key="no-consent")
    assert response.status_code == 400
    assert "agreed" in response.json()["consent_confirmed"][0]
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action="referral.created").exists()


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("support_areas", ["Anxiety", "Loneliness"], "Loneliness"),
        ("languages", ["en", "xx-unknown"], "xx-unknown"),
        ("formats", ["video", "carrier-pigeon"], "carrier-pigeon"),
        ("availability_slots", ["mon_midnight"], "mon_midnight"),
        ("source", "self", "self"),
        ("safe_now", "maybe", "maybe"),
        ("mentor_age_importance", "essential", "essential"),
    ],
)
def test_an_unknown_choice_is_refused_and_named(
    client_for, referrer, areas, languages, field, value, named
):
    response = post(client_for(referrer), body(**{field: value}))
    assert response.status_code == 400
    assert named in str(response.json()[field])
    assert not Referral.objects.exists()


def test_another_organisations_support_area_is_unknown_here(
    client_for, referrer, other_organisation, areas
):
    SupportAreaFactory(organisation=other_organisation, name="Hoarding")
    response = post(client_for(referrer), body(support_areas=["Hoarding"]))
    assert response.status_code == 400
    assert "Hoarding" in response.json()["support_areas"][0]


def test_a_referral_needs_a_way_to_reach_the_person(client_for, referrer, areas):
    response = post(client_for(referrer), body(email="", phone=""))
    assert response.status_code == 400
    assert "email address or a phone number" in response.json()["email"][0]
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"full_name": "   "}, "full_name"),
        ({"email": "not-an-email"}, "email"),
        ({"year_of_birth": timezone.localdate().year}, "year_of_birth"),
        ({"mentor_age_min": 40, "mentor_age_max": 30}, "mentor_age_max"),
        ({"safe_now": ""}, "safe_now"),
        ({"hopes": "x" * 3001}, "hopes"),
    ],
)
def test_badly_shaped_answers_are_field_errors(client_for, referrer, areas, overrides, field):
    response = post(client_for(referrer), body(**overrides))
    assert response.status_code == 400
    assert field in response.json()
    assert not Referral.objects.exists()


def test_only_json_is_accepted(client_for, referrer, areas):
    response = client_for(referrer).post(LIST, {"full_name": "Jordan", "consent_confirmed": "on"})
    assert response.status_code == 415
    assert not Referral.objects.exists()


def test_someone_not_safe_now_gets_crisis_resources_and_coordinators_are_told(
    client_for,
    referrer,
    coordinator,
    organisation,
    other_organisation,
    areas,
    django_capture_on_commit_callbacks,
):
    crisis_resource_create(
        actor=None, organisation=organisation, name="Samaritans", phone="116 123", position=2
    )
    crisis_resource_create(
        actor=None,
        organisation=organisation,
        name="Emergency services",
        phone="999",
        is_emergency=True,
        position=5,
    )
    crisis_resource_create(actor=None, organisation=other_organisation, name="Elsewhere line")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client_for(referrer), body(safe_now="no"))
    assert response.status_code == 201
    data = response.json()
    assert data["urgent"] is True
    assert [resource["name"] for resource in data["crisis_resources"]] == [
        "Emergency services",
        "Samaritans",
    ]
    samaritans = data["crisis_resources"][1]
    assert samaritans["phone"] == "116 123"
    assert set(samaritans) == {
        "name",
        "description",
        "phone",
        "text_number",
        "text_keyword",
        "website",
        "hours",
        "is_emergency",
    }
    assert Referral.objects.get().urgency == Urgency.URGENT
    # The coordinators hear of the urgent referral, and of the safeguarding alert it raised.
    assert sorted(email.subject for email in mail.outbox) == [
        "Alongside: Urgent: a referral needs attention today",
        "Alongside: Urgent: a safeguarding alert needs a response",
    ]
    for email in mail.outbox:
        assert email.to == [coordinator.email]
        assert "Jordan" not in email.body and "confident" not in email.body


def test_risk_in_what_they_wrote_marks_the_referral_urgent(
    client_for, referrer, organisation, areas
):
    crisis_resource_create(actor=None, organisation=organisation, name="Samaritans")
    response = post(client_for(referrer), body(hopes="Some days I want to kill myself."))
    data = response.json()
    assert data["urgent"] is True
    assert [resource["name"] for resource in data["crisis_resources"]] == ["Samaritans"]


def test_a_repeat_of_an_urgent_referral_shows_the_crisis_resources_again(
    client_for, referrer, organisation, areas
):
    crisis_resource_create(actor=None, organisation=organisation, name="Samaritans")
    client = client_for(referrer)
    first = post(client, body(safe_now="unsure"), key="urgent-1")
    again = post(client, body(safe_now="unsure"), key="urgent-1")
    assert again.status_code == 200
    assert again.json()["crisis_resources"] == first.json()["crisis_resources"] != []


def test_a_routine_referral_tells_coordinators_without_urgency(
    client_for, referrer, coordinator, areas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client_for(referrer), body())
    [email] = mail.outbox
    assert email.to == [coordinator.email]
    assert "Urgent" not in email.subject


# What a referrer sees -------------------------------------------------------------------------


def test_a_referrer_never_gets_back_what_staff_see(
    client_for, referrer, organisation, areas, languages
):
    client = client_for(referrer)
    created = post(client, body(safe_now="no", hopes="I want to kill myself."))
    referral_id = created.json()["id"]
    listed = client.get(LIST).json()["results"]
    detail = client.get(f"{LIST}{referral_id}/").json()
    for data in [created.json(), *listed, detail]:
        assert not PRIVATE_TO_STAFF & set(data), data
    assert set(detail) == STATUS_FIELDS
    assert {frozenset(row) for row in listed} == {frozenset(STATUS_FIELDS)}
    assert "kill myself" not in str(created.json()) + str(listed) + str(detail)


def test_a_referrer_lists_only_the_referrals_they_made_here_newest_first(
    client_for,
    referrer,
    other_referrer,
    organisation,
    partner_referral,
    new_referral,
    other_org_referral,
):
    ReferralFactory(organisation=organisation, referrer=other_referrer, source=Source.CLINIC)
    older = ReferralFactory(
        organisation=organisation,
        referrer=referrer,
        source=Source.COMMUNITY,
        status=Status.CONTACTING,
        created_at=timezone.now() - timedelta(days=3),
    )
    data = client_for(referrer).get(LIST).json()
    assert data["count"] == 2
    assert [row["id"] for row in data["results"]] == [partner_referral.pk, older.pk]
    assert data["results"][1]["status"] == "contacting"
    assert data["results"][1]["status_label"] == "Trying to make contact"
    assert data["results"][1]["source"] == "community"


def test_a_referrer_gets_404_for_a_referral_they_did_not_make(
    client_for, referrer, other_referrer, organisation, new_referral, other_org_referral
):
    theirs = ReferralFactory(organisation=organisation, referrer=other_referrer)
    client = client_for(referrer)
    for referral in (theirs, new_referral, other_org_referral):
        assert client.get(f"{LIST}{referral.pk}/").status_code == 404
    assert client.get(f"{LIST}999999/").status_code == 404
    assert client.get(f"{LIST}abc/").status_code == 404


def test_referrer_status_follows_the_referral(client_for, referrer, partner_referral):
    Referral.objects.filter(pk=partner_referral.pk).update(status=Status.WAITING)
    data = client_for(referrer).get(f"{LIST}{partner_referral.pk}/").json()
    assert (data["status"], data["status_label"]) == ("waiting", "Waiting for a mentor")


# What coordinators see ------------------------------------------------------------------------


def test_coordinators_list_triage_fields_urgent_first_without_contact_details(
    client_for, admin, organisation, partner_referral, urgent_referral, other_org_referral
):
    Referral.objects.filter(pk=partner_referral.pk).update(
        created_at=timezone.now() - timedelta(days=4)
    )
    duplicate = ReferralFactory(
        organisation=organisation,
        possible_duplicate_of=partner_referral,
        created_at=timezone.now() - timedelta(days=9),
    )
    data = client_for(admin).get(LIST).json()
    assert [row["id"] for row in data["results"]] == [
        urgent_referral.pk,
        duplicate.pk,
        partner_referral.pk,
    ]
    urgent, dup, partner = data["results"]
    assert set(urgent) == {
        "id",
        "status",
        "status_label",
        "source",
        "referrer_organisation_name",
        "urgency",
        "urgency_reasons",
        "created_at",
        "status_changed_at",
        "waiting_days",
        "possible_duplicate_of",
    }
    assert urgent["urgency"] == "urgent"
    assert urgent["urgency_reasons"] == ["not safe right now"]
    assert partner["urgency_reasons"] == []
    assert partner["waiting_days"] == 4
    assert partner["referrer_organisation_name"] == "Northgate Surgery"
    assert dup["possible_duplicate_of"] == partner_referral.pk
    for row in data["results"]:
        assert not (CONTACT_DETAILS | {"hopes"}) & set(row)


def test_coordinator_detail_shows_how_to_reach_the_person_but_not_their_words(
    client_for, coordinator, organisation, areas, languages
):
    referral = ReferralFactory(
        organisation=organisation,
        full_name="Casey Person",
        email="casey@example.net",
        phone="07700 900999",
        voicemail_ok=True,
        formats=["phone"],
        availability_slots=["tue_morning"],
        hopes="I would like to get back to the allotment.",
    )
    referral.support_areas.set(areas[1:3])
    referral.languages.set(languages[:1])
    data = client_for(coordinator).get(f"{LIST}{referral.pk}/").json()
    assert data["full_name"] == "Casey Person"
    assert data["email"] == "casey@example.net"
    assert data["phone"] == "07700 900999"
    assert data["voicemail_ok"] is True
    assert data["support_areas"] == ["Depression", "Grief"]
    assert data["languages"] == ["en"]
    assert data["formats"] == ["phone"]
    assert data["availability_slots"] == ["tue_morning"]
    assert "hopes" not in data
    assert "allotment" not in str(data)


def test_another_organisations_coordinator_sees_none_of_ours(
    client_for, other_org_coordinator, partner_referral, other_org_referral
):
    client = client_for(other_org_coordinator)
    assert [row["id"] for row in client.get(LIST).json()["results"]] == [other_org_referral.pk]
    assert client.get(f"{LIST}{partner_referral.pk}/").status_code == 404


# Lists stay cheap -----------------------------------------------------------------------------


@pytest.mark.parametrize(("person", "queries"), [("referrer", 5), ("coordinator", 6)])
def test_list_queries_do_not_grow_with_referrals(
    person,
    queries,
    request,
    client_for,
    organisation,
    referrer,
    areas,
    django_assert_max_num_queries,
):
    for number in range(12):
        referral = ReferralFactory(
            organisation=organisation, referrer=referrer, urgency_reasons="unsure if safe"
        )
        referral.support_areas.set(areas[:2])
        if number:
            Referral.objects.filter(pk=referral.pk).update(possible_duplicate_of=referral.pk - 1)
    client = client_for(request.getfixturevalue(person))
    with django_assert_max_num_queries(queries):
        response = client.get(LIST)
    assert response.json()["count"] == 12


def test_lists_are_paginated_fifty_at_a_time(client_for, referrer, organisation):
    ReferralFactory.create_batch(51, organisation=organisation, referrer=referrer)
    data = client_for(referrer).get(LIST).json()
    assert data["count"] == 51
    assert len(data["results"]) == 50
    assert data["next"] is not None


# Schema ---------------------------------------------------------------------------------------


def test_schema_describes_the_referral_endpoints(client_for, coordinator):
    schema = client_for(coordinator).get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/referrals/"])
    assert "get" in schema["paths"]["/api/v1/referrals/{id}/"]
    create = schema["paths"]["/api/v1/referrals/"]["post"]
    assert {"200", "201", "400"} <= set(create["responses"])
    assert any(parameter["name"] == "Idempotency-Key" for parameter in create["parameters"])
    assert "even if the body differs" in create["description"]
    components = schema["components"]["schemas"]
    assert set(components["ReferralStatus"]["properties"]) == STATUS_FIELDS
    assert not CONTACT_DETAILS & set(components["ReferralTriage"]["properties"])
    assert "hopes" not in components["ReferralTriageDetail"]["properties"]
    assert "consent_confirmed" in components["ReferralCreate"]["required"]


def test_schema_generates_without_warnings(tmp_path, db):
    call_command(
        "spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yaml")
    )
    assert "/api/v1/referrals/{id}/" in (tmp_path / "schema.yaml").read_text()
