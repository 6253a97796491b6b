"""Match offers for the people they are offered to: a mentor sees and answers the matches sent to
them; a mentee sees and answers a match once the mentor has said yes. Same services and
selectors as the pages; anyone else gets a 404, as on the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.access import HasRole, api_membership
from accounts.models import Membership, Role, User
from alongside.api import validation_errors
from matching.dashboard import (
    OfferForMentee,
    OfferForMentor,
    current_mentee_count,
    mentee_offers_queryset,
    mentor_offers_queryset,
    offer_for_mentee,
    offer_for_mentor,
)
from matching.models import MatchProposal
from matching.serializers_people import (
    DeclineSerializer,
    MenteeOfferSerializer,
    MentorOfferSerializer,
)
from matching.services.responses import proposal_mentee_respond, proposal_mentor_respond
from mentors.api import FiftyPerPage
from mentors.selectors import profile_for

_OFFER = PolymorphicProxySerializer(
    component_name="MatchOffer",
    serializers=[MentorOfferSerializer, MenteeOfferSerializer],
    resource_type_field_name=None,
)
_ANSWERED = {
    200: OpenApiResponse(_OFFER, description="The offer after your answer."),
    400: OpenApiResponse(
        description="The offer cannot be answered (for example it has expired or was already "
        "answered differently), or a field is wrong."
    ),
}


@extend_schema_view(
    list=extend_schema(
        summary="Your match offers",
        description="For a mentor: the matches a coordinator sent you, the one waiting for your "
        "answer first. For a mentee: the matches whose mentor has said yes, the one waiting for "
        "your answer first. Neither shows the other person's contact details.",
        responses=_OFFER,
    ),
    retrieve=extend_schema(summary="One match offer", responses=_OFFER),
)
class MatchOfferViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[MatchProposal],
):
    permission_classes = [IsAuthenticated, HasRole.of(Role.MENTOR, Role.MENTEE)]
    pagination_class = FiftyPerPage
    queryset = MatchProposal.objects.none()  # tells the schema the model; see get_queryset
    lookup_value_regex = r"[0-9]+"
    parser_classes = [JSONParser]

    def membership(self) -> Membership:
        if not hasattr(self, "_membership"):
            membership = api_membership(self.request)
            assert membership is not None
            self._membership = membership
        return self._membership

    def caller(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user

    def is_mentor(self) -> bool:
        return self.membership().role == Role.MENTOR

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "decline" and self.request.method == "POST":
            return DeclineSerializer
        if getattr(self, "swagger_fake_view", False) or not self.is_mentor():
            return MenteeOfferSerializer
        return MentorOfferSerializer

    def get_queryset(self) -> QuerySet[MatchProposal]:
        if getattr(self, "swagger_fake_view", False):
            return MatchProposal.objects.none()
        organisation = self.membership().organisation
        if self.is_mentor():
            return mentor_offers_queryset(self.caller(), organisation)
        return mentee_offers_queryset(self.caller(), organisation)

    def get_object(self) -> MatchProposal:
        proposal = self.get_queryset().filter(pk=int(self.kwargs["pk"])).first()
        if proposal is None:
            raise Http404
        return proposal

    def _present(self, proposals: list[MatchProposal]) -> list[OfferForMentor | OfferForMentee]:
        if not self.is_mentor():
            return [offer_for_mentee(proposal) for proposal in proposals]
        profile = profile_for(self.caller(), self.membership().organisation)
        load = current_mentee_count(profile) if profile is not None else 0
        return [offer_for_mentor(proposal, current_mentees=load) for proposal in proposals]

    def _offer_data(self, proposal: MatchProposal) -> dict[str, Any]:
        offer = self._present([proposal])[0]
        serializer_class = MentorOfferSerializer if self.is_mentor() else MenteeOfferSerializer
        return dict(serializer_class(offer).data)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        serializer = self.get_serializer(self._present(list(page)), many=True)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._offer_data(self.get_object()))

    def _answer(self, proposal: MatchProposal, *, accept: bool, reason: str = "") -> Response:
        respond = proposal_mentor_respond if self.is_mentor() else proposal_mentee_respond
        try:
            respond(actor=self.caller(), proposal=proposal, accept=accept, reason=reason)
        except DjangoValidationError as error:
            return Response(validation_errors(error), status=status.HTTP_400_BAD_REQUEST)
        return Response(self._offer_data(self.get_object()))

    @extend_schema(
        summary="Say yes to a match",
        description="A mentor's yes passes the match to the mentee; a mentee's yes confirms it, "
        "and the coordinator arranges an introduction. Saying yes twice changes nothing.",
        request=None,
        responses=_ANSWERED,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(self.get_object(), accept=True)

    @extend_schema(
        summary="Say no to a match",
        description="The person waiting keeps their place on the waiting list and this pair is "
        "not proposed again. A mentor gives a short reason for the coordinator; a mentee does "
        "not have to.",
        request=DeclineSerializer,
        responses=_ANSWERED,
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        body = DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(proposal, accept=False, reason=body.validated_data.get("reason", ""))


router = SimpleRouter()
router.register("match-offers", MatchOfferViewSet, basename="match-offer")

urlpatterns = router.urls
