"""The hidden fields of the forms that share something with a mentee together with a note (a
skill, a community resource): which note version the writer saw, and for whom."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from alongside.forms import SafeForm


class NoteForm(SafeForm):
    """``version`` is the version of the chosen mentee's note the form showed: 0 on a blank
    form, which cannot know the mentee yet. After a refusal it carries the note it showed, and
    ``version_for`` says whose note that was, so choosing another mentee counts as seeing none."""

    version_for = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("version", 0)
        super().__init__(*args, **kwargs)

    def version_seen(self, person_pk: int) -> int:
        """The version of ``person_pk``'s note this form showed (0: none)."""
        if self.cleaned_data.get("version_for") != str(person_pk):
            return 0
        return self.cleaned_data.get("version") or 0

    def show_note(self, person_pk: int, version: int) -> None:
        """After a refusal that showed ``person_pk``'s note: keep the typed text, and count the
        next save as made against that note."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data[self.add_prefix("version")] = str(version)
        data[self.add_prefix("version_for")] = str(person_pk)
        self.data = data
