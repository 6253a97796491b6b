"""Field-level visibility: a mentee never receives what is written for supervisors and staff
(session private notes, safeguarding alert details, concerns raised about them, staff check-in
and intake notes), through any page or any API endpoint they can open.

The pages and endpoints come from the access matrix (every route whose GET the mentee may use),
so a new mentee page is checked without touching this file. Each supervisor-only field holds a
unique marker in every row; the test fails if any marker appears in any response.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from mentoring.models import CheckIn, CheckInPerson, Concern, MentoringSession, SessionStatus
from referrals.models import Intake
from safeguarding.models import Alert, AlertAction, AlertActionKind, AlertSign
from tests.mentoring.factories import CheckInFactory, ConcernFactory, SessionFactory
from tests.referrals.factories import IntakeFactory
from tests.security.test_access_matrix import served_routes, the_matrix

# Each supervisor-only field, and the marker every row of it holds during the test.
SUPERVISOR_ONLY: dict[tuple[type, str], str] = {
    (MentoringSession, "private_notes"): "MARKER-SESSION-PRIVATE-NOTE",
    (Alert, "closing_note"): "MARKER-ALERT-CLOSING-NOTE",
    (AlertSign, "excerpt"): "MARKER-ALERT-EXCERPT",
    (AlertSign, "matches"): "MARKER-ALERT-MATCHES",
    (AlertAction, "note"): "MARKER-ALERT-ACTION-NOTE",
    (Intake, "notes"): "MARKER-INTAKE-STAFF-NOTE",
}
# Concerns the mentor raised about the pair, and staff check-ins with the mentor.
MENTOR_SIDE: dict[tuple[type, str], str] = {
    (Concern, "details"): "MARKER-MENTOR-CONCERN-DETAILS",
    (Concern, "outcome_note"): "MARKER-MENTOR-CONCERN-OUTCOME",
    (CheckIn, "how_it_is_going"): "MARKER-MENTOR-CHECKIN-GOING",
    (CheckIn, "concerns"): "MARKER-MENTOR-CHECKIN-CONCERNS",
    (CheckIn, "actions"): "MARKER-MENTOR-CHECKIN-ACTIONS",
}
ALL_MARKERS = {**SUPERVISOR_ONLY, **MENTOR_SIDE}


def mentee_routes() -> list[str]:
    served = served_routes()
    return sorted(
        name
        for name, route in the_matrix().items()
        if name in served and route.get is not None and "mentee" in route.get
    )


@pytest.fixture
def world(request, active_relationship, flagged_alert, mentor, coordinator, organisation):
    """The mentee's active relationship with everything a supervisor or coordinator writes."""
    SessionFactory(
        relationship=active_relationship,
        scheduled_for=timezone.now() - timedelta(days=3),
        status=SessionStatus.HELD,
        length_minutes=45,
        summary="Walked to the park together.",
        private_notes="to be replaced",
        concern=True,
        logged_at=timezone.now() - timedelta(days=2),
        logged_by=mentor,
    )
    ConcernFactory(
        relationship=active_relationship,
        raised_by=mentor,
        raised_by_role=CheckInPerson.MENTOR,
        outcome_note="to be replaced",
    )
    CheckInFactory(relationship=active_relationship, person=CheckInPerson.MENTOR)
    AlertAction.objects.create(
        alert=flagged_alert,
        kind=AlertActionKind.values[0],
        note="to be replaced",
        actor=coordinator,
    )
    IntakeFactory(referral=active_relationship.referral)
    return active_relationship


def place_markers() -> None:
    for (model, field), text in SUPERVISOR_ONLY.items():
        model._base_manager.all().update(**{field: text})
    Concern.objects.filter(raised_by_role=CheckInPerson.MENTOR).update(
        details=MENTOR_SIDE[(Concern, "details")],
        outcome_note=MENTOR_SIDE[(Concern, "outcome_note")],
    )
    CheckIn.objects.filter(person=CheckInPerson.MENTOR).update(
        how_it_is_going=MENTOR_SIDE[(CheckIn, "how_it_is_going")],
        concerns=MENTOR_SIDE[(CheckIn, "concerns")],
        actions=MENTOR_SIDE[(CheckIn, "actions")],
    )


def test_mentee_routes_cover_pages_and_the_api():
    names = mentee_routes()
    assert any(name.startswith("api:") for name in names)
    assert any(name.startswith("mentoring:") for name in names)
    assert "api:mentoring-sessions" in names and "mentoring:session" in names


@pytest.mark.django_db
@pytest.mark.parametrize("name", mentee_routes())
def test_no_supervisor_only_field_reaches_the_mentee(name, request, world, mentee, client_for):
    kwargs: dict[str, Any] = the_matrix()[name].kwargs(request.getfixturevalue)
    url = reverse(name, kwargs=kwargs)
    place_markers()
    for (model, field), text in ALL_MARKERS.items():  # the markers really are in place
        assert text in model._base_manager.values_list(field, flat=True)
    cache.clear()

    response = client_for(mentee).get(url)

    assert response.status_code in the_matrix()[name].ok  # opened, not refused
    body = response.content.decode(errors="replace")
    leaks = [text for text in ALL_MARKERS.values() if text in body]
    assert not leaks, f"{name} ({url}) showed the mentee: {leaks}"


def test_the_mentee_has_many_routes_to_check():
    assert len(mentee_routes()) >= 20


@pytest.mark.django_db
def test_the_same_markers_do_reach_the_people_they_are_written_for(
    world, supervisor, coordinator, client_for
):
    """The markers are findable, so their absence for the mentee means something."""
    place_markers()
    session = MentoringSession.objects.filter(relationship=world, concern=True).first()
    assert session is not None
    page = client_for(supervisor).get(reverse("mentoring:session", args=[world.pk, session.pk]))
    assert SUPERVISOR_ONLY[(MentoringSession, "private_notes")] in page.content.decode()
    alert = Alert.objects.get()
    staff_page = client_for(coordinator).get(reverse("safeguarding:alert", args=[alert.pk]))
    assert SUPERVISOR_ONLY[(AlertSign, "excerpt")] in staff_page.content.decode()
