"""Training pages: who may open each one, what the forms keep when something is wrong, and the
coordinator's path from trainee to certified mentor."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mentors.models import (
    CpdRecord,
    Delivery,
    MentorProfile,
    Stage,
    TrainingCompletion,
    TrainingModule,
)
from mentors.selectors import programme_settings
from mentors.services.training import training_complete
from tests.mentors.factories import ApplicationFactory, MentorProfileFactory, TrainingModuleFactory
from tests.mentors.test_training_services import complete_screening

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "mentee",
    "mentor",
    "other_mentor",
    "trainee",
    "supervisor",
    "coordinator",
    "admin",
    "referrer",
    "outsider",
    "other_org_coordinator",
]


@pytest.fixture
def world(organisation, modules, trainee, mentor_profile):
    """A trainee, a certified mentor (``mentor``), an in-person session and a retired module."""
    session = TrainingModuleFactory(
        organisation=organisation, title="Meeting in person", delivery=Delivery.IN_PERSON
    )
    retired = TrainingModuleFactory(organisation=organisation, title="Old", is_active=False)
    return {
        "module": modules[0],
        "session": session,
        "retired": retired,
        "application": trainee.mentor_applications.get(),
        "certified_application": mentor_profile.application,
    }


def _url(name, world):
    app, module = world["application"], world["module"]
    return {
        "training": ("get", reverse("mentors:training")),
        "training_module": ("get", reverse("mentors:training_module", args=[module.pk])),
        "cpd": ("get", reverse("mentors:cpd")),
        "modules": ("get", reverse("mentors:modules")),
        "module_new": ("get", reverse("mentors:module_new")),
        "module_edit": ("get", reverse("mentors:module_edit", args=[module.pk])),
        "module_deactivate": ("post", reverse("mentors:module_deactivate", args=[module.pk])),
        "module_reactivate": (
            "post",
            reverse("mentors:module_reactivate", args=[world["retired"].pk]),
        ),
        "trainees": ("get", reverse("mentors:trainees")),
        "trainee_progress": ("get", reverse("mentors:trainee_progress", args=[app.pk])),
        "trainee_attendance": (
            "post",
            reverse("mentors:trainee_attendance", args=[app.pk, world["session"].pk]),
        ),
        "trainee_certify": ("post", reverse("mentors:trainee_certify", args=[app.pk])),
        "trainee_renew": (
            "post",
            reverse("mentors:trainee_renew", args=[world["certified_application"].pk]),
        ),
    }[name]


STAFF_OK = {"coordinator", "admin"}
# page -> (status for those allowed, who is allowed); everyone else signed in gets 404.
ACCESS = {
    "training": (200, {"mentor", "trainee"}),
    "training_module": (200, {"mentor", "trainee"}),
    "cpd": (200, {"mentor"}),
    "modules": (200, STAFF_OK | {"other_org_coordinator"}),  # each sees their own organisation's
    "module_new": (200, STAFF_OK | {"other_org_coordinator"}),
    "module_edit": (200, STAFF_OK),
    "module_deactivate": (302, STAFF_OK),
    "module_reactivate": (302, STAFF_OK),
    "trainees": (200, STAFF_OK | {"other_org_coordinator"}),
    "trainee_progress": (200, STAFF_OK),
    "trainee_attendance": (200, STAFF_OK),  # an empty form comes back with its errors
    "trainee_certify": (302, STAFF_OK),
    "trainee_renew": (302, STAFF_OK),
}


@pytest.mark.parametrize("page", list(ACCESS))
@pytest.mark.parametrize("person", PEOPLE)
def test_page_access(page, person, world, request):
    method, url = _url(page, world)
    if person == "anonymous":
        response = getattr(Client(), method)(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
        return
    client = Client()
    client.force_login(request.getfixturevalue(person))
    allowed_status, allowed = ACCESS[page]
    expected = allowed_status if person in allowed else 404
    assert getattr(client, method)(url).status_code == expected, f"{person} {method} {url}"


@pytest.mark.parametrize(
    "name", ["module_deactivate", "trainee_certify", "trainee_attendance", "trainee_renew"]
)
def test_actions_refuse_get(name, world, coordinator, client_for):
    _, url = _url(name, world)
    assert client_for(coordinator).get(url).status_code == 405


def test_records_of_another_organisation_are_not_found(
    coordinator, client_for, other_organisation, world
):
    elsewhere_module = TrainingModuleFactory(organisation=other_organisation)
    elsewhere_trainee = ApplicationFactory(organisation=other_organisation, stage=Stage.TRAINING)
    client = client_for(coordinator)
    urls = [
        reverse("mentors:module_edit", args=[elsewhere_module.pk]),
        reverse("mentors:trainee_progress", args=[elsewhere_trainee.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("mentors:module_deactivate", args=[elsewhere_module.pk]),
        reverse("mentors:trainee_certify", args=[elsewhere_trainee.pk]),
        reverse("mentors:trainee_attendance", args=[world["application"].pk, elsewhere_module.pk]),
    ]
    for url in posts:
        assert client.post(url).status_code == 404, url
    elsewhere_module.refresh_from_db()
    assert elsewhere_module.is_active


def test_applications_not_in_training_have_no_progress_page(coordinator, client_for, organisation):
    screening = ApplicationFactory(organisation=organisation, stage=Stage.REFERENCES)
    url = reverse("mentors:trainee_progress", args=[screening.pk])
    assert client_for(coordinator).get(url).status_code == 404


def test_trainee_cannot_open_retired_or_foreign_modules(
    trainee, client_for, world, other_organisation
):
    client = client_for(trainee)
    elsewhere = TrainingModuleFactory(organisation=other_organisation)
    for module in (world["retired"], elsewhere):
        url = reverse("mentors:training_module", args=[module.pk])
        assert client.get(url).status_code == 404


def test_renewing_someone_not_yet_certified_is_not_found(coordinator, client_for, world):
    url = reverse("mentors:trainee_renew", args=[world["application"].pk])
    assert client_for(coordinator).post(url).status_code == 404


# --- The trainee's pages -------------------------------------------------------------------------


def test_trainee_sees_modules_and_overall_progress(trainee, client_for, world, organisation):
    training_complete(
        actor=trainee,
        application=world["application"],
        module=world["module"],
        minutes=90,
    )
    page = client_for(trainee).get(reverse("mentors:training")).content.decode()
    assert "1 of 3 required modules; 1 h 30 min of 12 h" in page
    assert "Role and boundaries" in page and "Meeting in person" in page
    assert "Old" not in page
    assert "<strong>Done</strong>" in page


def test_module_page_shows_the_content_as_paragraphs(trainee, client_for, world):
    module = world["module"]
    module.content = "First paragraph.\n\nSecond paragraph."
    module.save()
    page = client_for(trainee).get(reverse("mentors:training_module", args=[module.pk]))
    html = page.content.decode()
    assert "<p>First paragraph.</p>" in html and "<p>Second paragraph.</p>" in html
    assert "I have completed this module" in html


def test_completing_a_module_from_its_page(trainee, client_for, world):
    module = world["module"]
    response = client_for(trainee).post(
        reverse("mentors:training_module", args=[module.pk]),
        {"minutes": "70", "reflection": "Boundaries protect both of us."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("mentors:training")
    assert "is marked as completed" in response.content.decode()
    completion = world["application"].training_completions.get()
    assert completion.minutes == 70 and completion.reflection == "Boundaries protect both of us."


def test_too_few_minutes_keeps_what_was_typed_and_explains(trainee, client_for, world):
    response = client_for(trainee).post(
        reverse("mentors:training_module", args=[world["module"].pk]),
        {"minutes": "15", "reflection": "Half way through."},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This module takes at least 1 h." in html
    assert 'value="15"' in html and "Half way through." in html
    assert 'href="#id_minutes"' in html  # the summary links to the field
    assert not world["application"].training_completions.exists()


def test_in_person_module_says_the_coordinator_records_attendance(trainee, client_for, world):
    client = client_for(trainee)
    url = reverse("mentors:training_module", args=[world["session"].pk])
    html = client.get(url).content.decode()
    assert "Your coordinator will record your attendance" in html
    assert "Mark as completed" not in html
    client.post(url, {"minutes": "600"})
    assert not world["application"].training_completions.exists()


def test_completed_module_shows_when_and_the_private_reflection(trainee, client_for, world):
    training_complete(
        actor=trainee,
        application=world["application"],
        module=world["module"],
        minutes=60,
        reflection="Only mine.",
    )
    html = (
        client_for(trainee)
        .get(reverse("mentors:training_module", args=[world["module"].pk]))
        .content.decode()
    )
    assert "You completed this on" in html and "Only mine." in html
    assert "Mark as completed" not in html


def test_trainee_overview_query_count_is_pinned(
    trainee, client_for, world, organisation, django_assert_max_num_queries
):
    for position in range(10):
        TrainingModuleFactory(organisation=organisation, position=10 + position)
    client = client_for(trainee)
    with django_assert_max_num_queries(14):  # includes the mentor menu (2 queries)
        assert client.get(reverse("mentors:training")).status_code == 200


# --- Coordinators: modules -----------------------------------------------------------------------


def test_coordinator_adds_a_module(coordinator, client_for, organisation):
    response = client_for(coordinator).post(
        reverse("mentors:module_new"),
        {
            "title": "Confidentiality and its limits",
            "summary": "",
            "content": "What stays private, and when it cannot.",
            "min_minutes": "40",
            "required_before_matching": "on",
            "delivery": "self_paced",
            "position": "2",
        },
    )
    assert response.url == reverse("mentors:modules")
    module = TrainingModule.objects.get(title="Confidentiality and its limits")
    assert module.organisation == organisation and module.min_minutes == 40


def test_module_form_errors_keep_the_typed_values(coordinator, client_for):
    response = client_for(coordinator).post(
        reverse("mentors:module_new"),
        {"title": "", "content": "Keep me", "min_minutes": "0", "delivery": "self_paced"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Give the module a title." in html
    assert "A module takes at least 1 minute." in html
    assert "Keep me" in html and 'value="0"' in html
    assert not TrainingModule.objects.exists()


def test_editing_a_module_keeps_its_saved_title_in_the_heading(coordinator, client_for, world):
    module = world["module"]
    url = reverse("mentors:module_edit", args=[module.pk])
    response = client_for(coordinator).post(
        url, {"title": "Renamed", "min_minutes": "", "delivery": "in_person", "position": "1"}
    )
    html = response.content.decode()
    assert "Edit “Role and boundaries”" in html and 'value="Renamed"' in html
    module.refresh_from_db()
    assert module.title == "Role and boundaries"


def test_editing_and_retiring_a_module(coordinator, client_for, world):
    client = client_for(coordinator)
    module = world["module"]
    client.post(
        reverse("mentors:module_edit", args=[module.pk]),
        {
            "title": "Role and boundaries",
            "content": "Updated.",
            "min_minutes": "30",
            "delivery": "self_paced",
            "position": "1",
            "required_before_matching": "on",
        },
    )
    module.refresh_from_db()
    assert module.content == "Updated." and module.min_minutes == 30
    client.post(reverse("mentors:module_deactivate", args=[module.pk]))
    module.refresh_from_db()
    assert not module.is_active
    assert "No longer used" in client.get(reverse("mentors:modules")).content.decode()


def test_modules_list_query_count_is_pinned(
    coordinator, client_for, organisation, world, django_assert_max_num_queries
):
    for position in range(15):
        TrainingModuleFactory(organisation=organisation, position=20 + position)
    client = client_for(coordinator)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("mentors:modules")).status_code == 200


# --- Coordinators: trainees and certification ----------------------------------------------------


def test_trainees_list_shows_progress_and_certified_mentors(coordinator, client_for, world):
    html = client_for(coordinator).get(reverse("mentors:trainees")).content.decode()
    assert "0 of 3 required modules; 0 min of 12 h" in html
    assert "Certified until" in html
    assert "In training" in html


def test_trainees_list_query_count_is_pinned(
    coordinator, client_for, organisation, world, django_assert_max_num_queries
):
    for _ in range(8):
        application = ApplicationFactory(organisation=organisation, stage=Stage.TRAINING)
        TrainingCompletion.objects.create(
            application=application, module=world["module"], minutes=60
        )
    for _ in range(4):
        MentorProfileFactory(organisation=organisation)
    client = client_for(coordinator)
    with django_assert_max_num_queries(13):  # 12, and the pager's count
        assert client.get(reverse("mentors:trainees")).status_code == 200


def test_progress_page_lists_what_is_missing_and_disables_certify(coordinator, client_for, world):
    url = reverse("mentors:trainee_progress", args=[world["application"].pk])
    html = client_for(coordinator).get(url).content.decode()
    assert "Still needed before certification" in html
    assert "Complete the module “Safeguarding”" in html
    assert "Screening:" in html
    assert 'disabled aria-describedby="still-needed"' in html
    assert "Record attendance" in html


def test_private_reflections_are_not_shown_to_the_coordinator(
    trainee, coordinator, client_for, world
):
    training_complete(
        actor=trainee,
        application=world["application"],
        module=world["module"],
        minutes=60,
        reflection="Something only I should read.",
    )
    url = reverse("mentors:trainee_progress", args=[world["application"].pk])
    assert "Something only I should read." not in client_for(coordinator).get(url).content.decode()


def test_recording_attendance(coordinator, client_for, world):
    application, session = world["application"], world["session"]
    url = reverse("mentors:trainee_attendance", args=[application.pk, session.pk])
    day = timezone.localdate() - timedelta(days=1)
    prefix = f"module-{session.pk}"
    response = client_for(coordinator).post(
        url, {f"{prefix}-attended_on": day.isoformat(), f"{prefix}-minutes": "60"}
    )
    assert response.url == reverse("mentors:trainee_progress", args=[application.pk])
    completion = application.training_completions.get(module=session)
    assert completion.recorded_by == coordinator and completion.minutes == 60


def test_attendance_errors_keep_the_typed_values(coordinator, client_for, world):
    application, session = world["application"], world["session"]
    url = reverse("mentors:trainee_attendance", args=[application.pk, session.pk])
    prefix = f"module-{session.pk}"
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client_for(coordinator).post(
        url, {f"{prefix}-attended_on": future, f"{prefix}-minutes": "25"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The date cannot be in the future." in html
    assert "This session counts as completed from 1 h." in html
    assert f'value="{future}"' in html and 'value="25"' in html
    assert f'href="#id_{prefix}-minutes"' in html
    assert not application.training_completions.exists()


def test_certifying_too_early_explains_what_is_missing(coordinator, client_for, world):
    url = reverse("mentors:trainee_certify", args=[world["application"].pk])
    response = client_for(coordinator).post(url, follow=True)
    assert "Not certified yet. Still needed:" in response.content.decode()
    assert not MentorProfile.objects.filter(application=world["application"]).exists()


def test_coordinator_certifies_a_ready_trainee(
    trainee, coordinator, client_for, world, organisation
):
    application = world["application"]
    settings = programme_settings(organisation)
    settings.min_training_minutes = 60
    settings.save()
    for module in TrainingModule.objects.filter(
        organisation=organisation, is_active=True, delivery=Delivery.SELF_PACED
    ):
        training_complete(actor=trainee, application=application, module=module, minutes=60)
    world["session"].required_before_matching = False
    world["session"].save()
    complete_screening(application, coordinator)
    client = client_for(coordinator)
    progress_url = reverse("mentors:trainee_progress", args=[application.pk])
    assert "Nothing is missing" in client.get(progress_url).content.decode()
    response = client.post(reverse("mentors:trainee_certify", args=[application.pk]), follow=True)
    assert "is now a certified mentor until" in response.content.decode()
    profile = MentorProfile.objects.get(application=application)
    assert profile.user == trainee
    assert "Continuing education" in response.content.decode()


def test_progress_page_for_a_certified_mentor_shows_continuing_education_and_renews(
    coordinator, client_for, world, mentor_profile
):
    CpdRecord.objects.create(
        profile=mentor_profile,
        done_on=timezone.localdate(),
        hours=Decimal("6"),
        description="Group learning day",
    )
    client = client_for(coordinator)
    url = reverse("mentors:trainee_progress", args=[mentor_profile.application.pk])
    html = client.get(url).content.decode()
    assert "6 of 6 hours in the last 12 months" in html
    assert "Group learning day" in html
    old_expiry = mentor_profile.certification_expires_at
    response = client.post(
        reverse("mentors:trainee_renew", args=[mentor_profile.application.pk]),
        {"seen_expires_at": old_expiry.isoformat()},
        follow=True,
    )
    assert "Certification renewed until" in response.content.decode()
    mentor_profile.refresh_from_db()
    assert mentor_profile.certification_expires_at > old_expiry
    again = mentor_profile.certification_expires_at
    client.post(
        reverse("mentors:trainee_renew", args=[mentor_profile.application.pk]),
        {"seen_expires_at": old_expiry.isoformat()},
    )
    mentor_profile.refresh_from_db()
    assert mentor_profile.certification_expires_at == again  # a second click adds nothing


def test_renewal_refused_for_too_little_continuing_education(
    coordinator, client_for, world, mentor_profile
):
    client = client_for(coordinator)
    page = client.get(reverse("mentors:trainee_progress", args=[mentor_profile.application.pk]))
    assert 'disabled aria-describedby="renewal-needs"' in page.content.decode()
    url = reverse("mentors:trainee_renew", args=[mentor_profile.application.pk])
    response = client.post(url, follow=True)
    assert "0 recorded, 6 to go" in response.content.decode()


# --- Mentors: continuing education ---------------------------------------------------------------


def test_mentor_adds_continuing_education(mentor, client_for, mentor_profile):
    client = client_for(mentor)
    response = client.post(
        reverse("mentors:cpd"),
        {
            "done_on": timezone.localdate().isoformat(),
            "hours": "1.5",
            "description": "Listening skills workshop",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Your continuing education is recorded" in html
    assert "Listening skills workshop" in html
    assert "You have recorded 1.5 of 6 hours" in html


def test_continuing_education_errors_keep_the_typed_values(mentor, client_for, mentor_profile):
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(mentor).post(
        reverse("mentors:cpd"),
        {"done_on": future, "hours": "41", "description": "Reading group"},
    )
    html = response.content.decode()
    assert "The date cannot be in the future." in html
    assert "Enter between 0.5 and 40 hours." in html
    assert "Reading group" in html and f'value="{future}"' in html
    assert not CpdRecord.objects.exists()


def test_cpd_list_query_count_is_pinned(
    mentor, client_for, mentor_profile, django_assert_max_num_queries
):
    for day in range(20):
        CpdRecord.objects.create(
            profile=mentor_profile,
            done_on=timezone.localdate() - timedelta(days=day),
            hours=Decimal("1"),
            description=f"Session {day}",
        )
    client = client_for(mentor)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("mentors:cpd")).status_code == 200
