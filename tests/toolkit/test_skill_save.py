"""A mentee saves a library skill to their own toolkit from the skill's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.mentoring.access import PEOPLE, check_page, client_as
from toolkit.models import ToolkitEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("person", PEOPLE)
def test_only_mentees_can_save_a_library_skill(person, request, client_for, skill):
    response = client_as(person, request, client_for).post(
        reverse("toolkit:skill_save", args=[skill.pk])
    )
    allowed = ["mentee", "other_mentee"]
    check_page(response, person, allowed, ok=302)
    saved = ToolkitEntry.objects.filter(skill=skill, removed_at__isnull=True)
    assert saved.exists() == (person in allowed)


def test_saving_puts_it_in_the_toolkit_once_and_opens_it(client_for, mentee, skill):
    client = client_for(mentee)
    page = client.get(reverse("toolkit:skill", args=[skill.pk])).content.decode()
    assert "Save to my toolkit" in page
    first = client.post(reverse("toolkit:skill_save", args=[skill.pk]))
    second = client.post(reverse("toolkit:skill_save", args=[skill.pk]))
    entry = ToolkitEntry.objects.get(person=mentee, skill=skill)
    assert first.url == second.url == reverse("toolkit:entry", args=[entry.pk])
    assert AuditEvent.objects.filter(action="toolkit.entry_saved").count() == 1
    assert (
        "In your toolkit" in client.get(reverse("toolkit:skill", args=[skill.pk])).content.decode()
    )


def test_a_mentors_own_strategy_cannot_be_saved_by_a_mentee_who_was_not_given_it(
    client_for, mentee, mentor_strategy
):
    response = client_for(mentee).post(reverse("toolkit:skill_save", args=[mentor_strategy.pk]))
    assert response.status_code == 404
    assert not ToolkitEntry.objects.filter(skill=mentor_strategy).exists()


def test_saving_is_post_only(client_for, mentee, skill):
    assert client_for(mentee).get(reverse("toolkit:skill_save", args=[skill.pk])).status_code == 405
