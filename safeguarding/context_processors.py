"""The urgent-alert banner: while an urgent safeguarding alert waits for someone to say they are
responding, every signed-in staff member of the organisation (supervisors, coordinators, admins)
sees it on every page. Those who may open the alert get a link to it; anyone else is told who
is on duty to contact, with nothing about the person. Others see nothing and cost no query."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from accounts.models import Membership, Role, User
from safeguarding.selectors import oldest_urgent_alert


@dataclass(frozen=True)
class UrgentBanner:
    alert_url: str = ""  # empty when the person may not open the alert
    on_alert_page: bool = False
    duty_lead_name: str = ""
    duty_lead_email: str = ""


def urgent_banner(request: HttpRequest) -> dict[str, UrgentBanner | None]:
    user = getattr(request, "user", None)
    membership: Membership | None = getattr(request, "membership", None)
    if (
        not isinstance(user, User)
        or not user.is_authenticated
        or membership is None
        or not membership.is_active
        or membership.role not in Role.staff_roles()
    ):
        return {"urgent_banner": None}
    alert = oldest_urgent_alert(user, membership)
    if alert is None:
        return {"urgent_banner": None}
    if alert.viewer_may_see:
        url = reverse("safeguarding:alert", args=[alert.pk])
        return {"urgent_banner": UrgentBanner(alert_url=url, on_alert_page=request.path == url)}
    return {
        "urgent_banner": UrgentBanner(
            duty_lead_name=alert.duty_lead_name, duty_lead_email=alert.duty_lead_email
        )
    }
