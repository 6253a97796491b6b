"""Matching runs: the coordinator asks for matches for everyone waiting, a background task runs
the engine, and each pair it finds becomes a proposal for the coordinator to review.

A run saves its progress as it goes, so the page can show it while the engine works. Anything
that goes wrong is recorded on the run in plain words; the traceback goes to the log only.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from audit.services import audit_record
from matching.engine import ProblemError, Result, solve
from matching.models import MatchProposal, MatchRun, Origin, ProposalStatus, RunStatus
from matching.problem import OrganisationProblem, key_id, organisation_problem
from matching.selectors import places_left, profiles_with_room
from mentors.models import MentorProfile
from referrals.models import Referral, Status

logger = logging.getLogger(__name__)

ALREADY_RUNNING = "A matching run is already under way."
# A run still queued or running after this long was lost (the worker stopped): it no longer
# blocks a new run.
STALE_AFTER = timedelta(hours=1)
STALE_ERROR = "This run stopped without finishing (the background worker may have restarted)."
DATA_ERROR = "Matching could not finish because some details are not in a form it understands: "
UNEXPECTED_ERROR = (
    "Matching could not finish because of an unexpected error. It has been logged for the "
    "administrator. Try again; if it happens again, tell your administrator."
)
CHANGED_DURING_RUN = "their situation changed while matching ran; run matching again"
MENTOR_FILLED_DURING_RUN = "the mentor found for them was given other mentees while matching ran"
_ERROR_LENGTH = MatchRun._meta.get_field("error").max_length or 300

UNDER_WAY = (RunStatus.QUEUED, RunStatus.RUNNING)


@transaction.atomic
def match_run_start(*, actor: User, organisation: Organisation) -> MatchRun:
    """Queue a run over everyone waiting; the task starts once this transaction commits."""
    from matching.tasks import run_matching

    Organisation.objects.select_for_update().get(pk=organisation.pk)
    _fail_lost_runs(organisation)
    if MatchRun.objects.filter(organisation=organisation, status__in=UNDER_WAY).exists():
        raise ValidationError(ALREADY_RUNNING)
    run = MatchRun.objects.create(
        organisation=organisation,
        started_by=actor,
        status=RunStatus.QUEUED,
        progress_message="Waiting to start",
    )
    audit_record(actor=actor, action="match.run_started", organisation=organisation, target=run)
    run_id = run.pk
    transaction.on_commit(lambda: run_matching.enqueue(run_id))
    return run


def _fail_lost_runs(organisation: Organisation) -> None:
    lost = MatchRun.objects.filter(
        organisation=organisation,
        status__in=UNDER_WAY,
        created_at__lt=timezone.now() - STALE_AFTER,
    )
    lost.update(status=RunStatus.FAILED, error=STALE_ERROR, finished_at=timezone.now())


def match_run_execute(run_id: int) -> MatchRun:
    """Run the engine for a queued run. Not one transaction on purpose: progress is saved step
    by step so that the coordinator's page can show it; the proposals are saved atomically."""
    run = _claim(run_id)
    if run is None:  # already run, or running elsewhere: a repeated task does nothing
        return MatchRun.objects.get(pk=run_id)
    started = time.perf_counter()
    superseded: list[int] = []
    try:
        superseded = _supersede_earlier_proposals(run)
        _progress(run, 10, "Gathering everyone waiting and every mentor with a place")
        built = organisation_problem(run.organisation)
        run.mentees_considered = len(built.problem.mentees)
        run.mentors_considered = len(built.problem.mentors)
        run.save(update_fields=["mentees_considered", "mentors_considered"])
        _progress(run, 40, "Finding the best matches for everyone at once")
        result = solve(built.problem)
        _progress(run, 80, "Saving the proposed matches")
        _save_result(run, built, result, seconds=time.perf_counter() - started)
    except Exception as error:
        logger.exception("Matching run %s failed", run_id)
        message = DATA_ERROR + str(error) if isinstance(error, ProblemError) else UNEXPECTED_ERROR
        _fail(run, message[:_ERROR_LENGTH], superseded, seconds=time.perf_counter() - started)
    return run


@transaction.atomic
def _claim(run_id: int) -> MatchRun | None:
    run = (
        MatchRun.objects.select_for_update(of=("self",))
        .select_related("organisation", "started_by")
        .get(pk=run_id)
    )
    if run.status != RunStatus.QUEUED:
        return None
    run.status = RunStatus.RUNNING
    run.started_at = timezone.now()
    run.progress = 5
    run.progress_message = "Starting"
    run.save(update_fields=["status", "started_at", "progress", "progress_message"])
    return run


def _progress(run: MatchRun, percent: int, message: str) -> None:
    run.progress = percent
    run.progress_message = message
    run.save(update_fields=["progress", "progress_message"])


