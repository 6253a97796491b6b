"""Placeholder until this module is written."""

from django.http import Http404, HttpRequest, HttpResponse


def directory(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def resource_new(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def stale(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def resource(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def resource_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def resource_checked(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def recommend(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def recommended(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
