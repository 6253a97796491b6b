"""Placeholder until this module is written."""

from django.http import Http404, HttpRequest, HttpResponse


def mine(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def entry(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def entry_remove(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def preferences(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def relationship(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def insights(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
