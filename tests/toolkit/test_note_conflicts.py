"""Notes on what a mentor shares with a mentee (a skill, a community resource) are never
silently lost: replacing a note someone else wrote, or one changed since the form was shown, is
refused with that note shown and the typed text kept; saving again after seeing it replaces it.
Sending the same form twice (a double-click) makes one record and one audit event."""

from __future__ import annotations

import html
import re

import pytest
from django.core import mail

from audit.models import AuditEvent
from toolkit.models import Recommendation, ToolkitEntry
from toolkit.services.notes import NoteTaken
from toolkit.services.resources import resource_recommend
from toolkit.services.sharing import skill_share

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def hidden(page: str, name: str) -> str:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', page)
    return found.group(1) if found else ""


def share_url(skill) -> str:
    return f"/toolkit/skills/{skill.pk}/share/"


def recommend_url(resource) -> str:
    return f"/toolkit/resources/{resource.pk}/recommend/"


@pytest.fixture
def noted_entry(toolkit_entry, other_mentor) -> ToolkitEntry:
    """The mentee's toolkit entry, with a note their previous mentor wrote."""
    other_mentor.name = "Priya Earlier"
    other_mentor.save(update_fields=["name"])
    toolkit_entry.note = "Try it before bed"
    toolkit_entry.note_by = other_mentor
    toolkit_entry.version = 2
    toolkit_entry.save()
    return toolkit_entry


# Sharing a skill ---------------------------------------------------------------------------------


def test_sharing_over_someone_elses_note_is_refused_with_their_note_shown_and_the_text_kept(
    client_for, mentor, mentee, skill, noted_entry
):
    response = client_for(mentor).post(
        share_url(skill), {"mentee": mentee.pk, "note": "My own words", "version": "0"}
    )
    assert response.status_code == 400
    page = text_of(response)
    assert (
        "Samira already has a note on this from Priya Earlier: “Try it before bed”. "
        "Your note is still here." in page
    )
    assert "> My own words</textarea>" in page
    assert hidden(page, "version") == "2" and hidden(page, "version_for") == str(mentee.pk)
    noted_entry.refresh_from_db()
    assert noted_entry.note == "Try it before bed" and noted_entry.version == 2
    assert not AuditEvent.objects.filter(action="toolkit.skill_shared").exists()


def test_sharing_again_after_seeing_the_note_replaces_it(
    client_for, mentor, mentee, skill, noted_entry
):
    client = client_for(mentor)
    refused = text_of(client.post(share_url(skill), {"mentee": mentee.pk, "note": "Mine"}))
    response = client.post(
        share_url(skill),
        {
            "mentee": mentee.pk,
            "note": "Mine",
            "version": hidden(refused, "version"),
            "version_for": hidden(refused, "version_for"),
            "client_key": hidden(refused, "client_key"),
        },
        follow=True,
    )
    assert "This was already in Samira's toolkit." in text_of(response)
    noted_entry.refresh_from_db()
    assert noted_entry.note == "Mine" and noted_entry.note_by == mentor
    assert noted_entry.version == 3
    assert AuditEvent.objects.filter(action="toolkit.skill_shared").count() == 1


def test_a_version_seen_for_another_mentee_counts_as_seeing_no_note(
    client_for, mentor, mentee, other_mentee, skill, noted_entry
):
    response = client_for(mentor).post(
        share_url(skill),
        {"mentee": mentee.pk, "note": "Mine", "version": "2", "version_for": other_mentee.pk},
    )
    assert response.status_code == 400
    assert noted_entry.__class__.objects.get().note == "Try it before bed"


def test_ones_own_note_changed_since_the_form_was_shown_is_refused(
    mentor, skill, active_relationship
):
    first = skill_share(actor=mentor, skill=skill, relationship=active_relationship, note="One")
    skill_share(actor=mentor, skill=skill, relationship=active_relationship, note="Two", version=1)
    with pytest.raises(NoteTaken) as refused:
        skill_share(
            actor=mentor, skill=skill, relationship=active_relationship, note="Three", version=1
        )
    assert refused.value.by_actor and refused.value.version == 2
    assert "from you: “Two”" in refused.value.message_for("Samira")
    first.entry.refresh_from_db()
    assert first.entry.note == "Two"


