"""The project's URLs plus one trivial page, for the load benchmark only (never in production).

The trivial page is the yardstick of issue 11: a Django view that returns a few bytes without
touching the database, behind the same middleware as every real page (so a signed-in request
still loads its session, person and membership, exactly as it would before any real page).
"""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from alongside.urls import handler400, handler403, handler404, handler500, urlpatterns

TRIVIAL_PATH = "/load/trivial/"


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns: list[URLPattern | URLResolver] = [  # type: ignore[no-redef]
    path(TRIVIAL_PATH.lstrip("/"), trivial, name="load_trivial"),
    *urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
