"""Subject access and portability: a person downloads everything the programme holds about them
(JSON and a readable page), other people's private notes and records left out, every download
audited; staff can download on a person's behalf in their own organisation only."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from audit.models import AuditEvent
from audit.services import audit_record
from matching.models import Origin, ProposalStatus
from mentoring.models import (
    ExitSurvey,
    SessionStatus,
    StepSuggestion,
    StrengthNote,
    WellbeingPlan,
)
from mentors.models import MentorRequest, MentorRequestStatus
from outcomes.models import Occasion
from privacy.consent import consent_give, consent_version_for
from privacy.export import (
    ALERT_NOTES_WITHHELD,
    MATCH_NOTES_WITHHELD,
    PRIVATE_NOTES_WITHHELD,
    SUPERVISION_NOTES_WITHHELD,
    TOP_LEVEL_KEYS,
    subject_export,
)
from privacy.models import Purpose
from referrals.models import ContactAttempt, ContactMethod, ContactOutcome
from safeguarding.models import AlertAction, AlertActionKind
from tests.matching.factories import MatchProposalFactory
from tests.mentoring.factories import (
    CheckInFactory,
    ConcernFactory,
    GoalFactory,
    MessageFactory,
    SessionFactory,
    StepFactory,
)
from tests.outcomes.fixtures import make_response
from tests.referrals.factories import IntakeFactory, ReferralFactory
from tests.safeguarding.fixtures import raise_for
from toolkit.models import Practice
from toolkit.services.practice import preferences_save

pytestmark = pytest.mark.django_db

PRIVATE_NOTE = "MENTOR-PRIVATE-NOTE-7781"
CHECK_IN_NOTE = "COORDINATOR-CHECKIN-NOTE-3321"
ALERT_NOTE = "STAFF-ALERT-NOTE-9904"
CONTACT_NOTE = "STAFF-CONTACT-NOTE-5512"
INTAKE_NOTE = "STAFF-INTAKE-NOTE-6630"
EMERGENCY_CONTACT = "Auntie Bea 07700 900123"
OTHER_MENTEE_WORDS = "OTHER-MENTEE-SECRET-4456"
MENTOR_DECLINE_REASON = "MENTOR-DECLINE-REASON-2207"
MENTEE_DECLINE_REASON = "MENTEE-DECLINE-REASON-8813"
PRIVATE_MATCH_REASON = "Mentor is 34, inside the age range asked for"
MATCH_SCORE = 0.6137


@pytest.fixture
def populated(active_relationship, phq9_request, toolkit_entry, duty_lead, mentee, mentor):
    """The shared mentee with something in every section of the export."""
    relationship = active_relationship
    referral = relationship.referral
    referral.hopes = "To sleep better <script>alert(1)</script>"
    referral.save(update_fields=["hopes"])
    IntakeFactory(
        referral=referral,
        goals="Make friends",
        notes=INTAKE_NOTE,
        emergency_contact=EMERGENCY_CONTACT,
    )
    ContactAttempt.objects.create(
        referral=referral,
        method=ContactMethod.PHONE,
        outcome=ContactOutcome.SPOKE,
        note=CONTACT_NOTE,
    )
    SessionFactory(
        relationship=relationship,
        scheduled_for=timezone.now() - timedelta(days=2),
        status=SessionStatus.HELD,
        scheduled_by=mentor,
        summary="We talked about sleep",
        private_notes=PRIVATE_NOTE,
        mentee_reflection="I felt heard",
    )
    goal = GoalFactory(relationship=relationship, title="Sleep by <b>eleven</b>")
    StepFactory(goal=goal, text="No screens after ten")
    StepSuggestion.objects.create(
        relationship=relationship, goal=goal, text="Try a bath", suggested_by=mentor
    )
    StrengthNote.objects.create(relationship=relationship, text="You are kind", written_by=mentor)
    MessageFactory(relationship=relationship, sender=mentee, body="Hello from the mentee")
    MessageFactory(relationship=relationship, sender=mentor, body="Hello from the mentor")
    CheckInFactory(relationship=relationship, how_it_is_going=CHECK_IN_NOTE)
    ConcernFactory(relationship=relationship, raised_by=mentee, details="Replies are slow")
    WellbeingPlan.objects.create(relationship=relationship, what_helps="Walking the dog")
    ExitSurvey.objects.create(
        relationship=relationship, respondent=mentee, role="mentee", what_helped="The walks"
    )
    make_response(
        mentee,
        "phq9",
        [2, 2, 2, 1, 1, 1, 1, 1, 0],
        relationship=relationship,
        occasion=Occasion.SESSIONS,
        request=phq9_request,
    )
    Practice.objects.create(entry=toolkit_entry, helpfulness=4, note="Helped me sleep")
    alert = raise_for(relationship)
    AlertAction.objects.create(alert=alert, kind=AlertActionKind.NOTE, note=ALERT_NOTE)
    consent_give(
        actor=mentee,
        person=mentee,
        consent_version=consent_version_for(relationship.organisation, Purpose.EMAIL_REMINDERS),
    )
    audit_record(actor=mentee, action="goal.created", organisation=relationship.organisation)
    return relationship


@pytest.fixture
def other_pair_data(other_relationship, other_mentee, other_mentor):
    MessageFactory(relationship=other_relationship, sender=other_mentee, body=OTHER_MENTEE_WORDS)
    GoalFactory(relationship=other_relationship, title=OTHER_MENTEE_WORDS)
    make_response(other_mentee, "phq9", [3] * 9, relationship=other_relationship)
    raise_for(other_relationship)
    return other_relationship


def _text(data) -> str:
    return json.dumps(data, ensure_ascii=False)


def test_the_export_has_every_section_for_a_fully_populated_mentee(populated, mentee):
    data = subject_export(mentee, populated.organisation)

    assert tuple(data) == TOP_LEVEL_KEYS
    assert data["schema_version"] == 1
    assert data["account"]["email"] == mentee.email
    assert data["mentor_requests"] == []
    assert data["matches"] == []
    assert data["account"]["membership"]["role"] == "mentee"
    [referral] = data["referrals"]
    assert referral["hopes"].startswith("To sleep better")
    assert referral["intake"]["goals"] == "Make friends"
    assert referral["contact_attempts"][0]["outcome"] == "Spoke with them"
    [relationship] = data["relationships"]
    assert relationship["your_role"] == "mentee"
    assert relationship["agreements"][0]["version"] == 1
    assert relationship["sessions"][0]["summary"] == "We talked about sleep"
    assert relationship["sessions"][0]["mentee_reflection"] == "I felt heard"
    assert relationship["goals"][0]["title"] == "Sleep by <b>eleven</b>"
    assert relationship["goals"][0]["steps"][0]["text"] == "No screens after ten"
    assert relationship["step_suggestions"][0]["text"] == "Try a bath"
    assert relationship["strengths_your_mentor_sees"][0]["text"] == "You are kind"
    assert [(m["from"], m["body"]) for m in relationship["messages"]] == [
        ("you", "Hello from the mentee"),
        ("your mentor", "Hello from the mentor"),
    ]
    assert relationship["check_ins"]
    assert relationship["concerns_you_raised"][0]["details"] == "Replies are slow"
    assert relationship["wellbeing_plan"]["what_helps"] == "Walking the dog"
    assert relationship["exit_survey"][0]["what_helped"] == "The walks"
    assert data["measures"]["requests"][0]["questionnaire"] == "PHQ-9"
    [response] = data["measures"]["responses"]
    assert response["total"] == 11
    assert len(response["answers"]) == 9
    assert response["answers"][0]["question"]
    assert data["toolkit"]["entries"][0]["skill"] == "Box breathing"
    assert data["toolkit"]["entries"][0]["practice"][0]["note"] == "Helped me sleep"
    [alert] = data["safeguarding_alerts"]
    assert (alert["level"], alert["withheld"]) == ("High", ALERT_NOTES_WITHHELD)
    assert data["consents"][0]["purpose"] == Purpose.EMAIL_REMINDERS
    assert "goal.created" in [event["action"] for event in data["activity"]]
    assert data["mentor"] is None


def test_the_mentors_private_notes_and_staff_notes_are_withheld_with_the_reason(populated, mentee):
    data = subject_export(mentee, populated.organisation)
    text = _text(data)

    assert data["relationships"][0]["sessions"][0]["withheld"] == PRIVATE_NOTES_WITHHELD
    assert PRIVATE_NOTES_WITHHELD in data["withheld"]
    assert ALERT_NOTES_WITHHELD in data["withheld"]
    assert SUPERVISION_NOTES_WITHHELD not in data["withheld"]  # not a mentor
    for secret in (PRIVATE_NOTE, CHECK_IN_NOTE, ALERT_NOTE, CONTACT_NOTE, INTAKE_NOTE):
        assert secret not in text
    assert EMERGENCY_CONTACT not in text
    assert "some days i want to die" not in text.lower()  # the alert's excerpt
    assert populated.mentor.user.email not in text  # the mentor's contact details


def test_a_mentors_export_includes_their_own_private_notes(populated, mentor):
    data = subject_export(mentor, populated.organisation)

    [relationship] = data["relationships"]
    assert relationship["your_role"] == "mentor"
    assert relationship["sessions"][0]["your_private_notes"] == PRIVATE_NOTE
    assert "withheld" not in relationship["sessions"][0]
    assert relationship["strengths_you_wrote"][0]["text"] == "You are kind"
    assert "goals" not in relationship  # the mentee's own record
    assert data["mentor"]["profile"]["display_name"] == populated.mentor.display_name
    assert populated.mentee.email not in _text(data)


def test_the_export_never_contains_another_mentees_data(populated, other_pair_data, mentee):
    data = subject_export(mentee, populated.organisation)

    assert OTHER_MENTEE_WORDS not in _text(data)
    assert len(data["relationships"]) == 1
    assert len(data["measures"]["responses"]) == 1
    assert len(data["safeguarding_alerts"]) == 1
    assert "other.mentee@example.org" not in _text(data)


def test_the_export_takes_a_fixed_number_of_queries(
    populated, matches, mentee, django_assert_max_num_queries
):
    for _ in range(5):
        SessionFactory(relationship=populated, summary="more", status=SessionStatus.HELD)
        MessageFactory(relationship=populated, sender=mentee, body="more")
        StepFactory(goal=GoalFactory(relationship=populated))
        MentorRequest.objects.create(
            organisation=populated.organisation,
            mentee=mentee,
            profile=populated.mentor,
            status=MentorRequestStatus.WITHDRAWN,
        )
    # 40 before mentor requests and matches: +1 for the requests, +1 for the matches offered
    # to the person as mentee and +1 as mentor.
    with django_assert_max_num_queries(43):
        subject_export(mentee, populated.organisation)


# Asking for a mentor, matches and the weekly email ------------------------------------------------


@pytest.fixture
def matches(populated, other_mentor_profile, other_mentee, mentor):
    """Offers around the shared pair: one the mentee accepted; one the other mentor declined
    before it reached the mentee; one still with the coordinator; and, on the mentor's side,
    one another mentee declined."""
    organisation = populated.organisation
    now = timezone.now()
    reasons = ["Shares lived experience of anxiety", PRIVATE_MATCH_REASON]
    accepted = MatchProposalFactory(
        referral=populated.referral,
        mentor=populated.mentor,
        origin=Origin.REQUEST,
        status=ProposalStatus.ACCEPTED,
        score=MATCH_SCORE,
        reasons=reasons,
        approved_at=now - timedelta(days=9),
        mentor_responded_at=now - timedelta(days=8),
        mentee_responded_at=now - timedelta(days=7),
        respond_by=now - timedelta(days=1),
    )
    MatchProposalFactory(
        referral=populated.referral,
        mentor=other_mentor_profile,
        status=ProposalStatus.MENTOR_DECLINED,
        score=MATCH_SCORE,
        approved_at=now - timedelta(days=12),
        mentor_responded_at=now - timedelta(days=11),
        decline_reason=MENTOR_DECLINE_REASON,
    )
    MatchProposalFactory(
        referral=populated.referral, mentor=other_mentor_profile, status=ProposalStatus.PROPOSED
    )
    robin = ReferralFactory(
        organisation=organisation, full_name="Robin Otherperson", mentee=other_mentee
    )
    MatchProposalFactory(
        referral=robin,
        mentor=populated.mentor,
        status=ProposalStatus.MENTEE_DECLINED,
        reasons=reasons,
        approved_at=now - timedelta(days=5),
        mentor_responded_at=now - timedelta(days=4),
        mentee_responded_at=now - timedelta(days=3),
        decline_reason=MENTEE_DECLINE_REASON,
    )
    MatchProposalFactory(
        referral=ReferralFactory(organisation=organisation, full_name="Quinn Notsent"),
        mentor=populated.mentor,
        status=ProposalStatus.PROPOSED,
    )
    return accepted


def test_the_mentee_sees_the_mentors_they_asked_for(populated, other_mentor_profile, mentee):
    MentorRequest.objects.create(
        organisation=populated.organisation,
        mentee=mentee,
        profile=other_mentor_profile,
        note="I liked what she wrote about walking",
        status=MentorRequestStatus.NOTED,
        handled_at=timezone.now(),
    )

    data = subject_export(mentee, populated.organisation)

    [request] = data["mentor_requests"]
    assert request["mentor"] == other_mentor_profile.display_name
    assert request["your_note"] == "I liked what she wrote about walking"
    assert (request["status"], request["status_label"]) == ("noted", "Noted by the coordinator")
    assert request["handled_at"]
    assert "handled_by" not in request


def test_another_mentees_requests_are_not_in_the_export(
    populated, other_mentor_profile, other_mentee, mentee
):
    MentorRequest.objects.create(
        organisation=populated.organisation,
        mentee=other_mentee,
        profile=other_mentor_profile,
        note=OTHER_MENTEE_WORDS,
    )

    data = subject_export(mentee, populated.organisation)

    assert data["mentor_requests"] == []
    assert OTHER_MENTEE_WORDS not in _text(data)


def test_the_mentee_sees_only_the_matches_that_reached_them_with_their_answer(
    populated, matches, mentee
):
    data = subject_export(mentee, populated.organisation)

    [match] = data["matches"]
    assert match["your_role"] == "mentee"
    assert match["mentor"] == populated.mentor.display_name
    assert (match["status_label"], match["your_answer"]) == ("You said yes", "yes")
    assert match["asked_for_this_mentor"] is True
    assert match["offered_at"] and match["answered_at"]
    assert match["why_suggested"] == ["Shares lived experience of anxiety"]
    assert MATCH_NOTES_WITHHELD in data["withheld"]
    text = _text(data)
    assert "score" not in match
    assert str(MATCH_SCORE) not in text
    assert PRIVATE_MATCH_REASON not in text
    assert MENTOR_DECLINE_REASON not in text  # the other mentor's answer, never shown to them


def test_the_mentor_sees_the_offers_sent_to_them_with_first_names_and_their_own_answers(
    populated, matches, mentor, other_mentor
):
    data = subject_export(mentor, populated.organisation)

    offers = [(m["your_role"], m["mentee"], m["your_answer"]) for m in data["matches"]]
    assert offers == [("mentor", "Samira", "yes"), ("mentor", "Robin", "yes")]
    assert data["matches"][1]["status_label"] == "Did not go ahead"
    text = _text(data)
    assert MENTEE_DECLINE_REASON not in text  # the mentee's reason stays with the mentee
    assert "Otherperson" not in text and "Quinn" not in text
    assert str(MATCH_SCORE) not in text
    assert PRIVATE_MATCH_REASON not in text

    declined = subject_export(other_mentor, populated.organisation)["matches"]
    assert [(m["your_answer"], m["your_reason"]) for m in declined] == [
        ("no", MENTOR_DECLINE_REASON)
    ]


def test_the_mentees_own_decline_reason_is_in_their_export(populated, matches, other_mentee):
    [match] = subject_export(other_mentee, populated.organisation)["matches"]

    assert (match["your_answer"], match["your_reason"]) == ("no", MENTEE_DECLINE_REASON)
    assert match["status_label"] == "You said you would rather not"


def test_the_weekly_email_setting_is_on_until_the_person_turns_it_off(populated, mentee):
    assert subject_export(mentee, populated.organisation)["toolkit"]["weekly_email_idea"] is True

    preferences_save(actor=mentee, weekly_nudge=False)

    toolkit = subject_export(mentee, populated.organisation)["toolkit"]
    assert toolkit["weekly_email_idea"] is False
    assert toolkit["weekly_email_last_sent_at"] is None


def test_the_page_shows_requests_matches_and_the_weekly_email(
    populated, matches, other_mentor_profile, mentee, client_for
):
    MentorRequest.objects.create(
        organisation=populated.organisation, mentee=mentee, profile=other_mentor_profile
    )
    preferences_save(actor=mentee, weekly_nudge=False)

    page = client_for(mentee).get(reverse("privacy:my_data")).content.decode()

    assert "Mentors you asked for" in page
    assert "Matches offered to you" in page
    assert f"Mentor: {escape(populated.mentor.display_name)}" in page
    assert "Weekly email with an idea from your toolkit: off" in page


# Pages --------------------------------------------------------------------------------------------


def test_the_mentee_reads_their_data_page_with_text_escaped(populated, mentee, client_for):
    response = client_for(mentee).get(reverse("privacy:my_data"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    page = response.content.decode()
    assert "<h1" in page and page.count("<h1") == 1
    assert "Sleep by &lt;b&gt;eleven&lt;/b&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert escape(PRIVATE_NOTES_WITHHELD) in page
    assert PRIVATE_NOTE not in page
    assert reverse("privacy:my_data_json") in page


def test_the_mentee_downloads_their_data_as_a_json_file(populated, mentee, client_for):
    response = client_for(mentee).get(reverse("privacy:my_data_json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="alongside-my-data-')
    data = json.loads(response.content)
    assert data["schema_version"] == 1
    assert data["relationships"][0]["goals"][0]["title"] == "Sleep by <b>eleven</b>"


@pytest.mark.parametrize(
    ("url_name", "export_format"), [("my_data", "page"), ("my_data_json", "json")]
)
def test_every_download_is_audited(populated, mentee, client_for, url_name, export_format):
    client_for(mentee).get(reverse(f"privacy:{url_name}"))

    event = AuditEvent.objects.get(action="privacy.export_downloaded")
    assert event.actor == mentee
    assert event.organisation == populated.organisation
    assert (event.object_type, event.object_id) == ("accounts.user", str(mentee.pk))
    assert event.metadata == {"format": export_format, "on_behalf": False}


def test_a_coordinator_downloads_a_persons_data_on_their_behalf(
    populated, mentee, coordinator, client_for
):
    client = client_for(coordinator)
    url = reverse("privacy:person_data", args=[mentee.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url, {"reason": "access_request", "format": "json", "identity_checked": "on"}
    )

    assert response.status_code == 200
    assert json.loads(response.content)["account"]["email"] == mentee.email
    event = AuditEvent.objects.get(action="privacy.export_downloaded")
    assert event.actor == coordinator
    assert event.metadata == {"format": "json", "on_behalf": True, "reason": "access_request"}


def test_the_on_behalf_page_shows_the_readable_summary(populated, mentee, admin, client_for):
    response = client_for(admin).post(
        reverse("privacy:person_data", args=[mentee.pk]),
        {"reason": "portability", "format": "page", "identity_checked": "on"},
    )

    assert response.status_code == 200
    assert "Data held about" in response.content.decode()
    assert escape(PRIVATE_NOTES_WITHHELD) in response.content.decode()
    assert PRIVATE_NOTE not in response.content.decode()


def test_on_behalf_without_checking_identity_shows_the_error_and_keeps_the_answers(
    populated, mentee, coordinator, client_for
):
    response = client_for(coordinator).post(
        reverse("privacy:person_data", args=[mentee.pk]),
        {"reason": "portability", "format": "json"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Check who is asking before downloading their data." in page
    assert re.search(r'value="portability"[^>]*checked', page)
    assert not AuditEvent.objects.filter(action="privacy.export_downloaded").exists()


def test_another_organisations_coordinator_gets_404(
    populated, mentee, other_org_coordinator, client_for
):
    client = client_for(other_org_coordinator)
    url = reverse("privacy:person_data", args=[mentee.pk])

    assert client.get(url).status_code == 404
    posted = client.post(
        url, {"reason": "access_request", "format": "json", "identity_checked": "on"}
    )
    assert posted.status_code == 404
    assert not AuditEvent.objects.filter(action="privacy.export_downloaded").exists()


@pytest.mark.parametrize("person", ["mentee", "mentor", "supervisor", "referrer"])
def test_only_staff_may_download_for_someone_else(
    populated, other_mentee, client_for, request, person
):
    user = request.getfixturevalue(person)
    url = reverse("privacy:person_data", args=[other_mentee.pk])

    assert client_for(user).get(url).status_code == 404


def test_the_people_page_lists_only_the_coordinators_organisation(
    populated, coordinator, other_org_relationship, client_for
):
    page = client_for(coordinator).get(reverse("privacy:people")).content.decode()

    assert reverse("privacy:person_data", args=[populated.mentee.pk]) in page
    assert "elsewhere.example" not in page
