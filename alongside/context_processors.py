"""What every page needs to know: the mode, the person's role, and what to put in the menu."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

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


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    navigation: list[dict[str, str]] = []
    if user is not None and user.is_authenticated:
        navigation.append({"label": "Home", "url": reverse("dashboard")})
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
            for label, url_name in links:
                navigation.append({"label": label, "url": reverse(url_name)})
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
