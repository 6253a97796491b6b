"""Matching runs: starting one (and only one at a time), the background work with its progress,
the proposals it makes over a small but realistic programme, reruns, and failures."""

from __future__ import annotations

import logging
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Language, Organisation, Role
from audit.models import AuditEvent
from matching import engine
from matching.models import MatchProposal, MatchRun, Origin, ProposalStatus, RunStatus
from matching.services import runs
from matching.services.proposals import proposal_approve, proposal_create, proposal_reject
from matching.services.runs import match_run_execute, match_run_start
from mentors.models import AvailabilitySlot, MentorProfile
from referrals.models import Referral, Status
from tests.conftest import make_member
from tests.matching.factories import MatchProposalFactory
from tests.mentors.factories import MentorProfileFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db

DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
PARTS = {"morning": (time(9), time(12)), "evening": (time(18), time(20))}


def language(code: str) -> Language:
    found, _ = Language.objects.get_or_create(code=code, defaults={"name": code.upper()})
    return found


def make_mentor(
    organisation: Organisation,
    name: str,
    *,
    languages: list[str],
    slots: list[str],
    capacity: int = 1,
    formats: tuple[str, ...] = ("video",),
) -> MentorProfile:
    """A certified mentor free at ``slots`` (e.g. "mon_evening")."""
    user = make_member(organisation, Role.MENTOR, f"{name.lower()}@mentors.example")
    profile = MentorProfileFactory(
        organisation=organisation,
        user=user,
        display_name=name,
        capacity=capacity,
        formats=list(formats),
    )
    profile.languages.set([language(code) for code in languages])
    for slot in slots:
        day, part = slot.split("_")
        starts, ends = PARTS[part]
        AvailabilitySlot.objects.create(
            profile=profile, weekday=DAYS[day], starts_at=starts, ends_at=ends
        )
    return profile


def make_waiting(
    organisation: Organisation,
    name: str,
    *,
    languages: list[str],
    slots: list[str],
    days: int = 10,
    formats: tuple[str, ...] = ("video",),
    with_account: bool = False,
) -> Referral:
    """Someone on the waiting list for ``days`` days."""
    mentee = None
    if with_account:
        mentee = make_member(organisation, Role.MENTEE, f"{name.lower()}@people.example")
    referral = ReferralFactory(
        organisation=organisation,
        full_name=name,
        status=Status.WAITING,
        waiting_since=timezone.now() - timedelta(days=days),
        availability_slots=slots,
        formats=list(formats),
        mentee=mentee,
    )
    referral.languages.set([language(code) for code in languages])
    return referral


@pytest.fixture
def programme(organisation):
    """Three mentors (four places) and six people waiting.

    Priya (English, Monday evenings) takes two; Tomasz (Polish and English, Tuesday evenings)
    and Amira (Arabic and English, Saturday mornings) one each. Three people want English on
    Monday evenings (one more than Priya can take); one Polish speaker on Tuesday evening, one
    Arabic speaker on Saturday morning, and one Somali speaker no mentor shares a language with.
    """
    mentors = {
        "Priya": make_mentor(
            organisation, "Priya", languages=["en"], slots=["mon_evening"], capacity=2
        ),
        "Tomasz": make_mentor(
            organisation, "Tomasz", languages=["pl", "en"], slots=["tue_evening"]
        ),
        "Amira": make_mentor(organisation, "Amira", languages=["ar", "en"], slots=["sat_morning"]),
    }
    waiting = {
        "Alex": make_waiting(
            organisation, "Alex", languages=["en"], slots=["mon_evening"], days=60
        ),
        "Bea": make_waiting(organisation, "Bea", languages=["en"], slots=["mon_evening"], days=40),
        "Cal": make_waiting(organisation, "Cal", languages=["en"], slots=["mon_evening"], days=3),
        "Dorota": make_waiting(
            organisation, "Dorota", languages=["pl"], slots=["tue_evening", "wed_morning"]
        ),
        "Eman": make_waiting(organisation, "Eman", languages=["ar"], slots=["sat_morning"]),
        "Farah": make_waiting(organisation, "Farah", languages=["so"], slots=["mon_evening"]),
    }
    return mentors, waiting


def run_now(organisation, actor) -> MatchRun:
    run = MatchRun.objects.create(organisation=organisation, started_by=actor)
    return match_run_execute(run.pk)


def pairs(run: MatchRun) -> dict[str, str]:
    return {
        proposal.referral.full_name: proposal.mentor.display_name
        for proposal in run.proposals.select_related("referral", "mentor")
    }


# Starting a run -------------------------------------------------------------------------------