@transaction.atomic
def _supersede_earlier_proposals(run: MatchRun) -> list[int]:
    """Earlier runs' proposals the coordinator has not acted on give way to this run, so the
    places they held count as free. Returns their ids, to put them back if the run fails."""
    earlier = MatchProposal.objects.select_for_update(of=("self",)).filter(
        organisation=run.organisation, origin=Origin.ENGINE, status=ProposalStatus.PROPOSED
    )
    ids = list(earlier.values_list("pk", flat=True))
    MatchProposal.objects.filter(pk__in=ids).update(
        status=ProposalStatus.SUPERSEDED, status_changed_at=timezone.now()
    )
    return ids


@transaction.atomic
def _save_result(
    run: MatchRun, built: OrganisationProblem, result: Result, *, seconds: float
) -> None:
    """One proposal per pair the engine found. People and mentors are locked and checked again:
    a coordinator may have proposed someone by hand while the engine was working."""
    referral_ids = [key_id(assignment.mentee) for assignment in result.assignments]
    profile_ids = {key_id(assignment.mentor) for assignment in result.assignments}
    free_referrals = _still_free(referral_ids)
    list(MentorProfile.objects.select_for_update(of=("self",)).filter(pk__in=profile_ids))
    room = {
        profile.pk: places_left(profile)
        for profile in profiles_with_room(run.organisation).filter(pk__in=profile_ids)
    }
    unmatched = [
        {"referral": key_id(item.mentee), "reason": item.reason} for item in result.unmatched
    ]
    proposals = []
    now = timezone.now()
    for assignment in result.assignments:
        referral_id, profile_id = key_id(assignment.mentee), key_id(assignment.mentor)
        if referral_id not in free_referrals:
            unmatched.append({"referral": referral_id, "reason": CHANGED_DURING_RUN})
            continue
        if room.get(profile_id, 0) <= 0:
            unmatched.append({"referral": referral_id, "reason": MENTOR_FILLED_DURING_RUN})
            continue
        room[profile_id] -= 1
        proposals.append(
            MatchProposal(
                organisation=run.organisation,
                run=run,
                origin=Origin.ENGINE,
                referral_id=referral_id,
                mentor_id=profile_id,
                score=min(max(round(assignment.score, 4), 0.0), 1.0),
                reasons=list(assignment.reasons),
                status=ProposalStatus.PROPOSED,
                created_by=run.started_by,
                created_at=now,
                status_changed_at=now,
            )
        )
    MatchProposal.objects.bulk_create(proposals)
    run.proposed_count = len(proposals)
    run.unmatched = unmatched
    run.seconds = round(seconds, 3)
    run.status = RunStatus.DONE
    run.progress = 100
    run.progress_message = "Finished"
    run.finished_at = timezone.now()
    run.save()
    audit_record(
        actor=run.started_by,
        action="match.run_finished",
        organisation=run.organisation,
        target=run,
        metadata={
            "mentees": run.mentees_considered,
            "mentors": run.mentors_considered,
            "proposed": run.proposed_count,
            "unmatched": len(unmatched),
        },
    )


def _still_free(referral_ids: list[int]) -> set[int]:
    """The referrals still waiting with nothing on its way, locked until the run is saved."""
    waiting = set(
        Referral.objects.select_for_update(of=("self",))
        .filter(pk__in=referral_ids, status=Status.WAITING)
        .values_list("pk", flat=True)
    )
    taken = set(
        MatchProposal.objects.filter(
            referral_id__in=waiting, status__in=ProposalStatus.live()
        ).values_list("referral_id", flat=True)
    )
    return waiting - taken


def _fail(run: MatchRun, message: str, superseded: list[int], *, seconds: float) -> None:
    try:
        with transaction.atomic():
            restored = _restore(run.organisation, superseded)
            run.status = RunStatus.FAILED
            run.error = message
            run.seconds = round(seconds, 3)
            run.finished_at = timezone.now()
            run.progress_message = "Could not finish"
            run.save(
                update_fields=["status", "error", "seconds", "finished_at", "progress_message"]
            )
            audit_record(
                actor=run.started_by,
                action="match.run_failed",
                organisation=run.organisation,
                target=run,
                metadata={"restored": restored},
            )
    except Exception:
        logger.exception("Could not record that matching run %s failed", run.pk)


def _restore(organisation: Organisation, superseded: list[int]) -> int:
    """Put back the proposals a failed run superseded, where nothing has taken their place."""
    if not superseded:
        return 0
    candidates = list(
        MatchProposal.objects.select_for_update(of=("self",))
        .filter(pk__in=superseded, status=ProposalStatus.SUPERSEDED)
        .order_by("-score", "pk")
    )
    free = _still_free([proposal.referral_id for proposal in candidates])
    room = {
        profile.pk: places_left(profile)
        for profile in profiles_with_room(organisation).filter(
            pk__in={proposal.mentor_id for proposal in candidates}
        )
    }
    restored = []
    for proposal in candidates:
        if proposal.referral_id in free and room.get(proposal.mentor_id, 0) > 0:
            room[proposal.mentor_id] -= 1
            free.discard(proposal.referral_id)
            restored.append(proposal.pk)
    MatchProposal.objects.filter(pk__in=restored).update(
        status=ProposalStatus.PROPOSED, status_changed_at=timezone.now()
    )
    return len(restored)
