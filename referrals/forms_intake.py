"""Forms for intake (the coordinator's and the person's own), the mentee's availability, and a
coordinator's check-in with someone waiting."""

from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import Language, Organisation, SupportArea
from alongside.forms import VersionField
from mentors.models import Format
from mentors.selectors import support_areas
from referrals.availability import DAY_PARTS, WEEKDAYS
from referrals.models import ContactMethod, Importance, Intake, Referral
from referrals.services.waiting import CHECK_IN_OUTCOMES

# The week as groups a person ticks day by day: ("Monday", [("mon_morning", "Morning"), ...]).
SLOT_CHOICES_BY_DAY: list[tuple[str, list[tuple[str, str]]]] = [
    (day_label, [(f"{day}_{part}", part_label) for part, part_label, _, _ in DAY_PARTS])
    for day, day_label in WEEKDAYS
]


class SlotGridWidget(forms.CheckboxSelectMultiple):
    """Each day its own small fieldset (legend "Monday", boxes "Morning", "Afternoon"...), so a
    screen reader hears the day with each box and a phone shows a short block per day."""

    template_name = "referrals/intake/_slot_grid.html"


def slot_field(*, label: str, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=SLOT_CHOICES_BY_DAY,
        widget=SlotGridWidget,
        required=False,
        label=label,
        help_text=help_text,
    )


IMPORTANCE_CHOICES = [
    (Importance.NONE.value, "No preference"),
    (Importance.NICE.value, "Nice to have"),
    (Importance.MUST.value, "Must have"),
]


def importance_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=IMPORTANCE_CHOICES,
        widget=forms.RadioSelect,
        initial=Importance.NONE,
        label=label,
    )


