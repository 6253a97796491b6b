"""One page that gathers the privacy and data-protection work a member of staff may do, so the
menu carries a single link for it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Membership, Role
from audit.break_glass import can_review_break_glass

# (label, url name, what it is for, who may use it: roles, or "lead" for data protection leads)
_TASKS: list[tuple[str, str, str, frozenset[str]]] = [
    (
        "Download someone's data",
        "privacy:people",
        "When a person asks for a copy of what the programme holds about them.",
        frozenset({Role.COORDINATOR, Role.ADMIN}),
    ),
    (
        "Erasure requests",
        "privacy:erasure_list",
        "When a person asks for their data to be erased: check for holds, then erase.",
        frozenset({Role.COORDINATOR, Role.ADMIN}),
    ),
    (
        "Audit trail",
        "audit:search",
        "Who opened or changed a person's records, and when. Search and export.",
        frozenset({Role.ADMIN, "lead"}),
    ),
    (
        "Emergency access",
        "audit:break_glass_list",
        "Every time staff used emergency access to private records, with the reason.",
        frozenset({Role.ADMIN, "lead"}),
    ),
    (
        "Data protection leads",
        "audit:data_protection_leads",
        "Choose who answers for personal data and is told about emergency access.",
        frozenset({Role.ADMIN}),
    ),
    (
        "Retention",
        "privacy:retention",
        "How long finished records are kept before names and words are removed.",
        frozenset({Role.ADMIN}),
    ),
    (
        "Privacy wordings",
        "privacy:consent_wordings",
        "The words people agree to for optional uses of their data.",
        frozenset({Role.ADMIN}),
    ),
]


def tasks_for(membership: Membership | None) -> list[tuple[str, str, str]]:
    """The privacy tasks ``membership`` may do, in the order the page lists them."""
    if membership is None or not membership.is_active:
        return []
    mine = {membership.role}
    if can_review_break_glass(membership):
        mine.add("lead")
    return [(label, url, purpose) for label, url, purpose, who in _TASKS if who & mine]


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    tasks = tasks_for(getattr(request, "membership", None))
    if not tasks:
        raise Http404
    return render(request, "privacy/index.html", {"tasks": tasks})
