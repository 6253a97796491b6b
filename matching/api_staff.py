"""The coordinators' matching API: start a run and follow it, review the proposals it made
(approve, reject, undo), and ask for the best mentors for one person. The same services and
scoped selectors as the pages; anyone but this organisation's coordinators and administrators
gets a 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts.access import STAFF_ROLES, HasRole, api_membership
from accounts.models import Organisation, User
from matching.models import MatchProposal, MatchRun, ProposalStatus
from matching.selectors import get_proposal_for_staff, get_run_for_staff, proposals_for_staff
from matching.serializers_staff import (
    MatchProposalSerializer,
    MatchRunSerializer,
    MatchRunStartedSerializer,
    RejectSerializer,
    SuggestionSerializer,
)
from matching.services.proposals import (
    proposal_approve,
    proposal_reject,
    proposal_undo,
    suggestions_for,
)
from matching.services.runs import match_run_start
from mentors.api import FiftyPerPage
from referrals.selectors import get_referral_for_staff

STAFF_ONLY: list[type[BasePermission]] = [IsAuthenticated, HasRole.of(*STAFF_ROLES)]
_REFUSED = OpenApiResponse(description="Refused, with the reason under `non_field_errors`.")


def _organisation(request: Request) -> Organisation:
    membership = api_membership(request)
    assert membership is not None  # the permission let the caller in
    return membership.organisation


def _caller(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refused(error: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(error.message_dict)
    return serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: list(error.messages)})


@extend_schema_view(
    list=extend_schema(
        summary="Matching runs",
        description="This organisation's matching runs, newest first, with progress and, when "
        "finished, counts and who could not be matched (referral id and reason).",
    ),
    retrieve=extend_schema(
        summary="One matching run",
        description="Poll this while `status` is `queued` or `running`; `progress` is a "
        "percentage.",
    ),
    create=extend_schema(
        summary="Start a matching run",
        description="Finds matches for everyone waiting, in the background. Returns 202 with the "
        "run's id and the URL to poll. Earlier runs' proposals nobody has acted on are replaced "
        "when the run starts working. Only one run at a time: 409 while one is under way.",
        request=None,
        responses={
            202: OpenApiResponse(MatchRunStartedSerializer, description="Run queued."),
            409: OpenApiResponse(description="A run is already under way."),
        },
    ),
)
class MatchRunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[MatchRun],
):
    permission_classes = STAFF_ONLY
    serializer_class = MatchRunSerializer
    pagination_class = FiftyPerPage
    queryset = MatchRun.objects.none()  # tells the schema the model; see get_queryset
    lookup_value_regex = r"[0-9]+"
    parser_classes = [JSONParser]

    def get_queryset(self) -> QuerySet[MatchRun]:
        if getattr(self, "swagger_fake_view", False):
            return MatchRun.objects.none()
        return MatchRun.objects.filter(organisation=_organisation(self.request)).order_by(
            "-created_at", "-pk"
        )

    def get_object(self) -> MatchRun:
        return get_run_for_staff(_organisation(self.request), int(self.kwargs["pk"]))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            run = match_run_start(
                actor=_caller(self.request), organisation=_organisation(self.request)
            )
        except DjangoValidationError as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_409_CONFLICT)
        data = MatchRunStartedSerializer(run, context={"request": request}).data
        return Response(
            data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["status_url"]}
        )


_STATUS_FILTER = OpenApiParameter(
    name="status",
    type=str,
    enum=list(ProposalStatus.values),
    required=False,
    description="Only proposals with this status, e.g. `proposed` for those to review.",
)


@extend_schema_view(
    list=extend_schema(
        summary="Proposed matches",
        description="This organisation's proposed matches, best score first: the mentee's "
        "referral id, the mentor's id and display name, the score and the reasons. No names or "
        "contact details of the people waiting.",
        parameters=[_STATUS_FILTER],
    ),
    retrieve=extend_schema(summary="One proposed match"),
)
class MatchProposalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[MatchProposal],
):
    permission_classes = STAFF_ONLY
    serializer_class = MatchProposalSerializer
    pagination_class = FiftyPerPage
    queryset = MatchProposal.objects.none()
    lookup_value_regex = r"[0-9]+"
    parser_classes = [JSONParser]

    def get_queryset(self) -> QuerySet[MatchProposal]:
        if getattr(self, "swagger_fake_view", False):
            return MatchProposal.objects.none()
        proposals = proposals_for_staff(_organisation(self.request)).defer(
            "decline_reason", "referral__hopes", "referral__closed_reason"
        )
        wanted = self.request.query_params.get("status", "")
        if wanted:
            if wanted not in ProposalStatus.values:
                raise serializers.ValidationError({"status": [f"Unknown status {wanted!r}."]})
            proposals = proposals.filter(status=wanted)
        return proposals.order_by("-score", "pk")

    def get_object(self) -> MatchProposal:
        return get_proposal_for_staff(_organisation(self.request), int(self.kwargs["pk"]))

    def _answer(self, proposal: MatchProposal) -> Response:
        proposal = get_proposal_for_staff(_organisation(self.request), proposal.pk)
        return Response(MatchProposalSerializer(proposal).data)

    @extend_schema(
        summary="Approve a proposed match",
        description="Offers the match to the mentor, who is emailed a link (the email says "
        "nothing about the mentee) and has the programme's set number of days to answer. "
        "Approving twice changes nothing.",
        request=None,
        responses={200: MatchProposalSerializer, 400: _REFUSED},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        try:
            proposal = proposal_approve(actor=_caller(self.request), proposal=self.get_object())
        except DjangoValidationError as error:
            raise _refused(error) from error
        return self._answer(proposal)

    @extend_schema(
        summary="Reject a proposed match",
        description="With a reason, for the record. The pair is not proposed again.",
        request=RejectSerializer,
        responses={200: MatchProposalSerializer, 400: _REFUSED},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        proposal = self.get_object()
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            proposal = proposal_reject(
                actor=_caller(self.request), proposal=proposal, reason=body.validated_data["reason"]
            )
        except DjangoValidationError as error:
            raise _refused(error) from error
        return self._answer(proposal)

    @extend_schema(
        summary="Undo a match",
        description="Calls a match off before the mentoring starts (up to the introduction). "
        "The mentee goes back on the waiting list in the same place; anyone already told is "
        "emailed that it will not go ahead.",
        request=None,
        responses={200: MatchProposalSerializer, 400: _REFUSED},
    )
    @action(detail=True, methods=["post"])
    def undo(self, request: Request, pk: str) -> Response:
        try:
            proposal = proposal_undo(actor=_caller(self.request), proposal=self.get_object())
        except DjangoValidationError as error:
            raise _refused(error) from error
        return self._answer(proposal)


class MenteeSuggestionsView(APIView):
    permission_classes = STAFF_ONLY

    @extend_schema(
        summary="The best mentors for one mentee",
        description="Up to five mentors with a place who could be matched with this referral's "
        "person now, best first, each with a score and reasons. Propose one on the matching "
        "pages.",
        parameters=[
            OpenApiParameter(
                "referral_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Referral id."
            )
        ],
        responses={200: SuggestionSerializer(many=True)},
    )
    def get(self, request: Request, referral_id: int) -> Response:
        referral = get_referral_for_staff(_organisation(self.request), referral_id)
        return Response(SuggestionSerializer(suggestions_for(referral), many=True).data)


router = SimpleRouter()
router.register("match-runs", MatchRunViewSet, basename="match-run")
router.register("match-proposals", MatchProposalViewSet, basename="match-proposal")

urlpatterns = [
    *router.urls,
    path(
        "mentees/<int:referral_id>/suggestions/",
        MenteeSuggestionsView.as_view(),
        name="mentee-suggestions",
    ),
]
