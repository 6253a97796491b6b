"""Forms for the coordinator's side of a relationship (check-ins, concerns, rematch, the list
filters) and for the pair raising a concern with the coordinator."""

from __future__ import annotations

from typing import Any

from django import forms

from alongside.widgets import QuickSelect
from mentoring.access import RelationshipAccess
from mentoring.forms_base import MentoringForm
from mentoring.models import CheckInPerson, ConcernOutcome, ConcernRequest, ConcernTopic
from mentoring.services.checkins import TEXT_MAX, CheckInMethod
from mentoring.services.concerns import DETAILS_MAX, NOTE_MAX

ONLY_COORDINATORS = "Only coordinators see this."


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class CheckInForm(MentoringForm):
    method = forms.ChoiceField(
        label="How did you speak?", choices=CheckInMethod.choices, widget=forms.RadioSelect
    )
    how_it_is_going = forms.CharField(
        label="How is it going?",
        max_length=TEXT_MAX,
        widget=_textarea(),
        help_text="In their words where you can: what is going well, what is harder. "
        + ONLY_COORDINATORS,
    )
    concerns = forms.CharField(
        label="Any concerns? (optional)",
        required=False,
        max_length=TEXT_MAX,
        widget=_textarea(3),
        help_text="Anything that worried you or them. If someone may be at risk, follow the "
        "safeguarding procedure as well. " + ONLY_COORDINATORS,
    )
    actions = forms.CharField(
        label="Actions (optional)",
        required=False,
        max_length=TEXT_MAX,
        widget=_textarea(3),
        help_text="What you or they will do next, and by when.",
    )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "method": data["method"],
            "how_it_is_going": data["how_it_is_going"],
            "concerns": data["concerns"],
            "actions": data["actions"],
        }


class ExtraCheckInForm(CheckInForm):
    """A check-in that was not on the schedule: the coordinator says who they spoke with."""

    person = forms.ChoiceField(label="Who did you speak with?", widget=forms.RadioSelect)

    field_order = ["person", "method", "how_it_is_going", "concerns", "actions"]

    def __init__(self, *args: Any, access: RelationshipAccess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ChoiceField)
        person.choices = [
            (CheckInPerson.MENTOR.value, f"{access.mentor_name}, the mentor"),
            (CheckInPerson.MENTEE.value, f"{access.mentee_name}, the mentee"),
        ]


class ConcernForm(MentoringForm):
    topic = forms.ChoiceField(
        label="What is it about?", choices=ConcernTopic.choices, widget=forms.RadioSelect
    )
    request = forms.ChoiceField(
        label="What would you like to happen?",
        choices=ConcernRequest.choices,
        widget=forms.RadioSelect,
        help_text="You can change your mind when you talk with the coordinator.",
    )
    details = forms.CharField(
        label="What is happening?",
        max_length=DETAILS_MAX,
        widget=_textarea(5),
        help_text="A few sentences are plenty. Only the coordinator reads this.",
    )

    def __init__(self, *args: Any, other_name: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if other_name:
            self.fields["details"].help_text = (
                f"A few sentences are plenty. Only the coordinator reads this: {other_name} "
                "will not see it."
            )


class ConcernOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What came of it?",
        # A rematch is recorded by rematching, which resolves the concern itself.
        choices=[
            (value, label)
            for value, label in ConcernOutcome.choices
            if value != ConcernOutcome.REMATCHED
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=NOTE_MAX,
        widget=_textarea(3),
        help_text="What was agreed. " + ONLY_COORDINATORS + " The person who raised it sees "
        "that it is resolved and the outcome, not this note.",
    )


class RematchForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=NOTE_MAX,
        widget=_textarea(3),
        help_text="Why a rematch, in a sentence, for whoever finds the next mentor. "
        + ONLY_COORDINATORS,
    )


# The relationships list --------------------------------------------------------------------------

STATUS_FILTERS = [
    ("current", "Current (not ended)"),
    ("introduction", "Introduction planned"),
    ("active", "Active"),
    ("ending", "Planned ending under way"),
    ("ended", "Ended"),
    ("all", "All"),
]
ATTENTION_FILTERS = [
    ("", "Show everyone"),
    ("any", "Anything that needs attention"),
    ("overdue", "Overdue check-ins"),
    ("concerns", "Open concerns"),
    ("missed", "Missed sessions"),
    ("ending_soon", "Planned end within 14 days"),
]


class RelationshipFilterForm(forms.Form):
    # Written in one pass (QuickSelect): the relationships list is a main page.
    status = forms.ChoiceField(
        label="Status", choices=STATUS_FILTERS, required=False, widget=QuickSelect
    )
    attention = forms.ChoiceField(
        label="Needs attention", choices=ATTENTION_FILTERS, required=False, widget=QuickSelect
    )

    def choices(self) -> tuple[str, str]:
        """The chosen filters; anything unknown falls back to the defaults."""
        if not self.is_valid():
            return "current", ""
        return self.cleaned_data["status"] or "current", self.cleaned_data["attention"]
