"""The forms for responding to a safeguarding alert: a contact attempt, an action taken, a note,
closing with an outcome, and reopening. Field names match the services' (``method``,
``reached``, ``action``, ``outcome``, ``note``), so a service's refusal lands next to its field.
The services decide what is allowed; these forms only gather and tidy what was typed."""

from __future__ import annotations

from django import forms

from alongside.forms import KeyedForm
from safeguarding.models import AlertOutcome, ContactMethod, SafeguardingAction
from safeguarding.services.alerts import NOTE_LIMIT

YES_NO = [("yes", "Yes, I reached them"), ("no", "No, not yet")]


def _note(label: str, *, required: bool, help_text: str = "", message: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=NOTE_LIMIT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": message or "Write the note.",
            "max_length": f"Keep the note to {NOTE_LIMIT} characters or fewer.",
        },
    )


def _yes_no(value: object) -> bool:
    return value == "yes"


class ContactAttemptForm(KeyedForm):
    """Carries a one-time key: sent twice, the attempt is recorded once."""

    method = forms.ChoiceField(
        label="How did you try to contact them?",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you tried to contact them."},
    )
    reached = forms.TypedChoiceField(
        label="Did you reach them?",
        choices=YES_NO,
        coerce=_yes_no,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you reached them."},
    )
    note = _note(
        "Note (optional)",
        required=False,
        help_text="For example: how they are, what you agreed, when you will try again.",
    )


class ActionForm(KeyedForm):
    """Carries a one-time key: sent twice, the action is recorded once."""

    action = forms.ChoiceField(
        label="What did you do?",
        choices=SafeguardingAction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action you took."},
    )
    note = _note(
        "Note",
        required=False,
        help_text="Needed for “Something else”, and for informing a GP without consent: "
        "record why you shared information.",
    )


class NoteForm(forms.Form):
    note = _note("Note", required=True, message="Write the note.")


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=AlertOutcome.choices,
        widget=forms.RadioSelect,
        help_text="“No risk found” marks the alert a false alarm: the words did not mean risk. "
        "That is fine to say, and it helps improve how risk is spotted.",
        error_messages={"required": "Choose the outcome."},
    )
    note = _note(
        "Closing note",
        required=True,
        help_text="What happened, and what happens next (for example, who is keeping in touch).",
        message="Write a closing note: what happened and what is next.",
    )


class ReopenForm(forms.Form):
    note = _note(
        "Why are you reopening it?",
        required=True,
        message="Say why you are reopening it.",
    )
