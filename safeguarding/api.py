"""Safeguarding alerts through the API, for the people who respond (supervisors, coordinators,
admins): the queue, one alert with its signs and timeline, and the steps of responding. Same
services and access rules as the pages (``safeguarding.access``): an alert the caller may not
see is a 404, and everyone else (mentees included) gets a 404 for every endpoint. Reading an
alert's signs is audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts.access import HasRole, api_membership
from accounts.models import Membership, User
from alongside.api import validation_errors
from audit.services import audit_record
from mentors.api import FiftyPerPage
from safeguarding.access import RESPONDER_ROLES, alert_for, alerts_visible_to
from safeguarding.models import Alert, AlertAction, AlertSign, AlertStatus
from safeguarding.selectors import (
    alert_row,
    alert_timeline,
    category_labels,
    most_serious_first,
    name_of,
    queue_alerts,
)
from safeguarding.serializers import (
    AlertActionTakenSerializer,
    AlertCloseSerializer,
    AlertContactAttemptSerializer,
    AlertDetailSerializer,
    AlertFilterSerializer,
    AlertNoteSerializer,
    AlertReopenSerializer,
    AlertSerializer,
    AlertWithActionsSerializer,
)
from safeguarding.services import alerts as services

TAGS = ["Safeguarding alerts"]
NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY
Responders = HasRole.of(*RESPONDER_ROLES)

_NOT_FOUND = OpenApiResponse(description="No such alert, or not yours to see.")
_BAD = OpenApiResponse(description="Something sent is not right: the problem under its field.")
_CLOSED = OpenApiResponse(
    description="The alert is closed: reopen it first (the reason under `non_field_errors`)."
)


def _membership(request: Request) -> Membership:
    membership = api_membership(request)
    if membership is None:
        raise Http404
    return membership


def _caller(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _person(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "name": name_of(user)}


def alert_data(alert: Alert, now: datetime | None = None) -> dict[str, Any]:
    row = alert_row(alert, now)
    return {
        "id": alert.pk,
        "url": reverse("safeguarding:alert", args=[alert.pk]),
        "level": alert.level,
        "status": alert.status,
        "person": _person(alert.person),
        "categories": list(alert.categories),
        "category_labels": category_labels(alert.categories),
        "source_label": row.raised_by,
        "sign_count": row.sign_count,
        "created_at": alert.created_at,
        "due_at": alert.due_at,
        "is_overdue": alert.is_overdue(now),
        "deadline": row.deadline.text if row.deadline else "",
        "escalation_level": alert.escalation_level,
        "escalation": row.escalation,
        "acknowledged_by": _person(alert.acknowledged_by),
        "acknowledged_at": alert.acknowledged_at,
        "closed_at": alert.closed_at,
        "outcome": alert.outcome,
        "false_positive": alert.false_positive,
    }


def _action_data(action: AlertAction) -> dict[str, Any]:
    return {
        "id": action.pk,
        "kind": action.kind,
        "kind_label": action.get_kind_display(),
        "contact_method": action.contact_method,
        "reached": action.reached,
        "action": action.action,
        "note": action.note or "",
        "actor": _person(action.actor),
        "created_at": action.created_at,
    }


def _sign_data(sign: AlertSign) -> dict[str, Any]:
    return {
        "id": sign.pk,
        "created_at": sign.created_at,
        "level": sign.level,
        "categories": list(sign.categories),
        "category_labels": category_labels(sign.categories),
        "source": sign.source,
        "source_label": sign.source_label,
        "path": sign.path,
        "excerpt": sign.excerpt or "",
        "matches": sign.match_list,
        "detection_failed": sign.detection_failed,
    }


def alert_with_actions_data(alert: Alert) -> dict[str, Any]:
    return {
        **alert_data(alert),
        "supervisor": _person(alert.supervisor),
        "duty_lead": _person(alert.duty_lead),
        "closed_by": _person(alert.closed_by),
        "closing_note": alert.closing_note or "",
        "actions": [_action_data(action) for action in alert_timeline(alert)],
    }


def _fresh(alert: Alert) -> Alert:
    """The alert as saved now, with what its row shows, after a step changed it."""
    return queue_alerts(Alert.objects.filter(pk=alert.pk)).get()


class AlertListView(generics.ListAPIView[Alert]):
    permission_classes = [IsAuthenticated, Responders]
    serializer_class = AlertSerializer
    pagination_class = FiftyPerPage

    @extend_schema(
        tags=TAGS,
        summary="Safeguarding alerts",
        description="The alerts the caller responds to: for coordinators, admins and "
        "safeguarding leads, all of the organisation's; for a supervisor, those about the "
        "mentees of the mentors they supervise and those they were on duty for. The most "
        "serious first, then the oldest. By default the alerts not closed. Lists never carry "
        "what anyone wrote: open one alert for its signs.",
        parameters=[AlertFilterSerializer],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Alert]:
        if getattr(self, "swagger_fake_view", False):
            return Alert.objects.none()
        query = AlertFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        wanted = query.validated_data.get("status", "")
        alerts = alerts_visible_to(_caller(self.request), _membership(self.request))
        if wanted == "":
            alerts = alerts.exclude(status=AlertStatus.CLOSED)
        elif wanted != "all":
            alerts = alerts.filter(status=wanted)
        return most_serious_first(queue_alerts(alerts))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        now = timezone.now()
        data = AlertSerializer([alert_data(alert, now) for alert in page], many=True).data
        return self.get_paginated_response(data)


class AlertEndpoint(APIView):
    """An endpoint about one alert: opened through the one access rule, as the pages do."""

    permission_classes = [IsAuthenticated, Responders]

    def open(self, pk: int) -> Alert:
        return alert_for(_caller(self.request), _membership(self.request), pk)


class AlertDetailView(AlertEndpoint):
    @extend_schema(
        tags=TAGS,
        summary="One alert, with its signs and timeline",
        description="Every sign that raised or joined the alert, with the flagged text and "
        "the phrases that matched, and every step taken. Reading it is recorded in the audit "
        "log.",
        responses={200: AlertDetailSerializer, 404: _NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        found = self.open(pk)
        audit_record(
            actor=_caller(request),
            action="safeguarding.alert_viewed",
            organisation=found.organisation,
            target=found,
            metadata={"level": found.level, "status": found.status, "via": "api"},
        )
        data = {
            **alert_with_actions_data(_fresh(found)),
            "signs": [_sign_data(sign) for sign in found.signs.order_by("created_at", "pk")],
        }
        return Response(AlertDetailSerializer(data).data)


Step = Callable[[User, Alert, dict[str, Any]], object]


class AlertStepEndpoint(AlertEndpoint):
    """A step of responding: the body checked by ``body``, then the service."""

    def run(
        self,
        pk: int,
        body: type[serializers.Serializer[Any]],
        step: Step,
        done: int = status.HTTP_200_OK,
    ) -> Response:
        found = self.open(pk)
        sent = body(data=self.request.data)
        sent.is_valid(raise_exception=True)
        try:
            step(_caller(self.request), found, dict(sent.validated_data))
        except DjangoValidationError as error:
            if getattr(error, "code", None) == "closed":
                return Response({NON_FIELD: error.messages}, status=status.HTTP_409_CONFLICT)
            return Response(validation_errors(error), status=status.HTTP_400_BAD_REQUEST)
        return Response(
            AlertWithActionsSerializer(alert_with_actions_data(_fresh(found))).data, status=done
        )


class _EmptySerializer(serializers.Serializer[Any]):
    """Nothing to send."""


class AlertAcknowledgeView(AlertStepEndpoint):
    @extend_schema(
        tags=TAGS,
        summary="Say you are responding",
        description="The alert stops waiting and stops escalating. If someone is already "
        "responding, nothing changes (they stay the one responding). 409 once closed.",
        request=None,
        responses={200: AlertWithActionsSerializer, 404: _NOT_FOUND, 409: _CLOSED},
    )
    def post(self, request: Request, pk: int) -> Response:
        return self.run(
            pk,
            _EmptySerializer,
            lambda user, found, data: services.alert_acknowledge(actor=user, alert=found),
        )


class AlertContactAttemptView(AlertStepEndpoint):
    @extend_schema(
        tags=TAGS,
        summary="Record a contact attempt",
        description="How you tried to reach the person and whether you did. Recording one also "
        "says you are responding, if nobody had. Send a `client_key` so a repeated request "
        "records it once. 409 once closed.",
        request=AlertContactAttemptSerializer,
        responses={201: AlertWithActionsSerializer, 400: _BAD, 404: _NOT_FOUND, 409: _CLOSED},
    )
    def post(self, request: Request, pk: int) -> Response:
        return self.run(
            pk,
            AlertContactAttemptSerializer,
            lambda user, found, data: services.alert_contact_attempt(
                actor=user,
                alert=found,
                method=data["method"],
                reached=data["reached"],
                note=data["note"],
                client_key=data["client_key"],
            ),
            status.HTTP_201_CREATED,
        )


class AlertActionView(AlertStepEndpoint):
    @extend_schema(
        tags=TAGS,
        summary="Record an action taken",
        description="Safety plan discussed, crisis service contacted, emergency services "
        "called, GP informed (with consent, or without it under the safeguarding exception, "
        "which needs a note saying why)... Also says you are responding, if nobody had. Send a "
        "`client_key` so a repeated request records it once. 409 once closed.",
        request=AlertActionTakenSerializer,
        responses={201: AlertWithActionsSerializer, 400: _BAD, 404: _NOT_FOUND, 409: _CLOSED},
    )
    def post(self, request: Request, pk: int) -> Response:
        return self.run(
            pk,
            AlertActionTakenSerializer,
            lambda user, found, data: services.alert_action_taken(
                actor=user,
                alert=found,
                action=data["action"],
                note=data["note"],
                client_key=data["client_key"],
            ),
            status.HTTP_201_CREATED,
        )


class AlertNoteView(AlertStepEndpoint):
    @extend_schema(
        tags=TAGS,
        summary="Add a note",
        description="A note on the timeline, with your name and the time. 409 once closed.",
        request=AlertNoteSerializer,
        responses={201: AlertWithActionsSerializer, 400: _BAD, 404: _NOT_FOUND, 409: _CLOSED},
    )
    def post(self, request: Request, pk: int) -> Response:
        return self.run(
            pk,
            AlertNoteSerializer,
            lambda user, found, data: services.alert_add_note(
                actor=user, alert=found, note=data["note"]
            ),
            status.HTTP_201_CREATED,
        )


class AlertCloseView(AlertStepEndpoint):
    @extend_schema(
        tags=TAGS,
        summary="Close an alert",
        description="With the outcome and a closing note. The outcome `no_risk` marks it a "
        "false alarm. 409 if it is already closed.",
        request=AlertCloseSerializer,
        responses={200: AlertWithActionsSerializer, 400: _BAD, 404: _NOT_FOUND, 409: _CLOSED},
    )
    def post(self, request: Request, pk: int) -> Response:
        return self.run(
            pk,
            AlertCloseSerializer,
            lambda user, found, data: services.alert_close(
                actor=user, alert=found, outcome=data["outcome"], note=data["note"]
            ),
        )


class AlertReopenView(AlertStepEndpoint):
    @extend_schema(
        tags=TAGS,
        summary="Reopen a closed alert",
        description="It comes back as being responded to, by the caller. 409 if it is not closed.",
        request=AlertReopenSerializer,
        responses={
            200: AlertWithActionsSerializer,
            400: _BAD,
            404: _NOT_FOUND,
            409: OpenApiResponse(description="The alert is not closed."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        if not self.open(pk).is_closed:
            return Response(
                {NON_FIELD: ["This alert is not closed."]}, status=status.HTTP_409_CONFLICT
            )
        return self.run(
            pk,
            AlertReopenSerializer,
            lambda user, found, data: services.alert_reopen(
                actor=user, alert=found, note=data["note"]
            ),
        )
