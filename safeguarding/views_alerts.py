"""Placeholder until this module is written."""

from django.http import Http404, HttpRequest, HttpResponse


def alerts(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def alert(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def alert_acknowledge(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
