"""The coordinator's matching overview and runs: what needs doing and the counts (which must
agree with the lists they sum up), a run's progress, polling and failure, starting a run, and
the page of one run; the overview's queries stay fixed as its lists grow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from matching.models import MatchProposal, MatchRun, ProposalStatus, RunStatus
from matching.selectors import places_left, profiles_with_room, referrals_to_match
from mentoring.models import RelationshipStatus
from mentors.models import MentorRequest
from referrals.models import Status
from tests.factories import UserFactory
from tests.matching.factories import MatchProposalFactory, RelationshipFactory
from tests.matching.fixtures_coordinator import page_of
from tests.matching.test_runs import make_mentor, make_waiting
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


# The overview ---------------------------------------------------------------------------------


def test_the_overview_shows_what_needs_doing(
    staff, organisation, coordinator, proposal, mentee, matchable_profile
):
    MentorRequest.objects.create(
        organisation=organisation, mentee=mentee, profile=matchable_profile
    )
    unmatched = make_waiting(organisation, "Farah Noor", languages=["so"], slots=["mon_evening"])
    MatchRun.objects.create(
        organisation=organisation,
        status=RunStatus.DONE,
        finished_at=timezone.now(),
        unmatched=[{"referral": unmatched.pk, "reason": "no available mentor shares a language"}],
    )
    offered = MatchProposalFactory(
        referral=make_waiting(organisation, "Gil", languages=["en"], slots=["mon_evening"]),
        mentor=matchable_profile,
        status=ProposalStatus.WITH_MENTOR,
        respond_by=timezone.now().replace(month=12, day=24),
    )

    html = page_of(staff.get(reverse("matching:overview")))

    assert html.count("<h1") == 1
    assert f'href="{reverse("matching:proposal_detail", args=[proposal.pk])}"' in html
    assert f"{proposal.referral.full_name} with {proposal.mentor.display_name}" in html
    assert "72% · fair match" not in html  # 0.72 reads as "good"
    assert "72% · good match" in html
    assert "Shares lived experience of anxiety · Both free on Monday evenings" in html
    assert "Asked for this mentor" in html
    assert "Farah Noor" in html
    assert "Not matched in the last run: no available mentor shares a language." in html
    assert reverse("matching:suggestions", args=[unmatched.pk]) in html
    assert f"{offered.referral.full_name} with {matchable_profile.display_name}" in html
    assert "24 December" in html
    assert f'asked for <span class="fw-semibold">{matchable_profile.display_name}' in html
    assert "Find matches for everyone waiting</button>" in html


def test_the_overview_counts(staff, organisation, proposal, offered_proposal):
    response = staff.get(reverse("matching:overview"))
    counts = response.context["counts"]
    # The shared proposal was offered: with the mentor, nothing left to review.
    assert counts["to_review"] == 0
    assert counts["with_mentors"] == 1
    assert counts["waiting"] == 0
    assert counts["mentors_with_places"] == 1  # capacity 2, one place held by the offer


def test_the_overview_counts_agree_with_the_lists_they_sum_up(staff, organisation, english):
    """The summary counts through indexes; each figure must equal what the lists it sums up
    would give when read row by row."""
    full = make_mentor(organisation, "Full", languages=["en"], slots=["mon_evening"], capacity=2)
    held = make_mentor(organisation, "Held", languages=["en"], slots=["mon_evening"], capacity=2)
    free = make_mentor(organisation, "Free", languages=["en"], slots=["mon_evening"], capacity=2)
    roomy = make_mentor(organisation, "Roomy", languages=["en"], slots=["mon_evening"], capacity=3)
    make_mentor(organisation, "Resting", languages=["en"], slots=["mon_evening"], capacity=0)
    gone = make_mentor(organisation, "Gone", languages=["en"], slots=["mon_evening"], capacity=2)
    User.objects.filter(pk=gone.user_id).update(is_active=False)
    for mentor, status in [
        (full, RelationshipStatus.ACTIVE),
        (full, RelationshipStatus.CLOSING),
        (held, RelationshipStatus.INTRODUCTION),
        (free, RelationshipStatus.ENDED),
        (free, RelationshipStatus.ENDED),
        (roomy, RelationshipStatus.ACTIVE),
    ]:
        RelationshipFactory(
            referral=ReferralFactory(organisation=organisation, mentee=UserFactory()),
            mentor=mentor,
            status=status,
        )
    waiting = [
        make_waiting(organisation, f"Person {n}", languages=["en"], slots=["mon_evening"])
        for n in range(4)
    ]
    MatchProposalFactory(referral=waiting[0], mentor=held, status=ProposalStatus.WITH_MENTEE)
    MatchProposalFactory(referral=waiting[1], mentor=free, status=ProposalStatus.REJECTED)
    MatchProposalFactory(referral=waiting[2], mentor=roomy)
    long_ago = timezone.now() - timedelta(days=45)
    for changed in (timezone.now() - timedelta(days=3), long_ago):
        MatchProposalFactory(
            referral=ReferralFactory(organisation=organisation, status=Status.MATCHED),
            mentor=free,
            status=ProposalStatus.ACCEPTED,
            status_changed_at=changed,
        )

    counts = staff.get(reverse("matching:overview")).context["counts"]

    with_room = profiles_with_room(organisation)
    assert counts["mentors_with_places"] == sum(1 for p in with_room if places_left(p) > 0) == 2
    assert counts["waiting"] == referrals_to_match(organisation).count() == 2
    assert counts["with_mentees"] == 1
    assert counts["to_review"] == 1
    assert counts["accepted"] == 1


def test_a_run_under_way_shows_its_progress_and_polls(staff, organisation, coordinator):
    run = MatchRun.objects.create(
        organisation=organisation,
        started_by=coordinator,
        status=RunStatus.RUNNING,
        progress=40,
        progress_message="Finding the best matches for everyone at once",
    )
    html = page_of(staff.get(reverse("matching:overview")))
    assert '<progress id="run-progress" class="w-100" max="100" value="40">' in html
    assert f'hx-get="{reverse("matching:run_detail", args=[run.pk])}"' in html
    assert 'hx-trigger="every 2s"' in html
    assert ">Refresh</a>" in html
    assert "Find matches for everyone waiting</button>" not in html


def test_the_status_poll_returns_the_status_alone_and_reloads_when_done(
    staff, organisation, finished_run
):
    path = reverse("matching:run_detail", args=[finished_run.pk])
    running = MatchRun.objects.create(organisation=organisation, status=RunStatus.RUNNING)
    response = staff.get(
        reverse("matching:run_detail", args=[running.pk]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/matching/",
    )
    html = page_of(response)
    assert "<h1" not in html and 'id="run-status"' in html
    assert 'href="/matching/">Refresh' in html
    assert "HX-Refresh" not in response.headers

    done = staff.get(path, HTTP_HX_REQUEST="true")
    assert done.headers["HX-Refresh"] == "true"
    assert "hx-trigger" not in page_of(done)


def test_a_failed_run_says_so_in_plain_words(staff, organisation):
    MatchRun.objects.create(
        organisation=organisation,
        status=RunStatus.FAILED,
        error="Matching could not finish because of an unexpected error.",
    )
    html = page_of(staff.get(reverse("matching:overview")))
    assert "Matching could not finish" in html
    assert "Traceback" not in html


def test_the_overview_makes_a_fixed_number_of_queries(
    staff, organisation, matchable_profile, mentee, django_assert_max_num_queries
):
    """Every list on the page grows here: proposals to review (some asked for), offers out,
    people waiting (with the last run's reasons) and requests from the directory."""

    def add(count):
        start = MatchProposal.objects.count()
        unmatched = []
        for index in range(start, start + count):
            referral = make_waiting(
                organisation,
                f"Person {index}",
                languages=["en"],
                slots=["mon_evening"],
                with_account=True,
            )
            MatchProposalFactory(referral=referral, mentor=matchable_profile)
            MentorRequest.objects.create(
                organisation=organisation, mentee=referral.mentee, profile=matchable_profile
            )
            MatchProposalFactory(
                referral=make_waiting(
                    organisation, f"Offered {index}", languages=["en"], slots=["mon_evening"]
                ),
                mentor=matchable_profile,
                status=ProposalStatus.WITH_MENTOR,
            )
            alone = make_waiting(organisation, f"Alone {index}", languages=["so"], slots=[])
            unmatched.append({"referral": alone.pk, "reason": "no mentor shares a language"})
        MatchRun.objects.create(
            organisation=organisation,
            status=RunStatus.DONE,
            finished_at=timezone.now(),
            unmatched=unmatched,
        )

    add(2)
    with CaptureQueriesContext(connection) as few:
        staff.get(reverse("matching:overview"))
    add(6)
    with CaptureQueriesContext(connection) as many:
        html = page_of(staff.get(reverse("matching:overview")))
    assert len(many) == len(few)
    assert html.count("Asked for this mentor") == 8
    assert html.count("Not matched in the last run") == 6
    with django_assert_max_num_queries(20):
        staff.get(reverse("matching:overview"))


# Runs -----------------------------------------------------------------------------------------


def test_finding_matches_runs_and_reports(
    staff, organisation, matchable_referral, matchable_profile, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("matching:run_start"), follow=True)
    # Here the task runs once the request is over, as a background worker would.
    assert "Matching has started." in page_of(response)
    run = MatchRun.objects.get()
    assert run.status == RunStatus.DONE
    assert MatchProposal.objects.get().referral == matchable_referral
    html = page_of(staff.get(reverse("matching:overview")))
    assert "and proposed 1 match;" not in html
    assert "and proposed 1 match." in html


def test_a_run_that_finishes_at_once_reports_what_it_found(
    staff, organisation, matchable_referral, matchable_profile, monkeypatch
):
    from matching.services import runs

    monkeypatch.setattr(runs.transaction, "on_commit", lambda callback, **kwargs: callback())
    response = staff.post(reverse("matching:run_start"), follow=True)
    assert "Matching finished: 1 match to review." in page_of(response)


def test_a_second_run_while_one_is_under_way_is_explained(staff, organisation):
    MatchRun.objects.create(organisation=organisation, status=RunStatus.QUEUED)
    response = staff.post(reverse("matching:run_start"), follow=True)
    assert "A matching run is already under way." in page_of(response)
    assert MatchRun.objects.count() == 1


def test_a_run_page_lists_who_could_not_be_matched_and_why(staff, organisation, coordinator):
    farah = make_waiting(organisation, "Farah Noor", languages=["so"], slots=["mon_evening"])
    run = MatchRun.objects.create(
        organisation=organisation,
        status=RunStatus.DONE,
        finished_at=timezone.now(),
        seconds=0.25,
        unmatched=[{"referral": farah.pk, "reason": "no available mentor shares a language"}],
    )
    html = page_of(staff.get(reverse("matching:run_detail", args=[run.pk])))
    assert "Farah Noor</span>: no available mentor shares a language." in html
    assert reverse("matching:suggestions", args=[farah.pk]) in html
