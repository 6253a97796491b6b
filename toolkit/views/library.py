"""Placeholder until this module is written."""

from django.http import Http404, HttpRequest, HttpResponse


def skills(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def skill_new(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def review(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def skill(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def skill_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def skill_status(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def skill_share(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
