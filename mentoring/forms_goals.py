"""Forms for goals, steps and the mentor's suggestions. The services check the same limits, so
the API and the pages refuse the same things with the same words."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from alongside.forms import add_service_errors
from mentoring.concurrency import STALE
from mentoring.forms_base import MentoringForm
from mentoring.models import GoalStatus
from mentoring.services.goals import STEP_MAX, TEXT_MAX, TITLE_MAX

TAKE, NOT_NOW = "take", "not_now"


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class GoalForm(MentoringForm):
    title = forms.CharField(
        label="Your goal, in your own words",
        max_length=TITLE_MAX,
        help_text="For example “Go to the support group on Wednesday”. Small goals count.",
        error_messages={"required": "Write your goal in a few words."},
    )
    why_it_matters = forms.CharField(
        label="Why it matters to you (optional)",
        required=False,
        max_length=TEXT_MAX,
        widget=_area(),
    )


class GoalStatusForm(MentoringForm):
    """Reached, set aside, or back to working on it. How it went is asked when it is reached."""

    status = forms.ChoiceField(choices=GoalStatus.choices, widget=forms.HiddenInput)
    how_it_went = forms.CharField(
        label="How did it go? (optional)",
        required=False,
        max_length=TEXT_MAX,
        widget=_area(),
        help_text="What went well, what was hard, what you learned. Only you and your mentor "
        "see this.",
    )


class StepForm(MentoringForm):
    text = forms.CharField(
        label="A step you could take",
        max_length=STEP_MAX,
        help_text="Something small and doable, for example “Look up the bus times”.",
        error_messages={"required": "Write the step in a few words."},
    )


class StepDoneForm(MentoringForm):
    """Tick a step off (``done`` = 1) or un-tick it (``done`` = 0), with how it went."""

    done = forms.TypedChoiceField(
        choices=[("1", "Done"), ("0", "Not done yet")],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
    how_it_went = forms.CharField(
        label="How did it go? (optional)",
        required=False,
        max_length=TEXT_MAX,
        widget=_area(2),
    )


class StepEditForm(MentoringForm):
    text = forms.CharField(
        label="The step",
        max_length=STEP_MAX,
        error_messages={"required": "Write the step in a few words."},
    )
    how_it_went = forms.CharField(
        label="How did it go? (optional)",
        required=False,
        max_length=TEXT_MAX,
        widget=_area(4),
    )


class SuggestionForm(MentoringForm):
    text = forms.CharField(
        label="Suggest a step",
        max_length=STEP_MAX,
        help_text="The goal is theirs: they decide whether to take it up.",
        error_messages={"required": "Write the step in a few words."},
    )


class SuggestionAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[(TAKE, "Take it up"), (NOT_NOW, "Not for now")])


def add_errors(form: forms.BaseForm, error: ValidationError) -> bool:
    """Put a service's refusal on the form. A refused save against an older version goes to
    the top of the form (the version field is hidden). Returns True when it was that."""
    stale = hasattr(error, "error_dict") and "version" in error.error_dict
    if stale:
        others = {key: value for key, value in error.message_dict.items() if key != "version"}
        form.add_error(None, STALE)
        if others:
            add_service_errors(form, ValidationError(others))
        return True
    add_service_errors(form, error)
    return False
