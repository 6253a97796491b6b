"""The referrals API: partner systems refer people and follow their status; coordinators read
their queue. The same service and the same scoped selectors as the pages, so the rules match;
anyone without a role here gets a 404, as on the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings

from accounts.access import STAFF_ROLES, HasRole, api_membership
from accounts.models import Membership, Role, User
from alongside.api import validation_errors
from audit.services import audit_read
from mentors.api import FiftyPerPage
from referrals.models import Referral
from referrals.selectors import (
    get_referral_for_referrer,
    get_referral_for_staff,
    referrals_for_staff,
    referrals_made_by,
    urgent_first,
)
from referrals.serializers import (
    ReferralCreateSerializer,
    ReferralReceiptSerializer,
    ReferralStatusSerializer,
    ReferralTriageDetailSerializer,
    ReferralTriageSerializer,
)
from referrals.services.creating import referral_create

IDEMPOTENCY_HEADER = "Idempotency-Key"
_KEY_COLUMN_LENGTH = Referral._meta.get_field("idempotency_key").max_length or 100

# Service errors are keyed by the form's field names; the API calls one of them differently.
_API_FIELD_NAMES = {"consent": "consent_confirmed", "__all__": api_settings.NON_FIELD_ERRORS_KEY}


def stored_idempotency_key(user: User, key: str) -> str:
    """Keys are chosen by each partner's system; prefixing the caller keeps two partners who pick
    the same key from ever getting each other's referral."""
    return f"api:{user.pk}:{key}" if key else ""


def _for_caller(referrer: type[Any], staff: type[Any]) -> PolymorphicProxySerializer:
    return PolymorphicProxySerializer(
        component_name=f"{staff.__name__.removesuffix('Serializer')}OrStatus",
        serializers=[referrer, staff],
        resource_type_field_name=None,
    )


_IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name=IDEMPOTENCY_HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Any string your system picks for this referral (a UUID works well); 80 "
    "characters or fewer are always accepted. Sending the same key again returns the first "
    "referral with a 200 and creates nothing, even if the body differs.",
)


@extend_schema_view(
    list=extend_schema(
        summary="Referrals",
        description="For a referrer: the referrals you made in this organisation, newest first, "
        "with their status only. For coordinators and administrators: every referral of the "
        "organisation, urgent first and then oldest, with triage fields but no contact details.",
        responses=_for_caller(ReferralStatusSerializer, ReferralTriageSerializer),
    ),
    retrieve=extend_schema(
        summary="One referral",
        description="A referrer sees the status of a referral they made; coordinators and "
        "administrators also see how to reach the person. Anything else is a 404.",
        responses=_for_caller(ReferralStatusSerializer, ReferralTriageDetailSerializer),
    ),
    create=extend_schema(
        summary="Refer someone",
        description="For referrers. The person must have agreed (`consent_confirmed: true`). "
        "Returns 201 with the new referral's id and status. With an `Idempotency-Key` header, "
        "a repeat of the same key returns 200 with the first referral, unchanged, even if the "
        "body differs; nothing new is created. If the person may not be safe right now, "
        "`urgent` is true, coordinators are told at once, and `crisis_resources` lists the "
        "help to show the person.",
        parameters=[_IDEMPOTENCY_PARAMETER],
        request=ReferralCreateSerializer,
        responses={
            201: OpenApiResponse(ReferralReceiptSerializer, description="Referral made."),
            200: OpenApiResponse(
                ReferralReceiptSerializer,
                description="The same Idempotency-Key was used before: the first referral.",
            ),
            400: OpenApiResponse(description="Field errors, each under the field's name."),
        },
    ),
)
class ReferralViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Referral],
):
    pagination_class = FiftyPerPage
    queryset = Referral.objects.none()  # tells the schema the model; see get_queryset
    lookup_value_regex = r"[0-9]+"
    parser_classes = [JSONParser]

    def get_permissions(self) -> list[BasePermission]:
        """Referrers may send referrals; referrers and staff may read them."""
        roles = (Role.REFERRER,) if self.action == "create" else (Role.REFERRER, *STAFF_ROLES)
        return [IsAuthenticated(), HasRole.of(*roles)()]

    def membership(self) -> Membership:
        """The caller's membership, looked up once per request (the permission let it in)."""
        if not hasattr(self, "_membership"):
            membership = api_membership(self.request)
            assert membership is not None
            self._membership = membership
        return self._membership

    def caller(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user

    def is_referrer(self) -> bool:
        return self.membership().role == Role.REFERRER

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "create":
            return ReferralCreateSerializer
        if getattr(self, "swagger_fake_view", False) or self.is_referrer():
            return ReferralStatusSerializer
        if self.action == "retrieve":
            return ReferralTriageDetailSerializer
        return ReferralTriageSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["organisation"] = self.membership().organisation
        return context

    def get_queryset(self) -> QuerySet[Referral]:
        if getattr(self, "swagger_fake_view", False):
            return Referral.objects.none()
        membership = self.membership()
        if self.is_referrer():
            referrals = referrals_made_by(self.caller(), membership.organisation).order_by(
                "-created_at", "-pk"
            )
        else:
            referrals = (
                referrals_for_staff(membership.organisation)
                .annotate(urgency_rank=urgent_first())
                .order_by("urgency_rank", "created_at", "pk")
            )
        # Lists show none of the encrypted text, so skip decrypting it row by row.
        return referrals.defer("hopes", "closed_reason")

    def get_object(self) -> Referral:
        membership = self.membership()
        pk = int(self.kwargs["pk"])
        if self.is_referrer():
            return get_referral_for_referrer(self.caller(), membership.organisation, pk)
        referral = get_referral_for_staff(membership.organisation, pk)
        audit_read(self.request, "referrals.intake_viewed", referral)
        return referral

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user, organisation = self.caller(), self.membership().organisation
        key = self._idempotency_key(user)
        if key:
            # A repeat gets the first answer whatever its body says, so check before validating.
            earlier = referrals_made_by(user, organisation).filter(idempotency_key=key).first()
            if earlier is not None:
                return self._receipt(earlier, status.HTTP_200_OK)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        consent_given = data.pop("consent_confirmed")
        source = data.pop("source")
        try:
            referral, created, _ = referral_create(
                organisation=organisation,
                data=data,
                source=source,
                referrer=user,
                consent_given=consent_given,
                idempotency_key=key,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(validation_errors(error, _API_FIELD_NAMES)) from error
        return self._receipt(referral, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def _idempotency_key(self, user: User) -> str:
        key = self.request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        stored = stored_idempotency_key(user, key)
        if len(stored) > _KEY_COLUMN_LENGTH:
            room = _KEY_COLUMN_LENGTH - (len(stored) - len(key))
            raise serializers.ValidationError(
                {IDEMPOTENCY_HEADER: [f"Use a key of at most {room} characters."]}
            )
        return stored

    def _receipt(self, referral: Referral, status_code: int) -> Response:
        location = reverse("api:referral-detail", args=[referral.pk], request=self.request)
        return Response(
            ReferralReceiptSerializer(referral).data,
            status=status_code,
            headers={"Location": location},
        )
