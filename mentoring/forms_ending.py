"""Forms for the ending: closing a relationship, the wellbeing plan, and the exit survey."""

from __future__ import annotations

from typing import Any

from django import forms

from mentoring.forms_base import MentoringForm
from mentoring.models import EndReason
from mentoring.services.ending import NOTE_MAX, REASON_HELP
from mentoring.services.plans import PLAN_FIELD_MAX, PLAN_FIELDS
from mentoring.services.surveys import ANSWER_MAX, OVERALL_CHOICES

# The closing form ---------------------------------------------------------------------------------


def _reason_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    planned = [(reason.value, reason.label) for reason in EndReason.planned()]
    unplanned = [
        (reason.value, reason.label) for reason in EndReason if reason not in EndReason.planned()
    ]
    return [("A planned ending", planned), ("An unplanned ending", unplanned)]


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the relationship ending?",
        choices=_reason_choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the relationship is ending."},
    )
    note = forms.CharField(
        label="Note for the record",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for “Another reason”, optional otherwise. Only staff see this. A few "
        "plain words: what happened, and anything the next coordinator should know.",
    )
    exit_conversation_held = forms.BooleanField(
        label="We have had a closing conversation with the mentee",
        required=False,
        help_text="A chance to look back together, say goodbye and talk about what comes next.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("reason") == EndReason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", "Say briefly why the relationship is ending.")
        return cleaned

    def reason_groups(self) -> list[dict[str, Any]]:
        """The reasons, grouped, each with its explanation, for the template to lay out."""
        chosen = self["reason"].value()
        groups = []
        for group_index, (label, options) in enumerate(_reason_choices()):
            groups.append(
                {
                    "label": label,
                    "id": f"reason-group-{group_index}",
                    "options": [
                        {
                            "value": value,
                            "label": option_label,
                            "help": REASON_HELP.get(value, ""),
                            "id": f"id_reason_{value}",
                            "checked": chosen == value,
                        }
                        for value, option_label in options
                    ],
                }
            )
        return groups


# The wellbeing plan -------------------------------------------------------------------------------


def _plan_text(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=PLAN_FIELD_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
    )


class PlanForm(MentoringForm):
    what_helps = _plan_text(
        "What helps me",
        "The things, people and routines that help you feel well. For example: a walk before "
        "breakfast, calling my sister on Sundays.",
    )
    my_toolkit = _plan_text(
        "My toolkit",
        "Coping skills that work for you, and when you use them. For example: breathing out "
        "slowly for a count of seven when my chest feels tight.",
    )
    my_people_and_places = _plan_text(
        "My people and places",
        "Groups, services and places you can go to after mentoring ends. For example: the "
        "Wednesday support group at the library, the community garden on Saturdays.",
    )
    warning_signs = _plan_text(
        "Early warning signs",
        "Signs that things are getting harder for you. For example: sleeping badly, not "
        "answering messages, skipping meals.",
    )
    what_i_will_do = _plan_text(
        "What I will do",
        "What you will do when you notice those signs, and who you will contact. For example: "
        "tell my sister, book a GP appointment, go back to the group.",
    )

    def plan_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in PLAN_FIELDS}


# The exit survey ----------------------------------------------------------------------------------

YES, NO, NOT_SURE = "yes", "no", "not_sure"
RECOMMEND = {YES: True, NO: False, NOT_SURE: None}


class ExitSurveyForm(forms.Form):
    overall = forms.TypedChoiceField(
        label="Overall, how was mentoring for you?",
        choices=[(str(value), label) for value, label in OVERALL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    what_helped = forms.CharField(
        label="What helped?",
        required=False,
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    could_be_better = forms.CharField(
        label="What could have been better?",
        required=False,
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    would_recommend = forms.ChoiceField(
        label="Would you recommend Alongside mentoring to someone else?",
        choices=[(YES, "Yes"), (NO, "No"), (NOT_SURE, "Not sure")],
        required=False,
        widget=forms.RadioSelect,
    )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "overall": data["overall"],
            "what_helped": data["what_helped"],
            "could_be_better": data["could_be_better"],
            "would_recommend": RECOMMEND.get(data["would_recommend"]),
        }
