"""The organisation's crisis resources, for coordinators and admins: the list shown behind
"Get help now" (to everyone, signed in or not), adding one and changing one. Anyone else gets
a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import STAFF_ROLES, membership_with_role, role_required, signed_in_user
from alongside.forms import add_service_errors
from safeguarding.forms import CrisisResourceForm
from safeguarding.models import CrisisResource
from safeguarding.services.crisis import CRISIS_FIELDS, crisis_resource_add, crisis_resource_update


def _crisis_resource_for(request: HttpRequest, pk: int) -> CrisisResource:
    """Crisis resource ``pk`` of the organisation in use; anything else is a 404."""
    organisation = membership_with_role(request, STAFF_ROLES).organisation
    try:
        return CrisisResource.objects.get(organisation=organisation, pk=pk)
    except CrisisResource.DoesNotExist as error:
        raise Http404 from error


@role_required(*STAFF_ROLES)
@require_GET
def crisis_resources(request: HttpRequest) -> HttpResponse:
    organisation = membership_with_role(request, STAFF_ROLES).organisation
    resources = list(CrisisResource.objects.filter(organisation=organisation))
    return render(
        request,
        "safeguarding/crisis/list.html",
        {
            "resources": resources,
            "shown": sum(1 for resource in resources if resource.is_active),
        },
    )


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def crisis_resource_new(request: HttpRequest) -> HttpResponse:
    organisation = membership_with_role(request, STAFF_ROLES).organisation
    form = CrisisResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = crisis_resource_add(
                actor=signed_in_user(request), organisation=organisation, **form.resource_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{made.name} is added to “Get help now”.")
            return redirect("safeguarding:crisis_resources")
    return render(request, "safeguarding/crisis/form.html", {"form": form, "resource": None})


def _initial(resource: CrisisResource) -> dict[str, Any]:
    return {name: getattr(resource, name) for name in CRISIS_FIELDS}


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def crisis_resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _crisis_resource_for(request, pk)
    if request.method != "POST":
        form = CrisisResourceForm(initial=_initial(found))
    else:
        form = CrisisResourceForm(request.POST)
        if form.is_valid():
            try:
                crisis_resource_update(
                    actor=signed_in_user(request), resource=found, **form.resource_fields()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{form.cleaned_data['name']} is saved.")
                return redirect("safeguarding:crisis_resources")
    return render(request, "safeguarding/crisis/form.html", {"form": form, "resource": found})
