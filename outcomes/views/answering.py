"""Completing a measure one question at a time (the person, or their mentor with them in a
session), checking the answers before sending them, and seeing one response afterwards.

Answers are saved as the person goes, so they can stop on any page and carry on later. Once an
answer calls for help now (PHQ-9 question 9 above 0), every following page of the response
shows where to get it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from alongside.forms import add_service_errors
from audit.services import audit_record
from outcomes import instruments as engine
from outcomes.access import (
    ANSWERERS,
    PersonAccess,
    for_page,
    request_access,
    response_access,
)
from outcomes.forms import AnswerForm
from outcomes.models import MeasureRequest, MeasureResponse, RequestStatus
from outcomes.services.instruments import definition_of
from outcomes.services.responses import (
    AnswerSaved,
    answer_save,
    answered_keys,
    answers_of,
    response_start,
    response_submit,
)
from safeguarding.selectors import crisis_resources_for

NEXT = "next"
SKIP = "skip"
LATER = "later"
# Where a question page returns to after a "Change" link on the check page.
THEN_CHECK = "check"
# Service refusals that mean "this questionnaire is closed": the start page explains calmly.
CLOSED_CODES = ("closed", "submitted")


def _open_request(request: HttpRequest, pk: int) -> tuple[PersonAccess, MeasureRequest]:
    """The request, for the person or their current mentor only (staff may not answer)."""
    return request_access(*for_page(request), pk, allow=ANSWERERS)


def _response_of(measure_request: MeasureRequest) -> MeasureResponse | None:
    return (
        MeasureResponse.objects.filter(request=measure_request)
        .select_related("instrument", "request")
        .first()
    )


def _needs_help_now(response: MeasureResponse | None) -> bool:
    if response is None:
        return False
    if response.alert_raised_at is not None:
        return True
    return bool(engine.alert_flags(definition_of(response.instrument), response.flags))


def _context(
    access: PersonAccess, measure_request: MeasureRequest, response: MeasureResponse | None
) -> dict[str, Any]:
    """What every answering page needs, including the crisis panel once it is called for."""
    help_now = _needs_help_now(response)
    return {
        "access": access,
        "person_name": access.person_name,
        "measure_request": measure_request,
        "response": response,
        "definition": definition_of(measure_request.instrument),
        "help_now": help_now,
        "organisation": measure_request.organisation,
        "resources": list(crisis_resources_for(measure_request.organisation)) if help_now else [],
    }


def _question_url(measure_request: MeasureRequest, number: int, *, then: str = "") -> str:
    url = reverse("outcomes:question", args=[measure_request.pk, number])
    return f"{url}?then={then}" if then else url


def _resume_url(measure_request: MeasureRequest, response: MeasureResponse) -> str:
    """The first question not yet reached (answered or skipped), or the check page."""
    reached = answered_keys(response)
    definition = definition_of(measure_request.instrument)
    for number, item in enumerate(definition.items, start=1):
        if item.key not in reached:
            return _question_url(measure_request, number)
    return reverse("outcomes:check", args=[measure_request.pk])


# Start ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, pk: int) -> HttpResponse:
    access, measure_request = _open_request(request, pk)
    response = _response_of(measure_request)
    context = _context(access, measure_request, response)
    if not measure_request.is_open or (response is not None and response.is_complete):
        return render(request, "outcomes/answering/closed.html", context)
    if request.method == "POST":
        try:
            response = response_start(actor=access.user, request=measure_request)
        except ValidationError as error:
            messages.info(request, " ".join(error.messages))
            return redirect("outcomes:start", pk=measure_request.pk)
        return redirect(_resume_url(measure_request, response))
    reached = answered_keys(response) if response is not None else set()
    return render(request, "outcomes/answering/start.html", {**context, "reached": len(reached)})


# One question -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Question:
    number: int
    item: engine.Item
    definition: engine.Instrument

    @property
    def is_last(self) -> bool:
        return self.number == len(self.definition.items)


def _question_of(measure_request: MeasureRequest, number: int) -> _Question:
    definition = definition_of(measure_request.instrument)
    if not 1 <= number <= len(definition.items):
        raise Http404
    return _Question(number, definition.items[number - 1], definition)


@login_required
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    access, measure_request = _open_request(request, pk)
    asked = _question_of(measure_request, number)
    response = _response_of(measure_request)
    closed = not measure_request.is_open or (response is not None and response.is_complete)
    if closed or (response is None and request.method == "GET"):
        return redirect("outcomes:start", pk=measure_request.pk)
    then = THEN_CHECK if request.GET.get("then") == THEN_CHECK else ""
    if request.method == "POST":
        action = request.POST.get("action", NEXT)
        form = AnswerForm(request.POST, definition=asked.definition, item=asked.item)
        if action == LATER and not request.POST.get("answer"):
            return redirect("outcomes:mine")
        if action == SKIP or form.is_valid():
            value = None if action == SKIP else form.cleaned_data["answer"]
            try:
                _save(access, measure_request, response, asked.item.key, value)
            except ValidationError as error:
                if getattr(error, "code", None) in CLOSED_CODES:
                    messages.info(request, " ".join(error.messages))
                    return redirect("outcomes:start", pk=measure_request.pk)
                add_service_errors(form, error)
            else:
                return redirect(_after(measure_request, asked, action, then))
        response = _response_of(measure_request)
    else:
        assert response is not None
        current = answers_of(response)[number - 1]
        form = AnswerForm(initial={"answer": current}, definition=asked.definition, item=asked.item)
    return render(
        request,
        "outcomes/answering/question.html",
        {
            **_context(access, measure_request, response),
            "form": form,
            "number": number,
            "total": len(asked.definition.items),
            "action_url": _question_url(measure_request, number, then=then),
            "previous_url": (
                _question_url(measure_request, number - 1)
                if number > 1
                else reverse("outcomes:start", args=[measure_request.pk])
            ),
        },
    )


def _save(
    access: PersonAccess,
    measure_request: MeasureRequest,
    response: MeasureResponse | None,
    item_key: str,
    value: int | None,
) -> AnswerSaved:
    if response is None:
        response = response_start(actor=access.user, request=measure_request)
    return answer_save(actor=access.user, response=response, item_key=item_key, value=value)


def _after(measure_request: MeasureRequest, asked: _Question, action: str, then: str) -> str:
    if action == LATER:
        return reverse("outcomes:mine")
    if then == THEN_CHECK or asked.is_last:
        return reverse("outcomes:check", args=[measure_request.pk])
    return _question_url(measure_request, asked.number + 1)


# Check and send ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    number: int
    text: str
    answer: str
    answered: bool
    change_url: str = ""


def _rows(
    definition: engine.Instrument,
    answers: list[int | None],
    measure_request: MeasureRequest | None = None,
) -> list[AnswerRow]:
    return [
        AnswerRow(
            number=number,
            text=item.text,
            answer=definition.option_label(value),
            answered=value is not None,
            change_url=(
                _question_url(measure_request, number, then=THEN_CHECK)
                if measure_request is not None
                else ""
            ),
        )
        for number, (item, value) in enumerate(zip(definition.items, answers, strict=True), 1)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, pk: int) -> HttpResponse:
    access, measure_request = _open_request(request, pk)
    response = _response_of(measure_request)
    if response is not None and response.is_complete:
        return redirect("outcomes:response", pk=response.pk)
    if response is None or not measure_request.is_open:
        return redirect("outcomes:start", pk=measure_request.pk)
    problem = ""
    if request.method == "POST":
        try:
            response = response_submit(actor=access.user, response=response)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            return redirect("outcomes:response", pk=response.pk)
    context = _context(access, measure_request, response)
    definition: engine.Instrument = context["definition"]
    answers = answers_of(response)
    unanswered = sum(1 for value in answers if value is None)
    return render(
        request,
        "outcomes/answering/check.html",
        {
            **context,
            "rows": _rows(definition, answers, measure_request),
            "unanswered": unanswered,
            "can_score": unanswered <= definition.max_missing,
            "nothing_answered": unanswered == len(answers),
            "problem": problem,
        },
    )


# One response -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """The person's previous scored response of the same instrument, and the change since."""

    previous: MeasureResponse
    previous_score: str
    change: engine.Change