class IntakeForm(forms.Form):
    """One form for both audiences: staff ("their goals") and the person ("your goals"). Saving
    a draft needs nothing; completing it is checked by the service."""

    support_areas: forms.ModelMultipleChoiceField[SupportArea] = forms.ModelMultipleChoiceField(
        queryset=SupportArea.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    goals = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    languages: forms.ModelMultipleChoiceField[Language] = forms.ModelMultipleChoiceField(
        queryset=Language.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    formats = forms.MultipleChoiceField(
        choices=Format.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    availability_slots = slot_field(label="")
    availability = forms.CharField(max_length=300, required=False)
    area = forms.CharField(max_length=100, required=False)
    mentor_gender = forms.CharField(max_length=40, required=False)
    mentor_gender_importance = importance_field("How much does the mentor's gender matter?")
    mentor_age_min = forms.IntegerField(min_value=16, max_value=100, required=False)
    mentor_age_max = forms.IntegerField(min_value=16, max_value=100, required=False)
    mentor_age_importance = importance_field("How much does the mentor's age matter?")
    shared_experience_importance = importance_field("")
    accessibility_needs = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    emergency_contact = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    gp_details = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    version = VersionField()

    STAFF_LABELS = {
        "support_areas": "What would they like support with?",
        "goals": "Their goals, in their own words",
        "languages": "Languages they would like to be mentored in",
        "formats": "Ways of meeting that suit them",
        "availability_slots": "When are they usually free?",
        "availability": "Anything else about when suits them (optional)",
        "area": "Where they live (town or postcode district, optional)",
        "mentor_gender": "Mentor's gender they would prefer (optional)",
        "mentor_age_min": "Mentor aged from (optional)",
        "mentor_age_max": "Mentor aged up to (optional)",
        "shared_experience_importance": "How much does it matter that the mentor has lived "
        "through something similar?",
        "accessibility_needs": "Accessibility needs (optional)",
        "emergency_contact": "Emergency contact (optional)",
        "gp_details": "GP practice (optional)",
        "notes": "Notes for staff (optional)",
    }
    STAFF_HELP = {
        "goals": "Write what they said, in their words, not a summary. The mentor will see this "
        "once they are matched.",
        "emergency_contact": "Name, relationship and phone number. Only used if we are worried "
        "about their safety.",
        "gp_details": "Practice name and town. Only used if we are worried about their safety.",
        "notes": "Only coordinators see these. They are not shared with the person or a mentor.",
    }
    PERSON_LABELS = {
        "support_areas": "What would you like support with?",
        "goals": "Your goals, in your own words",
        "languages": "Which languages would you like to be mentored in?",
        "formats": "How would you like to meet your mentor?",
        "availability_slots": "When are you usually free?",
        "availability": "Anything else about when suits you? (optional)",
        "area": "Where do you live? (town or postcode district, optional)",
        "mentor_gender": "Would you prefer a mentor of a particular gender? (optional)",
        "mentor_gender_importance": "How much does that matter to you?",
        "mentor_age_min": "Mentor aged from (optional)",
        "mentor_age_max": "Mentor aged up to (optional)",
        "mentor_age_importance": "How much does the mentor's age matter to you?",
        "shared_experience_importance": "How much does it matter to you that your mentor has "
        "lived through something similar?",
        "accessibility_needs": "Is there anything that would make meeting easier for you? "
        "(optional)",
        "emergency_contact": "Someone we can contact in an emergency (optional)",
        "gp_details": "Your GP practice (optional)",
    }
    PERSON_HELP = {
        "goals": "What would you like to be different by the end of mentoring? There are no "
        "wrong answers; a sentence or two is plenty. Your mentor will see this.",
        "accessibility_needs": "For example: step-free access, large print, a quiet place, "
        "extra time.",
        "emergency_contact": "Their name, how they know you, and their phone number. We only use "
        "this if we are worried about your safety. You can leave it blank.",
        "gp_details": "The practice name and town. We only use this if we are worried about "
        "your safety. You can leave it blank.",
        "availability_slots": "Tick every part of the week you could usually meet.",
    }

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        for_person: bool = False,
        referral: Referral | None = None,
        intake: Intake | None = None,
        **kwargs: Any,
    ) -> None:
        if referral is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(referral, intake)
        super().__init__(*args, **kwargs)
        self.for_person = for_person
        areas = self.fields["support_areas"]
        assert isinstance(areas, forms.ModelMultipleChoiceField)
        areas.queryset = support_areas(organisation)
        languages = self.fields["languages"]
        assert isinstance(languages, forms.ModelMultipleChoiceField)
        languages.queryset = Language.objects.all()
        labels, help_texts = (
            (self.PERSON_LABELS, self.PERSON_HELP)
            if for_person
            else (self.STAFF_LABELS, self.STAFF_HELP)
        )
        for name, label in labels.items():
            self.fields[name].label = label
        for name, text in help_texts.items():
            self.fields[name].help_text = text
        if for_person:
            del self.fields["notes"]
        if not areas.queryset.exists():
            del self.fields["support_areas"]  # an organisation that has not listed any yet

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("mentor_age_min"), cleaned.get("mentor_age_max")
        if low is not None and high is not None and low > high:
            self.add_error("mentor_age_max", "This needs to be the same as or above “aged from”.")
        return cleaned

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The form in parts, each under its own heading, in the order a conversation goes."""
        titles = self.PERSON_SECTIONS if self.for_person else self.STAFF_SECTIONS
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in zip(titles, self.SECTION_FIELDS, strict=True)
        ]

    SECTION_FIELDS = (
        ("support_areas", "goals"),
        ("languages", "formats", "availability_slots", "availability", "area"),
        (
            "mentor_gender",
            "mentor_gender_importance",
            "mentor_age_min",
            "mentor_age_max",
            "mentor_age_importance",
            "shared_experience_importance",
        ),
        ("accessibility_needs", "emergency_contact", "gp_details"),
        ("notes",),
    )
    STAFF_SECTIONS = (
        "Support and goals",
        "Meeting",
        "Preferences about a mentor",
        "Access and safety",
        "For staff",
    )
    PERSON_SECTIONS = (
        "What you would like",
        "How and when you can meet",
        "Your mentor",
        "Making it work for you",
        "",
    )


def initial_from(referral: Referral, intake: Intake | None) -> dict[str, Any]:
    """What is already known: the referral as the person sent it, and any saved draft."""
    initial: dict[str, Any] = {
        "support_areas": list(referral.support_areas.all()),
        "languages": list(referral.languages.all()),
        "formats": list(referral.formats),
        "availability_slots": list(referral.availability_slots),
        "availability": referral.availability,
        "area": referral.area,
        "mentor_gender": referral.mentor_gender,
        "mentor_gender_importance": referral.mentor_gender_importance,
        "mentor_age_min": referral.mentor_age_min,
        "mentor_age_max": referral.mentor_age_max,
        "mentor_age_importance": referral.mentor_age_importance,
        "shared_experience_importance": referral.shared_experience_importance,
    }
    if intake is not None:
        for name in ("goals", "accessibility_needs", "emergency_contact", "gp_details", "notes"):
            initial[name] = getattr(intake, name)
    initial["version"] = intake_version(intake)
    return initial


def intake_version(intake: Intake | None) -> int:
    """The version a form shows: 0 while no draft has been saved yet."""
    return intake.version if intake is not None else 0


class AvailabilityForm(forms.Form):
    """The mentee's own update while they wait."""

    availability_slots = slot_field(
        label="When are you usually free?",
        help_text="Tick every part of the week you could usually meet.",
    )
    availability = forms.CharField(
        max_length=300,
        required=False,
        label="Anything else about when suits you? (optional)",
        help_text="For example: not in school holidays, or only after 6pm.",
    )


class CheckInForm(forms.Form):
    """What happened when a coordinator got in touch with someone waiting."""

    method = forms.ChoiceField(choices=ContactMethod.choices, label="How")
    outcome = forms.ChoiceField(
        choices=[(outcome.value, outcome.label) for outcome in CHECK_IN_OUTCOMES],
        label="What happened",
    )
    note = forms.CharField(
        max_length=500,
        required=False,
        label="Note (optional)",
        help_text="Only coordinators see this.",
    )
