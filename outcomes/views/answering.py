"""Placeholder until this module is written."""

from django.http import Http404, HttpRequest, HttpResponse


def start(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def question(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def check(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def response(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
