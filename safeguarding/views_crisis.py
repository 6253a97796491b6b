"""Placeholder until this module is written."""

from django.http import Http404, HttpRequest, HttpResponse


def crisis_resources(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def crisis_resource_new(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def crisis_resource_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
