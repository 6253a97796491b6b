"""Fixtures shared by the alert page tests (test_alert_*.py besides test_alert_api.py and
test_alert_services.py, which keep their own).

``pair`` is the active relationship, its mentee named Samira Quinlan; ``alert`` is a high alert
about her.
"""

from __future__ import annotations

import pytest

from tests.safeguarding.fixtures import raise_for


@pytest.fixture
def pair(active_relationship, mentee):
    mentee.name = "Samira Quinlan"
    mentee.save(update_fields=["name"])
    return active_relationship


@pytest.fixture
def alert(pair):
    """A high alert about Samira raised by a message; nobody was on duty, so it names only the
    supervisor (the duty lead, when asked for, sees it as a safeguarding lead)."""
    return raise_for(pair)
