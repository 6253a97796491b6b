"""The ending checklist's "Final questionnaires" line follows the closure measures."""

from __future__ import annotations

from mentoring.services.ending import ending_checklist
from outcomes.models import MeasureSchedule, Occasion, RequestStatus
from tests.outcomes.fixtures import make_request, make_response


def _line(relationship):
    return next(
        (item for item in ending_checklist(relationship).items if item.key == "final_measures"),
        None,
    )


def test_open_closure_measures_are_still_to_do(active_relationship):
    make_request(
        active_relationship.mentee,
        "phq9",
        relationship=active_relationship,
        occasion=Occasion.CLOSURE,
        number=0,
    )
    line = _line(active_relationship)
    assert line.trackable and not line.done
    assert "Still open: PHQ-9" in line.detail
    assert "final_measures" in [
        item.key for item in ending_checklist(active_relationship).outstanding
    ]


def test_completed_closure_measures_are_done(active_relationship):
    request = make_request(
        active_relationship.mentee,
        "who5",
        relationship=active_relationship,
        occasion=Occasion.CLOSURE,
        number=0,
    )
    make_response(
        active_relationship.mentee,
        "who5",
        [3, 3, 3, 3, 3],
        relationship=active_relationship,
        occasion=Occasion.CLOSURE,
        request=request,
    )
    line = _line(active_relationship)
    assert line.done and line.detail == "Completed."


def test_expired_closure_measures_say_so(active_relationship):
    make_request(
        active_relationship.mentee,
        "gad7",
        relationship=active_relationship,
        occasion=Occasion.CLOSURE,
        number=0,
        status=RequestStatus.EXPIRED,
    )
    assert _line(active_relationship).detail == "Closed without answers: GAD-7."


def test_a_programme_without_closure_measures_has_no_line(active_relationship, phq9):
    MeasureSchedule.objects.create(
        organisation=active_relationship.organisation, instrument=phq9, at_closure=False
    )
    assert _line(active_relationship) is None
