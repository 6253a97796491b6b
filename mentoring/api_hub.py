"""Relationships, their agreement and strength notes through the API: the same access rules,
services and words as the pages. Someone else's relationship is a 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import STAFF_ROLES, HasRole, api_membership
from accounts.models import Membership, Role, User
from alongside.api import validation_errors
from mentoring.access import (
    PAIR,
    RelationshipAccess,
    Viewer,
    mentee_name,
    relationship_for_api,
    relationships_for,
)
from mentoring.models import Agreement, Relationship
from mentoring.selectors import current_agreement, next_session, unread_messages
from mentoring.serializers_hub import (
    AcknowledgeSerializer,
    AgreementSerializer,
    AgreementWriteSerializer,
    RelationshipDetailSerializer,
    RelationshipSerializer,
    StrengthSerializer,
    StrengthWriteSerializer,
)
from mentoring.services.agreements import agreement_acknowledge, agreement_save
from mentoring.services.strengths import strength_add
from mentoring.views.hub import viewer_for_role, with_hub_counts
from mentors.api import FiftyPerPage

READERS = (Viewer.MENTOR, Viewer.MENTEE, Viewer.STAFF)
ROLES = (Role.MENTOR, Role.MENTEE, Role.SUPERVISOR, *STAFF_ROLES)


class _RelationshipView(APIView):
    permission_classes = [IsAuthenticated, HasRole.of(*ROLES)]
    parser_classes = [JSONParser]

    def membership(self) -> Membership:
        membership = api_membership(self.request)
        if membership is None:
            raise Http404
        return membership

    def caller(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user

    def open(self, pk: int, allow: tuple[Viewer, ...]) -> RelationshipAccess:
        return relationship_for_api(self.request, pk, allow=allow)

    def open_to_write(self, pk: int, allow: tuple[Viewer, ...] = PAIR) -> RelationshipAccess:
        """Only the pair change things, and only until the relationship has ended."""
        access = self.open(pk, allow)
        if not access.pair_can_write:
            raise Http404
        return access


def _relationship_data(
    relationship: Relationship,
    viewer: Viewer,
    *,
    next_session_at: Any,
    unread: int | None,
) -> dict[str, Any]:
    return {
        "id": relationship.pk,
        "status": relationship.status,
        "mentor_name": relationship.mentor.display_name,
        "mentee_name": mentee_name(relationship),
        "started_at": relationship.started_at,
        "activated_at": relationship.activated_at,
        "planned_end_on": relationship.planned_end_on,
        "planned_sessions": relationship.planned_sessions,
        "next_session_at": next_session_at,
        "unread_messages": unread if viewer in PAIR else None,
        "your_role": viewer.value,
    }


class RelationshipList(_RelationshipView):
    pagination_class = FiftyPerPage

    @extend_schema(
        summary="Your mentoring relationships",
        description="For a mentor: the people you mentor now. For a mentee: your mentoring, "
        "including any that has ended. For a supervisor: relationships of the mentors you "
        "supervise. For coordinators and administrators: every relationship in the "
        "organisation. Newest first, fifty to a page.",
        responses=RelationshipSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        membership = self.membership()
        user = self.caller()
        viewer = viewer_for_role(membership.role)
        rows: QuerySet[Relationship] = with_hub_counts(
            relationships_for(user, membership), user
        ).order_by("-started_at", "-pk")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        assert page is not None
        data = [
            _relationship_data(
                relationship,
                viewer,
                next_session_at=getattr(relationship, "next_session_at", None),
                unread=getattr(relationship, "unread", 0),
            )
            for relationship in page
        ]
        return paginator.get_paginated_response(RelationshipSerializer(data, many=True).data)


def _agreement_summary(agreement: Agreement | None) -> dict[str, Any] | None:
    if agreement is None:
        return None
    return {
        "version": agreement.version,
        "agreed": agreement.is_acknowledged,
        "mentor_acknowledged_at": agreement.mentor_acknowledged_at,
        "mentee_acknowledged_at": agreement.mentee_acknowledged_at,
    }


class RelationshipDetail(_RelationshipView):
    @extend_schema(
        summary="One mentoring relationship",
        description="Where it is, what comes next and the state of the agreement.",
        responses=RelationshipDetailSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        access = self.open(pk, (Viewer.MENTOR, Viewer.MENTEE, Viewer.SUPERVISOR, Viewer.STAFF))
        relationship = access.relationship
        upcoming = next_session(relationship)
        data = _relationship_data(
            relationship,
            access.viewer,
            next_session_at=upcoming.scheduled_for if upcoming is not None else None,
            unread=unread_messages(relationship, access.user.pk) if access.viewer in PAIR else None,
        )
        data["agreement"] = _agreement_summary(current_agreement(relationship))
        return Response(RelationshipDetailSerializer(data).data)


class AgreementView(_RelationshipView):
    @extend_schema(
        summary="The current agreement",
        description="The newest version of the pair's agreement, with who has acknowledged it. "
        "404 if they have not made one yet. For the mentor, the mentee and staff.",
        responses={200: AgreementSerializer, 404: OpenApiResponse(description="No agreement.")},
    )
    def get(self, request: Request, pk: int) -> Response:
        access = self.open(pk, READERS)
        agreement = current_agreement(access.relationship)
        if agreement is None:
            raise Http404
        return Response(AgreementSerializer(agreement).data)

    @extend_schema(
        summary="Save a new version of the agreement",
        description="For the mentor or the mentee, until the relationship ends. Send the "
        "version you based it on in `based_on_version` (0 for the first). Your "
        "acknowledgement is recorded on the new version and the other person is asked to "
        "read it. If someone saved a newer version meanwhile, the answer is 409 with the "
        "latest version in `latest`; nothing is saved. Sending the same version twice within "
        "a minute makes one version.",
        request=AgreementWriteSerializer,
        responses={
            201: AgreementSerializer,
            200: OpenApiResponse(
                AgreementSerializer,
                description="Nothing new was saved: the same save was sent twice, or nothing "
                "changed.",
            ),
            400: OpenApiResponse(description="A field is wrong; the errors say which."),
            409: OpenApiResponse(description="The agreement changed since you read it."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        access = self.open_to_write(pk)
        body = AgreementWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            saved = agreement_save(
                actor=access.user,
                relationship=access.relationship,
                terms=body.terms(),
                based_on_version=body.validated_data["based_on_version"],
                change_note=body.validated_data["change_note"],
            )
        except DjangoValidationError as error:
            errors = validation_errors(error)
            if "version" in errors:
                latest = current_agreement(access.relationship)
                return Response(
                    {
                        "based_on_version": errors.pop("version", []),
                        "latest": AgreementSerializer(latest).data if latest else None,
                    },
                    status=status.HTTP_409_CONFLICT,
                )
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            AgreementSerializer(saved.agreement).data,
            status=status.HTTP_201_CREATED if saved.created else status.HTTP_200_OK,
        )


class AgreementAcknowledge(_RelationshipView):
    @extend_schema(
        summary="Acknowledge the agreement",
        description="Say you have read the current version and agree. Acknowledging twice "
        "changes nothing. When both people have acknowledged their first agreement, the "
        "mentoring starts. If the version you send is not the current one, the answer is 409 "
        "with the latest version.",
        request=AcknowledgeSerializer,
        responses={
            200: AgreementSerializer,
            400: OpenApiResponse(description="There is no agreement yet, or a field is wrong."),
            409: OpenApiResponse(description="The agreement changed since you read it."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        access = self.open_to_write(pk)
        body = AcknowledgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            agreement = agreement_acknowledge(
                actor=access.user,
                relationship=access.relationship,
                version=body.validated_data["version"],
            )
        except DjangoValidationError as error:
            errors = validation_errors(error)
            if "version" in errors:
                latest = current_agreement(access.relationship)
                return Response(
                    {
                        "version": errors["version"],
                        "latest": AgreementSerializer(latest).data if latest else None,
                    },
                    status=status.HTTP_409_CONFLICT,
                )
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        return Response(AgreementSerializer(agreement).data)


class StrengthsView(_RelationshipView):
    @extend_schema(
        summary="Strength notes",
        description="Notes the mentor wrote about strengths they see in the mentee, newest "
        "first. Only the mentor and the mentee see them; the mentee keeps them after the "
        "mentoring ends.",
        responses=StrengthSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        access = self.open(pk, PAIR)
        notes = access.relationship.strengths.order_by("-written_at", "-pk")
        return Response(StrengthSerializer(notes, many=True).data)

    @extend_schema(
        summary="Write a strength note",
        description="For the mentor, until the relationship ends. The same `client_key` sent "
        "twice returns the first note (200) instead of making a second.",
        request=StrengthWriteSerializer,
        responses={
            201: StrengthSerializer,
            200: OpenApiResponse(StrengthSerializer, description="Sent before: the first note."),
            400: OpenApiResponse(description="A field is wrong; the errors say which."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        access = self.open_to_write(pk, (Viewer.MENTOR,))
        body = StrengthWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            added = strength_add(
                actor=access.user,
                relationship=access.relationship,
                text=body.validated_data["text"],
                client_key=body.validated_data["client_key"],
            )
        except DjangoValidationError as error:
            return Response(validation_errors(error), status=status.HTTP_400_BAD_REQUEST)
        return Response(
            StrengthSerializer(added.note).data,
            status=status.HTTP_201_CREATED if added.created else status.HTTP_200_OK,
        )


urlpatterns = [
    path("relationships/", RelationshipList.as_view(), name="mentoring-relationship-list"),
    path(
        "relationships/<int:pk>/",
        RelationshipDetail.as_view(),
        name="mentoring-relationship-detail",
    ),
    path("relationships/<int:pk>/agreement/", AgreementView.as_view(), name="mentoring-agreement"),
    path(
        "relationships/<int:pk>/agreement/acknowledge/",
        AgreementAcknowledge.as_view(),
        name="mentoring-agreement-acknowledge",
    ),
    path("relationships/<int:pk>/strengths/", StrengthsView.as_view(), name="mentoring-strengths"),
]
