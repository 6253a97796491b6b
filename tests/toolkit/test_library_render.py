"""How the skills library writes its filters and skill cards: the filter selects in one pass,
as Django's select template writes them, and each tag in words."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template.loader import render_to_string

from toolkit.forms_library import LibraryFilterForm
from toolkit.models import Skill, SkillTag


def tidy(html) -> str:
    return re.sub(r">\s+", ">", re.sub(r"\s+", " ", str(html))).replace(" >", ">")


@pytest.mark.parametrize(
    "query", [None, {"tag": "sleep", "kind": "life"}, {"tag": "nonsense", "kind": ""}]
)
def test_the_filters_are_written_as_the_select_template_writes_them(query):
    quick, plain = LibraryFilterForm(query), LibraryFilterForm(query)
    for name in ("tag", "kind"):
        field = plain.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.widget = forms.Select(choices=field.choices)
    quick.is_valid(), plain.is_valid()
    for name in ("tag", "kind"):
        assert type(quick.fields[name].widget) is not forms.Select
        assert tidy(quick[name].as_field_group()) == tidy(plain[name].as_field_group())


def test_each_tag_is_written_in_words_and_an_unknown_one_as_stored():
    skill = Skill(pk=7, title="Box breathing", tags=[SkillTag.LOW_MOOD, "retired_tag"])
    assert skill.tag_labels == ["Low mood", "retired_tag"]
    card = render_to_string("toolkit/_skill_card.html", {"skill": skill, "link": "/x/"})
    assert ">Low mood</span>" in card and ">retired_tag</span>" in card
    assert [label.label for label in SkillTag] == [
        Skill(tags=[tag.value]).tag_labels[0] for tag in SkillTag
    ]
