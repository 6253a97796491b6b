"""What the programme uses and when: the measure settings (admins), the instruments it can use
and their full definitions (coordinators and admins; admins add their own), and asking a mentee
for an extra measure (coordinators and admins)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import STAFF_ROLES, membership_with_role, role_required, signed_in_user
from accounts.models import Role
from alongside.forms import add_service_errors
from outcomes import instruments as engine
from outcomes.access import MeasureViewer, for_page, person_access
from outcomes.forms_setup import AskForm, InstrumentUploadForm, MeasureSettingsForm
from outcomes.models import Instrument, MeasureSettings
from outcomes.services.instruments import definition_of, instrument_add
from outcomes.services.scheduling import (
    measure_settings_save,
    request_extra,
    schedule_choices,
)

# Settings ----------------------------------------------------------------------------------------


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest) -> HttpResponse:
    organisation = membership_with_role(request, (Role.ADMIN,)).organisation
    current = MeasureSettings.objects.filter(organisation=organisation).first()
    form = MeasureSettingsForm(
        request.POST if request.method == "POST" else None,
        choices=schedule_choices(organisation),
        settings=current or MeasureSettings(organisation=organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            measure_settings_save(
                actor=signed_in_user(request),
                organisation=organisation,
                **form.service_arguments(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The outcome measure settings are saved.")
            return redirect("outcomes:settings")
    return render(request, "outcomes/setup/settings.html", {"form": form})


# Instruments -------------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def instruments(request: HttpRequest) -> HttpResponse:
    membership = membership_with_role(request, STAFF_ROLES)
    organisation = membership.organisation
    can_add = membership.role == Role.ADMIN
    if request.method == "POST" and not can_add:
        raise Http404
    form = InstrumentUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            added = instrument_add(
                actor=signed_in_user(request),
                organisation=organisation,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_definition_errors(error)
        else:
            messages.success(
                request, f"The {added.short_name} (version {added.version}) can now be used."
            )
            return redirect("outcomes:instrument", pk=added.pk)
    rows = [(instrument, choice.when) for instrument, choice in schedule_choices(organisation)]
    return render(
        request,
        "outcomes/setup/instruments.html",
        {"rows": rows, "form": form if can_add else None, "can_change": can_add},
    )


@dataclass(frozen=True)
class RuleRow:
    label: str
    when: str
    mentee_text: str
    alert: str


def _describe(definition: engine.Instrument, condition: engine.Condition) -> str:
    """A test on a score, in words (for staff)."""
    if condition.kind == "band":
        labels = []
        for key in condition.bands:
            band = definition.band(key)
            labels.append(f"“{band.label}”" if band is not None else key)
        return "the band is " + " or ".join(labels)
    subject = {
        "total": "total",
        "percentage": "percentage",
        "item": f"question {condition.item}",
        "any_item": "any answer",
    }[condition.kind]

    def number(value: float) -> str:
        return f"{value:g}"

    if condition.minimum is not None and condition.maximum is not None:
        return f"{subject} {number(condition.minimum)} to {number(condition.maximum)}"
    if condition.minimum is not None:
        return f"{subject} at least {number(condition.minimum)}"
    assert condition.maximum is not None
    return f"{subject} at most {number(condition.maximum)}"


def _rules(definition: engine.Instrument, rules: tuple[engine.Rule, ...]) -> list[RuleRow]:
    return [
        RuleRow(
            label=rule.label,
            when=" or ".join(_describe(definition, c) for c in rule.conditions) or "always",
            mentee_text=rule.mentee_text,
            alert=rule.alert,
        )
        for rule in rules
    ]


@role_required(*STAFF_ROLES)
@require_GET
def instrument(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = membership_with_role(request, STAFF_ROLES).organisation
    row = Instrument.objects.filter(
        Q(organisation__isnull=True) | Q(organisation=organisation), pk=pk
    ).first()
    if row is None:
        raise Http404
    definition = definition_of(row)
    change = definition.change
    when_used = next(
        (choice.when for instrument, choice in schedule_choices(organisation) if instrument == row),
        "",
    )
    return render(
        request,
        "outcomes/setup/instrument.html",
        {
            "instrument": row,
            "definition": definition,
            "bands": _rules(definition, definition.bands),
            "flags": _rules(definition, definition.flags),
            "lower_is_better": change.direction == engine.Direction.LOWER_IS_BETTER,
            "caseness": _describe(definition, change.caseness) if change.caseness else "",
            "reliable_change": f"{change.reliable_change:g}",
            "when_used": when_used,
        },
    )


# Asking for an extra measure ---------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def ask(request: HttpRequest, person_pk: int) -> HttpResponse:
    user, membership = for_page(request)
    access = person_access(user, membership, person_pk, allow=(MeasureViewer.STAFF,))
    if request.method != "POST":
        # Checked after access, so someone else's person is a 404 whatever the method.
        return HttpResponseNotAllowed(["POST"])
    organisation = access.membership.organisation
    back = reverse("outcomes:person", args=[access.person.pk])
    form = AskForm(request.POST, organisation=organisation)
    if not form.is_valid():
        problems = form.errors.get("instrument") or ["Choose which questionnaire to ask for."]
        messages.error(request, " ".join(str(problem) for problem in problems))
        return redirect(back)
    chosen = form.cleaned_data["instrument"]
    try:
        request_extra(
            actor=user, person=access.person, instrument=chosen, organisation=organisation
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"{access.person_name} has been asked to complete the {chosen.short_name}. They "
            "will see it when they next sign in, and an email tells them a short questionnaire "
            "is waiting.",
        )
    return redirect(back)
