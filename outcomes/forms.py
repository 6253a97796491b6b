"""Forms for completing a measure: one question at a time."""

from __future__ import annotations

from typing import Any

from django import forms

from outcomes import instruments as engine

CHOOSE = "Choose an answer, or skip this question."
NOT_SHOWN = "Choose one of the answers shown, or skip this question."


class AnswerForm(forms.Form):
    """One question of an instrument: its options as radio buttons, in the instrument's order.
    The value comes back as the option's number (``int``)."""

    answer = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE, "invalid_choice": NOT_SHOWN},
    )

    def __init__(
        self, *args: Any, definition: engine.Instrument, item: engine.Item, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["answer"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(option.value, option.label) for option in definition.options]
        field.label = item.text
