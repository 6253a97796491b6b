"""Forms for the applicant's side of becoming a mentor."""

from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import Language, Organisation
from mentors.models import Format, MentorApplication
from mentors.selectors import support_areas


class ApplicationForm(forms.ModelForm[MentorApplication]):
    """Saving keeps whatever is there; sending asks for everything the coordinator needs."""

    formats = forms.MultipleChoiceField(
        choices=Format.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="How could you meet mentees?",
    )

    class Meta:
        model = MentorApplication
        fields = [
            "full_name",
            "preferred_name",
            "email",
            "phone",
            "motivation",
            "lived_experience_areas",
            "lived_experience_notes",
            "languages",
            "availability",
            "formats",
            "area",
            "consent_to_checks",
        ]
        labels = {
            "full_name": "Full name",
            "preferred_name": "What would you like us to call you? (optional)",
            "email": "Email address",
            "phone": "Phone number (optional)",
            "motivation": "Why would you like to be a peer mentor?",
            "lived_experience_areas": "Which of these have you lived experience of?",
            "lived_experience_notes": "Anything you would like to add about your experience? "
            "(optional)",
            "languages": "Which languages could you mentor in?",
            "availability": "When are you usually free? (optional)",
            "area": "Where are you based? (town or postcode district, optional)",
            "consent_to_checks": "I agree to the programme contacting two referees and carrying "
            "out a background check (such as a DBS check)",
        }
        help_texts = {
            "motivation": "A few sentences is plenty. There are no wrong answers.",
            "lived_experience_areas": "Share only what you are comfortable with. This helps us "
            "match you with people you could understand. Nothing is shown to mentees until you "
            "have checked your mentor profile and chosen to be listed.",
            "email": "We will send you a private link to come back to your application.",
            "availability": "For example: weekday evenings, Saturday mornings.",
        }
        widgets = {
            "motivation": forms.Textarea(attrs={"rows": 5}),
            "lived_experience_notes": forms.Textarea(attrs={"rows": 3}),
            "lived_experience_areas": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = self.fields["lived_experience_areas"]
        assert isinstance(areas, forms.ModelMultipleChoiceField)
        areas.queryset = support_areas(organisation)
        languages = self.fields["languages"]
        assert isinstance(languages, forms.ModelMultipleChoiceField)
        languages.queryset = Language.objects.all()
        for name in ("lived_experience_areas", "languages", "full_name", "motivation"):
            self.fields[name].required = False
        if self.instance.pk:
            self.initial.setdefault("formats", self.instance.formats)
