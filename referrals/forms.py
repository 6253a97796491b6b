"""The referral form: one class for a person referring themselves and for a partner referring
someone, so both ask the same questions and check them the same way."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django import forms
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import reverse
from django.utils.html import format_html

from accounts.models import Language, Organisation, SupportArea
from mentors.models import Format
from mentors.selectors import support_areas
from referrals.availability import DAY_PARTS, WEEKDAYS
from referrals.models import Importance, SafeNow, Source
from referrals.rules import OLDEST_AGE, YOUNGEST_AGE, normalise_preferences, referral_problems

# Parts of the week, grouped by day so the form can show one row of boxes per day.
SLOTS_BY_DAY = [
    (day_label, [(f"{day}_{part}", part_label) for part, part_label, _, _ in DAY_PARTS])
    for day, day_label in WEEKDAYS
]

# Fields the form asks for that referral_create does not store as answers.
_FORM_ONLY = ("idempotency_key", "consent", "person_agreed", "source")

_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

# The same questions, asked of the person themselves or of someone referring them.
_WORDS: dict[str, dict[str, str]] = {
    "full_name": {"self": "Your full name", "partner": "The person's full name"},
    "preferred_name": {
        "self": "What would you like us to call you? (optional)",
        "partner": "What would they like to be called? (optional)",
    },
    "year_of_birth": {
        "self": "Year of birth (optional)",
        "partner": "Their year of birth (optional)",
    },
    "gender": {"self": "Your gender (optional)", "partner": "Their gender (optional)"},
    "email": {"self": "Email address", "partner": "Their email address"},
    "phone": {"self": "Phone number", "partner": "Their phone number"},
    "voicemail_ok": {
        "self": "It is OK to leave a voicemail",
        "partner": "It is OK to leave them a voicemail",
    },
    "email_ok": {"self": "It is OK to email me", "partner": "It is OK to email them"},
    "text_ok": {
        "self": "It is OK to send me text messages",
        "partner": "It is OK to send them text messages",
    },
    "best_time_to_contact": {
        "self": "When is the best time to contact you? (optional)",
        "partner": "When is the best time to contact them? (optional)",
    },
    "safe_now": {"self": "Are you safe right now?", "partner": "Is the person safe right now?"},
    "support_areas": {
        "self": "What would you like support with? (optional)",
        "partner": "What would they like support with? (optional)",
    },
    "hopes": {
        "self": "What do you hope to get from mentoring? (optional)",
        "partner": "What do they hope to get from mentoring? (optional)",
    },
    "languages": {
        "self": "Which languages are you comfortable using?",
        "partner": "Which languages are they comfortable using?",
    },
    "formats": {
        "self": "How would you like to meet your mentor?",
        "partner": "How would they like to meet a mentor?",
    },
    "area": {
        "self": "Where do you live? (town or postcode district, optional)",
        "partner": "Where do they live? (town or postcode district, optional)",
    },
    "availability_slots": {
        "self": "When could you usually meet?",
        "partner": "When could they usually meet?",
    },
    "availability": {
        "self": "Anything else about when suits you? (optional)",
        "partner": "Anything else about when suits them? (optional)",
    },
    "mentor_gender": {
        "self": "Would you like a mentor of a particular gender? (optional)",
        "partner": "Would they like a mentor of a particular gender? (optional)",
    },
    "shared_experience_importance": {
        "self": "How much does it matter that your mentor has lived experience of the same "
        "things as you?",
        "partner": "How much does it matter to them that their mentor has lived experience of "
        "the same things?",
    },
}

_PARTNER_SAFE_NOW = [
    (SafeNow.YES.value, "Yes, they are safe right now"),
    (SafeNow.NO.value, "No, they are not safe right now"),
    (SafeNow.UNSURE.value, "They are not sure, or I am not sure"),
]


class SlotsWidget(forms.CheckboxSelectMultiple):
    """One small group of boxes per day (morning, afternoon, evening), each with the day as its
    legend, so a screen reader says "Monday, Morning" and a phone shows a tidy row per day."""

    template_name = "referrals/self_referral/slots_widget.html"


class ColumnsWidget(forms.CheckboxSelectMultiple):
    """Many short choices in two columns, so a phone shows them without endless scrolling."""

    template_name = "referrals/self_referral/columns_widget.html"


class ReferralForm(forms.Form):
    """Everything ``referral_create`` needs. ``partner=True`` asks about "the person" and adds
    the referrer's own questions."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    full_name = forms.CharField(max_length=150)
    preferred_name = forms.CharField(max_length=80, required=False)
    year_of_birth = forms.IntegerField(
        required=False, help_text="For example: 1990. This helps us find a suitable mentor."
    )
    gender = forms.CharField(max_length=40, required=False, help_text="In your own words.")

    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    voicemail_ok = forms.BooleanField(required=False)
    email_ok = forms.BooleanField(required=False)
    text_ok = forms.BooleanField(required=False)
    best_time_to_contact = forms.CharField(
        max_length=150,
        required=False,
        help_text="For example: weekday mornings, or after 6pm.",
    )

    safe_now = forms.ChoiceField(choices=SafeNow.choices, widget=forms.RadioSelect)

    support_areas = forms.ModelMultipleChoiceField(
        queryset=SupportArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick any that fit. Share only what you are comfortable with.",
    )
    hopes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=3000,
        help_text="A sentence or two is plenty. There are no wrong answers.",
    )
    languages = forms.ModelMultipleChoiceField(
        queryset=Language.objects.none(), widget=ColumnsWidget, required=False
    )
    formats = forms.MultipleChoiceField(
        choices=Format.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick all that would work.",
    )
    area = forms.CharField(
        max_length=100,
        required=False,
        help_text="For example: Leeds, or LS6. We use this to find a mentor nearby.",
    )
    availability_slots = forms.MultipleChoiceField(
        choices=SLOTS_BY_DAY,
        widget=SlotsWidget,
        required=False,
        help_text="Tick the times that usually suit. You can leave this blank.",
    )
    availability = forms.CharField(
        max_length=300,
        required=False,
        help_text="For example: not the first week of the month.",
    )

    mentor_gender = forms.CharField(
        max_length=40, required=False, help_text="For example: a woman, a man, non-binary."
    )
    mentor_gender_importance = forms.ChoiceField(
        choices=Importance.choices,
        initial=Importance.NONE,
        widget=forms.RadioSelect,
        label="How much does the mentor's gender matter?",
    )
    mentor_age_min = forms.IntegerField(
        required=False, min_value=YOUNGEST_AGE, max_value=OLDEST_AGE, label="Youngest age"
    )
    mentor_age_max = forms.IntegerField(
        required=False, min_value=YOUNGEST_AGE, max_value=OLDEST_AGE, label="Oldest age"
    )
    mentor_age_importance = forms.ChoiceField(
        choices=Importance.choices,
        initial=Importance.NONE,
        widget=forms.RadioSelect,
        label="How much does the mentor's age matter?",
    )
    shared_experience_importance = forms.ChoiceField(
        choices=Importance.choices,
        initial=Importance.NONE,
        widget=forms.RadioSelect,
        help_text="All our mentors have their own experience of mental health difficulties.",
    )

    consent = forms.BooleanField(
        label="I have read this and agree to be referred",
        error_messages={
            "required": "Please tick this box to say you agree. We can only accept a referral "
            "with your agreement."
        },
    )

    def __init__(
        self, *args: Any, organisation: Organisation, partner: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.partner = partner
        voice = "partner" if partner else "self"
        for name, words in _WORDS.items():
            self.fields[name].label = words[voice]
        self._choice_field("support_areas").queryset = support_areas(organisation)
        self._choice_field("languages").queryset = languages_in_order()
        safe_now = self.fields["safe_now"]
        assert isinstance(safe_now, forms.ChoiceField)
        safe_now.help_text = format_html(
            "We ask everyone this, so that anyone who needs help now gets it straight away. "
            '<a href="{}">Get help now</a> lists services you can contact at any time.',
            reverse("get_help_now"),
        )
        if partner:
            self._add_partner_fields()
        if not self.is_bound and not self.initial.get("idempotency_key"):
            self.initial["idempotency_key"] = secrets.token_urlsafe(24)

    def _choice_field(self, name: str) -> forms.ModelMultipleChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        return field

    def _add_partner_fields(self) -> None:
        safe_now = self.fields["safe_now"]
        assert isinstance(safe_now, forms.ChoiceField)
        safe_now.choices = _PARTNER_SAFE_NOW
        safe_now.help_text = format_html(
            "If they are not safe, we will show you services to pass on straight away and "
            'alert the coordinator. <a href="{}">Get help now</a> lists them too.',
            reverse("get_help_now"),
        )
        self.fields["gender"].help_text = "In their own words."
        self.fields["support_areas"].help_text = "Tick any that fit, as the person told you."
        self.fields[
            "shared_experience_importance"
        ].help_text = "All our mentors have their own experience of mental health difficulties."
        consent = self.fields["consent"]
        consent.label = "I have shared this statement with the person"
        consent.error_messages["required"] = (
            "Please confirm you have shared this statement with the person."
        )
        self.fields["person_agreed"] = forms.BooleanField(
            label="I confirm the person has agreed to this referral",
            error_messages={
                "required": "Please confirm the person has agreed. We can only accept a "
                "referral with their agreement."
            },
        )
        self.fields["source"] = forms.ChoiceField(
            label="What kind of organisation are you referring from?",
            choices=[(value, label) for value, label in Source.choices if value != Source.SELF],
        )
        self.fields["referrer_organisation_name"] = forms.CharField(
            label="Your organisation's name (optional)", max_length=150, required=False
        )

    # Checks ------------------------------------------------------------------------------------

    def clean_idempotency_key(self) -> str:
        """A key that is missing or not one of ours gets a fresh one: the form still works, it
        just cannot recognise a repeat."""
        key: str = self.cleaned_data.get("idempotency_key", "")
        return key if _KEY_PATTERN.match(key) else secrets.token_urlsafe(24)

    def clean_full_name(self) -> str:
        name: str = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(self.fields["full_name"].error_messages["required"])
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        normalise_preferences(data)
        problems = referral_problems(data, them="them" if self.partner else "you")
        # A field that is already wrong says so itself; checks that lean on it wait until then.
        if self.has_error("email") or self.has_error("phone"):
            for field in ("email", "phone", "email_ok"):
                problems.pop(field, None)
        if self.has_error("support_areas"):
            problems.pop("shared_experience_importance", None)
        for field, problem in problems.items():
            if not self.has_error(field):
                self.add_error(field, problem)
        return data

    # What the services need -------------------------------------------------------------------

    def referral_data(self) -> dict[str, Any]:
        """The answers, as ``referral_create`` takes them."""
        return {name: value for name, value in self.cleaned_data.items() if name not in _FORM_ONLY}

    @property
    def consent_given(self) -> bool:
        agreed = bool(self.cleaned_data.get("consent"))
        if self.partner:
            agreed = agreed and bool(self.cleaned_data.get("person_agreed"))
        return agreed

    @property
    def idempotency_key_for_service(self) -> str:
        return f"form:{self.cleaned_data['idempotency_key']}"


def languages_in_order() -> QuerySet[Language]:
    """English first, as most people here speak it, then the rest by name."""
    return Language.objects.annotate(
        english_first=Case(
            When(code="en", then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("english_first", "name")


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Would you like to tell us why? (optional)",
        help_text="You do not have to give a reason.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )
