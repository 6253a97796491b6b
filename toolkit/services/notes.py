"""Notes on things shared with a mentee (a skill in their toolkit, a recommended community
resource). There is one note per mentee and thing, so sharing again with a new note replaces the
old one. The share form cannot show that note before the mentee is chosen, so it sends the
version of the note it showed (0: it showed none); replacing a note someone else wrote, or one
changed since, is refused until the writer has seen it (see ``alongside.concurrency``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from accounts.models import User
from toolkit.models import Recommendation, ToolkitEntry


class NoteTaken(ValidationError):
    """Saving would replace a note the writer has not seen. Carries that note, who wrote it and
    its current version, so the form can show it next to the typed text and the next save counts
    as made against it."""

    def __init__(self, *, note: str, author: User | None, version: int, by_actor: bool) -> None:
        super().__init__(
            {"note": "They already have a note on this. Read it, then save again to replace it."},
            code="note_taken",
        )
        self.note = note
        self.author = author
        self.version = version
        self.by_actor = by_actor

    def message_for(self, person_name: str) -> str:
        """The refusal as the writer reads it, next to the note field."""
        if self.by_actor:
            author = "you"
        elif self.author is not None and self.author.name.strip():
            author = self.author.name.strip()
        else:
            author = "someone else in the team"
        keep = "keep it" if self.by_actor else "keep theirs"
        return (
            f"{person_name} already has a note on this from {author}: “{self.note}”. Your note "
            f"is still here. To put yours in its place, save again; to {keep}, leave this page."
        )


def check_note(
    *,
    actor: User,
    record: ToolkitEntry | Recommendation,
    new_note: str,
    seen_version: int | None,
) -> None:
    """Refuse replacing ``record``'s note with a different ``new_note`` unless the writer saw
    its current version. ``seen_version`` 0 means the form showed no note: that is fine for
    replacing the writer's own note, not someone else's. ``None`` (a caller with no form) skips
    the check. An empty new note never replaces anything, so it needs no check."""
    current = record.note
    if seen_version is None or not new_note or not current or new_note == current:
        return
    if seen_version == record.version:
        return
    by_actor = record.note_by_id == actor.pk
    if seen_version == 0 and by_actor:
        return
    raise NoteTaken(note=current, author=record.note_by, version=record.version, by_actor=by_actor)
