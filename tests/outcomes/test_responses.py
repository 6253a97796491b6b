"""The answering services: an answer that calls for a safeguarding alert and the alert are one
transaction; the missing-answer rule on submit; who may answer."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from outcomes.models import Answer, MeasureResponse, RequestStatus
from outcomes.services import responses
from outcomes.services.responses import (
    answer_save,
    response_complete,
    response_start,
    response_submit,
)
from safeguarding.models import Alert, AlertLevel

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_question_9_above_0_raises_one_high_alert_with_the_answer(phq9_request, mentee, supervisor):
    response = response_start(actor=mentee, request=phq9_request)
    saved = answer_save(actor=mentee, response=response, item_key="9", value=2)
    assert saved.urgent_flags == ("self_harm_thoughts",)
    alert = Alert.objects.get()
    assert alert.level == AlertLevel.HIGH and alert.person == mentee
    assert alert.supervisor == supervisor
    assert alert.categories == ["self_harm_thoughts"]
    assert alert.object_id == str(response.pk)
    # Changing the answer, adding others and submitting raise nothing more.
    answer_save(actor=mentee, response=response, item_key="9", value=1)
    for key in "12345678":
        answer_save(actor=mentee, response=response, item_key=key, value=0)
    response_submit(actor=mentee, response=response)
    assert Alert.objects.count() == 1


def test_if_the_alert_cannot_be_raised_the_answer_is_not_kept(phq9_request, mentee):
    response = response_start(actor=mentee, request=phq9_request)
    with (
        mock.patch.object(responses, "alert_raise", side_effect=Boom),
        pytest.raises(Boom),
    ):
        answer_save(actor=mentee, response=response, item_key="9", value=3)
    assert not Answer.objects.filter(response=response).exists()
    assert MeasureResponse.objects.get(pk=response.pk).alert_raised_at is None


def test_if_the_answer_is_rolled_back_so_is_the_alert(phq9_request, mentee):
    response = response_start(actor=mentee, request=phq9_request)
    with pytest.raises(Boom), transaction.atomic():
        answer_save(actor=mentee, response=response, item_key="9", value=3)
        assert Alert.objects.count() == 1
        raise Boom
    assert not Alert.objects.exists()
    assert not Answer.objects.filter(response=response).exists()


def test_too_many_unanswered_questions_give_no_score_never_zero(phq9_request, mentee):
    response = response_start(actor=mentee, request=phq9_request)
    for key in "123456":
        answer_save(actor=mentee, response=response, item_key=key, value=2)
    done = response_submit(actor=mentee, response=response)
    assert done.total is None and done.band == "" and done.answered == 6
    phq9_request.refresh_from_db()
    assert phq9_request.status == RequestStatus.COMPLETED


def test_two_unanswered_questions_are_prorated(phq9_request, mentee):
    done = response_complete(
        actor=mentee,
        request=phq9_request,
        answers={"1": 2, "2": 2, "3": 2, "4": 1, "5": 1, "6": 1, "7": 0, "8": None},
    )
    # 9 answers were due; 7 given with a mean of 9/7, times 9 = 11.57 -> 12.
    assert done.total == 12 and done.prorated and done.band == "moderate"


def test_someone_else_cannot_answer(phq9_request, other_mentor, coordinator):
    for person in (other_mentor, coordinator):
        with pytest.raises(ValidationError):
            response_start(actor=person, request=phq9_request)
    assert not MeasureResponse.objects.exists()


def test_the_mentor_can_answer_with_the_mentee(phq9_request, mentor):
    response = response_start(actor=mentor, request=phq9_request)
    assert response.completed_with == "mentor" and response.entered_by == mentor


def test_answers_are_stored_encrypted(phq9_request, mentee):
    from django.db import connection

    response = response_start(actor=mentee, request=phq9_request)
    answer_save(actor=mentee, response=response, item_key="1", value=3)
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM outcomes_answer")
        (stored,) = cursor.fetchone()
    assert stored not in ("3", "") and len(stored) > 20
    assert Answer.objects.get().value == "3"


def test_a_value_the_instrument_does_not_offer_is_refused(phq9_request, mentee):
    response = response_start(actor=mentee, request=phq9_request)
    with pytest.raises(ValidationError) as refused:
        answer_save(actor=mentee, response=response, item_key="1", value=4)
    assert refused.value.message_dict == {"answer": ["Choose one of the answers shown."]}
