"""Email leaves the request: it is rendered now and sent by the task worker after commit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

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


def send_templated_email(template_prefix: str, *, to: list[str], context: dict[str, Any]) -> None:
    """Render ``<prefix>_subject.txt`` and ``<prefix>_message.txt`` and queue the email.

    Messages say as little as possible about why someone is in touch with the service: an
    email can be read over someone's shoulder.
    """
    recipients = [address for address in to if address]
    if not recipients:
        return
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"{template_prefix}_subject.txt", context).strip()
    body = render_to_string(f"{template_prefix}_message.txt", context)
    message = EmailMessage(
        subject=f"Alongside: {subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    send_email_after_commit(message)
