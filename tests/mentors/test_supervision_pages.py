"""Supervision and wellbeing pages: who may open each one, forms that keep what was typed, and
list pages whose query count does not grow with the number of mentors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.services import membership_revoke
from mentors.models import MentorProfile, SupervisionKind, SupervisionSession, WellbeingCheckIn
from mentors.selectors import programme_settings
from mentors.services.supervision import wellbeing_check_in_submit
from tests.conftest import make_member
from tests.mentors.factories import MentorProfileFactory

pytestmark = pytest.mark.django_db

PEOPLE = [
    "mentee",
    "mentor",
    "other_mentor",
    "supervisor",
    "second_supervisor",
    "coordinator",
    "admin",
    "referrer",
    "outsider",
    "other_org_coordinator",
]


@pytest.fixture
def second_supervisor(organisation):
    """A supervisor in the same organisation who does not supervise the mentor."""
    return make_member(organisation, Role.SUPERVISOR, "second.supervisor@example.org", mfa=True)


@pytest.fixture
def supervised_profile(mentor_profile, supervisor):
    mentor_profile.supervisor = supervisor
    mentor_profile.save(update_fields=["supervisor"])
    return mentor_profile


def _get(request, person, url):
    if person == "anonymous":
        return Client().get(url)
    client = Client()
    client.force_login(request.getfixturevalue(person))
    return client.get(url)


def _status_table(allowed: dict[str, int]) -> list[tuple[str, int]]:
    return [("anonymous", 302)] + [(person, allowed.get(person, 404)) for person in PEOPLE]


# --- Who may open each page --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "expected"),
    _status_table(
        {
            "supervisor": 200,
            "second_supervisor": 200,
            "coordinator": 200,
            "admin": 200,
            "other_org_coordinator": 200,
        }
    ),
)
def test_overview_access(request, supervised_profile, person, expected):
    response = _get(request, person, reverse("mentors:supervision"))
    assert response.status_code == expected
    if person == "anonymous":
        assert response.url.startswith("/accounts/login/")
    if expected == 200:
        shows_mentor = supervised_profile.display_name in response.content.decode()
        assert shows_mentor == (person in {"supervisor", "coordinator", "admin"})


@pytest.mark.parametrize(
    ("person", "expected"),
    _status_table({"coordinator": 200, "admin": 200, "other_org_coordinator": 200}),
)
def test_assignments_access(request, supervised_profile, person, expected):
    response = _get(request, person, reverse("mentors:supervisor_assignments"))
    assert response.status_code == expected
    if person == "anonymous":
        assert response.url.startswith("/accounts/login/")
    if person == "other_org_coordinator":
        assert supervised_profile.display_name not in response.content.decode()


@pytest.mark.parametrize(
    ("person", "expected"),
    _status_table({"supervisor": 200, "coordinator": 200, "admin": 200}),
)
def test_mentor_record_access(request, supervised_profile, person, expected):
    url = reverse("mentors:supervision_mentor", args=[supervised_profile.pk])
    response = _get(request, person, url)
    assert response.status_code == expected
    if person == "anonymous":
        assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("person", "expected"),
    _status_table(
        {
            "supervisor": 200,
            "second_supervisor": 200,
            "coordinator": 200,
            "admin": 200,
            "other_org_coordinator": 200,
        }
    ),
)
def test_group_session_access(request, supervised_profile, person, expected):
    response = _get(request, person, reverse("mentors:supervision_group"))
    assert response.status_code == expected
    if person == "anonymous":
        assert response.url.startswith("/accounts/login/")
    if expected == 200:
        shows_mentor = supervised_profile.display_name in response.content.decode()
        assert shows_mentor == (person in {"supervisor", "coordinator", "admin"})


@pytest.mark.parametrize(
    ("person", "expected"),
    # other_mentor holds the mentor role but has no mentor profile here.
    _status_table({"mentor": 200}),
)
def test_wellbeing_access(request, mentor_profile, person, expected):
    response = _get(request, person, reverse("mentors:wellbeing"))
    assert response.status_code == expected
    if person == "anonymous":
        assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(("person", "expected"), _status_table({"mentor": 200}))
def test_wellbeing_thanks_access(request, mentor_profile, person, expected):
    wellbeing_check_in_submit(
        actor=mentor_profile.user, profile=mentor_profile, coping=4, load=2, wants_support=False
    )
    response = _get(request, person, reverse("mentors:wellbeing_thanks"))
    assert response.status_code == expected
    if person == "anonymous":
        assert response.url.startswith("/accounts/login/")


def test_thanks_before_any_check_in_goes_to_the_check_in(client_for, mentor_profile):
    response = client_for(mentor_profile.user).get(reverse("mentors:wellbeing_thanks"))
    assert response.status_code == 302
    assert response.url == reverse("mentors:wellbeing")


def test_other_organisations_mentor_record_is_a_404_even_for_its_coordinator(
    client_for, coordinator, other_organisation
):
    elsewhere = MentorProfileFactory(organisation=other_organisation)
    url = reverse("mentors:supervision_mentor", args=[elsewhere.pk])
    assert client_for(coordinator).get(url).status_code == 404


# --- Posting is refused to the same people -----------------------------------------------------


def _session_data(**changes):
    data = {
        "held_on": timezone.localdate().isoformat(),
        "kind": SupervisionKind.ONE_TO_ONE,
        "topics": "Caseload",
        "actions": "",
        "follow_up_on": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("person", ["second_supervisor", "mentor", "other_org_coordinator"])
def test_people_who_may_not_see_the_record_cannot_post_a_session(
    request, client_for, supervised_profile, person
):
    url = reverse("mentors:supervision_mentor", args=[supervised_profile.pk])
    response = client_for(request.getfixturevalue(person)).post(url, _session_data())
    assert response.status_code == 404
    assert not SupervisionSession.objects.exists()


def test_anonymous_post_to_record_goes_to_sign_in(supervised_profile):
    url = reverse("mentors:supervision_mentor", args=[supervised_profile.pk])
    response = Client().post(url, _session_data())
    assert response.status_code == 302
    assert not SupervisionSession.objects.exists()


@pytest.mark.parametrize("person", ["supervisor", "mentor", "other_org_coordinator"])
def test_only_this_organisations_coordinators_can_assign(
    request, client_for, mentor_profile, supervisor, person
):
    response = client_for(request.getfixturevalue(person)).post(
        reverse("mentors:supervisor_assignments"),
        {"profile": mentor_profile.pk, f"profile-{mentor_profile.pk}-supervisor": supervisor.pk},
    )
    if person == "other_org_coordinator":
        assert response.status_code == 200  # their own list, where this mentor is not
    else:
        assert response.status_code == 404
    mentor_profile.refresh_from_db()
    assert mentor_profile.supervisor is None


@pytest.mark.parametrize("person", ["supervisor", "mentee", "coordinator"])
def test_only_mentors_can_post_a_check_in(request, client_for, mentor_profile, person):
    response = client_for(request.getfixturevalue(person)).post(
        reverse("mentors:wellbeing"), {"coping": "3", "load": "3", "wants_support": "no"}
    )
    assert response.status_code == 404
    assert not WellbeingCheckIn.objects.exists()


# --- Doing the work ----------------------------------------------------------------------------


def test_coordinator_assigns_a_supervisor(client_for, coordinator, mentor_profile, supervisor):
    response = client_for(coordinator).post(
        reverse("mentors:supervisor_assignments"),
        {"profile": mentor_profile.pk, f"profile-{mentor_profile.pk}-supervisor": supervisor.pk},
        follow=True,
    )
    mentor_profile.refresh_from_db()
    assert mentor_profile.supervisor == supervisor
    assert "supervisor is now" in response.content.decode()


def test_assigning_someone_who_is_not_a_supervisor_shows_the_error_by_the_field(
    client_for, coordinator, mentor_profile
):
    response = client_for(coordinator).post(
        reverse("mentors:supervisor_assignments"),
        {"profile": mentor_profile.pk, f"profile-{mentor_profile.pk}-supervisor": coordinator.pk},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose someone from the list of supervisors" in page
    assert f'href="#id_profile-{mentor_profile.pk}-supervisor"' in page
    mentor_profile.refresh_from_db()
    assert mentor_profile.supervisor is None


def test_supervisor_records_a_session_and_sees_it_in_the_history(
    client_for, supervisor, supervised_profile
):
    url = reverse("mentors:supervision_mentor", args=[supervised_profile.pk])
    response = client_for(supervisor).post(
        url, _session_data(topics="Endings with a mentee"), follow=True
    )
    page = response.content.decode()
    assert "The supervision session is saved." in page
    assert "Endings with a mentee" in page
    assert SupervisionSession.objects.get().supervisor == supervisor


def test_a_session_in_the_future_keeps_what_was_typed(client_for, supervisor, supervised_profile):
    url = reverse("mentors:supervision_mentor", args=[supervised_profile.pk])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(supervisor).post(
        url, _session_data(held_on=tomorrow, topics="Typed topics stay", actions="Typed actions")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "It cannot be in the future." in page
    assert 'href="#id_held_on"' in page
    assert "Typed topics stay" in page
    assert "Typed actions" in page
    assert f'value="{tomorrow}"' in page
    assert not SupervisionSession.objects.exists()


def test_a_follow_up_before_the_session_shows_its_error(client_for, supervisor, supervised_profile):
    url = reverse("mentors:supervision_mentor", args=[supervised_profile.pk])
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client_for(supervisor).post(url, _session_data(follow_up_on=yesterday))
    assert "The follow-up date must be after the session date." in response.content.decode()


def test_a_missing_date_is_asked_for(client_for, supervisor, supervised_profile):
    url = reverse("mentors:supervision_mentor", args=[supervised_profile.pk])
    response = client_for(supervisor).post(url, _session_data(held_on="", topics="Still here"))
    page = response.content.decode()
    assert "Enter the date the session was held." in page
    assert "Still here" in page


def test_record_shows_check_ins_with_their_notes(client_for, supervisor, supervised_profile):
    wellbeing_check_in_submit(
        actor=supervised_profile.user,
        profile=supervised_profile,
        coping=2,
        load=4,
        wants_support=True,
        note="Finding the evenings hard",
    )
    url = reverse("mentors:supervision_mentor", args=[supervised_profile.pk])
    page = client_for(supervisor).get(url).content.decode()
    assert "Finding the evenings hard" in page
    assert "Asked for support" in page
    assert "Coping 2 of 5" in page


def test_group_session_is_saved_for_each_mentor_ticked(
    client_for, supervisor, supervised_profile, other_mentor_profile
):
    other_mentor_profile.supervisor = supervisor
    other_mentor_profile.save(update_fields=["supervisor"])
    response = client_for(supervisor).post(
        reverse("mentors:supervision_group"),
        {
            "profiles": [supervised_profile.pk, other_mentor_profile.pk],
            "held_on": timezone.localdate().isoformat(),
            "topics": "Group reflection",
        },
        follow=True,
    )
    assert "The group session is saved for 2 mentors." in response.content.decode()
    assert SupervisionSession.objects.filter(kind=SupervisionKind.GROUP).count() == 2


def test_group_session_cannot_include_someone_elses_mentor(
    client_for, supervisor, supervised_profile, other_mentor_profile
):
    response = client_for(supervisor).post(
        reverse("mentors:supervision_group"),
        {
            "profiles": [supervised_profile.pk, other_mentor_profile.pk],
            "held_on": timezone.localdate().isoformat(),
            "topics": "Kept after an error",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose mentors from the list." in page
    assert "Kept after an error" in page
    assert not SupervisionSession.objects.exists()


def test_group_session_without_mentors_keeps_what_was_typed(
    client_for, supervisor, supervised_profile
):
    response = client_for(supervisor).post(
        reverse("mentors:supervision_group"),
        {"held_on": timezone.localdate().isoformat(), "topics": "Nobody ticked"},
    )
    page = response.content.decode()
    assert "Choose the mentors who came to the session." in page
    assert "Nobody ticked" in page


def test_mentor_checks_in_and_asks_for_support(client_for, mentor_profile, supervisor):
    mentor_profile.supervisor = supervisor
    mentor_profile.save(update_fields=["supervisor"])
    response = client_for(mentor_profile.user).post(
        reverse("mentors:wellbeing"),
        {"coping": "3", "load": "4", "wants_support": "yes", "note": "A hard week"},
        follow=True,
    )
    page = response.content.decode()
    assert "Thank you for checking in" in page
    assert "What happens next" in page
    assert reverse("get_help_now") in page
    check_in = WellbeingCheckIn.objects.get()
    assert check_in.wants_support and check_in.note == "A hard week"


def test_a_calm_check_in_gets_a_calm_thank_you(client_for, mentor_profile):
    response = client_for(mentor_profile.user).post(
        reverse("mentors:wellbeing"),
        {"coping": "4", "load": "2", "wants_support": "no"},
        follow=True,
    )
    page = response.content.decode()
    assert "Thank you for checking in" in page
    assert "What happens next" not in page


def test_a_check_in_with_a_missing_answer_keeps_the_note_and_other_answers(
    client_for, mentor_profile
):
    response = client_for(mentor_profile.user).post(
        reverse("mentors:wellbeing"), {"load": "5", "note": "Please keep this"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a number from 1 to 5 for how you are coping." in page
    assert "Choose yes or not right now." in page
    assert "Please keep this" in page
    assert 'id="id_load_4" checked' in page
    assert not WellbeingCheckIn.objects.exists()


def test_wellbeing_page_says_when_the_next_check_in_is_due(client_for, mentor_profile):
    wellbeing_check_in_submit(
        actor=mentor_profile.user, profile=mentor_profile, coping=4, load=2, wants_support=False
    )
    page = client_for(mentor_profile.user).get(reverse("mentors:wellbeing")).content.decode()
    due = timezone.localdate() + timedelta(days=30)
    assert "Your last check-in was on" in page
    assert f"{due.day} {due:%B %Y}" in page


def test_wellbeing_page_says_plainly_who_can_read_the_note(client_for, supervised_profile):
    page = client_for(supervised_profile.user).get(reverse("mentors:wellbeing")).content.decode()
    assert "Your supervisor can read this, and so can the programme's coordinators" in page
    assert f"your supervisor, {supervised_profile.supervisor}," in page


def test_a_supervisor_who_left_is_not_named_to_the_mentor(client_for, supervised_profile):
    membership_revoke(actor=None, membership=supervised_profile.supervisor.memberships.get())
    page = client_for(supervised_profile.user).get(reverse("mentors:wellbeing")).content.decode()
    assert str(supervised_profile.supervisor) not in page
    assert "we let the programme's coordinators know" in page


def test_without_a_supervisor_the_page_says_the_coordinators_read_it(client_for, mentor_profile):
    page = client_for(mentor_profile.user).get(reverse("mentors:wellbeing")).content.decode()
    assert "Would you like some support?" in page
    assert "The programme's coordinators, and your supervisor once you have one" in page


# --- Query counts ------------------------------------------------------------------------------


def _add_mentors(organisation, supervisor, count, start=0):
    for n in range(start, start + count):
        user = make_member(organisation, Role.MENTOR, f"mentor{n}@many.example")
        profile = MentorProfileFactory(organisation=organisation, user=user, supervisor=supervisor)
        wellbeing_check_in_submit(
            actor=user, profile=profile, coping=2, load=3, wants_support=n % 2 == 0
        )


@pytest.mark.parametrize("person", ["supervisor", "coordinator"])
def test_overview_query_count_does_not_grow_with_mentors(
    request, client_for, organisation, supervisor, person, django_assert_max_num_queries
):
    programme_settings(organisation)
    client = client_for(request.getfixturevalue(person))
    _add_mentors(organisation, supervisor, 3)
    client.get(reverse("mentors:supervision"))
    _add_mentors(organisation, supervisor, 12, start=3)
    with django_assert_max_num_queries(9):  # 8, and the urgent-alert banner
        response = client.get(reverse("mentors:supervision"))
    assert response.content.decode().count("Asked for support") == 8


def test_assignments_query_count_does_not_grow_with_mentors(
    client_for, coordinator, organisation, supervisor, django_assert_max_num_queries
):
    client = client_for(coordinator)
    _add_mentors(organisation, supervisor, 15)
    with django_assert_max_num_queries(7):  # 6, and the urgent-alert banner
        response = client.get(reverse("mentors:supervisor_assignments"))
    assert response.content.decode().count("<select") == MentorProfile.objects.count()


def test_group_page_query_count_does_not_grow_with_mentors(
    client_for, organisation, supervisor, django_assert_max_num_queries
):
    client = client_for(supervisor)
    _add_mentors(organisation, supervisor, 15)
    with django_assert_max_num_queries(7):  # 6, and the urgent-alert banner
        client.get(reverse("mentors:supervision_group"))


# Sent twice ------------------------------------------------------------------------------------


def test_a_session_resent_with_the_same_key_long_after_is_recorded_once(
    client_for, supervisor, supervised_profile
):
    client = client_for(supervisor)
    url = reverse("mentors:supervision_mentor", args=[supervised_profile.pk])
    assert 'name="client_key"' in client.get(url).content.decode()
    data = _session_data(topics="Endings", client_key="s" * 32)
    assert client.post(url, data).status_code == 302
    SupervisionSession.objects.update(recorded_at=timezone.now() - timedelta(hours=2))
    assert client.post(url, data).status_code == 302
    assert SupervisionSession.objects.count() == 1


def test_two_sessions_with_the_same_words_and_their_own_keys_are_both_kept(
    client_for, supervisor, supervised_profile
):
    client = client_for(supervisor)
    url = reverse("mentors:supervision_mentor", args=[supervised_profile.pk])
    for key in ("s" * 32, "t" * 32):
        assert client.post(url, _session_data(client_key=key)).status_code == 302
    assert SupervisionSession.objects.count() == 2


def test_a_wellbeing_check_in_resent_with_the_same_key_is_saved_and_passed_on_once(
    client_for, mentor, mentor_profile, mailoutbox
):
    client = client_for(mentor)
    assert 'name="client_key"' in client.get(reverse("mentors:wellbeing")).content.decode()
    data = {"coping": "1", "load": "5", "wants_support": "yes", "client_key": "w" * 32}
    assert client.post(reverse("mentors:wellbeing"), data).status_code == 302
    WellbeingCheckIn.objects.update(submitted_at=timezone.now() - timedelta(hours=1))
    sent = len(mailoutbox)
    assert client.post(reverse("mentors:wellbeing"), data).status_code == 302
    assert WellbeingCheckIn.objects.count() == 1
    assert len(mailoutbox) == sent
