"""Hostile input to every form and every API write: no server error, nothing stored that renders
as markup.

Routes come from the access matrix (tests/security/routes_*.py via ``the_matrix()``), so a new
form is fuzzed as soon as it is in the matrix. For each page that takes a POST, someone allowed
to write opens the page, every field of its ``<form method="post">`` is read, and the form is
sent back filled with hostile values (tests/security/strategies.py): script and image tags, SQL,
control characters, right-to-left and zero-width characters, text of 100,000 characters,
numbers where text belongs, several values where the form expects one. Each answer must be a
real one (a page, a redirect, a validation error, a 404 or 405), never a server error. Then the
page and the redirect target are opened again (the post is not yet rolled back) and must not
contain the script or image tag unescaped.

The JSON API gets the same: every write operation of the OpenAPI schema, a body with every field
of its request schema set to hostile text or to a value of the wrong type, expecting 2xx or 4xx.

Every post runs in a savepoint that is rolled back, so every example meets the same records.
"""

from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.security.matrix import PEOPLE, Route
from tests.security.strategies import (
    IMAGE_ONERROR,
    LIVE_MARKUP,
    SCRIPT,
    SQL,
    hostile_form,
    hostile_json_value,
    hostile_text,
    worst_case_form,
)
from tests.security.test_access_matrix import served_methods, served_routes, the_matrix
from tests.security.test_api_schema import openapi_document

# A real answer: the form again with errors, a redirect, accepted for later (a match run), no
# such record for what was named, or a method the route does not take.
REAL_ANSWERS = {200, 201, 202, 204, 302, 303, 400, 404, 405, 409}
FORM_EXAMPLES = 3
API_EXAMPLES = 4
# Who sends the form when several may: the person the form is most for.
WRITER_ORDER = ("anonymous", "mentee", "mentor", "supervisor", "coordinator", "admin", "referrer")
# Field names tried on routes that only take a POST (their form lives on another page).
GUESSED_FIELDS = ["note", "reason", "text", "status", "outcome", "answer", "version", "confirm"]
FREE_TEXT_INPUTS = {"text", "search", "email", "url", "tel", "password", ""}
SKIPPED_INPUTS = {"file", "image", "reset"}
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}

