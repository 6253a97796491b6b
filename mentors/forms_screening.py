"""Forms for screening an application: the coordinator's records and the referee's answers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from mentors.models import (
    CheckOutcome,
    CheckType,
    Interview,
    InterviewOutcome,
    InterviewQuestion,
    Recommendation,
)

QUESTION_PREFIX = "question_"


class DateInput(forms.DateInput):
    """The browser's own date picker, which phones and screen readers know how to use."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _not_in_future(value: date | None, message: str) -> date | None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(message)
    return value


class InterviewQuestionForm(forms.ModelForm[InterviewQuestion]):
    class Meta:
        model = InterviewQuestion
        fields = ["text", "position"]
        labels = {"text": "Question", "position": "Order"}
        help_texts = {
            "text": "Asked at every interview. Changing the wording changes how past answers "
            "read, so for a different question add a new one.",
            "position": "Questions with lower numbers come first.",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class InterviewForm(forms.Form):
    """The interview record, with a notes box for each of the organisation's questions."""

    held_on = forms.DateField(label="Date of the interview", widget=DateInput)
    outcome = forms.ChoiceField(
        label="Outcome", choices=InterviewOutcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label="Overall notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything to follow up, and anything the applicant asked us.",
    )

    def __init__(
        self,
        *args: Any,
        questions: Iterable[InterviewQuestion],
        interview: Interview | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        answers: dict[int, str] = {}
        if interview is not None:
            self.initial.update(
                {
                    "held_on": interview.held_on,
                    "outcome": interview.outcome,
                    "notes": interview.notes,
                }
            )
            answers = {answer.question_id: answer.notes for answer in interview.answers.all()}
        for question in self.questions:
            name = f"{QUESTION_PREFIX}{question.pk}"
            self.fields[name] = forms.CharField(
                label=question.text,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.initial.setdefault(name, answers.get(question.pk, ""))

    def clean_held_on(self) -> date | None:
        return _not_in_future(
            self.cleaned_data.get("held_on"), "The interview date cannot be in the future."
        )

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(QUESTION_PREFIX)]

    @property
    def detail_fields(self) -> list[forms.BoundField]:
        return [self["held_on"], self["outcome"]]

    def answers(self) -> dict[int, str]:
        return {
            question.pk: self.cleaned_data.get(f"{QUESTION_PREFIX}{question.pk}", "")
            for question in self.questions
        }


class ReferenceRequestForm(forms.Form):
    referee_name = forms.CharField(label="Referee's name", max_length=150)
    referee_email = forms.EmailField(
        label="Referee's email address",
        help_text="We email them a private link to answer a few questions. It works once.",
    )
    relationship = forms.CharField(
        label="How do they know the applicant?",
        max_length=150,
        help_text="For example: their manager for three years, or a volunteer coordinator.",
    )


class RefereeForm(forms.Form):
    """What a referee is asked. Nothing here says more about the applicant than the role."""

    known_for = forms.CharField(
        label="How long have you known them, and in what capacity?",
        max_length=100,
        help_text="For example: five years, as their manager.",
    )
    suitability = forms.CharField(
        label="What would make them suited to a role supporting other people?",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    concerns = forms.CharField(
        label="Do you have any concerns about them supporting people who may be going through "
        "a difficult time? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="If you have none, you can leave this blank.",
    )
    recommendation = forms.ChoiceField(
        label="Would you recommend them for this role?",
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
    )


class BackgroundCheckForm(forms.Form):
    check_type = forms.ChoiceField(label="Type of check", choices=CheckType.choices)
    reference_number = forms.CharField(label="Certificate or reference number", max_length=60)
    checked_on = forms.DateField(label="Date of the check", widget=DateInput)
    expires_on = forms.DateField(
        label="Renewal date (optional)",
        required=False,
        widget=DateInput,
        help_text="If your organisation renews checks, the date this one needs renewing.",
    )
    outcome = forms.ChoiceField(
        label="Outcome", choices=CheckOutcome.choices, widget=forms.RadioSelect
    )

    def clean_checked_on(self) -> date | None:
        return _not_in_future(
            self.cleaned_data.get("checked_on"), "The date of the check cannot be in the future."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        checked_on, expires_on = cleaned.get("checked_on"), cleaned.get("expires_on")
        if checked_on and expires_on and expires_on <= checked_on:
            self.add_error("expires_on", "The renewal date must be after the date of the check.")
        return cleaned


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason, for the record",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept private unless you choose to share it below.",
    )
    include_reason = forms.BooleanField(
        label="Include this reason in the email to the applicant", required=False
    )
