"""Forms for mentor profiles, the directory and asking for a mentor."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Language, Organisation, SupportArea
from alongside.forms import VersionField
from alongside.widgets import QuickSelect
from mentors.models import AvailabilitySlot, Format, MentorProfile
from mentors.selectors import support_areas
from mentors.services.profiles import Slot, slot_problems

_NOTE_MAX_LENGTH = 500


def _field_max_length(name: str) -> int | None:
    field = MentorProfile._meta.get_field(name)
    return getattr(field, "max_length", None)


class ProfileForm(forms.Form):
    """Everything a mentor can change. The first group is public and waits for approval.
    ``version`` is the profile's, sent back so a save against an older one is refused."""

    version = VersionField()
    display_name = forms.CharField(
        label="Name shown to mentees",
        max_length=_field_max_length("display_name"),
        help_text="A first name or a name you are known by is plenty.",
        error_messages={"required": "Enter the name mentees will see."},
    )
    bio = forms.CharField(
        label="About you",
        required=False,
        max_length=_field_max_length("bio"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="A few sentences about you and the experience you bring. Share only what you "
        "are comfortable with.",
    )
    lived_experience_areas = forms.ModelMultipleChoiceField(
        label="Areas of lived experience shown to mentees",
        queryset=SupportArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    specialisms = forms.CharField(
        label="Anything you particularly like to help with (optional)",
        required=False,
        max_length=_field_max_length("specialisms"),
        help_text="For example: going back to work, being a student, caring for someone.",
    )
    gender = forms.CharField(
        label="Gender (optional)",
        required=False,
        max_length=_field_max_length("gender"),
        help_text="In your own words.",
    )
    show_gender = forms.BooleanField(
        label="Show my gender to mentees in the directory", required=False
    )
    languages = forms.ModelMultipleChoiceField(
        label="Languages you can mentor in",
        queryset=Language.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    formats = forms.MultipleChoiceField(
        label="How you can meet mentees",
        choices=Format.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    area = forms.CharField(
        label="Where you are based (town or postcode district, optional)",
        required=False,
        max_length=_field_max_length("area"),
    )
    travel_km = forms.IntegerField(
        label="How far you could travel to meet in person, in kilometres",
        min_value=0,
        max_value=200,
        help_text="Enter 0 if you only meet by video or phone. Not shown to mentees.",
        error_messages={"required": "Enter a number of kilometres, or 0."},
    )
    capacity = forms.IntegerField(
        label="How many mentees you could support at once",
        min_value=1,
        error_messages={
            "required": "Enter how many mentees you could support at once.",
            "min_value": "Enter at least 1.",
        },
    )
    year_of_birth = forms.IntegerField(
        label="Year of birth (optional)",
        required=False,
        min_value=1900,
        help_text="Not shown to mentees.",
    )

    PUBLIC = (
        "display_name",
        "bio",
        "lived_experience_areas",
        "specialisms",
        "gender",
        "show_gender",
    )

    def __init__(self, *args: Any, organisation: Organisation, max_capacity: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        areas = self.fields["lived_experience_areas"]
        assert isinstance(areas, forms.ModelMultipleChoiceField)
        areas.queryset = support_areas(organisation)
        capacity = self.fields["capacity"]
        assert isinstance(capacity, forms.IntegerField)
        capacity.validators.append(
            MaxValueValidator(
                max_capacity,
                message=f"Your programme allows up to {max_capacity}. Choose a smaller number.",
            )
        )
        capacity.help_text = f"Your programme allows up to {max_capacity}."
        capacity.widget.attrs["max"] = max_capacity
        year_of_birth = self.fields["year_of_birth"]
        latest = timezone.localdate().year - 16
        year_of_birth.validators.append(
            MaxValueValidator(latest, message=f"Enter a year no later than {latest}.")
        )

    def public_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.PUBLIC]

    def private_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in (*self.PUBLIC, "version")]


class AvailabilitySlotForm(forms.Form):
    """One weekly time. A blank row is ignored, so there is always room to add one."""

    weekday = forms.TypedChoiceField(
        label="Day",
        choices=[("", "Choose a day"), *AvailabilitySlot.Weekday.choices],
        coerce=int,
        error_messages={"required": "Choose a day."},
    )
    starts_at = forms.TimeField(
        label="From",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": "Enter a start time, like 18:00.",
            "invalid": "Enter a time like 18:00.",
        },
    )
    ends_at = forms.TimeField(
        label="Until",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": "Enter an end time, like 20:00.",
            "invalid": "Enter a time like 20:00.",
        },
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "The end time must be after the start time.")
        return cleaned


class BaseAvailabilityFormSet(forms.BaseFormSet[AvailabilitySlotForm]):
    def clean(self) -> None:
        """Marks a slot that overlaps an earlier one on the same day, next to that row."""
        if any(self.errors):
            return
        rows = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problems = slot_problems([_slot(form) for form in rows])
        for index, problem in problems.items():
            rows[index].add_error("starts_at", problem)

    def add_fields(self, form: AvailabilitySlotForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this time"

    def slots(self) -> list[Slot]:
        return [
            _slot(form)
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


def _slot(form: AvailabilitySlotForm) -> Slot:
    data = form.cleaned_data
    return Slot(weekday=data["weekday"], starts_at=data["starts_at"], ends_at=data["ends_at"])


AvailabilityFormSet = cast(
    "type[BaseAvailabilityFormSet]",
    forms.formset_factory(
        AvailabilitySlotForm,
        formset=BaseAvailabilityFormSet,
        extra=1,
        can_delete=True,
        can_delete_extra=False,
        max_num=21,
        validate_max=True,
    ),
)


class AvailableSwitchForm(forms.Form):
    available = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")], coerce=lambda value: value == "yes"
    )


class NoteForm(forms.Form):
    """An optional short note: to the mentor when a change is not approved, or to the
    coordinator when a mentee asks for a mentor."""

    note = forms.CharField(
        required=False,
        max_length=_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, label: str, help_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label
        self.fields["note"].help_text = help_text


class DirectoryFilterForm(forms.Form):
    """The directory's filters, sent by GET so results can be bookmarked and shared."""

    # Every select is written in one pass (QuickSelect): the directory is a main page.
    area = forms.ModelChoiceField(
        label="Support with",
        queryset=SupportArea.objects.none(),
        required=False,
        empty_label="Any",
        widget=QuickSelect,
    )
    language = forms.ModelChoiceField(
        label="Language",
        queryset=Language.objects.all(),
        required=False,
        empty_label="Any",
        widget=QuickSelect,
    )
    format = forms.ChoiceField(
        label="How to meet",
        choices=[("", "Any"), *Format.choices],
        required=False,
        widget=QuickSelect,
    )
    weekday = forms.TypedChoiceField(
        label="Free on",
        choices=[("", "Any day"), *AvailabilitySlot.Weekday.choices],
        coerce=int,
        required=False,
        empty_value=None,
        widget=QuickSelect,
    )
    gender = forms.ChoiceField(label="Gender", required=False, widget=QuickSelect)

    def __init__(
        self, *args: Any, organisation: Organisation, genders: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = support_areas(organisation)
        gender = self.fields["gender"]
        assert isinstance(gender, forms.ChoiceField)
        gender.choices = [("", "Any"), *((value, value) for value in genders)]

    def filter(self, profiles: QuerySet[MentorProfile]) -> QuerySet[MentorProfile]:
        """The listed mentors matching every chosen filter (all of them if a filter is invalid),
        still a query, so the page can show a page of them."""
        if not self.is_valid():
            return profiles
        data = self.cleaned_data
        if data["area"] is not None:
            profiles = profiles.filter(lived_experience_areas=data["area"])
        if data["language"] is not None:
            profiles = profiles.filter(languages=data["language"])
        if data["weekday"] is not None:
            profiles = profiles.filter(availability_slots__weekday=data["weekday"])
        if data["gender"]:
            profiles = profiles.filter(show_gender=True, gender__iexact=data["gender"])
        if data["format"]:
            # A JSON list of fixed choices: SQLite has no "contains" for JSON, so the list's
            # text is searched for the quoted choice, which no other choice contains.
            profiles = profiles.filter(formats__icontains=f'"{data["format"]}"')
        return profiles.distinct()

    def narrows(self) -> bool:
        """Whether ``filter`` can leave anyone out: the form is valid and a filter is chosen."""
        return self.is_valid() and any(
            value is not None and value != "" for value in self.cleaned_data.values()
        )
