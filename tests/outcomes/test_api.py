"""The outcome-measures API: instruments, measures asked, sending answers, and responses. The
same people may use each endpoint as the pages allow; everyone else gets a 404 (anonymous
callers 401/403). Answers sent through the API are scored by the engine and PHQ-9 question 9
above 0 raises one safeguarding alert in the same request."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from mentoring.models import RelationshipStatus
from outcomes import instruments as engine
from outcomes.models import (
    CompletedWith,
    Instrument,
    MeasureRequest,
    MeasureResponse,
    RequestStatus,
)
from outcomes.services.instruments import instrument_add
from outcomes.services.responses import response_start
from safeguarding.models import Alert, CrisisResource
from tests.mentoring.access import PEOPLE, STAFF, check_api, client_as
from tests.outcomes.fixtures import make_request, make_response

pytestmark = pytest.mark.django_db

MEMBERS = [person for person in PEOPLE if person not in ("anonymous", "outsider")]
MEASURE_PEOPLE = [person for person in MEMBERS if person != "referrer"]
# Who may see the shared mentee's measures (their pair, the mentor's supervisor, staff).
ENTITLED = ["mentee", "mentor", "supervisor", *STAFF]
ANSWERERS = ["mentee", "mentor"]

CALM = {"1": 1, "2": 1, "3": 2, "4": 1, "5": 0, "6": 1, "7": 0, "8": 0, "9": 0}
SELF_HARM = {**CALM, "9": 2}


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


def send(client, measure_request, answers):
    return client.post(
        reverse("api:measure_request_responses", args=[measure_request.pk]),
        {"answers": answers},
        content_type="application/json",
    )


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def in_order(answers: dict[str, int | None]) -> list[int | None]:
    return [answers.get(str(number)) for number in range(1, 10)]


@pytest.fixture
def scored(active_relationship, mentee):
    return make_response(
        mentee, "phq9", in_order(CALM), relationship=active_relationship, occasion="baseline"
    )


@pytest.fixture
def own_instrument(organisation, coordinator):
    definition = engine.builtin("gad7").definition
    text = json.dumps({**definition, "key": "riverside-check", "name": "Ours"})
    return instrument_add(actor=coordinator, organisation=organisation, text=text)


# Instruments --------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_instrument_list_access(person, request, client_for, phq9):
    response = client_as(person, request, client_for).get(reverse("api:measure_instruments"))
    check_api(response, person, MEMBERS)


def test_instrument_list_has_questions_options_and_attribution(client_for, mentee, phq9):
    rows = client_for(mentee).get(reverse("api:measure_instruments")).json()
    phq = next(row for row in rows if row["key"] == "phq9")
    definition = engine.builtin("phq9")
    assert phq["short_name"] == "PHQ-9"
    assert phq["attribution"] == definition.attribution
    assert phq["stem"] == definition.stem
    assert [item["key"] for item in phq["items"]] == [str(n) for n in range(1, 10)]
    assert phq["options"][0] == {"value": 0, "label": "Not at all"}
    assert {"phq9", "gad7", "who5"} <= {row["key"] for row in rows}


@pytest.mark.parametrize("person", PEOPLE)
def test_own_instrument_is_only_for_its_organisation(person, request, client_for, own_instrument):
    client = client_as(person, request, client_for)
    response = client.get(reverse("api:measure_instrument", args=[own_instrument.pk]))
    check_api(response, person, [p for p in MEMBERS if p != "other_org_coordinator"])
    if person in MEMBERS:
        keys = [row["key"] for row in client.get(reverse("api:measure_instruments")).json()]
        assert ("riverside-check" in keys) == (person != "other_org_coordinator")


def test_builtin_instrument_detail(client_for, other_org_coordinator, phq9):
    response = client_for(other_org_coordinator).get(
        reverse("api:measure_instrument", args=[phq9.pk])
    )
    assert response.status_code == 200
    assert response.json()["key"] == "phq9"


# Measures asked -----------------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_request_list_access(person, request, client_for, phq9_request, other_phq9_request):
    response = client_as(person, request, client_for).get(reverse("api:measure_requests"))
    check_api(response, person, MEASURE_PEOPLE)
    if response.status_code == 200:
        assert (phq9_request.pk in ids(response)) == (person in ENTITLED)


def test_request_list_fields(client_for, mentee, phq9_request, active_relationship):
    (row,) = client_for(mentee).get(reverse("api:measure_requests")).json()["results"]
    assert row == {
        "id": phq9_request.pk,
        "person": mentee.pk,
        "instrument": "phq9",
        "occasion": "sessions",
        "occasion_number": 4,
        "status": "due",
        "due_on": phq9_request.due_on.isoformat(),
        "closes_on": phq9_request.closes_on.isoformat(),
        "relationship": active_relationship.pk,
    }


def test_request_list_shows_only_open_ones_due_now_unless_asked_for_all(
    client_for, coordinator, mentee, active_relationship, phq9_request
):
    later = make_request(
        mentee,
        "gad7",
        relationship=active_relationship,
        due_on=timezone.localdate() + timedelta(days=3),
    )
    done = make_request(mentee, "who5", relationship=active_relationship, occasion="baseline")
    make_response(mentee, "who5", [3] * 5, relationship=active_relationship, request=done)
    expired = make_request(
        mentee, "gad7", relationship=active_relationship, occasion="baseline", number=0
    )
    MeasureRequest.objects.filter(pk=expired.pk).update(status=RequestStatus.EXPIRED)
    client = client_for(coordinator)
    assert ids(client.get(reverse("api:measure_requests"))) == [phq9_request.pk]
    everything = ids(client.get(reverse("api:measure_requests"), {"status": "all"}))
    assert set(everything) == {phq9_request.pk, later.pk, done.pk, expired.pk}


def test_request_list_person_filter(
    client_for, coordinator, phq9_request, other_phq9_request, other_mentee
):
    response = client_for(coordinator).get(
        reverse("api:measure_requests"), {"person": other_mentee.pk}
    )
    assert ids(response) == [other_phq9_request.pk]


def test_request_list_bad_filter_is_a_400_naming_it(client_for, coordinator, phq9_request):
    client = client_for(coordinator)
    response = client.get(reverse("api:measure_requests"), {"person": "sam"})
    assert response.status_code == 400
    assert "person" in response.json()
    response = client.get(reverse("api:measure_requests"), {"status": "closed"})
    assert response.status_code == 400
    assert "status" in response.json()


@pytest.mark.parametrize("name", ["api:measure_requests", "api:measure_responses"])
@pytest.mark.parametrize("person", ["0", str(2**63)])
def test_a_person_filter_no_record_could_have_is_a_400(name, person, client_for, coordinator):
    response = client_for(coordinator).get(reverse(name), {"person": person})
    assert response.status_code == 400
    assert "person" in response.json()


# Sending answers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_send_answers_access(person, request, client_for, phq9_request):
    response = send(client_as(person, request, client_for), phq9_request, CALM)
    check_api(response, person, ANSWERERS, ok=201)
    assert MeasureResponse.objects.filter(request=phq9_request).exists() == (person in ANSWERERS)


def test_answers_sent_are_scored_by_the_engine(client_for, mentee, phq9_request):
    response = send(client_for(mentee), phq9_request, CALM)
    assert response.status_code == 201, response.json()
    body = response.json()
    expected = engine.score(engine.builtin("phq9"), in_order(CALM))
    saved = MeasureResponse.objects.get(request=phq9_request)
    assert body["id"] == saved.pk
    assert response["Location"].endswith(reverse("api:measure_response", args=[saved.pk]))
    assert (saved.total, saved.band, saved.flags) == (expected.total, expected.band, [])
    assert body["total"] == expected.total == 6
    assert body["band"] == "mild"
    assert body["meaning"] == engine.builtin("phq9").band("mild").mentee_text
    assert body["completed_with"] == CompletedWith.SELF
    assert body["show_help"] is False
    assert body["crisis_resources"] == []
    assert [answer["value"] for answer in body["answers"]] == in_order(CALM)
    phq9_request.refresh_from_db()
    assert phq9_request.status == RequestStatus.COMPLETED


def test_unanswered_questions_follow_the_missing_rule(client_for, mentee, phq9_request):
    answers = {**CALM, "8": None}
    del answers["7"]
    body = send(client_for(mentee), phq9_request, answers).json()
    expected = engine.score(engine.builtin("phq9"), in_order(answers))
    assert expected.prorated
    assert (body["total"], body["prorated"], body["answered"]) == (expected.total, True, 7)
    assert body["answers"][6] == {
        "question": "7",
        "text": engine.builtin("phq9").items[6].text,
        "value": None,
        "label": "Not answered",
    }


def test_question_nine_raises_one_alert_and_shows_help(
    client_for, mentee, supervisor, phq9_request, organisation
):
    CrisisResource.objects.create(organisation=organisation, name="Samaritans", phone="116 123")
    response = send(client_for(mentee), phq9_request, SELF_HARM)
    assert response.status_code == 201
    body = response.json()
    assert body["flags"] == ["self_harm_thoughts"]
    assert body["show_help"] is True
    assert [resource["name"] for resource in body["crisis_resources"]] == ["Samaritans"]
    alert = Alert.objects.get()
    saved = MeasureResponse.objects.get(request=phq9_request)
    assert (alert.person, alert.supervisor, alert.level) == (mentee, supervisor, "high")
    assert alert.object_id == str(saved.pk)
    assert alert.categories == ["self_harm_thoughts"]
    assert saved.alert_raised_at is not None


def test_mentor_sends_answers_with_their_current_mentee(client_for, mentor, phq9_request):
    response = send(client_for(mentor), phq9_request, CALM)
    assert response.status_code == 201
    saved = MeasureResponse.objects.get(request=phq9_request)
    assert (saved.completed_with, saved.entered_by) == (CompletedWith.MENTOR, mentor)


def test_mentor_of_an_ended_relationship_gets_404(
    client_for, mentor, phq9_request, active_relationship
):
    active_relationship.status = RelationshipStatus.ENDED
    active_relationship.save(update_fields=["status"])
    assert send(client_for(mentor), phq9_request, CALM).status_code == 404
    assert not MeasureResponse.objects.exists()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({**CALM, "10": 1}, "Unknown questions: 10."),
        ({**CALM, "3": 4}, "Question 3: choose one of the answers shown."),
        ({**CALM, "3": -1}, "Question 3: choose one of the answers shown."),
        ({**CALM, "3": "two"}, "Question 3: send a whole number, or null to leave it unanswered."),
        ({**CALM, "3": "2"}, "Question 3: send a whole number, or null to leave it unanswered."),
        ({**CALM, "3": True}, "Question 3: send a whole number, or null to leave it unanswered."),
        ({**CALM, "3": 1.5}, "Question 3: send a whole number, or null to leave it unanswered."),
    ],
)
def test_bad_answers_are_a_400_under_answers_and_change_nothing(
    client_for, mentee, phq9_request, answers, message
):
    response = send(client_for(mentee), phq9_request, {**answers, "9": 3})
    assert response.status_code == 400
    assert response.json() == {"answers": [message]}
    assert not MeasureResponse.objects.exists()
    assert not Alert.objects.exists()
    phq9_request.refresh_from_db()
    assert phq9_request.status == RequestStatus.DUE


def test_answers_must_be_an_object(client_for, mentee, phq9_request):
    client = client_for(mentee)
    response = send(client, phq9_request, [1, 2, 3])
    assert response.status_code == 400
    assert list(response.json()) == ["answers"]
    response = client.post(
        reverse("api:measure_request_responses", args=[phq9_request.pk]),
        {},
        content_type="application/json",
    )
    assert response.json() == {"answers": ["This field is required."]}


def test_no_answers_at_all_is_refused(client_for, mentee, phq9_request):
    response = send(client_for(mentee), phq9_request, {"1": None})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Answer at least one question before sending."]}
    assert not MeasureResponse.objects.exists()


def test_sending_twice_is_a_conflict(client_for, mentee, phq9_request):
    client = client_for(mentee)
    assert send(client, phq9_request, CALM).status_code == 201
    response = send(client, phq9_request, SELF_HARM)
    assert response.status_code == 409
    assert response.json() == {"non_field_errors": ["These answers have already been sent."]}
    assert MeasureResponse.objects.get().total == 6
    assert not Alert.objects.exists()


def test_a_closed_measure_is_a_conflict(client_for, mentee, phq9_request):
    MeasureRequest.objects.filter(pk=phq9_request.pk).update(status=RequestStatus.EXPIRED)
    response = send(client_for(mentee), phq9_request, CALM)
    assert response.status_code == 409
    assert response.json() == {"non_field_errors": ["This questionnaire is no longer open."]}


def test_a_measure_paused_on_the_pages_can_be_finished_here(client_for, mentee, phq9_request):
    started = response_start(actor=mentee, request=phq9_request)
    response = send(client_for(mentee), phq9_request, CALM)
    assert response.status_code == 201
    assert response.json()["id"] == started.pk


# Responses ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_response_list_access(person, request, client_for, scored, other_relationship):
    theirs = make_response(
        other_relationship.mentee, "phq9", [0] * 9, relationship=other_relationship
    )
    response = client_as(person, request, client_for).get(reverse("api:measure_responses"))
    check_api(response, person, MEASURE_PEOPLE)
    if response.status_code == 200:
        assert (scored.pk in ids(response)) == (person in ENTITLED)
        assert (theirs.pk in ids(response)) == (person in ("other_mentee", "other_mentor", *STAFF))


def test_response_list_has_scores_and_no_answers(client_for, mentor, scored, mentee):
    (row,) = client_for(mentor).get(reverse("api:measure_responses")).json()["results"]
    assert row == {
        "id": scored.pk,
        "person": mentee.pk,
        "instrument": "phq9",
        "occasion": "baseline",
        "completed_at": row["completed_at"],
        "total": 6,
        "percentage": None,
        "band": "mild",
        "flags": [],
        "completed_with": "self",
    }


def test_response_list_filters(client_for, coordinator, mentee, active_relationship, scored):
    who5 = make_response(mentee, "who5", [3] * 5, relationship=active_relationship)
    theirs = make_response(
        mentee,
        "phq9",
        [1] * 9,
        relationship=active_relationship,
        completed_at=timezone.now() - timedelta(days=30),
    )
    unfinished = response_start(
        actor=mentee, request=make_request(mentee, "gad7", relationship=active_relationship)
    )
    client = client_for(coordinator)
    url = reverse("api:measure_responses")
    assert ids(client.get(url)) == [who5.pk, scored.pk, theirs.pk]
    assert ids(client.get(url, {"instrument": "phq9"})) == [scored.pk, theirs.pk]
    assert ids(client.get(url, {"person": mentee.pk + 1000})) == []
    assert set(ids(client.get(url, {"status": "all"}))) == {
        who5.pk,
        scored.pk,
        theirs.pk,
        unfinished.pk,
    }
    assert client.get(url, {"instrument": "not a key"}).status_code == 400


def test_response_list_query_count_does_not_grow(
    client_for, coordinator, mentee, active_relationship, django_assert_max_num_queries
):
    for week in range(12):
        make_response(
            mentee,
            "phq9",
            [week % 4] * 9,
            relationship=active_relationship,
            completed_at=timezone.now() - timedelta(weeks=week),
        )
    client = client_for(coordinator)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("api:measure_responses"))
    assert response.json()["count"] == 12


@pytest.mark.parametrize("person", PEOPLE)
def test_response_detail_access(person, request, client_for, scored):
    response = client_as(person, request, client_for).get(
        reverse("api:measure_response", args=[scored.pk])
    )
    check_api(response, person, ENTITLED)
    viewed = AuditEvent.objects.filter(action="measure.answers_viewed", object_id=str(scored.pk))
    assert viewed.count() == (1 if person in ENTITLED and person != "mentee" else 0)


def test_response_detail_has_answers_band_and_meaning(client_for, mentee, scored):
    body = client_for(mentee).get(reverse("api:measure_response", args=[scored.pk])).json()
    definition = engine.builtin("phq9")
    assert body["band"] == "mild"
    assert body["meaning"] == definition.band("mild").mentee_text
    assert body["attribution"] == definition.attribution
    assert body["answers"][2] == {
        "question": "3",
        "text": definition.items[2].text,
        "value": 2,
        "label": "More than half the days",
    }
    assert len(body["answers"]) == 9


def test_reading_someone_elses_answers_is_audited(client_for, supervisor, scored):
    client_for(supervisor).get(reverse("api:measure_response", args=[scored.pk]))
    event = AuditEvent.objects.get(action="measure.answers_viewed")
    assert event.actor == supervisor
    assert event.object_type == "outcomes.measureresponse"
    assert event.metadata == {"instrument": "phq9", "as": "supervisor"}


def test_anonymous_token_less_call_is_401(client, scored):
    assert client.get(reverse("api:measure_responses")).status_code == 401


# Schema -------------------------------------------------------------------------------------------


def test_schema_still_renders_with_the_measure_endpoints(client_for, coordinator):
    response = client_for(coordinator).get(reverse("api:schema"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/measures/requests/{id}/responses/" in text
    assert "MeasureResponseDetail" in text


def test_instrument_rows_exist(phq9):
    assert Instrument.objects.filter(organisation__isnull=True).count() == 3
