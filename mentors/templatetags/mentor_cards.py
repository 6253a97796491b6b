"""Mentor cards (``mentors/profiles/_public_profile.html``) written in one pass in Python: the
directory shows 24 a page, and the template looks up every field of every card one at a time.
The HTML is what the template writes; tests hold the two together."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from alongside.links import url_for_each
from alongside.widgets import escape_text
from mentors.cards import PublicProfile

register = template.Library()

_FULL = SafeString(
    '\n<p class="mb-2"><span class="badge text-bg-light border">No places free just now</span></p>'
)


@register.simple_tag
def public_cards(cards: Iterable[PublicProfile], level: int = 0, link: bool = False) -> SafeString:
    """Each card as the template writes it with ``level`` (a heading level, or 0 for none) and
    ``link`` (whether the name links to the mentor's page in the directory)."""
    profile_url = url_for_each("mentors:directory_profile") if link else None
    return mark_safe(  # noqa: S308 - every value is escaped
        "\n".join(_card(card, level, profile_url(card.pk) if profile_url else "") for card in cards)
    )


def _card(card: PublicProfile, level: int, url: str) -> str:
    heading = ""
    labelled_by = ""
    if level:
        labelled_by = f' aria-labelledby="mentor-{card.pk}-name"'
        name = escape_text(card.display_name)
        if url:
            name = f'<a href="{escape_text(url)}">{name}</a>'
        heading = f'\n<h{level} class="h5 mb-1" id="mentor-{card.pk}-name">{name}</h{level}>'
    gender = (
        f'\n<p class="text-body-secondary mb-2">{escape_text(card.gender)}</p>'
        if card.gender
        else ""
    )
    bio = "\n" + linebreaks(card.bio, autoescape=True) if card.bio else ""
    return (
        f'<article class="card card-calm mb-3"{labelled_by}>\n<div class="card-body">'
        f"{heading}{_FULL if card.full else ''}{gender}{bio}"
        f'\n<dl class="row mb-0">{_details(card)}\n</dl>\n</div>\n</article>'
    )


def _details(card: PublicProfile) -> str:
    parts = []
    for label, value in (
        ("Lived experience of", card.areas),
        ("Particularly likes to help with", card.specialisms),
        ("Languages", card.languages),
        ("Can meet by", card.formats),
        ("Based in", card.area),
    ):
        if value:
            shown = _joined(value) if isinstance(value, list) else escape_text(value)
            parts.append(
                f'\n<dt class="col-sm-4 fw-semibold">{label}</dt><dd class="col-sm-8">{shown}</dd>'
            )
    if card.slots:
        times = "".join(f"<li>{escape_text(str(slot))}</li>" for slot in card.slots)
        parts.append(
            '\n<dt class="col-sm-4 fw-semibold">Usually free</dt>'
            f'\n<dd class="col-sm-8"><ul class="list-unstyled mb-0">{times}</ul></dd>'
        )
    return "".join(parts)


def _joined(values: list[str]) -> str:
    """``{{ values|join:", " }}``: each value escaped."""
    return ", ".join(escape_text(value) for value in values)
