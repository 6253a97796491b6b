"""What every page needs to know: the mode, the person's role, and what to put in the menu."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

from accounts.mfa_policy import mfa_relaxed_for_demo
from accounts.models import Role
from accounts.selectors import demo_accounts
from mentors.dashboard import mentor_navigation

_NAVIGATION: dict[str, list[tuple[str, str]]] = {
    Role.MENTEE: [
        ("My mentoring", "mentoring:index"),
        ("My questionnaires", "outcomes:mine"),
        ("My toolkit", "toolkit:mine"),
        ("My referral", "referrals:my_referral"),
        ("Your match", "matching:mentee_offer"),
        ("Find a mentor", "mentors:directory"),
    ],
    Role.MENTOR: [],  # depends on where they are in the journey: see mentor_navigation
    Role.SUPERVISOR: [
        ("Supervision", "mentors:supervision"),
        ("Flagged sessions", "mentoring:flagged"),
        ("Safeguarding alerts", "safeguarding:alerts"),
        ("Mentoring", "mentoring:index"),
        ("Skills library", "toolkit:skills"),
        ("Community resources", "toolkit:resources"),
    ],
    Role.COORDINATOR: [
        ("Referrals", "referrals:queue"),
        ("Waiting list", "referrals:waiting_list"),
        ("Matching", "matching:overview"),
        ("Relationships", "mentoring:relationships"),
        ("Check-ins", "mentoring:check_ins"),
        ("Safeguarding alerts", "safeguarding:alerts"),
        ("Duty rota", "safeguarding:rota"),
        ("Reports", "reports:dashboard"),
        ("Compliance", "reports:compliance"),
        ("Outcomes", "outcomes:programme"),
        ("Skills library", "toolkit:skills"),
        ("Toolkit insights", "toolkit:insights"),
        ("Community resources", "toolkit:resources"),
        ("Crisis resources", "safeguarding:crisis_resources"),
        ("Applicants", "mentors:board"),
        ("Trainees", "mentors:trainees"),
        ("Mentors", "mentors:directory"),
        ("Supervision", "mentors:supervision"),
        ("People", "people"),
        ("Privacy and data", "privacy:index"),
    ],
    Role.ADMIN: [
        ("Safeguarding alerts", "safeguarding:alerts"),
        ("Duty rota", "safeguarding:rota"),
        ("Referrals", "referrals:queue"),
        ("Matching", "matching:overview"),
        ("Relationships", "mentoring:relationships"),
        ("Reports", "reports:dashboard"),
        ("Compliance", "reports:compliance"),
        ("Outcomes", "outcomes:programme"),
        ("Toolkit insights", "toolkit:insights"),
        ("Community resources", "toolkit:resources"),
        ("Applicants", "mentors:board"),
        ("Programme settings", "mentors:programme_settings"),
        ("Referral settings", "referrals:settings"),
        ("Mentoring settings", "mentoring:settings"),
        ("Outcome measures", "outcomes:settings"),
        ("Crisis resources", "safeguarding:crisis_resources"),
        ("Alert response times", "safeguarding:response_times"),
        ("People", "people"),
        ("Privacy and data", "privacy:index"),
        ("API documentation", "api:docs"),
    ],
    Role.REFERRER: [
        ("Your referrals", "referrals:partner_list"),
        ("Refer someone", "referrals:partner_new"),
        ("Community resources", "toolkit:resources"),
    ],
}

# Added for whoever the organisation names as its data protection lead (admins have it already).
_DATA_PROTECTION_LEAD_NAVIGATION = [("Privacy and data", "privacy:index")]


@cache
def _address(url_name: str, urlconf: str | None, prefix: str) -> str:
    """A menu link's URL: the same on every page, so reversed once per process (for each URL
    configuration and script prefix in use), not twenty times a page."""
    return reverse(url_name, urlconf=urlconf)


def _menu_link(label: str, url_name: str) -> dict[str, str]:
    return {"label": label, "url": _address(url_name, get_urlconf(), get_script_prefix())}


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    navigation: list[dict[str, str]] = []
    if user is not None and user.is_authenticated:
        navigation.append(_menu_link("Home", "dashboard"))
        if membership is not None:
            links = _NAVIGATION[membership.role]
            if membership.role == Role.MENTOR:
                links = mentor_navigation(user, membership.organisation)
                if ("Your profile", "mentors:my_profile") in links:
                    links = [
                        *links[:1],
                        ("Mentees", "mentoring:index"),
                        ("Matches", "matching:mentor_offers"),
                        ("Skills library", "toolkit:skills"),
                        ("Community resources", "toolkit:resources"),
                        *links[1:],
                    ]
            if membership.is_data_protection_lead and not any(
                url == "privacy:index" for _, url in links
            ):
                links = [*links, *_DATA_PROTECTION_LEAD_NAVIGATION]
            navigation.extend(_menu_link(label, url_name) for label, url_name in links)
    return {
        "ALONGSIDE_ENV": settings.ALONGSIDE_ENV,
        "is_development": settings.IS_DEVELOPMENT,
        "navigation": navigation,
        "membership": membership,
        # A callable: only the login page uses it, so only that page runs the query.
        "demo_accounts": demo_accounts if settings.IS_DEVELOPMENT else None,
        "demo_password": settings.DEMO_PASSWORD if settings.IS_DEVELOPMENT else "",
        "reset_link_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "has_several_memberships": len(getattr(request, "memberships", [])) > 1,
        "mfa_relaxed_banner": bool(
            user is not None
            and user.is_authenticated
            and membership is not None
            and membership.is_staff_role
            and mfa_relaxed_for_demo(user)
        ),
    }
