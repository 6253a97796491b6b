"""The ending through the API: the checklist, starting the planned ending, closing, the
wellbeing plan, the mentee's record and the exit survey. The same services and access rules as
the pages; anyone who may not see a relationship (or survey) gets a 404."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts.models import User
from alongside.api import validation_errors
from mentoring.access import RelationshipAccess, Viewer, relationship_for_api
from mentoring.concurrency import STALE
from mentoring.models import ExitSurvey, RelationshipStatus, WellbeingPlan
from mentoring.safety import someone_will_be_in_touch
from mentoring.serializers_ending import (
    CloseSerializer,
    EndingSerializer,
    ExitSurveyAnswerSerializer,
    ExitSurveySerializer,
    PlanSerializer,
    PlanWriteSerializer,
    RecordSerializer,
)
from mentoring.services.ending import (
    ALREADY_ENDED,
    EndingChecklist,
    ending_begin,
    ending_checklist,
    is_already_ended,
    mentee_record,
    mentee_record_data,
    record_downloaded,
    relationship_close,
)
from mentoring.services.plans import (
    ENDED,
    PLAN_FIELDS,
    plan_for,
    plan_mark_ready,
    plan_save,
    skills_shared,
)
from mentoring.services.surveys import (
    ALREADY_ANSWERED,
    exit_survey_answer,
    exit_survey_for,
    is_already_answered,
)
from safeguarding.selectors import crisis_resources_for

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY
_REFUSED = OpenApiResponse(description="Refused, with the reason under `non_field_errors`.")
_NOT_FOUND = OpenApiResponse(description="Not found, or not yours to see.")


def _caller(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refused(message: str, code: int) -> Response:
    return Response({NON_FIELD: [message]}, status=code)


# The checklist -----------------------------------------------------------------------------------


def ending_data(access: RelationshipAccess, checklist: EndingChecklist) -> dict[str, Any]:
    relationship = access.relationship
    final = checklist.final_session
    data: dict[str, Any] = {
        "relationship": relationship.pk,
        "status": checklist.status,
        "planned_end_on": checklist.planned_end_on,
        "planned_sessions": checklist.planned_sessions,
        "sessions_held": checklist.sessions_held,
        "final_session": (
            {"id": final.pk, "scheduled_for": final.scheduled_for, "status": final.status}
            if final is not None
            else None
        ),
        "plan_started": checklist.plan_started,
        "plan_ready": checklist.plan_ready,
        "items": [asdict(item) for item in checklist.items],
        "complete": checklist.complete,
        "closing_started_at": relationship.closing_started_at,
        "ended_at": relationship.ended_at,
        "end_kind": relationship.end_kind,
        "follow_up_on": checklist.follow_up_on if not access.is_mentor else None,
    }
    if access.is_staff:
        data["end_reason"] = relationship.end_reason
        data["end_note"] = relationship.end_note
        data["exit_conversation_held"] = relationship.exit_conversation_held
    return dict(EndingSerializer(data).data)


class EndingView(APIView):
    @extend_schema(
        summary="The ending checklist",
        description="Where the relationship is on its way to a good ending: the final session, "
        "the final questionnaires, the wellbeing plan and the closing conversation. For the "
        "pair and staff; staff also see why and how it ended.",
        responses={200: EndingSerializer, 404: _NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        access = relationship_for_api(
            request, pk, allow=(Viewer.MENTOR, Viewer.MENTEE, Viewer.STAFF)
        )
        return Response(ending_data(access, ending_checklist(access.relationship)))


class EndingBeginView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Begin the planned ending",
        description="The mentor or a coordinator starts the planned ending; both people are "
        "emailed a link. Starting it again changes nothing. 409 once the relationship ended.",
        request=None,
        responses={200: EndingSerializer, 400: _REFUSED, 404: _NOT_FOUND, 409: _REFUSED},
    )
    def post(self, request: Request, pk: int) -> Response:
        access = relationship_for_api(request, pk, allow=(Viewer.MENTOR, Viewer.STAFF))
        if access.relationship.status != RelationshipStatus.CLOSING:
            try:
                ending_begin(actor=access.user, relationship=access.relationship)
            except DjangoValidationError as error:
                if is_already_ended(error):
                    return _refused(ALREADY_ENDED, status.HTTP_409_CONFLICT)
                return Response(validation_errors(error), status=status.HTTP_400_BAD_REQUEST)
        access = relationship_for_api(request, pk, allow=(Viewer.MENTOR, Viewer.STAFF))
        return Response(ending_data(access, ending_checklist(access.relationship)))


class CloseView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Close the relationship",
        description="Staff only. Records why it ended (planned: `end_date_reached`, "
        "`goals_met`; the rest are unplanned). The mentor's access stops, exit surveys go to "
        "both people and a follow-up check-in with the mentee is scheduled. Closing an ended "
        "relationship again gives 409.",
        request=CloseSerializer,
        responses={200: EndingSerializer, 400: _REFUSED, 404: _NOT_FOUND, 409: _REFUSED},
    )
    def post(self, request: Request, pk: int) -> Response:
        access = relationship_for_api(request, pk, allow=(Viewer.STAFF,))
        if access.relationship.is_ended:
            return _refused(ALREADY_ENDED, status.HTTP_409_CONFLICT)
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            relationship_close(
                actor=access.user, relationship=access.relationship, **body.validated_data
            )
        except DjangoValidationError as error:
            if is_already_ended(error):
                return _refused(ALREADY_ENDED, status.HTTP_409_CONFLICT)
            return Response(validation_errors(error), status=status.HTTP_400_BAD_REQUEST)
        access = relationship_for_api(request, pk, allow=(Viewer.STAFF,))
        return Response(ending_data(access, ending_checklist(access.relationship)))


# The wellbeing plan ------------------------------------------------------------------------------


def plan_data(access: RelationshipAccess, plan: WellbeingPlan, **extra: Any) -> dict[str, Any]:
    relationship = access.relationship
    data = {
        "version": plan.version,
        "saved": plan.pk is not None,
        **{name: getattr(plan, name) for name in PLAN_FIELDS},
        "ready_at": plan.ready_at,
        "updated_at": plan.updated_at if plan.pk is not None else None,
        "can_edit": access.pair_can_write,
        "skills_shared": skills_shared(relationship) if access.pair_can_write else [],
        "crisis_resources": list(crisis_resources_for(relationship.organisation)),
        **extra,
    }
    return dict(PlanSerializer(data).data)


class PlanView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="The wellbeing and independence plan",
        description="The mentee's plan, with the organisation's crisis resources. The mentee, "
        "their mentor (until the relationship ends) and staff (read only).",
        responses={200: PlanSerializer, 404: _NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        access = relationship_for_api(
            request, pk, allow=(Viewer.MENTOR, Viewer.MENTEE, Viewer.STAFF)
        )
        return Response(plan_data(access, plan_for(access.relationship)))

    @extend_schema(
        summary="Change the plan",
        description="The mentee or their mentor, while the relationship lasts. Send the "
        "`version` you read; parts you leave out stay as they are. 409 if someone saved since "
        "(the body has the latest plan under `latest`); 404 once the relationship has ended.",
        request=PlanWriteSerializer,
        responses={
            200: PlanSerializer,
            400: _REFUSED,
            404: _NOT_FOUND,
            409: OpenApiResponse(description="Someone saved a newer version."),
        },
    )
    def put(self, request: Request, pk: int) -> Response:
        access = relationship_for_api(request, pk, allow=(Viewer.MENTOR, Viewer.MENTEE))
        if not access.pair_can_write:
            return _refused(ENDED, status.HTTP_404_NOT_FOUND)
        body = PlanWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = {
            name: body.validated_data[name] for name in PLAN_FIELDS if name in body.validated_data
        }
        try:
            saved = plan_save(
                actor=access.user,
                relationship=access.relationship,
                version=body.validated_data["version"],
                **fields,
            )
        except DjangoValidationError as error:
            if hasattr(error, "error_dict") and "version" in error.error_dict:
                latest = plan_data(access, plan_for(access.relationship))
                return Response(
                    {"version": [STALE], "latest": latest}, status=status.HTTP_409_CONFLICT
                )
            return Response(validation_errors(error), status=status.HTTP_400_BAD_REQUEST)
        return Response(
            plan_data(
                access,
                saved.plan,
                show_help=saved.is_risk,
                someone_will_be_in_touch=someone_will_be_in_touch(
                    saved.is_serious, access.user, access.relationship
                ),
            )
        )


class PlanReadyView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Mark the plan ready",
        description="The mentee says their plan is ready (a milestone). Again changes nothing. "
        "400 if nothing is written yet; 404 once the relationship has ended.",
        request=None,
        responses={200: PlanSerializer, 400: _REFUSED, 404: _NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        access = relationship_for_api(request, pk, allow=(Viewer.MENTEE,))
        if not access.pair_can_write:
            return _refused(ENDED, status.HTTP_404_NOT_FOUND)
        try:
            plan = plan_mark_ready(actor=access.user, relationship=access.relationship)
        except DjangoValidationError as error:
            return Response(validation_errors(error), status=status.HTTP_400_BAD_REQUEST)
        return Response(plan_data(access, plan))


# The mentee's record -----------------------------------------------------------------------------


class RecordView(APIView):
    @extend_schema(
        summary="My mentoring record",
        description="The mentee only, also after the relationship ended: their goals with "
        "steps and how it went, the sessions with shared summaries and their own reflections, "
        "and the strengths their mentor saw. Never the mentor's private notes.",
        responses={200: RecordSerializer, 404: _NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        access = relationship_for_api(request, pk, allow=(Viewer.MENTEE,))
        data = mentee_record_data(mentee_record(access.relationship))
        record_downloaded(actor=access.user, relationship=access.relationship, format="api")
        return Response(RecordSerializer(data).data)


# The exit survey ---------------------------------------------------------------------------------


def survey_data(survey: ExitSurvey, **extra: Any) -> dict[str, Any]:
    data = {
        "id": survey.pk,
        "role": survey.role,
        "sent_at": survey.sent_at,
        "answered_at": survey.answered_at,
        "overall": survey.overall,
        "what_helped": survey.what_helped,
        "could_be_better": survey.could_be_better,
        "would_recommend": survey.would_recommend,
        **extra,
    }
    return dict(ExitSurveySerializer(data).data)


class ExitSurveyView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="An exit survey",
        description="Only the person it was sent to (a mentor too, after the relationship ended).",
        responses={200: ExitSurveySerializer, 404: _NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(survey_data(exit_survey_for(_caller(request), pk)))

    @extend_schema(
        summary="Answer an exit survey",
        description="Every question is optional. A survey is answered once: 409 after that.",
        request=ExitSurveyAnswerSerializer,
        responses={200: ExitSurveySerializer, 400: _REFUSED, 404: _NOT_FOUND, 409: _REFUSED},
    )
    def post(self, request: Request, pk: int) -> Response:
        survey = exit_survey_for(_caller(request), pk)
        if survey.answered_at is not None:
            return _refused(ALREADY_ANSWERED, status.HTTP_409_CONFLICT)
        body = ExitSurveyAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            survey, risk = exit_survey_answer(
                actor=_caller(request), survey=survey, **body.validated_data
            )
        except DjangoValidationError as error:
            if is_already_answered(error):
                return _refused(ALREADY_ANSWERED, status.HTTP_409_CONFLICT)
            return Response(validation_errors(error), status=status.HTTP_400_BAD_REQUEST)
        serious = risk is not None and risk.is_serious
        return Response(
            survey_data(
                survey,
                show_help=risk is not None and risk.is_risk,
                someone_will_be_in_touch=someone_will_be_in_touch(
                    serious, _caller(request), survey.relationship
                ),
            )
        )


urlpatterns = [
    path("relationships/<int:pk>/ending/", EndingView.as_view(), name="relationship-ending"),
    path(
        "relationships/<int:pk>/ending/begin/",
        EndingBeginView.as_view(),
        name="relationship-ending-begin",
    ),
    path("relationships/<int:pk>/close/", CloseView.as_view(), name="relationship-close"),
    path("relationships/<int:pk>/plan/", PlanView.as_view(), name="relationship-plan"),
    path(
        "relationships/<int:pk>/plan/ready/",
        PlanReadyView.as_view(),
        name="relationship-plan-ready",
    ),
    path("relationships/<int:pk>/record/", RecordView.as_view(), name="relationship-record"),
    path("exit-surveys/<int:pk>/", ExitSurveyView.as_view(), name="exit-survey"),
]
