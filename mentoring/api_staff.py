"""The coordinator's mentoring endpoints (check-ins, concerns, rematch) and the pair's endpoint
for raising a concern. Same services and access rules as the pages: someone else's record is a
404, and the other person of a pair never sees a concern they did not raise."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import HasRole, api_membership
from accounts.models import User
from alongside.api import validation_errors
from mentoring.access import (
    PAIR,
    RelationshipAccess,
    Viewer,
    relationship_for_api,
)
from mentoring.models import CheckIn, Concern
from mentoring.safety import someone_will_be_in_touch
from mentoring.selectors_staff import concerns_visible_to, due_check_ins
from mentoring.serializers_staff import (
    CheckInAddSerializer,
    CheckInRecordSerializer,
    CheckInSerializer,
    ConcernRaiseSerializer,
    ConcernResolveSerializer,
    DueCheckInSerializer,
    OwnConcernSerializer,
    RaisedConcernSerializer,
    RematchedSerializer,
    RematchSerializer,
    StaffConcernSerializer,
)
from mentoring.services.checkins import check_in_add, check_in_record
from mentoring.services.concerns import concern_raise, concern_resolve, relationship_rematch
from mentors.api import FiftyPerPage

STAFF_ONLY = (Viewer.STAFF,)
_REFUSED = OpenApiResponse(
    description="Something sent is not right, or the change cannot be made now (for example "
    "someone saved a newer version, or the relationship has ended)."
)
_NOT_YOURS = OpenApiResponse(description="No such relationship or record, or not yours to see.")


def _refused(error: DjangoValidationError) -> Response:
    return Response(validation_errors(error), status=status.HTTP_400_BAD_REQUEST)


class RelationshipEndpoint(APIView):
    """An endpoint under /relationships/{id}/: opens the relationship through the one access
    rule, as the pages do."""

    permission_classes = [IsAuthenticated]

    def caller(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user

    def open(self, pk: int, allow: tuple[Viewer, ...] = STAFF_ONLY) -> RelationshipAccess:
        return relationship_for_api(self.request, pk, allow=allow)


class DueCheckInsView(generics.ListAPIView[CheckIn]):
    permission_classes = [IsAuthenticated, HasRole]
    serializer_class = DueCheckInSerializer
    pagination_class = FiftyPerPage

    @extend_schema(
        summary="Check-ins due across the organisation",
        description="Every coordinator check-in still to do, soonest first (so overdue ones "
        "first). Coordinators and admins only.",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[CheckIn]:
        if getattr(self, "swagger_fake_view", False):
            return CheckIn.objects.none()
        membership = api_membership(self.request)
        assert membership is not None
        return due_check_ins(membership.organisation)


class RelationshipCheckInsView(RelationshipEndpoint):
    @extend_schema(
        summary="A relationship's check-ins",
        description="The schedule of check-ins with the mentor and the mentee, done and due, "
        "with the notes of those done. Coordinators and admins only.",
        responses={200: CheckInSerializer(many=True), 404: _NOT_YOURS},
    )
    def get(self, request: Request, pk: int) -> Response:
        access = self.open(pk)
        check_ins = access.relationship.check_ins.order_by("due_on", "pk")
        return Response(CheckInSerializer(check_ins, many=True).data)

    @extend_schema(
        summary="Record an extra check-in",
        description="For a conversation with the mentor or the mentee outside the schedule. "
        "Sending the same client_key again returns the first record.",
        request=CheckInAddSerializer,
        responses={201: CheckInSerializer, 400: _REFUSED, 404: _NOT_YOURS},
    )
    def post(self, request: Request, pk: int) -> Response:
        access = self.open(pk)
        body = CheckInAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            check_in = check_in_add(
                actor=self.caller(),
                relationship=access.relationship,
                person=data["person"],
                client_key=data.get("client_key", ""),
                method=data["method"],
                how_it_is_going=data["how_it_is_going"],
                concerns=data.get("concerns", ""),
                actions=data.get("actions", ""),
            )
        except DjangoValidationError as error:
            return _refused(error)
        return Response(CheckInSerializer(check_in).data, status=status.HTTP_201_CREATED)


class RelationshipCheckInView(RelationshipEndpoint):
    def _check_in(self, pk: int, check_in_pk: int) -> CheckIn:
        access = self.open(pk)
        return get_object_or_404(CheckIn, pk=check_in_pk, relationship=access.relationship)

    @extend_schema(
        summary="One check-in",
        responses={200: CheckInSerializer, 404: _NOT_YOURS},
    )
    def get(self, request: Request, pk: int, check_in_pk: int) -> Response:
        return Response(CheckInSerializer(self._check_in(pk, check_in_pk)).data)

    @extend_schema(
        operation_id="relationships_check_in_record",
        summary="Record a check-in, or change its notes",
        description="Recording a regular check-in schedules the next one. Send the version you "
        "last read: if someone saved since, the save is refused (400, key 'version').",
        request=CheckInRecordSerializer,
        responses={200: CheckInSerializer, 400: _REFUSED, 404: _NOT_YOURS},
    )
    def post(self, request: Request, pk: int, check_in_pk: int) -> Response:
        check_in = self._check_in(pk, check_in_pk)
        body = CheckInRecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            check_in = check_in_record(
                actor=self.caller(),
                check_in=check_in,
                method=data["method"],
                how_it_is_going=data["how_it_is_going"],
                concerns=data.get("concerns", ""),
                actions=data.get("actions", ""),
                version=data.get("version"),
            )
        except DjangoValidationError as error:
            return _refused(error)
        return Response(CheckInSerializer(check_in).data)


class ConcernsView(RelationshipEndpoint):
    @extend_schema(
        summary="Concerns raised in a relationship",
        description="Coordinators and admins see every concern. The mentor and the mentee see "
        "only the ones they raised themselves, without the coordinator's note.",
        responses={200: StaffConcernSerializer(many=True), 404: _NOT_YOURS},
    )
    def get(self, request: Request, pk: int) -> Response:
        access = self.open(pk, allow=(*PAIR, Viewer.STAFF))
        concerns = concerns_visible_to(access)
        serializer = StaffConcernSerializer if access.is_staff else OwnConcernSerializer
        return Response(serializer(concerns, many=True).data)

    @extend_schema(
        summary="Raise a concern privately with the coordinator",
        description="For the mentor or the mentee while the relationship has not ended. The "
        "other person never sees it. Coordinators get an email that says only that something "
        "was raised. Sending the same client_key again returns the first concern (200).",
        request=ConcernRaiseSerializer,
        responses={
            201: RaisedConcernSerializer,
            200: RaisedConcernSerializer,
            400: _REFUSED,
            404: _NOT_YOURS,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        access = self.open(pk, allow=PAIR)
        body = ConcernRaiseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            raised = concern_raise(
                actor=self.caller(),
                relationship=access.relationship,
                topic=data["topic"],
                request=data["request"],
                details=data["details"],
                client_key=data.get("client_key", ""),
            )
        except DjangoValidationError as error:
            return _refused(error)
        return Response(
            RaisedConcernSerializer(
                raised.concern,
                context={
                    "possible_risk": raised.possible_risk,
                    "someone_will_be_in_touch": someone_will_be_in_touch(
                        raised.serious, access.user, access.relationship
                    ),
                },
            ).data,
            status=status.HTTP_201_CREATED if raised.created else status.HTTP_200_OK,
        )


class ConcernResolveView(RelationshipEndpoint):
    @extend_schema(
        summary="Record the outcome of a concern",
        description="Resolves the concern. A rematch is recorded by the rematch endpoint, which "
        "resolves open requests for a rematch itself.",
        request=ConcernResolveSerializer,
        responses={200: StaffConcernSerializer, 400: _REFUSED, 404: _NOT_YOURS},
    )
    def post(self, request: Request, pk: int, concern_pk: int) -> Response:
        access = self.open(pk)
        concern = get_object_or_404(Concern, pk=concern_pk, relationship=access.relationship)
        body = ConcernResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            concern = concern_resolve(
                actor=self.caller(),
                concern=concern,
                outcome=body.validated_data["outcome"],
                note=body.validated_data.get("note", ""),
            )
        except DjangoValidationError as error:
            return _refused(error)
        return Response(StaffConcernSerializer(concern).data)


class RematchView(RelationshipEndpoint):
    @extend_schema(
        summary="Rematch: end the relationship and put the mentee back at the top of the list",
        description="Ends the relationship with the reason 'rematch', resolves open requests for "
        "a rematch, and puts the mentee's referral back on the waiting list, first after anyone "
        "urgent.",
        request=RematchSerializer,
        responses={200: RematchedSerializer, 400: _REFUSED, 404: _NOT_YOURS},
    )
    def post(self, request: Request, pk: int) -> Response:
        access = self.open(pk)
        body = RematchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            relationship = relationship_rematch(
                actor=self.caller(),
                relationship=access.relationship,
                note=body.validated_data.get("note", ""),
            )
        except DjangoValidationError as error:
            return _refused(error)
        relationship.referral.refresh_from_db()
        return Response(
            RematchedSerializer(
                {
                    "relationship": relationship.pk,
                    "status": relationship.status,
                    "end_reason": relationship.end_reason,
                    "referral_status": relationship.referral.status,
                }
            ).data
        )


urlpatterns = [
    path("mentoring/check-ins/", DueCheckInsView.as_view(), name="mentoring-check-ins"),
    path(
        "relationships/<int:pk>/check-ins/",
        RelationshipCheckInsView.as_view(),
        name="relationship-check-ins",
    ),
    path(
        "relationships/<int:pk>/check-ins/<int:check_in_pk>/",
        RelationshipCheckInView.as_view(),
        name="relationship-check-in",
    ),
    path(
        "relationships/<int:pk>/concerns/",
        ConcernsView.as_view(),
        name="relationship-concerns",
    ),
    path(
        "relationships/<int:pk>/concerns/<int:concern_pk>/resolve/",
        ConcernResolveView.as_view(),
        name="relationship-concern-resolve",
    ),
    path("relationships/<int:pk>/rematch/", RematchView.as_view(), name="relationship-rematch"),
]
