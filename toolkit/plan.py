"""The toolkit's parts of the wellbeing plan the mentee keeps: "Skills from my toolkit" (their
saved skills, the ones that help them most first) and "Places and people that can help" (the
community resources recommended to them). Mentoring knows nothing of the toolkit: these are
registered in ``mentoring.services.plans.PLAN_EXTRAS`` by ``register`` (ToolkitConfig.ready).
Each costs one query."""

from __future__ import annotations

from django.db.models import Avg, Count, F

from mentoring.models import Relationship
from mentoring.services import plans
from mentoring.services.plans import PlanExtra
from toolkit.models import ToolkitEntry
from toolkit.services.resources import recommendations_for, recommender_name

SKILLS_TITLE = "Skills from my toolkit"
RESOURCES_TITLE = "Places and people that can help"


def skills_extra(relationship: Relationship) -> PlanExtra | None:
    """The mentee's toolkit, the skills they rated most helpful first (untried ones last)."""
    entries = list(
        ToolkitEntry.objects.filter(
            person_id=relationship.mentee_id,
            organisation_id=relationship.organisation_id,
            removed_at__isnull=True,
        )
        .select_related("skill")
        .annotate(helpfulness=Avg("practices__helpfulness"), tries=Count("practices"))
        .order_by(F("helpfulness").desc(nulls_last=True), "-added_at", "pk")
    )
    if not entries:
        return None
    return PlanExtra(
        title=SKILLS_TITLE,
        template="toolkit/resources/_plan_skills.html",
        context={"entries": entries},
    )


def resources_extra(relationship: Relationship) -> PlanExtra | None:
    """The community resources recommended to the mentee that are still listed."""
    recommendations = [
        (recommendation, recommender_name(recommendation))
        for recommendation in recommendations_for(relationship.mentee, relationship.organisation)
    ]
    if not recommendations:
        return None
    return PlanExtra(
        title=RESOURCES_TITLE,
        template="toolkit/resources/_plan_resources.html",
        context={"recommendations": recommendations},
    )


CONTRIBUTORS = (skills_extra, resources_extra)


def register() -> None:
    """Add the toolkit's parts to the plan (once, however often it is called)."""
    for contributor in CONTRIBUTORS:
        if contributor not in plans.PLAN_EXTRAS:
            plans.PLAN_EXTRAS.append(contributor)
