"""The mentor's list of offers: what it says of each person, and that it opens none of the
referral's encrypted text."""

from __future__ import annotations

import pytest

from referrals.models import Referral
from tests.matching.test_people_pages import text_of

pytestmark = pytest.mark.django_db


def test_the_list_says_what_each_person_would_like_support_with(
    client_for, mentor, offered_proposal
):
    page = text_of(client_for(mentor).get("/matching/offers/"))
    assert "A match with" in page and "Would like support with anxiety." in page


def test_the_list_decrypts_nothing(client_for, mentor, offered_proposal, monkeypatch):
    """The list shows first names and support areas: the referral's encrypted text stays shut."""
    referral = Referral.objects.get(pk=offered_proposal.referral_id)
    referral.hopes = "To feel less alone"
    referral.save(update_fields=["hopes"])
    opened = []
    monkeypatch.setattr("alongside.fields.decrypt_text", lambda value: opened.append(value) or "")
    response = client_for(mentor).get("/matching/offers/")
    assert response.status_code == 200
    assert opened == []
