"""The mentors API: the same people see the same records as on the pages, by session or token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.services import api_token_create
from mentors.models import MentorProfile, Stage, TrainingCompletion
from tests.mentors.factories import ApplicationFactory, MentorProfileFactory

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
    # path: (who gets 200; everyone else signed in gets 404, anonymous 401)
    "/api/v1/mentors/": ["mentee", "coordinator", "admin", "other_org_coordinator"],
    "/api/v1/mentors/{profile}/": ["mentee", "coordinator", "admin"],
    "/api/v1/mentor-applications/": ["coordinator", "admin", "other_org_coordinator"],
    "/api/v1/mentor-applications/{application}/": ["coordinator", "admin"],
    "/api/v1/mentor-applications/{application}/training/": ["coordinator", "admin"],
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_endpoint_access_by_session(
    path, person, request, client_for, mentor_profile, applicant_application
):
    url = path.format(profile=mentor_profile.pk, application=applicant_application.pk)
    if person == "anonymous":
        assert Client().get(url).status_code == 401
        return
    response = client_for(request.getfixturevalue(person)).get(url)
    expected = 200 if person in ENDPOINTS[path] else 404
    assert response.status_code == expected, f"{person} calling {url}"


@pytest.mark.parametrize("person", [p for p in PEOPLE if p not in ("anonymous", "outsider")])
@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_endpoint_access_by_token(
    path, person, request, organisation, mentor_profile, applicant_application
):
    user = request.getfixturevalue(person)
    token_organisation = (
        request.getfixturevalue("other_organisation")
        if person == "other_org_coordinator"
        else organisation
    )
    _, key = api_token_create(actor=None, user=user, organisation=token_organisation, name="t")
    url = path.format(profile=mentor_profile.pk, application=applicant_application.pk)
    response = Client().get(url, HTTP_AUTHORIZATION=f"Token {key}")
    expected = 200 if person in ENDPOINTS[path] else 404
    assert response.status_code == expected, f"{person} calling {url} with a token"


def test_made_up_token_is_refused(db):
    response = Client().get("/api/v1/mentors/", HTTP_AUTHORIZATION="Token not-a-key")
    assert response.status_code == 401


def test_mentor_list_shows_public_fields_only(client_for, mentee, mentor_profile, areas):
    mentor_profile.gender = "Woman"
    mentor_profile.show_gender = False
    mentor_profile.travel_km = 12
    mentor_profile.year_of_birth = 1980
    mentor_profile.save()
    body = client_for(mentee).get("/api/v1/mentors/").json()
    assert body["count"] == 1
    [mentor] = body["results"]
    assert set(mentor) == {
        "id",
        "display_name",
        "bio",
        "specialisms",
        "gender",
        "lived_experience_areas",
        "languages",
        "formats",
        "area",
        "availability",
    }
    assert mentor["gender"] is None
    assert mentor["lived_experience_areas"] == ["Anxiety"]
    assert mentor["formats"] == [
        {"value": "video", "name": "Video call"},
        {"value": "in_person", "name": "In person"},
    ]


def test_gender_is_shown_when_the_mentor_chose_to(client_for, mentee, mentor_profile):
    MentorProfile.objects.filter(pk=mentor_profile.pk).update(gender="Woman", show_gender=True)
    body = client_for(mentee).get(f"/api/v1/mentors/{mentor_profile.pk}/").json()
    assert body["gender"] == "Woman"


def test_expired_and_paused_mentors_are_not_in_the_api(client_for, mentee, mentor_profile):
    client = client_for(mentee)
    MentorProfile.objects.filter(pk=mentor_profile.pk).update(
        certification_expires_at=timezone.now() - timedelta(days=1)
    )
    assert client.get("/api/v1/mentors/").json()["count"] == 0
    assert client.get(f"/api/v1/mentors/{mentor_profile.pk}/").status_code == 404


def test_other_organisation_sees_none_of_our_mentors_or_applications(
    client_for, other_org_coordinator, mentor_profile, applicant_application
):
    client = client_for(other_org_coordinator)
    assert client.get("/api/v1/mentors/").json()["count"] == 0
    assert client.get("/api/v1/mentor-applications/").json()["count"] == 0


def test_applications_leave_out_drafts_and_the_applicants_own_words(
    client_for, coordinator, organisation, applicant_application
):
    ApplicationFactory(organisation=organisation, stage=Stage.DRAFT, submitted_at=None)
    body = client_for(coordinator).get("/api/v1/mentor-applications/").json()
    assert body["count"] == 1
    [application] = body["results"]
    assert application["full_name"] == "Robin Applicant"
    assert application["stage"] == "new"
    assert application["stage_label"] == "New"
    assert application["waiting_days"] == 0
    assert application["lived_experience_areas"] == ["Anxiety", "Depression"]
    assert "motivation" not in application
    assert "lived_experience_notes" not in application


def test_a_draft_application_is_404(client_for, coordinator, organisation):
    draft = ApplicationFactory(organisation=organisation, stage=Stage.DRAFT, submitted_at=None)
    response = client_for(coordinator).get(f"/api/v1/mentor-applications/{draft.pk}/")
    assert response.status_code == 404


def test_other_organisation_application_is_404(client_for, coordinator, other_org_application):
    response = client_for(coordinator).get(
        f"/api/v1/mentor-applications/{other_org_application.pk}/"
    )
    assert response.status_code == 404
    response = client_for(coordinator).get(
        f"/api/v1/mentor-applications/{other_org_application.pk}/training/"
    )
    assert response.status_code == 404


def test_training_progress_lists_modules_and_totals(client_for, coordinator, modules, trainee):
    application = trainee.mentor_applications.get()
    TrainingCompletion.objects.create(application=application, module=modules[0], minutes=75)
    body = client_for(coordinator).get(f"/api/v1/mentor-applications/{application.pk}/training/")
    body = body.json()
    assert body["application"] == application.pk
    assert [m["title"] for m in body["modules"]] == [m.title for m in modules]
    first, second, _ = body["modules"]
    assert first["completed"] is True and first["minutes"] == 75
    assert first["completed_at"] is not None
    assert second["completed"] is False and second["minutes"] is None
    assert body["minutes_done"] == 75
    assert body["minutes_needed"] == 12 * 60
    assert (body["required_done"], body["required_total"]) == (1, 2)


def test_lists_are_paginated_fifty_at_a_time(client_for, coordinator, organisation):
    for _ in range(51):
        MentorProfileFactory(organisation=organisation)
    body = client_for(coordinator).get("/api/v1/mentors/").json()
    assert body["count"] == 51
    assert len(body["results"]) == 50
    assert body["next"] is not None


def test_mentor_list_queries_do_not_grow_with_mentors(
    client_for, coordinator, organisation, areas, django_assert_max_num_queries
):
    for _ in range(10):
        profile = MentorProfileFactory(organisation=organisation)
        profile.lived_experience_areas.set(areas[:2])
    client = client_for(coordinator)
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/mentors/").status_code == 200


def test_application_list_queries_do_not_grow_with_applications(
    client_for, coordinator, organisation, areas, django_assert_max_num_queries
):
    for _ in range(10):
        application = ApplicationFactory(organisation=organisation)
        application.lived_experience_areas.set(areas[:2])
    client = client_for(coordinator)
    with django_assert_max_num_queries(9):
        assert client.get("/api/v1/mentor-applications/").status_code == 200


def test_schema_lists_the_mentor_endpoints(client_for, coordinator):
    schema = client_for(coordinator).get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    for path in [
        "/api/v1/mentors/",
        "/api/v1/mentors/{id}/",
        "/api/v1/mentor-applications/",
        "/api/v1/mentor-applications/{id}/",
        "/api/v1/mentor-applications/{id}/training/",
    ]:
        assert path in schema["paths"], path
    mentor = schema["components"]["schemas"]["Mentor"]["properties"]
    assert "capacity" not in mentor and "travel_km" not in mentor
    assert "motivation" not in schema["components"]["schemas"]["MentorApplication"]["properties"]