HYPOTHESIS_SETTINGS = settings(
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


class FormReader(HTMLParser):
    """The fields of every ``<form method="post">`` on a page, with the values a browser would
    send untouched (hidden values, checked boxes, the first or selected option)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            if attributes.get("method", "get").lower() == "post":
                self._form = {"action": attributes.get("action", ""), "defaults": {}, "text": []}
                self.forms.append(self._form)
            return
        form = self._form
        name = attributes.get("name", "")
        if form is None or (not name and tag != "option") or name in SKIPPED_FIELDS:
            return
        defaults: dict[str, Any] = form["defaults"]
        if tag == "input":
            kind = attributes.get("type", "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes or name not in defaults:
                    defaults[name] = attributes.get("value", "on")
            elif kind == "submit":
                defaults.setdefault(name, attributes.get("value", ""))
            else:
                defaults[name] = attributes.get("value", "")
                if kind in FREE_TEXT_INPUTS:
                    form["text"].append(name)
        elif tag == "button" and attributes.get("type", "submit") == "submit":
            defaults.setdefault(name, attributes.get("value", ""))
        elif tag == "textarea":
            defaults[name] = ""
            form["text"].append(name)
        elif tag == "select":
            self._select = name
            defaults.setdefault(name, None)
        elif tag == "option" and self._select:
            value = attributes.get("value", "")
            if defaults.get(self._select) in (None, "") or "selected" in attributes:
                defaults[self._select] = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def form_for(html: str, url: str, *, exact: bool = False) -> dict[str, Any] | None:
    """The post form on ``html`` that sends to ``url`` (or, unless ``exact``, to the page
    itself)."""
    reader = FormReader()
    reader.feed(html)
    targets = (url,) if exact else ("", url)
    for form in reader.forms:
        action = urlsplit(form["action"]).path
        if action in targets and form["defaults"]:
            return form
    return None


def body_of(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def live_markup_in(text: str) -> list[str]:
    return [markup for markup in LIVE_MARKUP if markup in text]


def _form_on_another_page(
    name: str, url: str, kwargs: dict[str, Any], person: str, client: Client
) -> dict[str, Any] | None:
    """A route that only takes a POST has its form on another page of the same app, usually
    one about the same record: look for it on the pages this person may open."""
    namespace = name.split(":", 1)[0] if ":" in name else ""
    for other, route in the_matrix().items():
        if other == name or not other.startswith(f"{namespace}:") or other.startswith("api:"):
            continue
        if route.get is None or person not in route.get:
            continue
        for arguments in (kwargs, {key: kwargs[key] for key in ("pk",) if key in kwargs}, {}):
            try:
                page = reverse(other, kwargs=arguments)
            except NoReverseMatch:
                continue
            form = form_for(body_of(client.get(page)), url, exact=True)
            if form is not None:
                return form
    return None


def _writer(route: Route) -> str | None:
    allowed = route.allowed("post") or ()
    return next((person for person in WRITER_ORDER if person in allowed), None)


def _client(person: str, request: Any) -> Client:
    client = Client()
    if person != "anonymous":
        client.force_login(request.getfixturevalue(person))
    return client


FORM_ROUTES = sorted(name for name in served_routes() if not name.startswith("api:"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORM_ROUTES)
def test_form_survives_hostile_input(name: str, request: Any) -> None:
    route = the_matrix().get(name)
    if route is None:
        pytest.skip("not in the access matrix yet (test_access_matrix fails for it)")
    if "post" not in served_methods(served_routes()[name]):
        pytest.skip("takes no POST")
    person = _writer(route)
    if person is None:
        pytest.skip("nobody may post to it")
    kwargs = route.kwargs(request.getfixturevalue)
    url = reverse(name, kwargs=kwargs)
    client = _client(person, request)
    page_readable = route.get is not None and person in route.get
    form = None
    if page_readable:
        form = form_for(body_of(client.get(url)), url)
    if form is None:
        form = _form_on_another_page(name, url, kwargs, person, client)
    if form is None:
        base = route.data(request.getfixturevalue) if route.data else {}
        form = {"defaults": dict.fromkeys(GUESSED_FIELDS, ""), "text": list(GUESSED_FIELDS)}
        form["defaults"].update(base)
    defaults: dict[str, Any] = form["defaults"]
    field_names = sorted(defaults)
    text_fields = sorted(set(form["text"])) or field_names
    started = time.monotonic()

    def send(data: dict[str, Any]) -> None:
        caches["default"].clear()  # throttles are tested elsewhere
        with transaction.atomic():
            try:
                response = client.post(url, urlencode(data, doseq=True), content_type=FORM)
            except Exception as error:
                raise AssertionError(f"server error for {_shown(data)}: {error!r}") from error
            assert response.status_code in REAL_ANSWERS, (
                f"answered {response.status_code} to {_shown(data)}"
            )
            pages = [body_of(response)]
            location = response.get("Location", "")
            if response.status_code in (302, 303) and location.startswith("/"):
                pages.append(body_of(client.get(location)))
            if page_readable:
                pages.append(body_of(client.get(url)))
            for page in pages:
                found = live_markup_in(page)
                assert not found, f"{found} renders as markup after posting {_shown(data)}"
            transaction.set_rollback(True)

    # Fixed worst cases: everything hostile; and the form as a person fills it, with markup and
    # SQL in the free-text fields (so it is stored, and read back).
    send(worst_case_form(field_names))
    send({**defaults, **dict.fromkeys(text_fields, f"{SCRIPT}{IMAGE_ONERROR}{SQL}")})

    @settings(HYPOTHESIS_SETTINGS, max_examples=FORM_EXAMPLES)
    @given(
        everything=hostile_form(field_names),
        text=st.fixed_dictionaries({field: hostile_text() for field in text_fields}),
        fill_all=st.booleans(),
    )
    def fuzz(everything: dict[str, Any], text: dict[str, Any], fill_all: bool) -> None:
        send(everything if fill_all else {**defaults, **text})

    fuzz()
    print(f"{name} as {person}: {field_names} in {time.monotonic() - started:.1f}s")


FORM = "application/x-www-form-urlencoded"


def _shown(data: dict[str, Any]) -> str:
    return repr({key: str(value)[:60] for key, value in data.items()})[:400]


# The JSON API ----------------------------------------------------------------------------------

API_WRITE_ROUTES = sorted(name for name in served_routes() if name.startswith("api:"))
_WRITE_METHODS = ("post", "put", "patch")


def _operation_for(url: str, method: str) -> dict[str, Any] | None:
    for path, item in openapi_document()["paths"].items():
        pattern = (
            "^"
            + re.sub(r"\{[^/]+\}", "[^/]+", re.escape(path).replace(r"\{", "{").replace(r"\}", "}"))
            + "$"
        )
        if re.match(pattern, url) and method in item:
            operation: dict[str, Any] = item[method]
            return operation
    return None


def _request_properties(operation: dict[str, Any]) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    ref = schema.get("$ref", "")
    if ref:
        schema = openapi_document()["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return sorted(schema.get("properties", {}))


@pytest.mark.django_db
@pytest.mark.parametrize("name", API_WRITE_ROUTES)
def test_api_write_survives_hostile_json(name: str, request: Any) -> None:
    route = the_matrix().get(name)
    if route is None:
        pytest.skip("not in the access matrix yet (test_access_matrix fails for it)")
    person = _writer(route)
    methods = [m for m in _WRITE_METHODS if m in served_methods(served_routes()[name])]
    if person is None or not methods:
        pytest.skip("takes no writes")
    url = reverse(name, kwargs=route.kwargs(request.getfixturevalue))
    client = _client(person, request)

    for method in methods:
        operation = _operation_for(url, method)
        fields = _request_properties(operation) if operation else []
        fields = fields or GUESSED_FIELDS

        def send(body: Any, method: str = method) -> None:
            caches["default"].clear()
            with transaction.atomic():
                try:
                    response = client.generic(
                        method.upper(), url, json.dumps(body), content_type="application/json"
                    )
                except Exception as error:
                    raise AssertionError(f"server error for {body!r:.300}: {error!r}") from error
                transaction.set_rollback(True)
            assert response.status_code < 500, f"{method} answered {response.status_code}"
            assert response.status_code in REAL_ANSWERS | {401, 403}, (
                f"{method.upper()} answered {response.status_code} to {body!r:.300}"
            )

        send(dict.fromkeys(fields, f"{SCRIPT}\x00{SQL}"))
        send({field: ["\x00"] for field in fields})
        send([SCRIPT])

        @settings(HYPOTHESIS_SETTINGS, max_examples=API_EXAMPLES)
        @given(body=st.fixed_dictionaries({field: hostile_json_value() for field in fields}))
        def fuzz(body: dict[str, Any]) -> None:
            send(body)

        fuzz()


def test_people_the_fuzzing_can_sign_in_as_are_the_matrix_people() -> None:
    assert set(WRITER_ORDER) <= set(PEOPLE)