def test_starting_a_run_queues_it_and_the_task_runs_it_after_commit(
    organisation, coordinator, programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = match_run_start(actor=coordinator, organisation=organisation)
    assert run.status == RunStatus.QUEUED
    assert run.started_by == coordinator
    assert len(callbacks) == 1
    assert AuditEvent.objects.filter(action="match.run_started", object_id=str(run.pk)).exists()

    callbacks[0]()
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.proposed_count == 4


def test_only_one_run_at_a_time(organisation, coordinator, programme):
    match_run_start(actor=coordinator, organisation=organisation)
    with pytest.raises(ValidationError, match=r"A matching run is already under way\."):
        match_run_start(actor=coordinator, organisation=organisation)
    assert MatchRun.objects.count() == 1


def test_a_run_lost_long_ago_does_not_block_a_new_one(organisation, coordinator):
    lost = MatchRun.objects.create(
        organisation=organisation,
        status=RunStatus.RUNNING,
        created_at=timezone.now() - timedelta(hours=3),
    )
    match_run_start(actor=coordinator, organisation=organisation)
    lost.refresh_from_db()
    assert lost.status == RunStatus.FAILED
    assert "stopped without finishing" in lost.error


def test_another_organisations_run_does_not_block(
    organisation, other_organisation, coordinator, other_org_coordinator
):
    match_run_start(actor=other_org_coordinator, organisation=other_organisation)
    assert match_run_start(actor=coordinator, organisation=organisation).status == "queued"


# What a run proposes --------------------------------------------------------------------------


def test_a_run_proposes_pairs_within_capacity_and_explains_who_is_left(
    organisation, coordinator, programme
):
    mentors, waiting = programme
    run = run_now(organisation, coordinator)

    assert run.status == RunStatus.DONE
    assert (run.progress, run.progress_message) == (100, "Finished")
    assert (run.mentees_considered, run.mentors_considered) == (6, 3)
    assert run.proposed_count == 4
    assert run.seconds is not None and run.error == ""
    # The two who waited longest get Priya's two places.
    assert pairs(run) == {
        "Alex": "Priya",
        "Bea": "Priya",
        "Dorota": "Tomasz",
        "Eman": "Amira",
    }
    for profile in mentors.values():
        assert run.proposals.filter(mentor=profile).count() <= profile.capacity
    for proposal in run.proposals.all():
        assert proposal.status == ProposalStatus.PROPOSED
        assert proposal.origin == Origin.ENGINE
        assert proposal.created_by == coordinator
        assert 0 < proposal.score <= 1
        assert proposal.reasons
    reasons = {item["referral"]: item["reason"] for item in run.unmatched}
    assert set(reasons) == {waiting["Cal"].pk, waiting["Farah"].pk}
    assert "capacity" in reasons[waiting["Cal"].pk]
    assert "language" in reasons[waiting["Farah"].pk]

    finished = AuditEvent.objects.get(action="match.run_finished")
    assert finished.actor == coordinator
    assert finished.metadata == {"mentees": 6, "mentors": 3, "proposed": 4, "unmatched": 2}


def test_a_proposal_records_the_engines_reasons(organisation, coordinator, programme):
    run = run_now(organisation, coordinator)
    proposal = run.proposals.get(referral__full_name="Dorota")
    assert "Both free on Tuesday evenings" in proposal.reasons
    assert "Speaks Polish" in proposal.reasons


def test_progress_is_saved_while_the_engine_works(
    organisation, coordinator, programme, monkeypatch
):
    seen = []
    real_solve = engine.solve

    def watching_solve(problem):
        stored = MatchRun.objects.get()
        seen.append((stored.status, stored.progress, stored.progress_message))
        return real_solve(problem)

    monkeypatch.setattr(runs, "solve", watching_solve)
    run_now(organisation, coordinator)
    assert seen == [(RunStatus.RUNNING, 40, "Finding the best matches for everyone at once")]


def test_a_run_executed_twice_does_the_work_once(organisation, coordinator, programme):
    run = run_now(organisation, coordinator)
    again = match_run_execute(run.pk)
    assert again.status == RunStatus.DONE
    assert MatchProposal.objects.count() == 4


def test_people_with_a_match_on_its_way_and_full_mentors_are_left_out(
    organisation, coordinator, programme
):
    mentors, waiting = programme
    proposal_create(actor=coordinator, referral=waiting["Cal"], mentor=mentors["Priya"])
    run = run_now(organisation, coordinator)
    assert run.mentees_considered == 5
    # Cal's proposal holds one of Priya's places: only Alex (waiting longest) gets the other.
    assert pairs(run) == {"Alex": "Priya", "Dorota": "Tomasz", "Eman": "Amira"}


# Reruns ---------------------------------------------------------------------------------------


def test_a_rerun_replaces_proposals_nobody_acted_on(organisation, coordinator, programme):
    _, waiting = programme
    first = run_now(organisation, coordinator)
    approved = first.proposals.get(referral=waiting["Dorota"])
    proposal_approve(actor=coordinator, proposal=approved)

    second = run_now(organisation, coordinator)

    statuses = dict(first.proposals.values_list("referral__full_name", "status"))
    assert statuses == {
        "Alex": ProposalStatus.SUPERSEDED,
        "Bea": ProposalStatus.SUPERSEDED,
        "Dorota": ProposalStatus.WITH_MENTOR,
        "Eman": ProposalStatus.SUPERSEDED,
    }
    # The superseded proposals freed Priya's and Amira's places for the new run.
    assert pairs(second) == {"Alex": "Priya", "Bea": "Priya", "Eman": "Amira"}
    assert MatchProposal.objects.filter(status__in=ProposalStatus.live()).count() == 4


def test_a_rerun_keeps_proposals_a_coordinator_made(organisation, coordinator, programme):
    mentors, waiting = programme
    picked = proposal_create(actor=coordinator, referral=waiting["Cal"], mentor=mentors["Priya"])
    run_now(organisation, coordinator)
    run_now(organisation, coordinator)
    picked.refresh_from_db()
    assert picked.status == ProposalStatus.PROPOSED


def test_rejected_and_declined_pairs_are_not_proposed_again(organisation, coordinator, programme):
    _, waiting = programme
    first = run_now(organisation, coordinator)
    proposal_reject(
        actor=coordinator,
        proposal=first.proposals.get(referral=waiting["Alex"]),
        reason="They know each other from work.",
    )
    declined = first.proposals.get(referral=waiting["Eman"])
    declined.status = ProposalStatus.MENTOR_DECLINED
    declined.save()

    second = run_now(organisation, coordinator)

    matched = pairs(second)
    assert matched.get("Alex") != "Priya"
    assert matched.get("Eman") != "Amira"
    assert matched == {"Bea": "Priya", "Cal": "Priya", "Dorota": "Tomasz"}
    reasons = {item["referral"]: item["reason"] for item in second.unmatched}
    assert "excluded" in reasons[waiting["Alex"].pk]


# Changes while the engine works, and failures -------------------------------------------------


def test_someone_proposed_by_hand_during_the_run_is_not_proposed_twice(
    organisation, coordinator, programme, monkeypatch
):
    mentors, waiting = programme
    real_solve = engine.solve

    def solve_while_the_coordinator_picks(problem):
        result = real_solve(problem)
        proposal_create(actor=coordinator, referral=waiting["Dorota"], mentor=mentors["Tomasz"])
        return result

    monkeypatch.setattr(runs, "solve", solve_while_the_coordinator_picks)
    run = run_now(organisation, coordinator)
    assert "Dorota" not in pairs(run)
    reasons = {item["referral"]: item["reason"] for item in run.unmatched}
    assert reasons[waiting["Dorota"].pk] == runs.CHANGED_DURING_RUN
    assert MatchProposal.objects.filter(referral=waiting["Dorota"]).count() == 1


def test_a_failing_run_is_recorded_in_plain_words_and_logged(
    organisation, coordinator, programme, monkeypatch, caplog
):
    def broken_solve(problem):
        raise RuntimeError("column 7 exploded in /srv/secret/path.py")

    earlier = MatchProposalFactory(
        referral=programme[1]["Alex"], mentor=programme[0]["Priya"], origin=Origin.ENGINE
    )
    monkeypatch.setattr(runs, "solve", broken_solve)
    with caplog.at_level(logging.ERROR, logger="matching.services.runs"):
        run = run_now(organisation, coordinator)

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.error == runs.UNEXPECTED_ERROR
    assert "exploded" not in run.error
    assert run.finished_at is not None
    assert "exploded" in caplog.text  # the traceback is in the log
    # The proposal the run had set aside is back, as nothing took its place.
    earlier.refresh_from_db()
    assert earlier.status == ProposalStatus.PROPOSED
    event = AuditEvent.objects.get(action="match.run_failed")
    assert event.metadata == {"restored": 1}


def test_a_problem_the_engine_refuses_is_named(organisation, coordinator, monkeypatch):
    def refusing_solve(problem):
        raise engine.ProblemError("mentor 'mentor-3': unknown format 'carrier pigeon'")

    monkeypatch.setattr(runs, "solve", refusing_solve)
    run = run_now(organisation, coordinator)
    assert run.status == RunStatus.FAILED
    assert run.error.startswith("Matching could not finish because some details")
    assert "carrier pigeon" in run.error


def test_a_run_with_nobody_waiting_finishes_with_nothing_to_propose(organisation, coordinator):
    run = run_now(organisation, coordinator)
    assert run.status == RunStatus.DONE
    assert (run.proposed_count, run.unmatched) == (0, [])
