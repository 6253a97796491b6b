"""The "final questionnaires" line of a relationship's ending checklist (registered with
``mentoring.services.ending.CHECKLIST_CONTRIBUTORS`` when the app is ready)."""

from __future__ import annotations

from mentoring.models import Relationship, RelationshipStatus
from mentoring.services.ending import ChecklistItem
from outcomes.models import MeasureRequest, MeasureSchedule, Occasion, RequestStatus

KEY = "final_measures"
LABEL = "Final questionnaires"


def _programme_uses_closure_measures(relationship: Relationship) -> bool:
    schedules = list(
        MeasureSchedule.objects.filter(organisation_id=relationship.organisation_id).values_list(
            "is_active", "at_closure"
        )
    )
    # A programme that has not chosen yet uses the defaults, which include the ending.
    return not schedules or any(active and closure for active, closure in schedules)


def final_measures_item(relationship: Relationship) -> ChecklistItem | None:
    requests = list(
        MeasureRequest.objects.filter(relationship=relationship, occasion=Occasion.CLOSURE)
        .exclude(status=RequestStatus.CANCELLED)
        .select_related("instrument")
    )
    if not requests:
        if not _programme_uses_closure_measures(relationship):
            return None
        if relationship.status == RelationshipStatus.ENDED:
            return ChecklistItem(KEY, LABEL, False, "None were asked for.", trackable=False)
        return ChecklistItem(
            KEY,
            LABEL,
            False,
            "When the planned ending starts, a few short questionnaires open, to see together "
            "what has changed since the start.",
            trackable=False,
        )
    waiting = [request for request in requests if request.status != RequestStatus.COMPLETED]
    if not waiting:
        return ChecklistItem(KEY, LABEL, True, "Completed.")
    names = ", ".join(request.instrument.short_name for request in waiting)
    if all(request.status == RequestStatus.EXPIRED for request in waiting):
        return ChecklistItem(KEY, LABEL, False, f"Closed without answers: {names}.")
    return ChecklistItem(
        KEY,
        LABEL,
        False,
        f"Still open: {names}. They can be completed from the questionnaires page, or "
        "together in the final session.",
    )
