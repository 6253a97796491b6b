"""Read-only API for mentors and applications, with the same access rules as the pages:
anyone outside them gets a 404, as on the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import STAFF_ROLES, HasRole, api_membership
from accounts.models import Organisation, Role
from mentors.models import MentorApplication, MentorProfile
from mentors.selectors import applications_for_staff, certified_available_profiles
from mentors.serializers import (
    MentorApplicationSerializer,
    MentorSerializer,
    TrainingProgressSerializer,
)
from mentors.services.training import training_progress


class FiftyPerPage(PageNumberPagination):
    page_size = 50


def _organisation(request: Request) -> Organisation | None:
    membership = api_membership(request)
    return membership.organisation if membership is not None else None


@extend_schema_view(
    list=extend_schema(
        summary="Mentors in the directory",
        description="Certified mentors taking new mentees, with their public profile only. "
        "For mentees, coordinators and administrators.",
    ),
    retrieve=extend_schema(summary="One mentor in the directory"),
)
class MentorViewSet(viewsets.ReadOnlyModelViewSet[MentorProfile]):
    serializer_class = MentorSerializer
    permission_classes = [IsAuthenticated, HasRole.of(Role.MENTEE, *STAFF_ROLES)]
    pagination_class = FiftyPerPage
    queryset = MentorProfile.objects.none()  # tells the schema the model; see get_queryset

    def get_queryset(self) -> QuerySet[MentorProfile]:
        organisation = _organisation(self.request)
        if getattr(self, "swagger_fake_view", False) or organisation is None:
            return MentorProfile.objects.none()
        return certified_available_profiles(organisation)


@extend_schema_view(
    list=extend_schema(
        summary="Mentor applications",
        description="Sent applications of your organisation (drafts stay private), oldest at "
        "their stage first. For coordinators and administrators.",
    ),
    retrieve=extend_schema(summary="One mentor application"),
)
class MentorApplicationViewSet(viewsets.ReadOnlyModelViewSet[MentorApplication]):
    serializer_class = MentorApplicationSerializer
    permission_classes = [IsAuthenticated, HasRole.of(*STAFF_ROLES)]
    pagination_class = FiftyPerPage
    queryset = MentorApplication.objects.none()

    def get_queryset(self) -> QuerySet[MentorApplication]:
        organisation = _organisation(self.request)
        if getattr(self, "swagger_fake_view", False) or organisation is None:
            return MentorApplication.objects.none()
        return applications_for_staff(organisation).prefetch_related(
            "lived_experience_areas", "languages"
        )

    @extend_schema(
        summary="Training progress of one application",
        responses=TrainingProgressSerializer,
    )
    @action(detail=True, methods=["get"], url_path="training", pagination_class=None)
    def training(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        application = self.get_object()
        data = {"application": application.pk, "progress": training_progress(application)}
        return Response(TrainingProgressSerializer(data).data)
