"""Every URL the project serves, asked by every kind of person, with every method it serves.

The routes come from Django's URL resolver, not from a list kept by hand: a new page or
endpoint that is not in the matrix (tests/security/routes_*.py) fails ``test_every_route_is_in_
the_matrix`` and its own parametrised case, so nothing ships unchecked. See matrix.py for what
each outcome means.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.matrix import PEOPLE, Route

WRITE_METHODS = ("post", "put", "patch", "delete")
_NOT_SERVED = {404, 405}


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def served_routes() -> dict[str, URLPattern]:
    """Every named route, except Django's own admin site (checked by its own test below)."""
    routes = dict(_walk(get_resolver().url_patterns))
    return {name: p for name, p in routes.items() if not name.startswith("admin:")}


def unnamed_routes() -> list[str]:
    def walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif not pattern.name:
                yield prefix + str(pattern.pattern)

    return list(walk(get_resolver().url_patterns))


def the_matrix() -> dict[str, Route]:
    routes: dict[str, Route] = {}
    package = importlib.import_module("tests.security")
    for module_info in pkgutil.iter_modules(package.__path__):
        if module_info.name.startswith("routes_"):
            module = importlib.import_module(f"tests.security.{module_info.name}")
            for name, route in module.ROUTES.items():
                assert name not in routes, f"{name} is in the matrix twice"
                routes[name] = route
    return routes


def served_methods(pattern: URLPattern) -> list[str]:
    """GET and the state-changing methods this route's view answers."""
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    if actions:
        return sorted(actions)
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None:
        return [
            method
            for method in ("get", *WRITE_METHODS)
            if hasattr(view_class, method) and method in view_class.http_method_names
        ]
    return ["get", "post"]


def test_every_route_is_in_the_matrix():
    missing = sorted(set(served_routes()) - set(the_matrix()))
    assert not missing, "Add these routes to tests/security/routes_*.py: " + ", ".join(missing)


def test_the_matrix_names_only_routes_that_exist():
    stale = sorted(set(the_matrix()) - set(served_routes()))
    assert not stale, "These matrix entries name no route: " + ", ".join(stale)


def test_every_route_has_a_name():
    assert not unnamed_routes(), "Name these routes so the matrix can check them"


def _client(person: str, request: Any) -> Client:
    client = Client()
    if person != "anonymous":
        client.force_login(request.getfixturevalue(person))
    return client


def _send(client: Client, method: str, url: str, data: dict[str, Any], api: bool) -> int:
    with transaction.atomic():
        if api:
            body = json.dumps(data) if method != "get" else None
            response = client.generic(
                method.upper(), url, body or "", content_type="application/json"
            )
        elif method == "get":
            response = client.get(url)
        else:
            response = client.generic(
                method.upper(),
                url,
                _form_body(data),
                content_type="application/x-www-form-urlencoded",
            )
        transaction.set_rollback(True)
    if response.status_code == 302:
        return 3020 if "/accounts/login/" in response.get("Location", "") else 302
    return response.status_code


def _form_body(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(data, doseq=True)


def _expected(route: Route, method: str, person: str, served: bool, api: bool) -> set[int]:
    allowed = route.allowed(method)
    if allowed is None or not served:
        # The route does not answer this method: nobody may get a real answer.
        return {3020, 401, 403, *_NOT_SERVED} if person == "anonymous" else set(_NOT_SERVED)
    if person in allowed:
        return set(route.ok)
    if person == "anonymous":
        return {401, 403, 404} if api else {3020, 404}
    return {404, 405} if not served else {404}


ROUTE_NAMES = sorted(served_routes())


@pytest.mark.django_db
@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_route(name: str, request: Any) -> None:
    route = the_matrix().get(name)
    if route is None:
        pytest.fail(f"{name} is not in the access matrix (tests/security/routes_*.py)")
    pattern = served_routes()[name]
    kwargs = route.kwargs(request.getfixturevalue)
    url = reverse(name, kwargs=kwargs)
    api = url.startswith("/api/")
    methods = served_methods(pattern)
    data = route.data(request.getfixturevalue) if route.data else {}
    failures: list[str] = []
    for cache_name in ("default",):
        caches[cache_name].clear()
    for person in PEOPLE:
        client = _client(person, request)
        for method in ("get", *WRITE_METHODS):
            if method not in methods and method != "post" and method != "get":
                continue
            served = method in methods
            try:
                status = _send(client, method, url, data, api)
            except Exception as error:  # a server error: report it with the rest
                failures.append(f"{person} {method.upper()}: raised {error!r}")
                continue
            expected = _expected(route, method, person, served, api)
            if status not in expected:
                shown = "302 to sign in" if status == 3020 else status
                failures.append(
                    f"{person} {method.upper()}: got {shown}, expected one of {sorted(expected)}"
                )
    assert not failures, f"{name} ({url}):\n  " + "\n  ".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("person", [p for p in PEOPLE if p != "anonymous"])
def test_the_django_admin_site_is_for_platform_operators_only(person: str, request: Any):
    client = _client(person, request)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
