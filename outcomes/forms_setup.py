"""Forms for the organisation's outcome-measure setup: which instruments and when, adding an
instrument from its definition, and asking a mentee for an extra measure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms import BoundField

from accounts.models import Organisation
from outcomes.models import Instrument, MeasureSettings
from outcomes.services.scheduling import (
    NO_OCCASION,
    SCHEDULE_LIMITS,
    SETTINGS_LIMITS,
    ScheduleChoice,
    instruments_in_order,
    schedule_field,
)

MAX_DEFINITION_BYTES = 256 * 1024
CHOOSE_DEFINITION = "Choose a definition file, or paste the definition below."


def _number_field(
    limits: tuple[int, int, str], *, label: str, help_text: str = "", required: bool
) -> forms.IntegerField:
    lowest, highest, message = limits
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=lowest,
        max_value=highest,
        error_messages={
            "invalid": message,
            "min_value": message,
            "max_value": message,
            "required": message,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


@dataclass(frozen=True)
class InstrumentFields:
    instrument: Instrument
    uses: BoundField
    occasions: list[BoundField]


SCHEDULE_LABELS = {
    "at_baseline": "At the start, when intake is complete",
    "every_sessions": "Every this many sessions held",
    "every_weeks": "Every this many weeks of mentoring",
    "at_closure": "At the ending (when the planned ending starts, or when mentoring ends early)",
    "at_follow_up": "At the follow-up after mentoring ends",
}
SCHEDULE_HELP = {
    "every_sessions": "Leave blank not to ask by sessions held.",
    "every_weeks": "Leave blank not to ask by weeks.",
}


class MeasureSettingsForm(forms.Form):
    """One form for the whole programme: for each instrument it may use, whether it does and
    when; then how long measures stay open and how people are reminded."""

    open_days = _number_field(
        SETTINGS_LIMITS["open_days"],
        label="Keep each questionnaire open for this many days",
        help_text="After that it closes without answers. Between 1 and 90.",
        required=True,
    )
    reminder_days = _number_field(
        SETTINGS_LIMITS["reminder_days"],
        label="Remind the mentee again after this many days",
        help_text="The first email goes when a questionnaire falls due. Between 1 and 30.",
        required=True,
    )
    max_reminders = _number_field(
        SETTINGS_LIMITS["max_reminders"],
        label="Send at most this many emails about each questionnaire",
        help_text="0 sends none: people see it when they sign in.",
        required=True,
    )

    def __init__(
        self,
        *args: Any,
        choices: list[tuple[Instrument, ScheduleChoice]],
        settings: MeasureSettings,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "open_days": settings.open_days,
                "reminder_days": settings.reminder_days,
                "max_reminders": settings.max_reminders,
            },
        )
        super().__init__(*args, **kwargs)
        self.instruments = [instrument for instrument, _ in choices]
        for instrument, choice in choices:
            name = instrument.short_name
            self.fields[schedule_field(instrument, "uses")] = forms.BooleanField(
                label=f"Use the {name}", required=False, initial=choice.uses
            )
            for occasion in ("at_baseline", "every_sessions", "every_weeks"):
                self._add(instrument, occasion, choice)
            for occasion in ("at_closure", "at_follow_up"):
                self._add(instrument, occasion, choice)
        # The three programme-wide numbers come last on the page.
        for name in ("open_days", "reminder_days", "max_reminders"):
            self.fields[name] = self.fields.pop(name)

    def _add(self, instrument: Instrument, occasion: str, choice: ScheduleChoice) -> None:
        name = schedule_field(instrument, occasion)
        value = getattr(choice, occasion)
        field: forms.Field
        if occasion in SCHEDULE_LIMITS:
            field = _number_field(
                SCHEDULE_LIMITS[occasion],
                label=SCHEDULE_LABELS[occasion],
                help_text=SCHEDULE_HELP[occasion],
                required=False,
            )
        else:
            field = forms.BooleanField(label=SCHEDULE_LABELS[occasion], required=False)
        field.initial = value
        self.fields[name] = field

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for instrument, choice in self.schedules().items():
            if choice.uses and not choice.asks_at_all:
                self.add_error(schedule_field(instrument, "uses"), NO_OCCASION)
        return cleaned

    def schedules(self) -> dict[Instrument, ScheduleChoice]:
        data = getattr(self, "cleaned_data", {})
        chosen = {}
        for instrument in self.instruments:

            def value(name: str, instrument: Instrument = instrument) -> Any:
                return data.get(schedule_field(instrument, name))

            chosen[instrument] = ScheduleChoice(
                uses=bool(value("uses")),
                at_baseline=bool(value("at_baseline")),
                every_sessions=value("every_sessions"),
                every_weeks=value("every_weeks"),
                at_closure=bool(value("at_closure")),
                at_follow_up=bool(value("at_follow_up")),
            )
        return chosen

    def service_arguments(self) -> dict[str, Any]:
        return {
            "schedules": {instrument.pk: choice for instrument, choice in self.schedules().items()},
            "open_days": self.cleaned_data["open_days"],
            "reminder_days": self.cleaned_data["reminder_days"],
            "max_reminders": self.cleaned_data["max_reminders"],
        }

    def groups(self) -> list[InstrumentFields]:
        """The fields of each instrument, for one fieldset each."""
        return [
            InstrumentFields(
                instrument=instrument,
                uses=self[schedule_field(instrument, "uses")],
                occasions=[
                    self[schedule_field(instrument, occasion)] for occasion in SCHEDULE_LABELS
                ],
            )
            for instrument in self.instruments
        ]

    def programme_fields(self) -> list[BoundField]:
        return [self[name] for name in ("open_days", "reminder_days", "max_reminders")]

    def error_rows(self) -> list[tuple[str, str, str]]:
        """(field id, what it is, problem) for the summary at the top, naming the instrument."""
        rows = []
        owner = {
            schedule_field(instrument, name): instrument.short_name
            for instrument in self.instruments
            for name in ("uses", *SCHEDULE_LABELS)
        }
        for field in self:
            for error in field.errors:
                label = str(field.label)
                if field.name in owner and not label.startswith("Use the"):
                    label = f"{owner[field.name]}: {label[0].lower()}{label[1:]}"
                rows.append((field.auto_id or "", label, str(error)))
        return rows


class InstrumentUploadForm(forms.Form):
    """An organisation's own instrument, as a JSON definition: uploaded as a file or pasted."""

    definition_file = forms.FileField(
        label="Definition file",
        required=False,
        help_text="A .json file, up to 256 KB.",
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
    )
    definition = forms.CharField(
        label="Or paste the definition",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "class": "font-monospace"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload: UploadedFile | None = cleaned.get("definition_file")
        if upload is not None:
            if upload.size is not None and upload.size > MAX_DEFINITION_BYTES:
                self.add_error("definition_file", "This file is larger than 256 KB.")
                return cleaned
            try:
                cleaned["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("definition_file", "This file is not UTF-8 text.")
            return cleaned
        text = cleaned.get("definition") or ""
        if not text.strip():
            raise ValidationError(CHOOSE_DEFINITION)
        cleaned["text"] = text
        return cleaned

    @property
    def from_file(self) -> bool:
        return self.cleaned_data.get("definition_file") is not None

    def add_definition_errors(self, error: ValidationError) -> None:
        """The service's problems with the definition, next to the field it came from."""
        field = "definition_file" if self.from_file else "definition"
        if hasattr(error, "error_dict"):
            for problems in error.message_dict.values():
                self.add_error(field, problems)
        else:
            self.add_error(field, error.messages)


class InstrumentChoiceField(forms.ModelChoiceField[Instrument]):
    def label_from_instance(self, obj: Instrument) -> str:
        return obj.short_name


class AskForm(forms.Form):
    """Staff ask a mentee for an extra measure now. Rendered on the person's measures page; it
    posts to ``outcomes:ask``."""

    instrument = InstrumentChoiceField(
        queryset=Instrument.objects.none(),
        label="Questionnaire",
        empty_label=None,
        error_messages={
            "required": "Choose which questionnaire to ask for.",
            "invalid_choice": "Choose one of the questionnaires listed.",
        },
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["instrument"]
        assert isinstance(field, InstrumentChoiceField)
        field.queryset = instruments_in_order(organisation)
