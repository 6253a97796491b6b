"""Applying to be a mentor: no account needed, save and come back, send when ready."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEvent
from mentors.models import MentorApplication, Stage
from mentors.services.applications import application_for_resume_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def apply_url(organisation):
    return reverse("mentors:apply", args=[organisation.slug])


def complete_answers(areas, **overrides):
    data = {
        "full_name": "Robin Hart",
        "email": "robin@example.org",
        "motivation": "Someone sat with me when I needed it; I would like to do the same.",
        "lived_experience_areas": [str(areas[0].pk)],
        "formats": ["video", "phone"],
        "consent_to_checks": "on",
        "action": "send",
    }
    data.update(overrides)
    return data


def resume_token_from_email() -> str:
    match = re.search(r"/mentors/apply/continue/([\w-]+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_saving_keeps_a_draft_and_emails_a_private_link(
    client, apply_url, areas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            apply_url,
            {"full_name": "Robin Hart", "email": "robin@example.org", "action": "save"},
        )
    application = MentorApplication.objects.get()
    assert application.stage == Stage.DRAFT
    assert mail.outbox[0].to == ["robin@example.org"]
    token = resume_token_from_email()
    assert response.url == reverse("mentors:apply_continue", args=[token])
    assert application_for_resume_token(token) == application
    assert token not in application.resume_token_hash  # only a hash is stored
    assert "mental" not in mail.outbox[0].body.lower()


def test_coming_back_shows_what_was_saved(client, apply_url, areas):
    saved = client.post(
        apply_url,
        {
            "full_name": "Robin Hart",
            "email": "robin@example.org",
            "area": "Leeds",
            "action": "save",
        },
    )
    page = client.get(saved.url).content.decode()
    assert 'value="Robin Hart"' in page
    assert 'value="Leeds"' in page
    assert "Send my application" in page


def test_sending_an_incomplete_application_keeps_answers_and_marks_whats_missing(
    client, apply_url, areas
):
    response = client.post(
        apply_url,
        {"full_name": "Robin Hart", "email": "robin@example.org", "action": "send"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Robin Hart"' in page
    assert "Tell us a little about why you would like to be a mentor." in page
    assert "Choose at least one area of lived experience." in page
    assert "agree to references and a background check" in page
    assert 'id="id_motivation_error"' in page
    assert MentorApplication.objects.get().stage == Stage.DRAFT  # saved, not sent


def test_invalid_email_is_refused_next_to_the_field(client, apply_url, areas):
    response = client.post(apply_url, {"full_name": "R", "email": "not-an-email", "action": "save"})
    assert "Enter a valid email address." in response.content.decode()
    assert not MentorApplication.objects.exists()


def test_sending_a_complete_application_tells_the_applicant_and_coordinators(
    client, apply_url, areas, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url, complete_answers(areas), follow=True)
    application = MentorApplication.objects.get()
    assert application.stage == Stage.NEW
    assert application.submitted_at and application.consented_at
    assert "Thank you. Your application has been sent." in response.content.decode()
    recipients = [message.to for message in mail.outbox]
    assert ["robin@example.org"] in recipients
    assert [coordinator.email] in recipients
    assert AuditEvent.objects.filter(action="mentor_application.submitted").count() == 1


def test_sending_twice_changes_nothing(client, apply_url, areas):
    client.post(apply_url, complete_answers(areas))
    application = MentorApplication.objects.get()
    from mentors.services.applications import application_submit

    entered = application.stage_entered_at
    application_submit(application=application)
    application.refresh_from_db()
    assert application.stage_entered_at == entered
    assert AuditEvent.objects.filter(action="mentor_application.submitted").count() == 1


def test_sent_application_shows_its_status_and_cannot_be_edited(client, apply_url, areas):
    response = client.post(apply_url, complete_answers(areas))
    status = client.get(response.url)
    page = status.content.decode()
    assert "We have received your application" in page
    assert "Send my application" not in page
    edit = client.post(response.url, {"full_name": "Changed", "email": "c@example.org"})
    assert MentorApplication.objects.get().full_name == "Robin Hart"
    assert edit.status_code == 200


def test_applicant_can_withdraw_and_the_link_then_stops_working(client, apply_url, areas):
    continue_url = client.post(apply_url, complete_answers(areas)).url
    response = client.post(continue_url + "withdraw/")
    assert "Your application is withdrawn" in response.content.decode()
    assert MentorApplication.objects.get().stage == Stage.WITHDRAWN
    assert client.get(continue_url).status_code == 404


def test_unknown_link_is_not_found(client, db):
    assert client.get(reverse("mentors:apply_continue", args=["made-up"])).status_code == 404


def test_areas_from_another_organisation_are_not_offered(
    client, apply_url, areas, other_organisation
):
    from tests.mentors.factories import SupportAreaFactory

    elsewhere = SupportAreaFactory(organisation=other_organisation, name="Elsewhere only")
    page = client.get(apply_url).content.decode()
    assert "Anxiety" in page
    assert "Elsewhere only" not in page
    response = client.post(
        apply_url, complete_answers(areas, lived_experience_areas=[str(elsewhere.pk)])
    )
    assert "Select a valid choice" in response.content.decode()


def test_unknown_or_inactive_organisation_has_no_application_page(client, organisation):
    assert client.get(reverse("mentors:apply", args=["nowhere"])).status_code == 404
    organisation.is_active = False
    organisation.save()
    assert client.get(reverse("mentors:apply", args=[organisation.slug])).status_code == 404


@pytest.mark.parametrize(
    "person",
    [
        "mentee",
        "mentor",
        "supervisor",
        "coordinator",
        "admin",
        "referrer",
        "outsider",
        "other_org_coordinator",
    ],
)
def test_application_page_is_open_to_everyone(person, request, client_for, apply_url):
    client = client_for(request.getfixturevalue(person))
    assert client.get(apply_url).status_code == 200


def test_emails_keep_apostrophes_in_names(
    client, apply_url, areas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(apply_url, {"full_name": "Siobhan O'Brien", "email": "s@example.org"})
    assert "O'Brien" in mail.outbox[0].body
