"""Forms for the pair's agreement, strength notes, and the organisation's mentoring settings.
They only read what was typed; the services decide what is allowed, so the pages and the API
give the same answers."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict

from mentoring.forms_base import MentoringForm
from mentoring.models import Agreement, ContactChannel, MeetingFrequency, MentoringSettings
from mentoring.services.agreements import (
    CHANGE_NOTE_MAX,
    NOTE_MAX,
    TEXT_MAX,
    AgreementTerms,
)
from mentoring.services.settings import SETTING_FIELDS
from mentoring.services.strengths import STRENGTH_MAX
from mentors.models import Format
from referrals.availability import SLOT_CHOICES, WEEKDAYS

WEEKDAY_CHOICES = [(index, label) for index, (_, label) in enumerate(WEEKDAYS)]
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class AgreementForm(MentoringForm):
    """The agreement, in the words the pair choose. ``version`` carries the version it was
    based on (empty for the first)."""

    goals_in_own_words = forms.CharField(
        label="What the mentee hopes to work on, in their own words",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The mentee leads. Write it the way they say it, for example “Feel able to go "
        "to the support group on Wednesdays”.",
    )
    meeting_frequency = forms.ChoiceField(
        label="How often you will meet",
        choices=MeetingFrequency.choices,
        widget=forms.RadioSelect,
    )
    meeting_format = forms.ChoiceField(
        label="How you will usually meet", choices=Format.choices, widget=forms.RadioSelect
    )
    usual_slot = forms.ChoiceField(
        label="Usual part of the week (optional)",
        choices=[("", "No usual time"), *SLOT_CHOICES],
        required=False,
    )
    usual_slot_note = forms.CharField(
        label="Anything more about when (optional)",
        max_length=NOTE_MAX,
        required=False,
        help_text="For example “after 6pm, not on the first Monday of the month”.",
    )
    contact_channels = forms.MultipleChoiceField(
        label="How you will keep in touch between sessions",
        choices=ContactChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Contact stays inside Alongside. Personal phone numbers and emails are not "
        "shared.",
    )
    contact_days = forms.TypedMultipleChoiceField(
        label="Days when contact is all right",
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_from = forms.TimeField(label="Contact from", widget=TIME_INPUT)
    contact_until = forms.TimeField(label="Contact until", widget=TIME_INPUT)
    reply_within_hours = forms.IntegerField(
        label="Messages are answered within (hours)",
        help_text="For example 48 for two days. Between 1 and 168.",
    )
    planned_sessions = forms.IntegerField(
        label="Planned number of sessions", help_text="Between 1 and 52."
    )
    planned_end_on = forms.DateField(
        label="Planned end date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="When you plan to finish. You can change this together later.",
    )
    anything_else = forms.CharField(
        label="Anything else you agree (optional)",
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    change_note = forms.CharField(
        label="What changed in this version",
        max_length=CHANGE_NOTE_MAX,
        required=False,
        help_text="A few words so the other person can see what is different.",
    )

    field_order = [
        "goals_in_own_words",
        "meeting_frequency",
        "meeting_format",
        "usual_slot",
        "usual_slot_note",
        "contact_channels",
        "contact_days",
        "contact_from",
        "contact_until",
        "reply_within_hours",
        "planned_sessions",
        "planned_end_on",
        "anything_else",
        "change_note",
    ]

    def __init__(
        self,
        *args: Any,
        first: bool,
        based_on_version: int | None = None,
        for_mentee: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if for_mentee:
            goals = self.fields["goals_in_own_words"]
            goals.label = "What you hope to work on, in your own words"
            goals.help_text = (
                "You lead. Write it the way you would say it, for example “Feel able to go to "
                "the support group on Wednesdays”."
            )
        if first:
            del self.fields["change_note"]
        else:
            self.fields["change_note"].required = True
        if not self.is_bound and based_on_version is not None:
            self.initial["version"] = based_on_version

    def refresh_agreement(self, latest: Agreement) -> None:
        """After a stale save: keep the typed text, count the next save against ``latest``,
        and ask for a change note now that there is an earlier version."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data[self.add_prefix("version")] = str(latest.version)
        self.data = data
        if "change_note" not in self.fields:
            self.fields["change_note"] = copy.deepcopy(AgreementForm.base_fields["change_note"])
            self.fields["change_note"].required = True

    def terms(self) -> AgreementTerms:
        return AgreementTerms.from_data(self.cleaned_data)

    def based_on_version(self) -> int | None:
        version: int | None = self.cleaned_data.get("version")
        return version

    def change_note_text(self) -> str:
        return str(self.cleaned_data.get("change_note") or "")


def agreement_initial(
    latest: Agreement | None, defaults: MentoringSettings, end_on: date
) -> dict[str, Any]:
    """What a blank form starts from: the latest version, or the organisation's defaults."""
    if latest is not None:
        return {name: getattr(latest, name) for name in AgreementTerms.__dataclass_fields__}
    return {
        "meeting_frequency": MeetingFrequency.WEEKLY,
        "contact_channels": [ContactChannel.MESSAGES],
        "contact_days": [0, 1, 2, 3, 4],
        "contact_from": defaults.contact_from,
        "contact_until": defaults.contact_until,
        "reply_within_hours": defaults.reply_within_hours,
        "planned_sessions": defaults.planned_sessions,
        "planned_end_on": end_on,
    }


class StrengthForm(MentoringForm):
    text = forms.CharField(
        label="A strength I see in you",
        max_length=STRENGTH_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Something you have noticed, for example “You kept going to the group even on "
        "the hard weeks”.",
    )


class MentoringSettingsForm(forms.ModelForm[MentoringSettings]):
    class Meta:
        model = MentoringSettings
        fields = list(SETTING_FIELDS)
        labels = {
            "planned_sessions": "Planned number of sessions",
            "planned_weeks": "Planned length (weeks)",
            "reply_within_hours": "Messages are answered within (hours)",
            "contact_from": "Contact from",
            "contact_until": "Contact until",
            "session_reminder_hours": "Remind both people this many hours before a session",
            "missed_sessions_alert": "Tell the coordinator after this many missed sessions in "
            "a row",
            "follow_up_weeks": "Follow-up check-in with the mentee, weeks after the ending",
        }
        help_texts = {
            "planned_sessions": "What each new agreement starts from. Between 1 and 52.",
            "planned_weeks": "For example 26 for six months. Between 1 and 104.",
            "reply_within_hours": "For example 48 for two days. Between 1 and 168.",
            "missed_sessions_alert": "",
            "follow_up_weeks": "",
        }
        widgets = {"contact_from": TIME_INPUT, "contact_until": TIME_INPUT}
