"""The directory's total is written as people write large numbers, as the headline figures are."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string


@pytest.mark.parametrize(
    ("total", "filtered", "words"),
    [
        (7078, False, "7,078 mentors"),
        (1, True, "1 mentor matching your filters"),
        (0, False, "No mentors found"),
    ],
)
def test_the_total_has_thousands_separators(total, filtered, words):
    page = SimpleNamespace(paginator=SimpleNamespace(count=total))
    html = render_to_string(
        "mentors/profiles/_directory_count.html", {"page": page, "filtered": filtered}
    )
    assert html.strip() == words
