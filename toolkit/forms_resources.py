"""Forms for the community resources directory: the search and filters, adding or editing an
entry, and recommending one to a mentee. The rules live in ``toolkit.services.resources``; the
entry form asks them too, so every problem shows next to its field at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone

from accounts.models import SupportArea
from toolkit.forms_notes import NoteForm
from toolkit.models import Cost, Delivery
from toolkit.services.resources import (
    NO_CONTACT,
    NOTE_MAX,
    REQUIRED,
    RESOURCE_FIELDS,
    resource_fields_clean,
)

ANY = ""
IN_PERSON = "in_person"
ONLINE = "online"
DELIVERY_FILTERS = [
    (ANY, "Either"),
    (IN_PERSON, "In person"),
    (ONLINE, "Online or by phone"),
]


def set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class ResourceFilterForm(forms.Form):
    """The directory's search. A choice that is not on the list is ignored, not an error."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="Words in the name, what it offers or who it is for.",
    )
    need = forms.ChoiceField(label="Area of need", required=False)
    area = forms.ChoiceField(label="Town or area", required=False)
    delivery = forms.ChoiceField(
        label="In person or online", required=False, choices=DELIVERY_FILTERS
    )
    cost = forms.ChoiceField(
        label="Cost", required=False, choices=[(ANY, "Any cost"), *Cost.choices]
    )
    archived = forms.BooleanField(label="Show archived resources instead", required=False)

    def __init__(
        self,
        *args: Any,
        needs: Sequence[SupportArea],
        places: Sequence[str],
        is_staff: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "need", [(ANY, "Any need"), *((str(n.pk), n.name) for n in needs)])
        set_choices(self, "area", [(ANY, "Anywhere"), *((place, place) for place in places)])
        if not is_staff:
            del self.fields["archived"]

    def choice_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("need", "area", "delivery", "cost")]

    def chosen(self) -> dict[str, Any]:
        """The filters to apply: valid choices only, blanks for everything else."""
        if not self.is_bound:
            return {
                "text": "",
                "need": None,
                "area": "",
                "delivery": "",
                "cost": "",
                "archived": False,
            }
        self.is_valid()
        data = self.cleaned_data
        need = data.get("need") or ""
        return {
            "text": (data.get("q") or "").strip(),
            "need": int(need) if need else None,
            "area": data.get("area") or "",
            "delivery": data.get("delivery") or "",
            "cost": data.get("cost") or "",
            "archived": bool(data.get("archived")),
        }


class ResourceForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=150, error_messages={"required": REQUIRED["name"]}
    )
    offers = forms.CharField(
        label="What it offers",
        max_length=800,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In a sentence or two, in plain words.",
        error_messages={"required": REQUIRED["offers"]},
    )
    who_for = forms.CharField(
        label="Who it is for",
        max_length=300,
        help_text="For example: adults in Riverside caring for someone.",
        error_messages={"required": REQUIRED["who_for"]},
    )
    needs = forms.MultipleChoiceField(
        label="Areas of need it helps with (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People searching the directory by need will find it under these.",
    )
    delivery = forms.ChoiceField(
        label="How it is offered", choices=Delivery.choices, widget=forms.RadioSelect
    )
    area = forms.CharField(
        label="Town or area it serves (optional)",
        max_length=100,
        required=False,
        help_text="People can filter by this, so spell it the same way each time.",
    )
    address = forms.CharField(label="Address (optional)", max_length=250, required=False)
    phone = forms.CharField(label="Phone (optional)", max_length=40, required=False)
    email = forms.CharField(label="Email (optional)", max_length=254, required=False)
    website = forms.CharField(
        label="Website (optional)",
        max_length=200,
        required=False,
        help_text="The full address, like https://example.org.",
    )
    how_to_contact = forms.CharField(
        label="Other ways to get in touch (optional)",
        max_length=300,
        required=False,
        help_text="For example: just turn up, or ask your GP to refer you.",
    )
    opening_times = forms.CharField(
        label="Opening times (optional)", max_length=200, required=False
    )
    cost = forms.ChoiceField(label="Cost", choices=Cost.choices, widget=forms.RadioSelect)
    cost_detail = forms.CharField(
        label="About the cost (optional)",
        max_length=150,
        required=False,
        help_text="For example: £3 a session, free if you are on benefits.",
    )
    last_checked_on = forms.DateField(
        label="Details last checked on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="When someone last confirmed these details are right.",
        error_messages={
            "required": "Enter the date the details were last checked.",
            "invalid": "Enter a date, like 31/01/2025.",
        },
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    CONTACT = ("phone", "email", "website", "how_to_contact")
    ABOUT = ("name", "offers", "who_for", "needs", "delivery", "area", "address")
    PRACTICAL = ("opening_times", "cost", "cost_detail", "last_checked_on")

    def __init__(self, *args: Any, needs: Sequence[SupportArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "needs", [(str(need.pk), need.name) for need in needs])
        if not self.is_bound:
            self.initial.setdefault("last_checked_on", timezone.localdate())
            self.initial.setdefault("delivery", Delivery.IN_PERSON)
            self.initial.setdefault("cost", Cost.FREE)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        given = {name: cleaned[name] for name in RESOURCE_FIELDS if name in cleaned}
        tidied, errors = resource_fields_clean(given, today=timezone.localdate())
        for name, problems in errors.items():
            target = name if name in self.fields else None
            if target is None or target not in self.errors:
                self.add_error(target, problems)
        cleaned.update({name: value for name, value in tidied.items() if name not in errors})
        return cleaned

    def groups(self) -> list[tuple[str, str, str, list[forms.BoundField]]]:
        """Fields in the order a person thinks about them, each group with a short hint and the
        problem with the group as a whole, if any (no way to get in touch)."""
        no_contact = NO_CONTACT if self.is_bound and NO_CONTACT in self.non_field_errors() else ""
        return [
            ("About it", "", "", [self[name] for name in self.ABOUT]),
            (
                "How to get in touch",
                "Give at least one.",
                no_contact,
                [self[name] for name in self.CONTACT],
            ),
            ("Times and cost", "", "", [self[name] for name in self.PRACTICAL]),
        ]

    def resource_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in RESOURCE_FIELDS}

    def refresh_version(self, version: int) -> None:
        """After a refused (stale) save: keep what was typed, but carry the latest version so
        saving again counts as made against it."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data["version"] = str(version)
        self.data = data

    def chosen_needs(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("needs", [])]


class RecommendForm(NoteForm):
    person = forms.ChoiceField(
        label="Recommend to", error_messages={"required": "Choose who to recommend it to."}
    )
    note = forms.CharField(
        label="A short note for them (optional)",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, why you think it could help. They see it with the resource.",
    )

    def __init__(self, *args: Any, people: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "person", self.choices_for(people))

    @staticmethod
    def choices_for(people: Sequence[tuple[int, str]]) -> list[tuple[str, str]]:
        """The people to choose from; "Choose a mentee" first unless there is only one."""
        choices = [(str(pk), name) for pk, name in people]
        if len(people) != 1:
            choices.insert(0, ("", "Choose a mentee"))
        return choices
