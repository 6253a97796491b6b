"""Sessions through the API: the same services, access rules and field visibility as the pages.
Someone else's relationship or session is a 404; the mentee of an ended relationship reads but
cannot change (a 404, like any change they may not make); a save against an older version is a
409."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from alongside.api import validation_errors
from audit.services import audit_read
from mentoring.access import (
    EVERYONE,
    PAIR,
    RelationshipAccess,
    Viewer,
    relationship_for_api,
)
from mentoring.api_together import risk_answer
from mentoring.calendar import can_have_calendar_file
from mentoring.models import MentoringSession
from mentoring.serializers_sessions import (
    SessionLogSerializer,
    SessionReflectionSerializer,
    SessionRescheduleSerializer,
    SessionSavedSerializer,
    SessionScheduleSerializer,
    SessionSerializer,
)
from mentoring.services.sessions import (
    SessionSaved,
    SessionVisibility,
    session_cancel,
    session_log,
    session_reflect,
    session_reschedule,
    session_schedule,
)
from mentoring.views.sessions import calendar_response

TAGS = ["Mentoring sessions"]
_NOT_YOURS = OpenApiResponse(
    description="Not a relationship or session you may use this way (including a change once "
    "the mentoring has ended)."
)
_STALE = OpenApiResponse(
    description="Someone saved a change since you read it: the body has the error under "
    "`version` and the latest session under `latest`."
)
_BAD = OpenApiResponse(description="A field is wrong, or the session cannot change this way.")


class CalendarRenderer(BaseRenderer):
    """Lets a client ask for ``text/calendar``; the view has already made the file."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        return data if isinstance(data, bytes) else b""


class _SessionsApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    def open(
        self, pk: int, allow: tuple[Viewer, ...] = EVERYONE, *, break_glass: bool = False
    ) -> RelationshipAccess:
        user = self.request.user
        assert isinstance(user, User)
        return relationship_for_api(self.request, pk, allow=allow, break_glass=break_glass)

    def session(self, access: RelationshipAccess, session_pk: int) -> MentoringSession:
        session = access.relationship.sessions.filter(pk=session_pk).first()
        if session is None:
            raise Http404
        session.relationship = access.relationship
        return session

    def writable(self, access: RelationshipAccess) -> None:
        if not access.pair_can_write:
            raise NotFound("This mentoring has ended, so nothing here can be changed.")

    def shown(self, access: RelationshipAccess, session: MentoringSession) -> dict[str, Any]:
        return dict(SessionSerializer(session, context=self.context(access)).data)

    def context(self, access: RelationshipAccess) -> dict[str, Any]:
        return {"viewer": access.viewer, "visibility": SessionVisibility.for_access(access)}

    def refused(
        self, access: RelationshipAccess, session: MentoringSession | None, error: Any
    ) -> Response:
        body: dict[str, Any] = validation_errors(error)
        if session is not None and "version" in body:
            body["latest"] = self.shown(access, MentoringSession.objects.get(pk=session.pk))
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(body, status=status.HTTP_400_BAD_REQUEST)

    def saved(self, access: RelationshipAccess, saved: SessionSaved) -> Response:
        return Response(
            {
                "session": self.shown(access, saved.session),
                **risk_answer(access, saved.possible_risk, saved.serious),
            }
        )


class SessionListApi(_SessionsApi):
    @extend_schema(
        tags=TAGS,
        summary="The sessions of a relationship",
        description="Oldest first, as the caller may see them: private notes, moods and the "
        "concern flag only for the mentor and their supervisor; coordinators see the "
        "summary level only; the place only for the pair.",
        responses={200: SessionSerializer(many=True), 404: _NOT_YOURS},
    )
    def get(self, request: Request, pk: int) -> Response:
        access = self.open(pk, break_glass=True)
        sessions = list(access.relationship.sessions.order_by("scheduled_for", "pk"))
        context = self.context(access)
        logged = sum(1 for session in sessions if session.logged_at)
        if context["visibility"].private and logged:
            audit_read(
                request,
                "mentoring.session_notes_viewed",
                access.relationship,
                metadata={"sessions": logged},
            )
        return Response(SessionSerializer(sessions, many=True, context=context).data)

    @extend_schema(
        tags=TAGS,
        summary="Arrange a session",
        description="The mentor or mentee arranges a session in the future, once the "
        "relationship is active; the other person is emailed the date and time. Send a "
        "`client_key` so a repeated request returns the first session.",
        request=SessionScheduleSerializer,
        responses={201: SessionSerializer, 400: _BAD, 404: _NOT_YOURS},
    )
    def post(self, request: Request, pk: int) -> Response:
        access = self.open(pk, allow=PAIR)
        self.writable(access)
        body = SessionScheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            session = session_schedule(
                actor=access.user, relationship=access.relationship, **body.validated_data
            )
        except DjangoValidationError as error:
            return self.refused(access, None, error)
        return Response(self.shown(access, session), status=status.HTTP_201_CREATED)


