"""What the mentee's home page shows about their toolkit: the skills that help them most, or a
prompt to open it. One query."""

from __future__ import annotations

from typing import Any

from accounts.models import Organisation, User
from toolkit.selectors import helps, how_it_goes, toolkit_for

SHOWN = 2


def mentee_card(user: User, organisation: Organisation | None = None) -> dict[str, Any]:
    """Context for ``toolkit/_dashboard_mentee.html``: ``helps`` (up to two entries that help
    most, each with ``how``), and ``skill_count`` (how many skills are in the toolkit)."""
    entries = list(toolkit_for(user, organisation))
    helping = [entry for entry in entries if helps(entry)][:SHOWN]
    return {
        "helps": [{"entry": entry, "how": how_it_goes(entry)} for entry in helping],
        "skill_count": len(entries),
    }
