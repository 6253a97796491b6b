"""Pages for mentor profiles, approving changes, the directory and requests for a mentor."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Language
from alongside.concurrency import STALE
from audit.models import AuditEvent
from mentors.models import AvailabilitySlot, MentorProfile, MentorRequest, MentorRequestStatus
from mentors.services.profiles import (
    mentor_request_create,
    profile_changes_approve,
    profile_update,
)
from tests.mentors.factories import MentorProfileFactory

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
MENTOR_WITH_PROFILE = ["mentor"]
STAFF = ["coordinator", "admin", "other_org_coordinator"]  # the last sees only their own org
DIRECTORY = ["mentee", "coordinator", "admin", "other_org_coordinator"]


@pytest.fixture
def pending_profile(mentor, mentor_profile):
    profile_update(actor=mentor, profile=mentor_profile, data={"bio": "A proposed new bio."})
    mentor_profile.refresh_from_db()
    return mentor_profile


@pytest.fixture
def open_request(mentee, mentor_profile):
    mentor_request, _ = mentor_request_create(actor=mentee, profile=mentor_profile, note="Hi")
    return mentor_request


def client_as(person, request, client_for):
    if person == "anonymous":
        return Client()
    return client_for(request.getfixturevalue(person))


# Who may open each page: path template, allowed people, status for them. Everyone else signed in
# gets 404 and anonymous visitors are sent to sign in.
GET_PAGES = {
    "/mentors/profile/": MENTOR_WITH_PROFILE,
    "/mentors/profile/edit/": MENTOR_WITH_PROFILE,
    "/mentors/profile/availability/": MENTOR_WITH_PROFILE,
    "/mentors/profile-changes/": STAFF,
    "/mentors/directory/": DIRECTORY,
    "/mentors/directory/{profile}/": ["mentee", "coordinator", "admin"],
    "/mentors/requests/": STAFF,
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", list(GET_PAGES))
def test_page_access(path, person, request, client_for, mentor_profile, other_mentor):
    url = path.format(profile=mentor_profile.pk)
    response = client_as(person, request, client_for).get(url)
    if person == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response.url
    else:
        expected = 200 if person in GET_PAGES[path] else 404
        assert response.status_code == expected, f"{person} opening {url}"


POST_ACTIONS = {
    "/mentors/profile/availability-switch/": (["mentor"], {"available": "no"}),
    "/mentors/profile-changes/{profile}/approve/": (["coordinator", "admin"], {}),
    "/mentors/profile-changes/{profile}/reject/": (["coordinator", "admin"], {"note": ""}),
    "/mentors/directory/{profile}/request/": (["mentee"], {"note": ""}),
    "/mentors/requests/{request}/noted/": (["coordinator", "admin"], {}),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", list(POST_ACTIONS))
def test_action_access(path, person, request, client_for, pending_profile, open_request):
    allowed, data = POST_ACTIONS[path]
    url = path.format(profile=pending_profile.pk, request=open_request.pk)
    response = client_as(person, request, client_for).post(url, data)
    if person == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response.url
    else:
        expected = 302 if person in allowed else 404
        assert response.status_code == expected, f"{person} posting to {url}"


def test_actions_refuse_get(client_for, mentor, mentor_profile):
    response = client_for(mentor).get("/mentors/profile/availability-switch/")
    assert response.status_code == 405


# The mentor's own profile ----------------------------------------------------------------------


def test_my_profile_shows_pending_changes_as_waiting_for_approval(client_for, pending_profile):
    page = client_for(pending_profile.user).get("/mentors/profile/").content.decode()
    assert "Waiting for approval" in page
    assert "A proposed new bio." in page
    assert "I have lived with anxiety" in page  # what mentees still see


def test_editing_the_bio_makes_it_pending_and_says_so(client_for, mentor, mentor_profile, areas):
    client = client_for(mentor)
    form = {
        "display_name": mentor_profile.display_name,
        "bio": "Changed bio.",
        "lived_experience_areas": [areas[0].pk],
        "formats": ["video"],
        "travel_km": "5",
        "capacity": "2",
    }
    response = client.post("/mentors/profile/edit/", form, follow=True)
    assert response.redirect_chain[-1][0] == "/mentors/profile/"
    page = response.content.decode()
    assert "once a coordinator has approved them" in page
    mentor_profile.refresh_from_db()
    assert mentor_profile.pending_changes == {"bio": "Changed bio."}
    assert mentor_profile.formats == ["video"]
    assert mentor_profile.travel_km == 5


def test_edit_form_starts_from_the_proposed_values(client_for, pending_profile):
    page = client_for(pending_profile.user).get("/mentors/profile/edit/").content.decode()
    assert "A proposed new bio." in page


def test_edit_errors_keep_what_was_typed_and_sit_next_to_the_field(
    client_for, mentor, mentor_profile
):
    response = client_for(mentor).post(
        "/mentors/profile/edit/",
        {"display_name": "", "bio": "Typed bio that must not be lost.", "capacity": "9"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Typed bio that must not be lost." in page
    assert "Enter the name mentees will see." in page
    assert "Your programme allows up to 3. Choose a smaller number." in page
    assert 'href="#id_capacity"' in page  # the summary links to the field
    assert 'aria-invalid="true"' in page
    mentor_profile.refresh_from_db()
    assert mentor_profile.pending_changes == {}


def test_a_profile_edit_from_an_older_version_is_refused_and_keeps_the_typed_text(
    client_for, mentor, mentor_profile, areas
):
    client = client_for(mentor)
    assert f'name="version" value="{mentor_profile.version}"' in (
        client.get("/mentors/profile/edit/").content.decode()
    )
    shown = mentor_profile.version
    form = {
        "display_name": mentor_profile.display_name,
        "lived_experience_areas": [areas[0].pk],
        "formats": ["video"],
        "travel_km": "5",
        "capacity": "2",
        "version": str(shown),
    }
    assert (
        client.post("/mentors/profile/edit/", {**form, "bio": "From one tab."}).status_code == 302
    )

    response = client.post("/mentors/profile/edit/", {**form, "bio": "From the other tab."})

    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page
    assert "From the other tab." in page
    assert f'name="version" value="{shown + 1}"' in page
    mentor_profile.refresh_from_db()
    assert mentor_profile.pending_changes["bio"] == "From one tab."


def test_a_coordinators_decision_meanwhile_makes_an_open_edit_stale(
    client_for, coordinator, pending_profile, areas
):
    shown = pending_profile.version
    profile_changes_approve(actor=coordinator, profile=pending_profile)
    response = client_for(pending_profile.user).post(
        "/mentors/profile/edit/",
        {
            "display_name": pending_profile.display_name,
            "bio": "Typed before the approval.",
            "lived_experience_areas": [areas[0].pk],
            "formats": ["video"],
            "travel_km": "5",
            "capacity": "2",
            "version": str(shown),
        },
    )
    assert response.status_code == 200
    assert STALE in response.content.decode()
    pending_profile.refresh_from_db()
    assert pending_profile.bio == "A proposed new bio."


def test_availability_switch_pauses_and_restarts(client_for, mentor, mentor_profile):
    client = client_for(mentor)
    client.post("/mentors/profile/availability-switch/", {"available": "no"})
    mentor_profile.refresh_from_db()
    assert mentor_profile.is_available is False
    page = client.get("/mentors/profile/").content.decode()
    assert "Start taking new mentees" in page
    client.post("/mentors/profile/availability-switch/", {"available": "yes"})
    mentor_profile.refresh_from_db()
    assert mentor_profile.is_available is True


def _slots(*rows, initial=0):
    data = {
        "slots-TOTAL_FORMS": str(len(rows)),
        "slots-INITIAL_FORMS": str(initial),
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "1000",
    }
    for index, (weekday, starts, ends) in enumerate(rows):
        data[f"slots-{index}-weekday"] = weekday
        data[f"slots-{index}-starts_at"] = starts
        data[f"slots-{index}-ends_at"] = ends
    return data


def test_adding_availability_slots(client_for, mentor, mentor_profile):
    response = client_for(mentor).post(
        "/mentors/profile/availability/", _slots(("2", "18:00", "20:00"), ("", "", ""))
    )
    assert response.status_code == 302
    assert [str(slot) for slot in mentor_profile.availability_slots.all()] == [
        "Wednesday 18:00–20:00"
    ]


def test_removing_an_availability_slot(client_for, mentor, mentor_profile):
    AvailabilitySlot.objects.create(
        profile=mentor_profile, weekday=1, starts_at=time(9), ends_at=time(10)
    )
    data = _slots(("1", "09:00", "10:00"), ("", "", ""), initial=1)
    data["slots-0-DELETE"] = "on"
    client_for(mentor).post("/mentors/profile/availability/", data)
    assert not mentor_profile.availability_slots.exists()


def test_slot_ending_before_it_starts_is_shown_on_its_row_with_typed_values(
    client_for, mentor, mentor_profile
):
    response = client_for(mentor).post(
        "/mentors/profile/availability/", _slots(("3", "19:30", "18:15"))
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The end time must be after the start time." in page
    assert 'id="id_slots-0-ends_at_error"' in page
    assert 'value="19:30"' in page and 'value="18:15"' in page
    assert not mentor_profile.availability_slots.exists()


def test_overlapping_slots_are_marked_on_the_later_row(client_for, mentor, mentor_profile):
    response = client_for(mentor).post(
        "/mentors/profile/availability/",
        _slots(("1", "18:00", "20:00"), ("1", "19:00", "21:00")),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This overlaps with Tuesday 18:00–20:00." in page
    assert 'id="id_slots-1-starts_at_error"' in page
    assert 'href="#id_slots-1-starts_at"' in page
    assert not mentor_profile.availability_slots.exists()


def test_a_mentor_without_a_profile_gets_404(client_for, trainee):
    assert client_for(trainee).get("/mentors/profile/").status_code == 404


# Approval -------------------------------------------------------------------------------------


def test_coordinator_sees_current_and_proposed_values(client_for, coordinator, pending_profile):
    page = client_for(coordinator).get("/mentors/profile-changes/").content.decode()
    assert "A proposed new bio." in page
    assert "I have lived with anxiety" in page
    assert pending_profile.display_name in page


def test_other_organisation_coordinator_sees_none_of_our_changes(
    client_for, other_org_coordinator, pending_profile
):
    page = client_for(other_org_coordinator).get("/mentors/profile-changes/").content.decode()
    assert "A proposed new bio." not in page
    response = client_for(other_org_coordinator).post(
        f"/mentors/profile-changes/{pending_profile.pk}/approve/"
    )
    assert response.status_code == 404


def test_approving_from_the_page_applies_the_change(client_for, coordinator, pending_profile):
    response = client_for(coordinator).post(
        f"/mentors/profile-changes/{pending_profile.pk}/approve/", follow=True
    )
    assert "are live" in response.content.decode()
    pending_profile.refresh_from_db()
    assert pending_profile.bio == "A proposed new bio."


def test_approving_again_says_nothing_was_waiting(client_for, coordinator, pending_profile):
    client = client_for(coordinator)
    client.post(f"/mentors/profile-changes/{pending_profile.pk}/approve/")
    response = client.post(f"/mentors/profile-changes/{pending_profile.pk}/approve/", follow=True)
    assert "There were no changes waiting" in response.content.decode()


def test_rejecting_with_a_note_keeps_the_profile(client_for, coordinator, pending_profile):
    client_for(coordinator).post(
        f"/mentors/profile-changes/{pending_profile.pk}/reject/", {"note": "Please shorten it."}
    )
    pending_profile.refresh_from_db()
    assert pending_profile.pending_changes == {}
    assert pending_profile.bio != "A proposed new bio."
    event = AuditEvent.objects.get(action="mentor_profile.changes_rejected")
    assert "Please shorten it." not in str(event.metadata)


def test_changes_page_queries_do_not_grow_with_profiles(
    client_for, coordinator, organisation, areas, django_assert_max_num_queries
):
    for _ in range(6):
        profile = MentorProfileFactory(organisation=organisation)
        profile_update(
            actor=profile.user,
            profile=profile,
            data={"bio": "New", "lived_experience_areas": areas[:2]},
        )
    client = client_for(coordinator)
    with django_assert_max_num_queries(8):
        response = client.get("/mentors/profile-changes/")
    assert response.content.decode().count("Keep the profile as it is") == 6


# Directory ------------------------------------------------------------------------------------


@pytest.fixture
def listed(organisation, areas):
    """Three listed mentors with different areas, languages, formats, days and genders."""
    english, polish = Language.objects.get(code="en"), Language.objects.get(code="pl")
    people = []
    for name, area, language, formats, weekday, gender, show in [
        ("Ada", areas[0], english, ["video"], 0, "Woman", True),
        ("Bea", areas[1], polish, ["phone"], 2, "Non-binary", True),
        ("Cal", areas[2], english, ["in_person"], 4, "Man", False),
    ]:
        profile = MentorProfileFactory(
            organisation=organisation,
            display_name=name,
            formats=formats,
            gender=gender,
            show_gender=show,
            travel_km=17,
            capacity=3,
            year_of_birth=1977,
        )
        profile.lived_experience_areas.set([area])
        profile.languages.set([language])
        AvailabilitySlot.objects.create(
            profile=profile, weekday=weekday, starts_at=time(18), ends_at=time(20)
        )
        people.append(profile)
    return people


def names_on(response):
    page = response.content.decode()
    return [name for name in ("Ada", "Bea", "Cal") if f">{name}</a>" in page]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Ada", "Bea", "Cal"]),
        ({"area": "AREA1"}, ["Bea"]),
        ({"language": "pl"}, ["Bea"]),
        ({"format": "in_person"}, ["Cal"]),
        ({"weekday": "0"}, ["Ada"]),
        ({"gender": "Woman"}, ["Ada"]),
        ({"language": "en", "weekday": "4"}, ["Cal"]),
    ],
)
def test_directory_filters(client_for, mentee, listed, areas, query, expected):
    query = dict(query)
    if query.get("area") == "AREA1":
        query["area"] = str(areas[1].pk)
    if "language" in query:
        query["language"] = str(Language.objects.get(code=query["language"]).pk)
    response = client_for(mentee).get("/mentors/directory/", query)
    assert names_on(response) == expected


def test_gender_filter_offers_only_genders_mentors_chose_to_show(client_for, mentee, listed):
    page = client_for(mentee).get("/mentors/directory/").content.decode()
    assert '<option value="Woman"' in page
    assert '<option value="Non-binary"' in page
    assert '<option value="Man"' not in page


def test_directory_shows_public_fields_only(client_for, mentee, listed):
    page = client_for(mentee).get("/mentors/directory/").content.decode()
    assert "Non-binary" in page
    assert "1977" not in page
    assert "17 km" not in page and ">17<" not in page
    assert "Video call" in page


def test_hidden_gender_is_not_shown_on_the_mentor_page(client_for, mentee, listed):
    page = client_for(mentee).get(f"/mentors/directory/{listed[2].pk}/").content.decode()
    assert "Cal" in page
    assert ">Man<" not in page


def test_expired_uncertified_and_paused_mentors_are_never_listed(
    client_for, mentee, organisation, listed
):
    expired, uncertified, paused = listed
    expired.certification_expires_at = timezone.now() - timedelta(days=1)
    expired.save()
    MentorProfile.objects.filter(pk=uncertified.pk).update(certified_at=None)
    MentorProfile.objects.filter(pk=paused.pk).update(is_available=False)
    client = client_for(mentee)
    assert names_on(client.get("/mentors/directory/")) == []
    for profile in listed:
        assert client.get(f"/mentors/directory/{profile.pk}/").status_code == 404
        assert client.post(f"/mentors/directory/{profile.pk}/request/").status_code == 404


def test_other_organisation_does_not_see_our_mentors(client_for, other_org_coordinator, listed):
    client = client_for(other_org_coordinator)
    assert names_on(client.get("/mentors/directory/")) == []
    assert client.get(f"/mentors/directory/{listed[0].pk}/").status_code == 404


def test_directory_queries_do_not_grow_with_mentors(
    client_for, mentee, organisation, listed, django_assert_max_num_queries
):
    for index in range(8):
        MentorProfileFactory(organisation=organisation, display_name=f"Extra {index}")
    client = client_for(mentee)
    with django_assert_max_num_queries(9):
        response = client.get("/mentors/directory/", {"format": "video"})
    assert response.status_code == 200


def test_htmx_filtering_returns_just_the_results(client_for, mentee, listed):
    response = client_for(mentee).get(
        "/mentors/directory/", {"format": "phone"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "Apply filters" not in page
    assert "1 mentor matching your filters" in page
    assert 'id="directory-status" hx-swap-oob="innerHTML"' in page  # announced to screen readers
    assert "HX-Request" in response["Vary"]


def test_directory_works_without_javascript(client_for, mentee, listed):
    page = client_for(mentee).get("/mentors/directory/", {"format": "phone"}).content.decode()
    assert '<form method="get"' in page
    assert "Apply filters" in page
    assert "1 mentor matching your filters" in page


def test_an_invalid_filter_is_explained_and_all_mentors_stay_listed(client_for, mentee, listed):
    response = client_for(mentee).get("/mentors/directory/", {"area": "99999"})
    assert response.status_code == 200
    assert names_on(response) == ["Ada", "Bea", "Cal"]
    assert "Select a valid choice" in response.content.decode()


# Asking for a mentor ---------------------------------------------------------------------------


def test_mentee_asks_for_a_mentor_from_their_page(client_for, mentee, mentor_profile, coordinator):
    client = client_for(mentee)
    page = client.get(f"/mentors/directory/{mentor_profile.pk}/").content.decode()
    assert "Ask for this mentor" in page
    response = client.post(
        f"/mentors/directory/{mentor_profile.pk}/request/",
        {"note": "Evenings suit me"},
        follow=True,
    )
    page = response.content.decode()
    assert "passed your request" in page
    assert "Your coordinator has your request" in page
    assert MentorRequest.objects.get().note == "Evenings suit me"


def test_asking_twice_says_there_is_no_need(client_for, mentee, mentor_profile):
    client = client_for(mentee)
    url = f"/mentors/directory/{mentor_profile.pk}/request/"
    client.post(url, {"note": ""})
    response = client.post(url, {"note": ""}, follow=True)
    assert "You have already asked" in response.content.decode()
    assert MentorRequest.objects.count() == 1


def test_a_too_long_note_is_explained_and_kept(client_for, mentee, mentor_profile):
    typed = "x" * 501
    response = client_for(mentee).post(
        f"/mentors/directory/{mentor_profile.pk}/request/", {"note": typed}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert typed in page
    assert "at most 500 characters" in page
    assert not MentorRequest.objects.exists()


def test_coordinators_do_not_see_the_ask_button(client_for, coordinator, mentor_profile):
    page = client_for(coordinator).get(f"/mentors/directory/{mentor_profile.pk}/").content.decode()
    assert "Ask for this mentor" not in page


def test_coordinator_sees_open_requests_and_marks_them_noted(
    client_for, coordinator, open_request, mentee
):
    client = client_for(coordinator)
    page = client.get("/mentors/requests/").content.decode()
    assert open_request.profile.display_name in page
    assert (mentee.name or mentee.email) in page
    client.post(f"/mentors/requests/{open_request.pk}/noted/")
    open_request.refresh_from_db()
    assert open_request.status == MentorRequestStatus.NOTED
    assert "There are no open requests." in client.get("/mentors/requests/").content.decode()


def test_other_organisation_cannot_see_or_mark_our_requests(
    client_for, other_org_coordinator, open_request
):
    client = client_for(other_org_coordinator)
    assert (
        open_request.profile.display_name not in client.get("/mentors/requests/").content.decode()
    )
    assert client.post(f"/mentors/requests/{open_request.pk}/noted/").status_code == 404


def test_requests_page_queries_do_not_grow_with_requests(
    client_for, coordinator, organisation, listed, django_assert_max_num_queries
):
    from tests.conftest import make_member

    for index in range(5):
        person = make_member(organisation, "mentee", f"asker{index}@example.org")
        mentor_request_create(actor=person, profile=listed[index % 3])
    client = client_for(coordinator)
    with django_assert_max_num_queries(6):
        response = client.get("/mentors/requests/")
    assert response.content.decode().count("Mark as noted") == 5


def test_the_mentor_is_not_told_about_requests(client_for, mentor, open_request):
    page = client_for(mentor).get("/mentors/profile/").content.decode()
    assert "asked for" not in page.lower()


def test_a_too_long_rejection_note_is_explained_and_kept(client_for, coordinator, pending_profile):
    typed = "Please " + "y" * 500
    response = client_for(coordinator).post(
        f"/mentors/profile-changes/{pending_profile.pk}/reject/", {"note": typed}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert typed in page
    assert f'id="id_reject_{pending_profile.pk}_note_error"' in page
    assert f'href="#id_reject_{pending_profile.pk}_note"' in page
    pending_profile.refresh_from_db()
    assert pending_profile.pending_changes == {"bio": "A proposed new bio."}


def test_empty_filters_do_not_count_as_filtering(client_for, mentee, listed):
    page = client_for(mentee).get("/mentors/directory/", {"area": "", "format": ""})
    assert "3 mentors</h2>" in page.content.decode()
