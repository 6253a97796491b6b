"""Outcome measures through the API: the instruments a programme may use, the measures people
are asked to complete, sending answers in one go, and scored responses. The same services and
access rules as the pages (``outcomes.access``): a person or response the caller may not see is
a 404. Lists never carry answers; reading someone else's answers is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts.access import STAFF_ROLES, HasRole, api_membership
from accounts.models import Membership, Role, User
from alongside.api import validation_errors
from audit.services import audit_record
from mentors.api import FiftyPerPage
from outcomes import instruments as engine
from outcomes.access import (
    ANSWERERS,
    MeasureViewer,
    for_api,
    request_access,
    requests_visible_to,
    response_access,
    responses_visible_to,
)
from outcomes.models import Instrument, MeasureRequest, MeasureResponse, RequestStatus
from outcomes.serializers import (
    AnswersSerializer,
    InstrumentSerializer,
    MeasureRequestSerializer,
    MeasureResponseDetailSerializer,
    MeasureResponseSentSerializer,
    MeasureResponseSerializer,
    RequestFilterSerializer,
    ResponseFilterSerializer,
)
from outcomes.services.instruments import definition_of, instruments_for
from outcomes.services.responses import answers_of, response_complete
from safeguarding.models import CrisisResource
from safeguarding.selectors import crisis_resources_for

TAGS = ["Outcome measures"]
NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY
# Who takes part in measures: the person, their mentor and supervisor, and staff.
MEASURE_ROLES = (Role.MENTEE, Role.MENTOR, Role.SUPERVISOR, *STAFF_ROLES)
# Service refusals that mean "too late": the request closed, or answers were already sent.
CONFLICT_CODES = {"closed", "submitted"}

_NOT_FOUND = OpenApiResponse(description="Not found, or not yours to see.")
_BAD = OpenApiResponse(description="Something sent is not right: the problem under its field.")
_CONFLICT = OpenApiResponse(
    description="The measure is no longer open, or its answers were already sent (the reason "
    "under `non_field_errors`)."
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


def _query(serializer_class: type[serializers.Serializer[Any]], request: Request) -> Any:
    """The list's filters from the query string; a bad one is a 400 naming it."""
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


# Instruments ------------------------------------------------------------------------------------


def instrument_data(row: Instrument) -> dict[str, Any]:
    definition = definition_of(row)
    return {
        "id": row.pk,
        "key": row.key,
        "name": row.name,
        "short_name": row.short_name,
        "version": row.version,
        "is_builtin": row.is_builtin,
        "about": definition.about,
        "minutes": definition.minutes,
        "stem": definition.stem,
        "attribution": definition.attribution,
        "options": [{"value": o.value, "label": o.label} for o in definition.options],
        "items": [{"key": item.key, "text": item.text} for item in definition.items],
    }


