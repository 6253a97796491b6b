"""Placeholder until the rota pages land."""

from django.http import Http404, HttpRequest, HttpResponse


def _missing(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    raise Http404


rota = lead_add = lead_remove = shift_new = shift_remove = response_times = _missing
