"""Forms for the skills library: finding a skill, writing one, and sharing one with a mentee.
The services check every rule again; these forms shape the page and keep what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from alongside.widgets import QuickSelect
from toolkit.forms_notes import NoteForm
from toolkit.models import Skill, SkillKind, SkillTag
from toolkit.services.sharing import NOTE_MAX
from toolkit.services.skills import MINUTES_MAX, NOTES_MAX, TITLE_MAX, WHY_MAX

SEARCH_MAX = 100


class LibraryFilterForm(forms.Form):
    """The library's search and filters, sent with GET so a filtered list can be bookmarked."""

    q = forms.CharField(label="Search", required=False, max_length=SEARCH_MAX, strip=True)
    tag = forms.ChoiceField(
        label="Helps with",
        required=False,
        choices=[("", "Anything"), *SkillTag.choices],
        widget=QuickSelect,
    )
    kind = forms.ChoiceField(
        label="Kind of skill",
        required=False,
        choices=[("", "Coping and life skills"), *SkillKind.choices],
        widget=QuickSelect,
    )

    def values(self) -> dict[str, str]:
        """What to filter by; anything that did not make sense is ignored."""
        if not self.is_valid():
            return {"q": "", "tag": "", "kind": ""}
        return {name: self.cleaned_data.get(name) or "" for name in ("q", "tag", "kind")}


class SkillForm(forms.Form):
    title = forms.CharField(
        label="Name of the skill",
        max_length=TITLE_MAX,
        error_messages={"required": "Give the skill a short name."},
    )
    kind = forms.ChoiceField(
        label="Kind of skill",
        choices=SkillKind.choices,
        initial=SkillKind.COPING,
        widget=forms.RadioSelect,
        help_text="A coping skill helps in a hard moment; a life skill helps day to day.",
        error_messages={"required": "Choose whether this is a coping skill or a life skill."},
    )
    why_it_helps = forms.CharField(
        label="How it can help",
        max_length=WHY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One to three sentences, in plain words. Say “can help”: this is self-help, "
        "not treatment.",
        error_messages={"required": "Say in a sentence or two how it can help."},
    )
    steps = forms.CharField(
        label="Steps",
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text="One step on each line, in the order to do them. Blank lines are left out.",
        error_messages={"required": "Write at least one step, one step on each line."},
    )
    minutes = forms.IntegerField(
        label="About how many minutes it takes",
        min_value=1,
        max_value=MINUTES_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "w-auto"}),
        error_messages={
            "required": "Say about how many minutes it takes.",
            "invalid": "Write the minutes as a whole number, such as 5.",
            "min_value": f"Choose a number of minutes from 1 to {MINUTES_MAX}.",
            "max_value": f"Choose a number of minutes from 1 to {MINUTES_MAX}.",
        },
    )
    tags = forms.MultipleChoiceField(
        label="What it can help with",
        choices=SkillTag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose any that fit. People can find the skill by these.",
        error_messages={"invalid_choice": "Choose tags from the list."},
    )
    accessibility_notes = forms.CharField(
        label="Making it work for everyone (optional)",
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Other ways to do it: for example seated, with shorter breaths, or with audio "
        "instead of reading.",
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, instance: Skill | None = None, **kwargs: Any) -> None:
        if instance is not None and not args and "data" not in kwargs:
            kwargs["initial"] = {
                "title": instance.title,
                "kind": instance.kind,
                "why_it_helps": instance.why_it_helps,
                "steps": "\n".join(instance.steps),
                "minutes": instance.minutes,
                "tags": list(instance.tags),
                "accessibility_notes": instance.accessibility_notes,
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)

    def skill_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "why_it_helps": data["why_it_helps"],
            "steps": data["steps"],
            "minutes": data["minutes"],
            "tags": data["tags"],
            "accessibility_notes": data["accessibility_notes"],
        }

    def refresh_version(self, skill: Skill) -> None:
        """After a refused (stale) save: keep the typed text, count the next save as made
        against the latest version."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data["version"] = str(skill.version)
        self.data = data


class ShareForm(NoteForm):
    """Share with one of the mentor's current mentees, optionally linked to a recent session.
    Choices come from the view, which knows the mentor's relationships."""

    mentee = forms.ChoiceField(
        label="Share with", error_messages={"required": "Choose who to share it with."}
    )
    session = forms.ChoiceField(
        label="From a session (optional)",
        required=False,
        help_text="Link it to a session from the last two weeks, if you talked about it there.",
    )
    note = forms.CharField(
        label="A short note (optional)",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, why you thought of this one. Only your mentee sees it.",
    )

    def __init__(
        self,
        *args: Any,
        mentees: list[tuple[str, str]],
        sessions: list[tuple[str, list[tuple[str, str]]]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        mentee_field = self.fields["mentee"]
        session_field = self.fields["session"]
        assert isinstance(mentee_field, forms.ChoiceField)
        assert isinstance(session_field, forms.ChoiceField)
        if len(mentees) == 1:
            mentee_field.choices = mentees
            mentee_field.initial = mentees[0][0]
        else:
            mentee_field.choices = [("", "Choose a mentee"), *mentees]
        session_field.choices = [("", "Not linked to a session"), *sessions]
        if not sessions:
            session_field.widget = forms.HiddenInput()
