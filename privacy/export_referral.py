"""The data download for someone referred who never had an account (referred by phone, or
without an email), which staff make on their behalf.

Without an account there is nothing but the referral: ``referral_export`` gives the referral
(and any duplicate referrals merged into it) with intake answers and contact attempts, and the
matches offered to the person, in the same shapes as ``privacy.export.subject_export`` so the
same page shows it and the data file reads the same.

Top-level keys (``schema_version`` 1): ``schema_version``, ``made_at``, ``organisation``,
``about``, ``withheld``, ``referrals``, ``matches``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation, User
from audit.services import audit_record
from matching.dashboard import MENTEE_STATUS_TEXT
from matching.models import MatchProposal
from privacy.export import (
    SCHEMA_VERSION,
    offer_to_mentee_data,
    referral_data,
    referrals_queryset,
    withheld_summary,
)
from referrals.models import Referral

REFERRAL_TOP_LEVEL_KEYS = (
    "schema_version",
    "made_at",
    "organisation",
    "about",
    "withheld",
    "referrals",
    "matches",
)


def offers_reaching_referral(
    referral_pks: list[int], organisation: Organisation
) -> list[MatchProposal]:
    """Matches that reached the person of these referrals, the same offers
    ``matching.selectors.proposals_for_mentee`` lists for someone with an account: the mentor
    said yes first, and the match went to the person (``MENTEE_STATUS_TEXT`` names exactly
    those states). Ones the coordinator rejected or the mentor declined never reached them."""
    return list(
        MatchProposal.objects.filter(
            organisation=organisation,
            referral_id__in=referral_pks,
            mentor_responded_at__isnull=False,
            status__in=list(MENTEE_STATUS_TEXT),
        )
        .select_related("mentor")
        .order_by("mentor_responded_at", "pk")
    )


def referral_export(referral: Referral, organisation: Organisation) -> dict[str, Any]:
    """Everything ``organisation`` holds for the person of ``referral`` (see the module
    docstring). A fixed number of queries, however many contact attempts or matches."""
    if referral.organisation_id != organisation.pk:
        raise ValueError("The referral belongs to another organisation.")
    referrals = list(
        referrals_queryset().filter(
            Q(pk=referral.pk) | Q(merged_into_id=referral.pk), organisation=organisation
        )
    )
    offers = offers_reaching_referral([r.pk for r in referrals], organisation)
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "made_at": timezone.localtime(timezone.now()).isoformat(),
        "organisation": organisation.name,
        "about": (
            "Everything this programme holds about you from your referral, as data you can keep "
            "or take elsewhere. Things left out are marked 'withheld', with the reason."
        ),
        "withheld": [],
        "referrals": [referral_data(item) for item in referrals],
        "matches": [offer_to_mentee_data(proposal) for proposal in offers],
    }
    data["withheld"] = withheld_summary(data)
    return data


@transaction.atomic
def referral_export_downloaded(
    *, actor: User, referral: Referral, organisation: Organisation, format: str, reason: str
) -> None:
    """Note that staff took a copy of the data held for ``referral`` on the person's behalf
    (``format``: page or json; ``reason``: an ``OnBehalfReason`` value)."""
    audit_record(
        actor=actor,
        action="privacy.export_downloaded",
        organisation=organisation,
        target=referral,
        metadata={"format": format, "on_behalf": True, "reason": reason, "subject": "referral"},
    )