def test_ones_own_note_is_replaced_from_a_blank_form_and_an_empty_note_replaces_nothing(
    mentor, other_mentor, skill, active_relationship, noted_entry
):
    # Sharing again without a note keeps the previous mentor's note: nothing is lost.
    kept = skill_share(actor=mentor, skill=skill, relationship=active_relationship, version=0)
    assert kept.entry.note == "Try it before bed"
    noted_entry.note_by = mentor
    noted_entry.save()
    replaced = skill_share(
        actor=mentor, skill=skill, relationship=active_relationship, note="Newer", version=0
    )
    assert replaced.entry.note == "Newer"


def test_sending_the_share_form_twice_shares_once(
    client_for, mentor, mentee, skill, active_relationship, django_capture_on_commit_callbacks
):
    client = client_for(mentor)
    key = hidden(text_of(client.get(f"/toolkit/skills/{skill.pk}/")), "client_key")
    assert key
    sent = {"mentee": mentee.pk, "note": "For mornings", "version": "0", "client_key": key}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(share_url(skill), sent)
        again = client.post(share_url(skill), sent, follow=True)
    assert "Shared. It is in Samira's toolkit now." in text_of(again)
    assert ToolkitEntry.objects.get().note == "For mornings"
    assert AuditEvent.objects.filter(action="toolkit.skill_shared").count() == 1
    assert len(mail.outbox) == 1


# Recommending a community resource ---------------------------------------------------------------


def test_recommending_over_someone_elses_note_is_refused_then_replaces_it_after_seeing_it(
    client_for, coordinator, mentor, mentee, active_relationship, community_resource
):
    mentor.name = "Maya Mentor"
    mentor.save(update_fields=["name"])
    resource_recommend(
        actor=mentor, resource=community_resource, person=mentee, note="They are kind there"
    )
    client = client_for(coordinator)
    response = client.post(
        recommend_url(community_resource),
        {"person": mentee.pk, "note": "Ask for Jo", "version": "0"},
    )
    page = text_of(response)
    assert "already has a note on this from Maya Mentor: “They are kind there”." in page
    assert "> Ask for Jo</textarea>" in page
    assert Recommendation.objects.get().note == "They are kind there"
    assert hidden(page, "version") == "1"

    client.post(
        recommend_url(community_resource),
        {
            "person": mentee.pk,
            "note": "Ask for Jo",
            "version": hidden(page, "version"),
            "version_for": hidden(page, "version_for"),
            "client_key": hidden(page, "client_key"),
        },
    )
    recommendation = Recommendation.objects.get()
    assert recommendation.note == "Ask for Jo" and recommendation.note_by == coordinator
    assert recommendation.version == 2
    changed = AuditEvent.objects.filter(action="community_resource.recommendation_note_changed")
    assert changed.count() == 1


def test_sending_the_recommend_form_twice_recommends_once(
    client_for,
    mentor,
    mentee,
    active_relationship,
    community_resource,
    django_capture_on_commit_callbacks,
):
    client = client_for(mentor)
    key = hidden(text_of(client.get(f"/toolkit/resources/{community_resource.pk}/")), "client_key")
    assert key
    sent = {"person": mentee.pk, "note": "Tuesdays", "version": "0", "client_key": key}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(recommend_url(community_resource), sent)
        again = client.post(recommend_url(community_resource), sent, follow=True)
    assert "Recommended to Samira." in text_of(again)
    assert Recommendation.objects.count() == 1
    assert AuditEvent.objects.filter(action="community_resource.recommended").count() == 1
    assert len(mail.outbox) == 1


def test_a_recommendation_without_a_note_keeps_the_one_there(
    coordinator, mentor, mentee, active_relationship, community_resource
):
    resource_recommend(actor=mentor, resource=community_resource, person=mentee, note="Kind")
    again = resource_recommend(
        actor=coordinator, resource=community_resource, person=mentee, version=0
    )
    assert not again.created and again.recommendation.note == "Kind"
