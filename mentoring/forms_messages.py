"""The form for sending a message to the other person in the pair."""

from __future__ import annotations

from django import forms

from mentoring.forms_base import MentoringForm
from mentoring.services.messages import MESSAGE_MAX


class MessageForm(MentoringForm):
    body = forms.CharField(
        label="Your message",
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Up to {MESSAGE_MAX:,} characters. Keep in touch here rather than by phone "
        "or email: please do not share contact details.",
        error_messages={
            "required": "Write your message before sending it.",
            "max_length": f"Keep your message to {MESSAGE_MAX:,} characters or fewer. You "
            "could send it in two parts.",
        },
    )

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError("Write your message before sending it.")
        return body
