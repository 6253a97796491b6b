"""Form widgets shared by every app, and the escaping they (and other HTML written in Python)
use."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def escape_text(value: Any) -> str:
    """``conditional_escape``, with plain strings (nearly every label) escaped directly as
    Django's ``escape`` does, without its wrapper for lazy strings, ten times slower: pages that
    write hundreds of names add up."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(value)


def _attributes(attrs: Mapping[str, Any]) -> str:
    """Attributes as the site's ``attrs.html`` writes them: no class (the widget adds its own)
    and no placeholder, a True value as a bare name, a False one left out."""
    parts = []
    for name, value in attrs.items():
        if name in ("class", "placeholder") or value is False:
            continue
        if value is True:
            parts.append(f" {escape_text(name)}")
        else:
            parts.append(f' {escape_text(name)}="{escape_text(value)}"')
    return "".join(parts)


class QuickSelect(forms.Select):
    """A drop-in for ``forms.Select`` that writes its options in one pass in Python, where the
    site's select template includes a template for every option: the same elements and
    attributes (id, name, aria attributes, required, the selected choice, groups), for choices
    that run to hundreds.

    Options carry no attributes of their own (``create_option`` is not called)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        extra_class = final_attrs.get("class")
        css = f"form-select {escape_text(extra_class)}" if extra_class else "form-select"
        options = _Options(self.format_value(value), multiple=self.allow_multiple_selected)
        for choice_value, choice_label in self.choices:
            if isinstance(choice_label, list | tuple):
                options.group(choice_value, choice_label)
            else:
                options.add("" if choice_value is None else choice_value, choice_label)
        return mark_safe(  # noqa: S308 - every name, value and label is escaped
            f'<select name="{escape_text(name)}"{_attributes(final_attrs)} class="{css}">'
            f"{options.html()}\n</select>"
        )


class _Options:
    """The ``<option>`` elements of one select, marking selected the first choice whose value is
    chosen (every such choice when several may be chosen), as Django's ``optgroups`` does."""

    def __init__(self, chosen: Iterable[str], *, multiple: bool) -> None:
        self.chosen = set(chosen)
        self.multiple = multiple
        self.any_selected = False
        self.parts: list[str] = []

    def add(self, value: object, label: object) -> None:
        text = str(value)
        if text in self.chosen and (self.multiple or not self.any_selected):
            self.any_selected = True
            mark = " selected"
        else:
            mark = ""
        shown_value = text if type(value) is int else escape_text(text)
        self.parts.append(f'\n<option value="{shown_value}"{mark}>{escape_text(label)}</option>')

    def group(self, name: object, choices: Iterable[tuple[object, object]]) -> None:
        self.parts.append(f'\n<optgroup label="{escape_text(name)}">')
        for value, label in choices:
            self.add(value, label)
        self.parts.append("\n</optgroup>")

    def html(self) -> str:
        return "".join(self.parts)