def _basis_value(response: MeasureResponse, definition: engine.Instrument) -> int | None:
    return response.percentage if definition.change.basis == "percentage" else response.total


def score_text(response: MeasureResponse, definition: engine.Instrument) -> str:
    """ "12 out of 27", or for instruments reported as a percentage "60 out of 100"."""
    if response.total is None:
        return ""
    if response.percentage is not None:
        return f"{response.percentage} out of 100"
    return f"{response.total} out of {definition.max_total}"


def _comparison(response: MeasureResponse, definition: engine.Instrument) -> Comparison | None:
    last = _basis_value(response, definition)
    if last is None or response.completed_at is None:
        return None
    previous = (
        MeasureResponse.objects.filter(
            organisation=response.organisation,
            person=response.person,
            instrument=response.instrument,
            completed_at__lt=response.completed_at,
            total__isnull=False,
        )
        .order_by("-completed_at")
        .first()
    )
    first = _basis_value(previous, definition) if previous is not None else None
    if previous is None or first is None:
        return None
    return Comparison(
        previous, score_text(previous, definition), engine.compare(definition, first, last)
    )


@login_required
def response(request: HttpRequest, pk: int) -> HttpResponse:
    access, found = response_access(*for_page(request), pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    definition = definition_of(found.instrument)
    if access.is_self:
        if not found.is_complete and found.request_id is not None:
            return redirect("outcomes:start", pk=found.request_id)
        return render(request, "outcomes/answering/response_mine.html", _mine(access, found))
    if found.is_complete:
        audit_record(
            actor=access.user,
            action="measure.answers_viewed",
            organisation=found.organisation,
            target=found,
            metadata={"viewer": access.viewer.value, "instrument": definition.key},
        )
    return render(request, "outcomes/answering/response_staff.html", _staff(access, found))


def _response_context(access: PersonAccess, found: MeasureResponse) -> dict[str, Any]:
    definition = definition_of(found.instrument)
    help_now = _needs_help_now(found)
    return {
        "access": access,
        "person_name": access.person_name,
        "response": found,
        "definition": definition,
        "score": score_text(found, definition),
        "unanswered": len(definition.items) - found.answered,
        "help_now": help_now,
        "organisation": found.organisation,
        "resources": list(crisis_resources_for(found.organisation)) if help_now else [],
        "rows": _rows(definition, answers_of(found)) if found.is_complete else [],
    }


def _mine(access: PersonAccess, found: MeasureResponse) -> dict[str, Any]:
    context = _response_context(access, found)
    definition: engine.Instrument = context["definition"]
    return {
        **context,
        "band": definition.band(found.band) if found.band else None,
        "lower_is_better": definition.change.direction == engine.Direction.LOWER_IS_BETTER,
        "comparison": _comparison(found, definition),
    }


def _staff(access: PersonAccess, found: MeasureResponse) -> dict[str, Any]:
    context = _response_context(access, found)
    definition: engine.Instrument = context["definition"]
    band = definition.band(found.band) if found.band else None
    request_open = found.request is not None and found.request.status in RequestStatus.open()
    return {
        **context,
        "band_label": band.label if band is not None else "",
        "flags": [
            rule.label if rule is not None else key
            for key, rule in ((key, definition.flag(key)) for key in found.flags)
        ],
        "can_continue": access.is_mentor and not found.is_complete and request_open,
    }
