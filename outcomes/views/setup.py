"""Placeholder until this module is written."""

from django.http import Http404, HttpRequest, HttpResponse


def settings(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def instruments(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def instrument(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def ask(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
