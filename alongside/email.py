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
    subject, body, to = str(message.subject), str(message.body), list(message.to)
    from_email = str(message.from_email)
    transaction.on_commit(
        lambda: send_email.enqueue(
            subject=subject, body=body, to=to, from_email=from_email, html_body=html_body
        )
    )