class SessionApi(_SessionsApi):
    @extend_schema(
        tags=TAGS,
        summary="One session",
        responses={200: SessionSerializer, 404: _NOT_YOURS},
    )
    def get(self, request: Request, pk: int, session_pk: int) -> Response:
        access = self.open(pk, break_glass=True)
        session = self.session(access, session_pk)
        if SessionVisibility.for_access(access).private and session.logged_at:
            audit_read(request, "mentoring.session_notes_viewed", session)
        return Response(self.shown(access, session))

    @extend_schema(
        tags=TAGS,
        summary="Change a planned session",
        description="Move a planned session or change how or where it happens; the other "
        "person is emailed and the calendar file's sequence goes up. Send the `version` you "
        "read: a newer one gives 409.",
        request=SessionRescheduleSerializer,
        responses={
            200: SessionSerializer,
            400: _BAD,
            404: _NOT_YOURS,
            409: _STALE,
        },
    )
    def patch(self, request: Request, pk: int, session_pk: int) -> Response:
        access = self.open(pk, allow=PAIR)
        session = self.session(access, session_pk)
        self.writable(access)
        body = SessionRescheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            session = session_reschedule(actor=access.user, session=session, **body.validated_data)
        except DjangoValidationError as error:
            return self.refused(access, session, error)
        return Response(self.shown(access, session))


class SessionCancelApi(_SessionsApi):
    @extend_schema(
        tags=TAGS,
        summary="Cancel a planned session",
        description="As the mentor or the mentee; the other person is emailed. Cancelling "
        "twice changes nothing.",
        request=None,
        responses={200: SessionSerializer, 400: _BAD, 404: _NOT_YOURS},
    )
    def post(self, request: Request, pk: int, session_pk: int) -> Response:
        access = self.open(pk, allow=PAIR)
        session = self.session(access, session_pk)
        self.writable(access)
        try:
            session = session_cancel(actor=access.user, session=session)
        except DjangoValidationError as error:
            return self.refused(access, None, error)
        return Response(self.shown(access, session))


class SessionLogApi(_SessionsApi):
    @extend_schema(
        tags=TAGS,
        summary="Log a session (the mentor)",
        description="Once the session's time has come: what happened, the summary both see, "
        "private notes for the mentor and supervisor, moods, and a concern flag that tells "
        "the supervisor. Logging again changes the log; send the `version` you read.",
        request=SessionLogSerializer,
        responses={
            200: SessionSavedSerializer,
            400: _BAD,
            404: _NOT_YOURS,
            409: _STALE,
        },
    )
    def post(self, request: Request, pk: int, session_pk: int) -> Response:
        access = self.open(pk, allow=(Viewer.MENTOR,))
        session = self.session(access, session_pk)
        self.writable(access)
        body = SessionLogSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            saved = session_log(actor=access.user, session=session, **body.validated_data)
        except DjangoValidationError as error:
            return self.refused(access, session, error)
        return self.saved(access, saved)


class SessionReflectionApi(_SessionsApi):
    @extend_schema(
        tags=TAGS,
        summary="Reflect on a session (the mentee)",
        description="Once the session happened: a reflection in your own words and how it "
        "felt (1 to 5), at least one of the two. The mentor sees it. Send the `version` "
        "you read.",
        request=SessionReflectionSerializer,
        responses={
            200: SessionSavedSerializer,
            400: _BAD,
            404: _NOT_YOURS,
            409: _STALE,
        },
    )
    def post(self, request: Request, pk: int, session_pk: int) -> Response:
        access = self.open(pk, allow=(Viewer.MENTEE,))
        session = self.session(access, session_pk)
        self.writable(access)
        body = SessionReflectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            saved = session_reflect(actor=access.user, session=session, **body.validated_data)
        except DjangoValidationError as error:
            return self.refused(access, session, error)
        return self.saved(access, saved)


class SessionCalendarApi(_SessionsApi):
    renderer_classes = [JSONRenderer, CalendarRenderer]

    @extend_schema(
        tags=TAGS,
        summary="A session's calendar file",
        description="An iCalendar file for a planned session (or, once cancelled, one that "
        "marks it cancelled). It says only “Mentoring session”, when, where, and a link.",
        responses={
            (200, "text/calendar"): OpenApiTypes.BINARY,
            404: _NOT_YOURS,
        },
    )
    def get(self, request: Request, pk: int, session_pk: int) -> HttpResponse:
        access = self.open(pk, allow=PAIR)
        session = self.session(access, session_pk)
        if not can_have_calendar_file(session):
            raise Http404
        return calendar_response(session)


_SESSION = "relationships/<int:pk>/sessions/<int:session_pk>/"

urlpatterns = [
    path("relationships/<int:pk>/sessions/", SessionListApi.as_view(), name="mentoring-sessions"),
    path(_SESSION, SessionApi.as_view(), name="mentoring-session"),
    path(f"{_SESSION}cancel/", SessionCancelApi.as_view(), name="mentoring-session-cancel"),
    path(f"{_SESSION}log/", SessionLogApi.as_view(), name="mentoring-session-log"),
    path(
        f"{_SESSION}reflection/",
        SessionReflectionApi.as_view(),
        name="mentoring-session-reflection",
    ),
    path(
        f"{_SESSION}calendar.ics",
        SessionCalendarApi.as_view(),
        name="mentoring-session-calendar",
    ),
]
