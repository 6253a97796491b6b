"""API plumbing shared by every app: the root and staff-only documentation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.views import APIView


class ApiRootView(APIView):
    """What the API offers; every endpoint needs a session or a token."""

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        return Response(
            {
                "me": reverse("api:me", request=request),
                "mentors": reverse("api:mentor-list", request=request),
                "mentor-applications": reverse("api:mentor-application-list", request=request),
                "referrals": reverse("api:referral-list", request=request),
                "measure-requests": reverse("api:measure_requests", request=request),
                "measure-responses": reverse("api:measure_responses", request=request),
                "instruments": reverse("api:measure_instruments", request=request),
                "safeguarding-alerts": reverse("api:safeguarding-alert-list", request=request),
                "schema": reverse("api:schema", request=request),
            }
        )


def _is_staff(request: HttpRequest) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and membership.is_staff_role


class StaffSwaggerView(SpectacularSwaggerSplitView):
    """Interactive API documentation for signed-in staff; everyone else gets a 404."""

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if not _is_staff(request._request):
            raise Http404
        return super().get(request, *args, **kwargs)


def validation_errors(
    error: DjangoValidationError, rename: Mapping[str, str] | None = None
) -> dict[str, list[str]]:
    """A service's ValidationError as an API error body: field keys where the service named the
    field (``rename`` maps a service's field name to the API's), else the non-field key."""
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: list(error.messages)}
    rename = rename or {}
    return {
        rename.get(field, field): list(problems) for field, problems in error.message_dict.items()
    }
