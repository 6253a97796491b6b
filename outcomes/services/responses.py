"""Completing a measure: one answer at a time (so the person can pause), then submitted and
scored. A flag that calls for a safeguarding alert (PHQ-9 question 9 above 0) raises the alert
in the same transaction that saves the answer, and the person is shown where to get help now.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from mentoring.models import Relationship
from mentoring.selectors import current_relationship_of
from outcomes import instruments as engine
from outcomes.models import (
    Answer,
    CompletedWith,
    MeasureRequest,
    MeasureResponse,
    RequestStatus,
)
from outcomes.services.instruments import definition_of
from safeguarding.services.alerts import alert_raise

CLOSED = "This questionnaire is no longer open."
ALREADY_SUBMITTED = "These answers have already been sent."
NOT_AN_OPTION = "Choose one of the answers shown."
NOT_YOURS = "Only the person, or their mentor with them, can answer this."


@dataclass(frozen=True)
class AnswerSaved:
    response: MeasureResponse
    # Flags (keys) among the answers so far that call for help now, e.g. self_harm_thoughts.
    urgent_flags: tuple[str, ...]


def current_relationship(person: User) -> Relationship | None:
    """The person's current mentoring relationship, if any (latest first)."""
    return current_relationship_of(person)


def _answerer(actor: User, person: User, organisation_id: int) -> str:
    """How ``actor`` may answer for ``person``: as themselves, or as their current mentor
    sitting with them; anyone else is refused."""
    if actor.pk == person.pk:
        return CompletedWith.SELF
    relationship = current_relationship(person)
    if (
        relationship is not None
        and relationship.organisation_id == organisation_id
        and relationship.mentor.user_id == actor.pk
    ):
        return CompletedWith.MENTOR
    raise ValidationError(NOT_YOURS)


def _locked_request(request: MeasureRequest) -> MeasureRequest:
    return (
        MeasureRequest.objects.select_for_update().select_related("instrument").get(pk=request.pk)
    )


@transaction.atomic
def response_start(*, actor: User, request: MeasureRequest) -> MeasureResponse:
    """The response for ``request``, started now if it was not already (starting twice gives
    back the same one, so pausing and coming back keeps every answer)."""
    request = _locked_request(request)
    existing = MeasureResponse.objects.filter(request=request).first()
    if existing is not None:
        if existing.is_complete:
            raise ValidationError(ALREADY_SUBMITTED, code="submitted")
        return existing
    if not request.is_open:
        raise ValidationError(CLOSED, code="closed")
    completed_with = _answerer(actor, request.person, request.organisation_id)
    relationship = request.relationship or current_relationship(request.person)
    response = MeasureResponse.objects.create(
        organisation=request.organisation,
        person=request.person,
        instrument=request.instrument,
        instrument_version=request.instrument.version,
        request=request,
        relationship=relationship,
        occasion=request.occasion,
        completed_with=completed_with,
        entered_by=actor,
    )
    request.status = RequestStatus.STARTED
    request.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="measure.started",
        organisation=request.organisation,
        target=response,
        metadata={"instrument": request.instrument.key, "with": completed_with},
    )
    return response


def answers_of(response: MeasureResponse) -> list[int | None]:
    """The answers so far, in question order (``None`` for unanswered or skipped)."""
    definition = definition_of(response.instrument)
    stored = {answer.item_key: answer.value for answer in response.answers.all()}
    return [_as_value(stored.get(item.key)) for item in definition.items]


def _as_value(stored: str | None) -> int | None:
    if stored is None or stored == "":
        return None
    return int(stored)


def answered_keys(response: MeasureResponse) -> set[str]:
    """Questions the person has reached (answered or chose to skip)."""
    return set(response.answers.values_list("item_key", flat=True))


