"""Addresses for long lists: one ``reverse`` for a whole page of rows instead of one a row."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

# Stand for each row's ids in a URL reversed once for the whole page.
_SOME_ID = 918273645
_OTHER_ID = 546372819


def url_for_each(name: str) -> Callable[[int], str]:
    """The URL ``name`` (one integer id) for any row: reversed once, not fifty times a page."""
    before, after = reverse(name, args=[_SOME_ID]).split(str(_SOME_ID))
    return lambda pk: f"{before}{pk}{after}"


def url_for_each_pair(name: str) -> Callable[[int, int], str]:
    """The URL ``name`` (two integer ids, e.g. a relationship and one of its check-ins) for any
    row: reversed once for the page."""
    before, rest = reverse(name, args=[_SOME_ID, _OTHER_ID]).split(str(_SOME_ID))
    between, after = rest.split(str(_OTHER_ID))
    return lambda first, second: f"{before}{first}{between}{second}{after}"
