"""What the OpenAPI schema must say beyond what drf-spectacular infers on its own.

- Fields a serializer shows only to some viewers (a mentor's private notes, a coordinator's
  note on a concern) are not "required": serializers list them in ``viewer_dependent_fields``.
- A response whose shape depends on the caller (a referrer's status view or a coordinator's
  triage view of the same referral) matches *any* of its shapes: the staff shape is a superset
  of the other, so "exactly one of" (``oneOf``) would reject every staff answer.
- The error answers every operation can give (below).

drf-spectacular documents what a view returns on success and the errors a view declares, but
not the answers the framework gives before or around the view: 401 without credentials, 403
when a session call lacks its CSRF token, 404 for records that are not the caller's (refusals
are 404s so existence does not leak) and for a page number past the end, and 429 when
throttled. Partner systems (and schemathesis in CI) need those in the schema too.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema

_METHODS = {"get", "put", "post", "patch", "delete"}
_ERROR_SCHEMA_NAME = "ErrorDetail"
_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_COMMON_ERRORS = {
    "401": "No session and no valid token.",
    "403": "Refused, for example a session call without its CSRF token.",
    "404": "Not found, or not the caller's to see; also a page number past the last page.",
    "429": "Too many requests; try again later.",
}


class AlongsideAutoSchema(AutoSchema):
    """drf-spectacular's schema, with ``viewer_dependent_fields`` left out of ``required``."""

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        result: dict[str, Any] = super()._map_basic_serializer(serializer, direction)
        optional = set(getattr(serializer, "viewer_dependent_fields", ()))
        if optional and "required" in result:
            result["required"] = [name for name in result["required"] if name not in optional]
            if not result["required"]:
                del result["required"]
        return result


def caller_dependent_shapes_match_any(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: ``oneOf`` without a discriminator becomes ``anyOf``
    (see the module docstring)."""
    for component in result.get("components", {}).get("schemas", {}).values():
        if "oneOf" in component and "discriminator" not in component:
            component["anyOf"] = component.pop("oneOf")
    return result


def declare_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: add the common errors where a view did not."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(_ERROR_SCHEMA_NAME, _ERROR_SCHEMA)
    error_body = {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{_ERROR_SCHEMA_NAME}"}}
    }
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in _COMMON_ERRORS.items():
                responses.setdefault(status, {"content": error_body, "description": description})
    return result
