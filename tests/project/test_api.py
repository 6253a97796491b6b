import pytest
from django.test import Client

from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke
from audit.models import AuditEvent


@pytest.fixture
def referrer_token(referrer, organisation):
    return api_token_create(actor=None, user=referrer, organisation=organisation, name="GP system")


def test_api_refuses_anonymous_callers_with_401_and_says_how_to_authenticate(client, db):
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_partner_system_authenticates_with_its_token(referrer_token, referrer):
    _, key = referrer_token
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == referrer.email
    assert body["memberships"] == [
        {
            "organisation": "riverside",
            "organisation_name": "Riverside Peer Support",
            "role": "referrer",
        }
    ]


def test_only_a_hash_of_the_token_is_stored(referrer_token):
    token, key = referrer_token
    stored = ApiToken.objects.get(pk=token.pk)
    assert key not in (stored.key_hash, stored.prefix)
    assert stored.prefix == key[:8]
    assert AuditEvent.objects.filter(action="api_token.created", object_id=str(token.pk)).exists()


def test_revoked_token_is_refused(referrer_token):
    token, key = referrer_token
    api_token_revoke(actor=None, token=token)
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_made_up_token_is_refused(db):
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION="Token not-a-real-key")
    assert response.status_code == 401


def test_token_use_is_recorded_without_writing_on_every_call(referrer_token):
    token, key = referrer_token
    client = Client()
    client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    token.refresh_from_db()
    assert token.last_used_at == first_use


def test_schema_is_openapi_3_and_lists_the_endpoints(coordinator, client_for):
    response = client_for(coordinator).get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_swagger_ui_is_served_from_our_own_static_files(coordinator, client_for):
    page = client_for(coordinator).get("/api/v1/docs/").content.decode()
    assert "drf_spectacular_sidecar" in page or "/static/" in page
    assert "cdn" not in page.lower()
    assert "<style>" not in page
