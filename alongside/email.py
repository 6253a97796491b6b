"""Email leaves the request: it is rendered now and sent by the task worker after commit."""

from __future__ import annotations

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction

from alongside.tasks import send_email


def send_email_after_commit(message: EmailMessage) -> None:
    """Queue a rendered message; if the surrounding transaction rolls back, nothing is sent."""
    html_body = ""
    if isinstance(message, EmailMultiAlternatives):
        for content, mimetype in message.alternatives:
            if mimetype == "text/html":
                html_body = str(content)
    payload = {
        "subject": str(message.subject),
        "body": str(message.body),
        "to": list(message.to),
        "from_email": message.from_email,
        "html_body": html_body,
    }
    transaction.on_commit(lambda: send_email.enqueue(**payload))
