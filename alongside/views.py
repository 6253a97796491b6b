from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import Membership, Organisation, Role, User
from accounts.selectors import public_organisation, role_counts
from alongside.caching import kept
from matching.dashboard import mentee_offer, mentor_offer_count, upcoming_introductions
from mentoring.dashboard import (
    latest_ended_for_mentee,
    open_exit_surveys_for,
    pair_summaries,
    staff_summary,
    supervisor_flagged_count,
)
from mentors.dashboard import coordinator_summary, mentor_summary
from mentors.services.supervision import overdue_supervision_count, supervision_overview
from outcomes.dashboard import mentee_card as questionnaires_mentee_card
from outcomes.dashboard import staff_card as questionnaires_staff_card
from referrals.dashboard import (
    coordinator_referral_summary,
    mentee_waiting_summary,
    referrer_recent_referrals,
    urgent_referral_count,
)
from safeguarding.access import waiting_alert_counts
from safeguarding.selectors import crisis_resources_for
from safeguarding.services.rota import gaps_ahead
from toolkit.dashboard import mentee_card as toolkit_mentee_card
from toolkit.services.resources import stale_count


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html", {"public_organisation": public_organisation()})


_DASHBOARD_TEMPLATES = {role: f"dashboards/{role.value}.html" for role in Role}


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Each role starts from its own page; people with several organisations choose one first."""
    membership = request.membership  # type: ignore[attr-defined]
    if membership is None:
        if len(request.memberships) > 1:  # type: ignore[attr-defined]
            return redirect("choose_organisation")
        return render(request, "dashboards/no_role.html")
    role = Role(membership.role)
    user: User = request.user  # type: ignore[assignment]
    context = {"membership": membership, **_dashboard_context(role, membership, user)}
    return render(request, _DASHBOARD_TEMPLATES[role], context)


# The staff home pages' programme counts read whole national tables: they are kept this long
# per organisation, and the page says when they were worked out. Safeguarding alerts, urgent
# referrals and the duty rota are never kept.
OVERVIEW_KEEP_SECONDS = 60
# Bump when the shape or meaning of the kept overview changes.
OVERVIEW_VERSION = 1


def _programme_overview(organisation: Organisation) -> dict[str, object]:
    """The coordinator's and administrator's overview counts, the same for everyone in the
    organisation."""
    return {
        "role_counts": role_counts(organisation),
        "mentors": coordinator_summary(organisation),
        "overdue_supervision": overdue_supervision_count(organisation),
        "referrals": coordinator_referral_summary(organisation),
        "mentoring": staff_summary(organisation),
        **questionnaires_staff_card(organisation),
        "resources_to_check": stale_count(organisation),
    }


def _kept_programme_overview(organisation: Organisation) -> dict[str, object]:
    overview, worked_out_at = kept(
        f"dashboard:overview:{OVERVIEW_VERSION}:{organisation.pk}",
        OVERVIEW_KEEP_SECONDS,
        lambda: _programme_overview(organisation),
    )
    return {**overview, "overview_worked_out_at": worked_out_at}


def _rota_card(organisation: Organisation) -> dict[str, object]:
    """Whether someone is on safeguarding duty now, and the gaps in the next seven days."""
    now = timezone.now()
    gaps = gaps_ahead(organisation, now)
    return {"nobody_on_duty": bool(gaps) and gaps[0].starts_at <= now, "rota_gaps": len(gaps)}


def _dashboard_context(role: Role, membership: Membership, user: User) -> dict[str, object]:
    """What each role's home page needs: counts and the next thing to do, nothing more."""
    organisation = membership.organisation
    if role in (Role.COORDINATOR, Role.ADMIN):
        context = {
            **_kept_programme_overview(organisation),
            "urgent_referrals": urgent_referral_count(organisation),
            "alerts_waiting": waiting_alert_counts(user, membership),
            **_rota_card(organisation),
        }
        if role == Role.ADMIN:
            context["crisis_resource_count"] = crisis_resources_for(organisation).count()
        return context
    if role == Role.MENTOR:
        summary = mentor_summary(user, organisation)
        if summary.get("mentor_profile") is not None:
            summary["match_offer_count"] = mentor_offer_count(user, organisation)
            summary["introductions"] = upcoming_introductions(user, organisation)
        summary["mentoring"] = pair_summaries(user, organisation, as_mentor=True)
        summary["as_mentor"] = True
        summary["exit_surveys"] = open_exit_surveys_for(user)
        return summary
    if role == Role.SUPERVISOR:
        statuses = supervision_overview(membership)
        return {
            "supervised": len(statuses),
            "overdue": sum(1 for status in statuses if status.is_overdue),
            "needing_support": [status for status in statuses if status.wellbeing_flag],
            "flagged_sessions": supervisor_flagged_count(user, organisation),
            "alerts_waiting": waiting_alert_counts(user, membership),
        }
    if role == Role.REFERRER:
        return {"recent_referrals": referrer_recent_referrals(user, organisation)}
    if role == Role.MENTEE:
        return {
            **mentee_waiting_summary(user, organisation),
            "match_offer": mentee_offer(user, organisation),
            "introductions": upcoming_introductions(user, organisation),
            "mentoring": pair_summaries(user, organisation, as_mentor=False),
            "ended_mentoring": latest_ended_for_mentee(user, organisation),
            "exit_surveys": open_exit_surveys_for(user),
            **questionnaires_mentee_card(user, organisation),
            "toolkit": toolkit_mentee_card(user, organisation),
        }
    return {}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the app answers and its database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # An API client gets JSON, as from the API's own 404s (e.g. /api/v1/relationships/-1/).
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors: the database may be the thing that failed.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