def _raise_alert_if_needed(
    actor: User | None, response: MeasureResponse, flags: tuple[str, ...]
) -> tuple[str, ...]:
    definition = definition_of(response.instrument)
    rules = engine.alert_flags(definition, flags)
    if not rules:
        return ()
    if response.alert_raised_at is None:
        relationship = response.relationship or current_relationship(response.person)
        supervisor = relationship.mentor.supervisor if relationship is not None else None
        levels = [rule.alert for rule in rules]
        level = "urgent" if "urgent" in levels else "high" if "high" in levels else "concern"
        alert_raise(
            actor=actor,
            organisation=response.organisation,
            person=response.person,
            level=level,
            categories=[rule.key for rule in rules],
            source="measure",
            source_label=f"{definition.short_name}: {rules[0].label}",
            target=response,
            path=reverse("outcomes:response", args=[response.pk]),
            supervisor=supervisor,
        )
        response.alert_raised_at = timezone.now()
        response.save(update_fields=["alert_raised_at"])
    return tuple(rule.key for rule in rules)


def _flags_so_far(response: MeasureResponse) -> tuple[str, ...]:
    return engine.score(definition_of(response.instrument), answers_of(response)).flags


@transaction.atomic
def answer_save(
    *, actor: User, response: MeasureResponse, item_key: str, value: int | None
) -> AnswerSaved:
    """Keep one answer (``None``: the person chose not to answer it). Answers can be changed
    until the response is submitted."""
    response = (
        MeasureResponse.objects.select_for_update().select_related("instrument").get(pk=response.pk)
    )
    if response.is_complete:
        raise ValidationError(ALREADY_SUBMITTED, code="submitted")
    if response.request is not None and not response.request.is_open:
        raise ValidationError(CLOSED, code="closed")
    _answerer(actor, response.person, response.organisation_id)
    definition = definition_of(response.instrument)
    keys = [item.key for item in definition.items]
    if item_key not in keys:
        raise ValidationError({"answer": "That question is not part of this questionnaire."})
    if value is not None and value not in definition.values:
        raise ValidationError({"answer": NOT_AN_OPTION})
    Answer.objects.update_or_create(
        response=response,
        item_key=item_key,
        defaults={
            "position": keys.index(item_key) + 1,
            "value": "" if value is None else str(value),
            "answered_at": timezone.now(),
        },
    )
    urgent = _raise_alert_if_needed(actor, response, _flags_so_far(response))
    return AnswerSaved(response=response, urgent_flags=urgent)


@transaction.atomic
def response_submit(*, actor: User, response: MeasureResponse) -> MeasureResponse:
    """Score the answers and close the request. Questions not reached count as unanswered and
    are handled by the instrument's missing-answer rule (never as zero)."""
    response = (
        MeasureResponse.objects.select_for_update().select_related("instrument").get(pk=response.pk)
    )
    if response.is_complete:
        return response
    _answerer(actor, response.person, response.organisation_id)
    definition = definition_of(response.instrument)
    result = engine.score(definition, answers_of(response))
    if result.answered == 0:
        raise ValidationError("Answer at least one question before sending.", code="empty")
    response.total = result.total
    response.percentage = result.percentage
    response.band = result.band or ""
    response.flags = list(result.flags)
    response.answered = result.answered
    response.prorated = result.prorated
    response.completed_at = timezone.now()
    response.save()
    if response.request_id is not None:
        MeasureRequest.objects.filter(pk=response.request_id).update(status=RequestStatus.COMPLETED)
    _raise_alert_if_needed(actor, response, result.flags)
    audit_record(
        actor=actor,
        action="measure.completed",
        organisation=response.organisation,
        target=response,
        metadata={
            "instrument": definition.key,
            "scored": result.total is not None,
            "with": response.completed_with,
        },
    )
    return response


@transaction.atomic
def response_complete(
    *,
    actor: User,
    request: MeasureRequest,
    answers: Mapping[str, int | None],
) -> MeasureResponse:
    """Answer and submit in one go (the API): ``answers`` maps question keys to values; any
    question left out is unanswered."""
    definition = definition_of(request.instrument)
    keys = {item.key for item in definition.items}
    unknown = sorted(set(answers) - keys)
    if unknown:
        raise ValidationError({"answers": f"Unknown questions: {', '.join(unknown)}."})
    for key, value in answers.items():
        if value is not None and value not in definition.values:
            raise ValidationError(
                {"answers": f"Question {key}: {NOT_AN_OPTION.lower().rstrip('.')}."}
            )
    response = response_start(actor=actor, request=request)
    for item in definition.items:
        if item.key in answers:
            answer_save(actor=actor, response=response, item_key=item.key, value=answers[item.key])
    return response_submit(actor=actor, response=response)
