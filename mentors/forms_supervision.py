"""Forms for supervision and mentors' wellbeing check-ins. Rules about dates and who may
supervise live in the services; these forms only collect and tidy what people type."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from accounts.models import User
from alongside.forms import KeyedForm
from mentors.models import MentorProfile, SupervisionKind


class DateInput(forms.DateInput):
    """The browser's own date picker, which phones and screen readers handle well."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SupervisorAssignmentForm(forms.Form):
    """One row of the assignments list: a mentor's supervisor, or none yet.

    Choices come from a list the view fetched once, so a long list costs no query per row.
    """

    supervisor = forms.ChoiceField(required=False)

    def __init__(
        self, *args: Any, profile: MentorProfile, supervisors: list[User], **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", f"profile-{profile.pk}")
        kwargs.setdefault("initial", {"supervisor": profile.supervisor_id or ""})
        super().__init__(*args, **kwargs)
        self.profile = profile
        self._supervisors = {str(person.pk): person for person in supervisors}
        field = self.fields["supervisor"]
        assert isinstance(field, forms.ChoiceField)
        field.label = f"Supervisor for {profile.display_name}"
        field.choices = [("", "No supervisor yet")] + [
            (key, str(person)) for key, person in self._supervisors.items()
        ]
        field.error_messages["invalid_choice"] = (
            "Choose someone from the list of supervisors in this organisation."
        )

    def clean_supervisor(self) -> User | None:
        value = self.cleaned_data["supervisor"]
        return self._supervisors[value] if value else None


_INVALID_DATE = "Enter a real date, such as 14 March 2025."


class _SessionFields(KeyedForm):
    """Carries a one-time key, so a resent form records the session once."""

    held_on = forms.DateField(
        label="Date of the session",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date the session was held.",
            "invalid": _INVALID_DATE,
        },
    )
    topics = forms.CharField(
        label="What you talked about (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept private: only this mentor's supervisor, coordinators and administrators "
        "can read it.",
    )
    actions = forms.CharField(
        label="Agreed actions (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up_on = forms.DateField(
        label="Follow-up date (optional)",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _INVALID_DATE},
    )


class SupervisionSessionForm(_SessionFields):
    kind = forms.ChoiceField(
        label="Type of session",
        choices=SupervisionKind.choices,
        initial=SupervisionKind.ONE_TO_ONE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose one-to-one or group."},
    )

    field_order = ["held_on", "kind", "topics", "actions", "follow_up_on"]


class _MentorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: MentorProfile) -> str:
        return obj.display_name


class GroupSupervisionSessionForm(_SessionFields):
    """One group session, recorded once for each mentor who came."""

    profiles = _MentorChoiceField(
        label="Mentors who came",
        queryset=MentorProfile.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose the mentors who came to the session.",
            "invalid_choice": "Choose mentors from the list.",
            "invalid_pk_value": "Choose mentors from the list.",
        },
    )

    field_order = ["profiles", "held_on", "topics", "actions", "follow_up_on"]

    def __init__(self, *args: Any, profiles: QuerySet[MentorProfile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["profiles"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = profiles


def _scale(low: str, high: str) -> list[tuple[int, str]]:
    return [(1, f"1 – {low}"), (2, "2"), (3, "3"), (4, "4"), (5, f"5 – {high}")]


class WellbeingCheckInForm(KeyedForm):
    """Carries a one-time key, so a resent check-in is saved and passed on once."""

    coping = forms.TypedChoiceField(
        label="How are you coping?",
        choices=_scale("I'm struggling", "I'm coping well"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a number from 1 to 5 for how you are coping."},
    )
    load = forms.TypedChoiceField(
        label="How heavy does mentoring feel right now?",
        choices=_scale("very light", "too much"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a number from 1 to 5 for how heavy it feels."},
    )
    wants_support = forms.TypedChoiceField(
        label="Would you like some support from your supervisor?",
        choices=[("yes", "Yes, please"), ("no", "Not right now")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or not right now."},
    )
    note = forms.CharField(
        label="Anything you would like to add? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Your supervisor can read this, and so can the programme's coordinators. "
        "It is never shared with your mentees.",
    )

    def __init__(self, *args: Any, has_supervisor: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_supervisor:
            self.fields["wants_support"].label = "Would you like some support?"
            self.fields["note"].help_text = (
                "The programme's coordinators, and your supervisor once you have one, can read "
                "this. It is never shared with your mentees."
            )
