"""Acting on one person's match from the coordinator's pages: a proposal (why the pair was
proposed, approving, rejecting with and without a reason, undoing an offer, swapping the
mentor) and the suggestions for one person (proposing a mentor, the one they asked for, and why
nobody or a chosen mentor does not fit)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.models import MatchProposal, Origin, ProposalStatus
from mentors.models import MentorRequest
from referrals.models import Importance
from tests.matching.fixtures_coordinator import fresh, page_of
from tests.matching.test_runs import make_mentor, make_waiting

pytestmark = pytest.mark.django_db


# One proposal ---------------------------------------------------------------------------------


def test_a_proposal_page_says_why_the_pair_was_proposed(
    staff, proposal, organisation, mentee, second_mentor
):
    referral = proposal.referral
    referral.mentor_gender = "woman"
    referral.mentor_gender_importance = Importance.NICE
    referral.save()
    MentorRequest.objects.create(organisation=organisation, mentee=mentee, profile=second_mentor)
    proposal.reasons = [*proposal.reasons, "Preference not met: mentor gender woman"]
    proposal.save()

    response = staff.get(reverse("matching:proposal_detail", args=[proposal.pk]))
    html = page_of(response)

    assert html.count("<h1") == 1
    assert "Why this pair was proposed" in html
    for reason in proposal.reasons:
        assert reason in html
    assert "✗</span> Preference not met" in html
    assert '<strong>Anxiety</strong> <span class="small">(shared)</span>' in html
    assert "<strong>Monday evening</strong>" in html
    assert "Mentor&#x27;s gender: woman" in html and "(nice to have)" in html
    assert "1 place free, with this match already counted" in html
    assert "asked for Sasha" in html and "could also be matched" in html
    assert "Approve and offer to" in html
    assert "Reject this match" in html


def test_the_proposal_page_notes_when_this_is_the_mentor_they_asked_for(
    staff, proposal, organisation, mentee
):
    MentorRequest.objects.create(organisation=organisation, mentee=mentee, profile=proposal.mentor)
    html = page_of(staff.get(reverse("matching:proposal_detail", args=[proposal.pk])))
    assert "this is the mentor they asked for" in html


def test_approving_from_the_page(staff, proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("matching:proposal_approve", args=[proposal.pk]), follow=True)
    assert fresh(proposal).status == ProposalStatus.WITH_MENTOR
    assert f"Approved. We have emailed {proposal.mentor.display_name}" in page_of(response)


def test_rejecting_without_a_reason_shows_the_error_by_the_field(staff, proposal):
    response = staff.post(reverse("matching:proposal_reject", args=[proposal.pk]), {"reason": " "})
    html = page_of(response)
    assert response.status_code == 200
    assert "Some answers need another look" in html
    assert 'aria-invalid="true"' in html
    assert fresh(proposal).status == ProposalStatus.PROPOSED


def test_rejecting_with_a_reason(staff, proposal):
    response = staff.post(
        reverse("matching:proposal_reject", args=[proposal.pk]),
        {"reason": "They were at school together."},
        follow=True,
    )
    assert fresh(proposal).status == ProposalStatus.REJECTED
    assert "will not be proposed for" in page_of(response)


def test_rejecting_an_offer_explains_what_to_do_instead(staff, offered_proposal):
    response = staff.post(
        reverse("matching:proposal_reject", args=[offered_proposal.pk]),
        {"reason": "Changed my mind."},
        follow=True,
    )
    assert "undo it instead" in page_of(response)
    assert fresh(offered_proposal).status == ProposalStatus.WITH_MENTOR


def test_an_offered_proposal_shows_its_deadline_and_undo(staff, offered_proposal):
    html = page_of(staff.get(reverse("matching:proposal_detail", args=[offered_proposal.pk])))
    assert "They have until" in html
    assert "Undo this match</button>" in html
    assert "Approve and offer to" not in html


def test_undoing_from_the_page(staff, offered_proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("matching:proposal_undo", args=[offered_proposal.pk]), follow=True
        )
    assert fresh(offered_proposal).status == ProposalStatus.UNDONE
    html = page_of(response)
    assert "is back on the waiting list" in html
    assert "This match is closed: undone by the coordinator" in html


def test_swapping_from_the_page(staff, proposal, second_mentor):
    page = page_of(staff.get(reverse("matching:proposal_swap", args=[proposal.pk])))
    assert "Swap to Sasha" in page
    assert f"Swap to {proposal.mentor.display_name}<" not in page

    response = staff.post(
        reverse("matching:proposal_swap", args=[proposal.pk]),
        {"mentor": second_mentor.pk},
        follow=True,
    )
    new = MatchProposal.objects.get(status=ProposalStatus.PROPOSED)
    assert new.mentor == second_mentor
    assert response.redirect_chain[-1][0] == reverse("matching:proposal_detail", args=[new.pk])
    assert "Swapped: Sasha is now proposed" in page_of(response)


def test_swapping_to_a_mentor_from_elsewhere_is_refused(staff, proposal, other_organisation):
    elsewhere = make_mentor(other_organisation, "Far", languages=["en"], slots=["mon_evening"])
    response = staff.post(
        reverse("matching:proposal_swap", args=[proposal.pk]), {"mentor": elsewhere.pk}, follow=True
    )
    assert "Choose one of the mentors listed." in page_of(response)
    assert fresh(proposal).status == ProposalStatus.PROPOSED


def test_a_decided_proposal_cannot_be_swapped(staff, offered_proposal):
    response = staff.get(reverse("matching:proposal_swap", args=[offered_proposal.pk]), follow=True)
    assert "cannot be swapped" in page_of(response)


# Suggestions for one person -------------------------------------------------------------------


def test_suggestions_show_the_best_mentors_and_propose_one(
    staff, matchable_referral, matchable_profile, second_mentor
):
    path = reverse("matching:suggestions", args=[matchable_referral.pk])
    html = page_of(staff.get(path))
    assert html.count("<h1") == 1
    assert f"Propose {matchable_profile.display_name}" in html
    assert "Propose Sasha" in html
    assert "Both free on Monday evenings" in html

    response = staff.post(path, {"mentor": second_mentor.pk}, follow=True)
    proposal = MatchProposal.objects.get()
    assert (proposal.mentor, proposal.origin) == (second_mentor, Origin.SUGGESTION)
    assert response.redirect_chain[-1][0] == reverse("matching:proposal_detail", args=[proposal.pk])
    assert "Sasha is proposed for" in page_of(response)


def test_picking_the_mentor_they_asked_for_records_the_request(
    staff, organisation, mentee, matchable_referral, matchable_profile
):
    MentorRequest.objects.create(
        organisation=organisation, mentee=mentee, profile=matchable_profile
    )
    path = reverse("matching:suggestions", args=[matchable_referral.pk])
    html = page_of(staff.get(path))
    assert f"asked for {matchable_profile.display_name}</span>" in html
    assert "is among the suggestions below" in html
    staff.post(path, {"mentor": matchable_profile.pk})
    assert MatchProposal.objects.get().origin == Origin.REQUEST


def test_suggestions_say_why_the_mentor_they_asked_for_cannot_be_matched(
    staff, organisation, mentee, matchable_referral
):
    marek = make_mentor(organisation, "Marek", languages=["pl"], slots=["mon_evening"])
    MentorRequest.objects.create(organisation=organisation, mentee=mentee, profile=marek)
    html = page_of(staff.get(reverse("matching:suggestions", args=[matchable_referral.pk])))
    assert "Marek cannot be matched with them: they do not share a language." in html


def test_suggestions_when_nobody_fits_give_the_reason(staff, organisation):
    farah = make_waiting(organisation, "Farah", languages=["so"], slots=["mon_evening"])
    html = page_of(staff.get(reverse("matching:suggestions", args=[farah.pk])))
    assert "No mentor can be matched with Farah now:" in html
    assert "Propose" not in html


def test_suggestions_for_someone_with_a_match_on_its_way_link_to_it(staff, proposal):
    html = page_of(staff.get(reverse("matching:suggestions", args=[proposal.referral.pk])))
    assert "already has a match on its way" in html
    assert reverse("matching:proposal_detail", args=[proposal.pk]) in html
    assert 'name="mentor"' not in html


def test_proposing_a_mentor_who_does_not_fit_explains_why(staff, organisation, matchable_referral):
    marek = make_mentor(organisation, "Marek", languages=["pl"], slots=["mon_evening"])
    response = staff.post(
        reverse("matching:suggestions", args=[matchable_referral.pk]),
        {"mentor": marek.pk},
        follow=True,
    )
    assert "This mentor cannot be matched with this person: they do not share a language." in (
        page_of(response)
    )
    assert not MatchProposal.objects.exists()


def test_suggestions_make_a_fixed_number_of_queries(
    staff, organisation, matchable_referral, django_assert_max_num_queries
):
    path = reverse("matching:suggestions", args=[matchable_referral.pk])
    make_mentor(organisation, "One", languages=["en"], slots=["mon_evening"])
    with CaptureQueriesContext(connection) as few:
        staff.get(path)
    for name in ("Two", "Three", "Four", "Five", "Six", "Seven"):
        make_mentor(organisation, name, languages=["en"], slots=["mon_evening"])
    with CaptureQueriesContext(connection) as many:
        staff.get(path)
    assert len(many) == len(few)
    with django_assert_max_num_queries(25):
        staff.get(path)
