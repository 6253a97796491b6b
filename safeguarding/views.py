from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.selectors import public_organisation
from safeguarding.selectors import crisis_resources_for


@require_safe
def get_help_now(request: HttpRequest) -> HttpResponse:
    """Crisis help, open to everyone, signed in or not: one click from every page."""
    organisation = getattr(request, "organisation", None) or public_organisation()
    return render(
        request,
        "safeguarding/get_help_now.html",
        {
            "help_organisation": organisation,
            "resources": list(crisis_resources_for(organisation)),
        },
    )
