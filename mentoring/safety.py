"""Free text the pair write (messages, session notes, reflections) goes through the
safeguarding detector. Until the safeguarding alerts land, a possible risk is recorded on the
record and the mentor's supervisor and the coordinators get a content-free email pointing at
the relationship; the person who wrote it is shown where to get help now.

Callers use ``check_text`` inside the transaction that saves the text, so the notice is queued
only if the save commits.
"""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from accounts.selectors import coordinator_emails
from alongside.email import send_templated_email
from audit.services import audit_record
from mentoring.models import Relationship
from safeguarding.detector import RiskAssessment, assess


def check_text(
    relationship: Relationship, *texts: str, source: str, actor: User | None = None
) -> RiskAssessment:
    """Assess ``texts`` written in ``relationship``; if they suggest risk, tell the people who
    need to know (never what was written). ``source`` is a short label such as "message"."""
    result = assess(*texts)
    if not result.is_risk:
        return result
    audit_record(
        actor=actor,
        action="mentoring.possible_risk",
        organisation=relationship.organisation,
        target=relationship,
        metadata={"source": source, "level": str(result.level)},
    )
    recipients = coordinator_emails(relationship.organisation)
    supervisor = relationship.mentor.supervisor
    if supervisor is not None and supervisor.is_active:
        recipients.append(supervisor.email)
    send_templated_email(
        "mentoring/email/possible_risk",
        to=sorted(set(recipients)),
        context={"path": reverse("mentoring:overview", args=[relationship.pk])},
    )
    return result
