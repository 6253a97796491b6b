"""Placeholder until this module is written."""

from django.http import Http404, HttpRequest, HttpResponse


def mine(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def person(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def relationship(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def programme(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
