"""The mentee's own toolkit and practice log, the weekly-idea preference, a relationship's
"Toolkit" section, and programme insights for coordinators."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import STAFF_ROLES
from accounts.models import Organisation, Role
from alongside.forms import add_service_errors
from mentoring.access import Viewer, mentee_name, relationship_for_page
from mentoring.navigation import layout_context
from mentoring.safety import help_value, help_wanted
from safeguarding.selectors import crisis_resources_for
from toolkit.access import entry_for, membership_for, mentor_relationship_with, page_user
from toolkit.forms_personal import RETURN_TO_TOOLKIT, PracticeForm, PreferencesForm
from toolkit.models import ToolkitEntry
from toolkit.selectors import (
    HELPFULNESS_LABELS,
    HowItGoes,
    entry_practices,
    how_it_goes,
    preferences_for,
    stars_text,
    toolkit_for,
)
from toolkit.selectors import (
    insights as programme_insights,
)
from toolkit.services.practice import Logged, practice_log, preferences_save
from toolkit.services.practice import entry_remove as remove_entry

HELP_FLAG = "help"
LOGGED = "Saved: you tried “{title}”. Noticing what helps you is a skill in itself."


@dataclass(frozen=True)
class EntryRow:
    entry: ToolkitEntry
    how: HowItGoes
    form: PracticeForm | None = None


def _rows(entries: list[ToolkitEntry]) -> list[EntryRow]:
    return [EntryRow(entry, how_it_goes(entry)) for entry in entries]


def _help_context(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    show, serious = help_wanted(request.GET.get(HELP_FLAG))
    return {
        "show_help": show,
        "serious": show and serious,
        "resources": list(crisis_resources_for(organisation)) if show else [],
        "organisation": organisation,
    }


def _shared_by(entry: ToolkitEntry) -> str:
    """Who put the skill in the toolkit, as the people involved call them."""
    if entry.shared_by_id is None:
        return ""
    if entry.relationship is not None:
        return entry.relationship.mentor.display_name
    return "a mentor"


def _after_logging(found: ToolkitEntry, form: PracticeForm, *, logged: Logged) -> str:
    """Back where the mentee logged it: their toolkit, at the skill, or the skill's history."""
    if form.cleaned_data["return_to"] == RETURN_TO_TOOLKIT:
        url, anchor = reverse("toolkit:mine"), f"#entry-{found.pk}"
    else:
        url, anchor = reverse("toolkit:entry", args=[found.pk]), "#history"
    wanted = help_value(logged.at_risk, logged.serious)
    if wanted:
        url, anchor = f"{url}?{HELP_FLAG}={wanted}", "#help-now-heading"
    return url + anchor


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    membership = membership_for(request, (Role.MENTEE,))
    user = page_user(request)
    rows = [
        EntryRow(
            entry,
            how_it_goes(entry),
            PracticeForm(auto_id=f"id_entry{entry.pk}_%s", return_to=RETURN_TO_TOOLKIT),
        )
        for entry in toolkit_for(user, membership.organisation)
    ]
    return render(
        request,
        "toolkit/personal/mine.html",
        {
            "rows": rows,
            "preferences": preferences_for(user),
            **_help_context(request, membership.organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    """The mentee's skill in full, with their practice log and the "I tried this" form. Their
    current mentor may read it: dates and ratings, never the mentee's notes."""
    membership = membership_for(request)
    user = page_user(request)
    found = entry_for(user, membership, pk)
    is_owner = found.person_id == user.pk
    form: PracticeForm | None = None
    if request.method == "POST":
        if not is_owner:
            raise Http404
        form = PracticeForm(request.POST)
        if form.is_valid():
            try:
                logged = practice_log(
                    actor=user,
                    entry=found,
                    helpfulness=form.cleaned_data["helpfulness"],
                    practised_on=form.cleaned_data["practised_on"],
                    note=form.cleaned_data["note"],
                    client_key=form.cleaned_data["client_key"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if logged.created:
                    messages.success(request, LOGGED.format(title=found.skill.title))
                return redirect(_after_logging(found, form, logged=logged))
    elif is_owner:
        form = PracticeForm()
    if is_owner:
        person_name, back_url = "", reverse("toolkit:mine")
    else:
        theirs = mentor_relationship_with(user, membership, found.person_id)
        person_name = mentee_name(theirs)
        back_url = reverse("toolkit:relationship", args=[theirs.pk])
    entry_with_people = ToolkitEntry.objects.select_related("skill", "relationship__mentor").get(
        pk=found.pk
    )
    return render(
        request,
        "toolkit/personal/entry.html",
        {
            "entry": entry_with_people,
            "skill": entry_with_people.skill,
            "is_owner": is_owner,
            "person_name": person_name,
            "back_url": back_url,
            "shared_by": _shared_by(entry_with_people),
            "practices": [
                (
                    practice,
                    HELPFULNESS_LABELS[practice.helpfulness],
                    stars_text(practice.helpfulness),
                )
                for practice in entry_practices(found)
            ],
            "form": form,
            **_help_context(request, membership.organisation),
        },
    )


@login_required
@require_POST
def entry_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_for(request, (Role.MENTEE,))
    user = page_user(request)
    found = entry_for(user, membership, pk, owner_only=True)
    remove_entry(actor=user, entry=found)
    messages.success(
        request,
        f"“{found.skill.title}” is no longer in your toolkit. What you noted about it is kept: "
        "save it again from the skills library to bring it back.",
    )
    return redirect("toolkit:mine")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    membership_for(request, (Role.MENTEE,))
    user = page_user(request)
    current = preferences_for(user)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            saved = preferences_save(actor=user, weekly_nudge=form.cleaned_data["weekly_nudge"])
            messages.success(
                request,
                "Saved. You will get a small idea from your toolkit each week."
                if saved.weekly_nudge
                else "Saved. We will not send you weekly ideas. You can turn them back on here.",
            )
            return redirect("toolkit:preferences")
    else:
        form = PreferencesForm(initial={"weekly_nudge": current.weekly_nudge})
    return render(request, "toolkit/personal/preferences.html", {"form": form})


@login_required
@require_GET
def relationship(request: HttpRequest, pk: int) -> HttpResponse:
    """The relationship's "Toolkit" section: the skills in the mentee's toolkit and how they
    are going (never their notes). Staff see only what was shared in this mentoring."""
    access = relationship_for_page(request, pk, allow=(Viewer.MENTOR, Viewer.MENTEE, Viewer.STAFF))
    here = access.relationship
    entries = list(toolkit_for(here.mentee, here.organisation))
    shared_here = [entry for entry in entries if entry.relationship_id == here.pk]
    others = [] if access.is_staff else [e for e in entries if e.relationship_id != here.pk]
    return render(
        request,
        "toolkit/personal/relationship.html",
        {
            **layout_context(access, "Toolkit"),
            "shared_here": _rows(shared_here),
            "others": _rows(others),
            "can_share": access.is_mentor and not here.is_ended,
        },
    )


@login_required
@require_GET
def insights(request: HttpRequest) -> HttpResponse:
    membership = membership_for(request, STAFF_ROLES)
    return render(
        request,
        "toolkit/personal/insights.html",
        {"insights": programme_insights(membership.organisation)},
    )