class InstrumentListView(APIView):
    permission_classes = [IsAuthenticated, HasRole.of(*Role)]

    @extend_schema(
        tags=TAGS,
        summary="Instruments",
        description="The questionnaires the organisation may use: those shipped with Alongside "
        "(PHQ-9, GAD-7, WHO-5) and its own, with their questions, answer options and the "
        "attribution to show with them. Any member of the organisation.",
        responses={200: InstrumentSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        rows = instruments_for(_membership(request).organisation)
        return Response(
            InstrumentSerializer([instrument_data(row) for row in rows], many=True).data
        )


class InstrumentView(APIView):
    permission_classes = [IsAuthenticated, HasRole.of(*Role)]

    @extend_schema(
        tags=TAGS,
        summary="One instrument",
        description="Another organisation's own instrument is a 404.",
        responses={200: InstrumentSerializer, 404: _NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        row = instruments_for(_membership(request).organisation).filter(pk=pk).first()
        if row is None:
            raise Http404
        return Response(InstrumentSerializer(instrument_data(row)).data)


# Requests ---------------------------------------------------------------------------------------


class MeasureRequestListView(generics.ListAPIView[MeasureRequest]):
    permission_classes = [IsAuthenticated, HasRole.of(*MEASURE_ROLES)]
    serializer_class = MeasureRequestSerializer
    pagination_class = FiftyPerPage

    @extend_schema(
        tags=TAGS,
        summary="Measures people are asked to complete",
        description="For a mentee, their own; for a mentor, their current mentees'; for a "
        "supervisor, the mentees of the mentors they supervise; for coordinators and admins, "
        "everyone's. By default only those due now and not yet sent, soonest first.",
        parameters=[RequestFilterSerializer],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[MeasureRequest]:
        if getattr(self, "swagger_fake_view", False):
            return MeasureRequest.objects.none()
        query = _query(RequestFilterSerializer, self.request)
        requests = requests_visible_to(_caller(self.request), _membership(self.request))
        if query["status"] == "open":
            requests = requests.filter(
                status__in=RequestStatus.open(), due_on__lte=timezone.localdate()
            )
        if "person" in query:
            requests = requests.filter(person_id=query["person"])
        return requests.order_by("due_on", "pk")


class MeasureRequestAnswerView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Send the answers to a measure",
        description="The person, or their current mentor completing it with them in a session, "
        "sends every answer at once; the response is scored and the request closed. Answers "
        "left out or null are unanswered (handled by the instrument's rule, never counted as "
        "0). If an answer calls for help now (PHQ-9 question 9 above 0), a safeguarding alert "
        "is raised in the same transaction and `show_help` is true. 409 once the measure has "
        "closed or its answers were sent.",
        request=AnswersSerializer,
        responses={
            201: MeasureResponseSentSerializer,
            400: _BAD,
            404: _NOT_FOUND,
            409: _CONFLICT,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        user, membership = for_api(request)
        _, measure_request = request_access(user, membership, pk, allow=ANSWERERS)
        if not measure_request.is_open:
            return _conflict(measure_request)
        body = AnswersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            response = response_complete(
                actor=user, request=measure_request, answers=body.validated_data["answers"]
            )
        except DjangoValidationError as error:
            if getattr(error, "code", None) in CONFLICT_CODES:
                return Response({NON_FIELD: error.messages}, status=status.HTTP_409_CONFLICT)
            return Response(validation_errors(error), status=status.HTTP_400_BAD_REQUEST)
        definition = definition_of(response.instrument)
        show_help = bool(engine.alert_flags(definition, response.flags))
        resources: list[CrisisResource] = (
            list(crisis_resources_for(response.organisation)) if show_help else []
        )
        data = {
            **response_data(response),
            "show_help": show_help,
            "crisis_resources": resources,
        }
        location = reverse("api:measure_response", args=[response.pk], request=request)
        return Response(
            MeasureResponseSentSerializer(data).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


def _conflict(measure_request: MeasureRequest) -> Response:
    message = (
        "These answers have already been sent."
        if measure_request.status == RequestStatus.COMPLETED
        else "This questionnaire is no longer open."
    )
    return Response({NON_FIELD: [message]}, status=status.HTTP_409_CONFLICT)


# Responses --------------------------------------------------------------------------------------


class MeasureResponseListView(generics.ListAPIView[MeasureResponse]):
    permission_classes = [IsAuthenticated, HasRole.of(*MEASURE_ROLES)]
    serializer_class = MeasureResponseSerializer
    pagination_class = FiftyPerPage

    @extend_schema(
        tags=TAGS,
        summary="Responses",
        description="Scores of the people the caller may see (as for measures asked), newest "
        "first, without answers: open one response for its answers.",
        parameters=[ResponseFilterSerializer],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[MeasureResponse]:
        if getattr(self, "swagger_fake_view", False):
            return MeasureResponse.objects.none()
        query = _query(ResponseFilterSerializer, self.request)
        responses = responses_visible_to(_caller(self.request), _membership(self.request))
        if query["status"] == "completed":
            responses = responses.filter(completed_at__isnull=False)
        if "person" in query:
            responses = responses.filter(person_id=query["person"])
        if "instrument" in query:
            responses = responses.filter(instrument__key=query["instrument"])
        return responses.order_by("-completed_at", "-started_at", "-pk")


def response_data(response: MeasureResponse) -> dict[str, Any]:
    definition = definition_of(response.instrument)
    band = definition.band(response.band or None)
    values = answers_of(response)
    return {
        "id": response.pk,
        "person_id": response.person_id,
        "instrument": response.instrument,
        "instrument_name": definition.name,
        "attribution": definition.attribution,
        "occasion": response.occasion,
        "completed_with": response.completed_with,
        "started_at": response.started_at,
        "completed_at": response.completed_at,
        "total": response.total,
        "percentage": response.percentage,
        "band": response.band,
        "meaning": band.mentee_text if band is not None else "",
        "flags": list(response.flags),
        "answered": response.answered,
        "prorated": response.prorated,
        "answers": [
            {
                "question": item.key,
                "text": item.text,
                "value": value,
                "label": definition.option_label(value),
            }
            for item, value in zip(definition.items, values, strict=True)
        ],
    }


class MeasureResponseView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="One response, with its answers",
        description="For the person, their mentor (until the relationship ends), the mentor's "
        "supervisor, and coordinators and admins; anyone else gets a 404. Reading someone "
        "else's answers is recorded in the audit log.",
        responses={200: MeasureResponseDetailSerializer, 404: _NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        user, membership = for_api(request)
        access, response = response_access(user, membership, pk)
        if access.viewer != MeasureViewer.SELF:
            audit_record(
                actor=user,
                action="measure.answers_viewed",
                organisation=response.organisation,
                target=response,
                metadata={"instrument": response.instrument.key, "as": str(access.viewer)},
            )
        return Response(MeasureResponseDetailSerializer(response_data(response)).data)


urlpatterns = [
    path("instruments/", InstrumentListView.as_view(), name="measure_instruments"),
    path("instruments/<int:pk>/", InstrumentView.as_view(), name="measure_instrument"),
    path("measures/requests/", MeasureRequestListView.as_view(), name="measure_requests"),
    path(
        "measures/requests/<int:pk>/responses/",
        MeasureRequestAnswerView.as_view(),
        name="measure_request_responses",
    ),
    path("measures/responses/", MeasureResponseListView.as_view(), name="measure_responses"),
    path("measures/responses/<int:pk>/", MeasureResponseView.as_view(), name="measure_response"),
]
