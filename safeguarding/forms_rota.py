"""Forms for the duty rota: naming a safeguarding lead, adding a shift, and the response times.
The services check everything again; these give each answer its label, help and first checks.
Times are typed as a date and a time on the clock of the site's time zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Membership, Role, User
from safeguarding.models import SafeguardingLead
from safeguarding.services.rota import (
    CONCERN_WORKING_DAYS,
    HIGH_MINUTES,
    SHIFT_MAX_DAYS,
    URGENT_MINUTES,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
NUMBER_WIDGET = forms.NumberInput(attrs={"inputmode": "numeric"})
# The service's names for the shift's times, and the form fields their problems belong next to.
SHIFT_ERROR_FIELDS = {"starts_at": "start_date", "ends_at": "end_date", "lead": "lead"}


def _person(user: User) -> str:
    return user.name or user.email


class PersonChoiceField(forms.ModelChoiceField):
    """People by name, with their role in the organisation."""

    def __init__(self, *args: Any, roles: dict[int, str] | None = None, **kwargs: Any) -> None:
        self.roles = roles or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        user = obj.user if isinstance(obj, SafeguardingLead) else obj
        role = self.roles.get(user.pk)
        return f"{_person(user)} ({role})" if role else _person(user)


class LeadAddForm(forms.Form):
    """Choose one of the organisation's supervisors, coordinators or admins who is not a lead."""

    user = PersonChoiceField(
        queryset=User.objects.none(),
        label="Who",
        empty_label="Choose someone",
        help_text="Supervisors, coordinators and admins who are not leads yet.",
        error_messages={
            "required": "Choose who to name a safeguarding lead.",
            "invalid_choice": "Choose someone from the list: they may have been added already.",
        },
    )

    def __init__(self, *args: Any, candidates: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, PersonChoiceField)
        field.queryset = User.objects.filter(pk__in=[m.user_id for m in candidates]).order_by(
            "name", "email"
        )
        field.roles = {m.user_id: Role(m.role).label for m in candidates}


class ShiftForm(forms.Form):
    lead = PersonChoiceField(
        queryset=SafeguardingLead.objects.none(),
        label="Who is on duty",
        empty_label="Choose a safeguarding lead",
        error_messages={
            "required": "Choose who is on duty.",
            "invalid_choice": "Choose one of the safeguarding leads.",
        },
    )
    start_date = forms.DateField(
        label="Start date",
        widget=DATE_WIDGET,
        error_messages={"required": "Enter the day the shift starts.", "invalid": "Enter a date."},
    )
    start_time = forms.TimeField(
        label="Start time",
        widget=TIME_WIDGET,
        error_messages={"required": "Enter the time the shift starts.", "invalid": "Enter a time."},
    )
    end_date = forms.DateField(
        label="End date",
        widget=DATE_WIDGET,
        help_text=f"A shift can last up to {SHIFT_MAX_DAYS} days.",
        error_messages={"required": "Enter the day the shift ends.", "invalid": "Enter a date."},
    )
    end_time = forms.TimeField(
        label="End time",
        widget=TIME_WIDGET,
        error_messages={"required": "Enter the time the shift ends.", "invalid": "Enter a time."},
    )

    def __init__(
        self,
        *args: Any,
        leads: list[tuple[SafeguardingLead, str]],
        starts_at: datetime | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lead"]
        assert isinstance(field, PersonChoiceField)
        field.queryset = SafeguardingLead.objects.filter(
            pk__in=[lead.pk for lead, _ in leads]
        ).select_related("user")
        field.roles = {lead.user_id: role for lead, role in leads if role}
        if not self.is_bound and starts_at is not None:
            start = timezone.localtime(starts_at)
            end = timezone.localtime(starts_at + timedelta(hours=12))
            self.initial.update(
                {
                    "start_date": start.date(),
                    "start_time": start.time().replace(second=0, microsecond=0),
                    "end_date": end.date(),
                    "end_time": end.time().replace(second=0, microsecond=0),
                }
            )
        if not self.is_bound and len(leads) == 1:
            self.initial.setdefault("lead", leads[0][0].pk)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, (day, clock) in {
            "starts_at": ("start_date", "start_time"),
            "ends_at": ("end_date", "end_time"),
        }.items():
            if cleaned.get(day) and cleaned.get(clock):
                cleaned[name] = timezone.make_aware(datetime.combine(cleaned[day], cleaned[clock]))
        return cleaned

    def add_shift_errors(self, error: ValidationError) -> None:
        """Put the service's problems next to the field they are about."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, problems in error.message_dict.items():
            self.add_error(SHIFT_ERROR_FIELDS.get(name), problems)


class ResponseTimesForm(forms.Form):
    urgent_minutes = forms.IntegerField(
        label="Urgent alerts: minutes",
        min_value=URGENT_MINUTES[0],
        max_value=URGENT_MINUTES[1],
        help_text=f"How many minutes someone has to respond to an urgent alert, for example "
        f"when someone may be about to harm themselves. From {URGENT_MINUTES[0]} to "
        f"{URGENT_MINUTES[1]}.",
        widget=NUMBER_WIDGET,
    )
    high_minutes = forms.IntegerField(
        label="High alerts: minutes",
        min_value=HIGH_MINUTES[0],
        max_value=HIGH_MINUTES[1],
        help_text=f"For example 60 for an hour. From {HIGH_MINUTES[0]} to {HIGH_MINUTES[1]} "
        "(a day), and at least as long as for urgent alerts.",
        widget=NUMBER_WIDGET,
    )
    concern_working_days = forms.IntegerField(
        label="Concerns: working days",
        min_value=CONCERN_WORKING_DAYS[0],
        max_value=CONCERN_WORKING_DAYS[1],
        help_text="Monday to Friday. 1 means by the same time on the next working day. "
        f"From {CONCERN_WORKING_DAYS[0]} to {CONCERN_WORKING_DAYS[1]}.",
        widget=NUMBER_WIDGET,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.error_messages["required"] = "Enter a number."
            field.error_messages["invalid"] = "Enter a whole number."
            assert isinstance(field, forms.IntegerField)
            low, high = field.min_value, field.max_value
            unit = "working days" if name == "concern_working_days" else "minutes"
            field.error_messages["min_value"] = f"Enter a number from {low} to {high} {unit}."
            field.error_messages["max_value"] = f"Enter a number from {low} to {high} {unit}."
