"""Helpers shared by the coordinator's matching page tests (test_coordinator_*.py): a page's
HTML, and a proposal as the database now has it."""

from __future__ import annotations

from matching.models import MatchProposal


def page_of(response) -> str:
    return response.content.decode()


def fresh(proposal: MatchProposal) -> MatchProposal:
    return MatchProposal.objects.get(pk=proposal.pk)
