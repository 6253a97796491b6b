"""Who may see what in the toolkit. Every toolkit page and endpoint opens its records here, so
the rules live in one place; anything else is a 404.

- Library skills: every member of the organisation (not referrers).
- A mentor's own strategy (or one suggested for the library): its author, coordinators and
  admins, and mentees who have it in their toolkit.
- Retired skills: staff, and mentees who still have them in their toolkit.
- A personal toolkit (entries and practice log): the mentee; their mentor while a relationship
  between them has not ended (ratings, not the mentee's own notes); coordinators and admins
  (aggregated insights only — see ``insights``), never other mentees or mentors.
- Community resources: every signed-in member of the organisation, referrers included.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from accounts.access import STAFF_ROLES, signed_in_user
from accounts.models import Membership, Role, User
from mentoring.models import Relationship, RelationshipStatus
from toolkit.models import CommunityResource, Skill, SkillStatus, ToolkitEntry

MEMBER_ROLES = (Role.MENTEE, Role.MENTOR, Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN)


def membership_for(request: HttpRequest, roles: tuple[Role, ...] = MEMBER_ROLES) -> Membership:
    """The membership in use, if it has one of ``roles``; else 404."""
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None or not membership.is_active or membership.role not in roles:
        raise Http404
    return membership


def skills_visible_to(user: User, membership: Membership) -> QuerySet[Skill]:
    skills = Skill.objects.filter(organisation=membership.organisation)
    if membership.role in STAFF_ROLES:
        return skills
    in_my_toolkit = Exists(
        ToolkitEntry.objects.filter(skill=OuterRef("pk"), person=user, removed_at__isnull=True)
    )
    if membership.role == Role.MENTEE:
        return skills.filter(Q(status=SkillStatus.LIBRARY) | in_my_toolkit)
    if membership.role == Role.MENTOR:
        return skills.filter(Q(status=SkillStatus.LIBRARY) | Q(author=user))
    if membership.role == Role.SUPERVISOR:
        return skills.filter(status=SkillStatus.LIBRARY)
    return skills.none()


def skill_for(user: User, membership: Membership, pk: int | str) -> Skill:
    try:
        return skills_visible_to(user, membership).get(pk=pk)
    except (Skill.DoesNotExist, ValueError) as error:
        raise Http404 from error


def current_mentees_of(user: User, membership: Membership) -> QuerySet[Relationship]:
    """A mentor's relationships that have not ended (whom they can share with)."""
    if membership.role != Role.MENTOR:
        return Relationship.objects.none()
    return Relationship.objects.filter(
        organisation=membership.organisation,
        mentor__user=user,
        status__in=RelationshipStatus.current(),
    ).select_related("referral", "mentee")


def mentor_relationship_with(
    user: User, membership: Membership, person_pk: int | str
) -> Relationship:
    """The mentor's current relationship with mentee ``person_pk``; else 404."""
    try:
        pk = int(person_pk)
    except (TypeError, ValueError) as error:
        raise Http404 from error
    found = current_mentees_of(user, membership).filter(mentee_id=pk).first()
    if found is None:
        raise Http404
    return found


def entry_for(
    user: User, membership: Membership, pk: int | str, *, owner_only: bool = False
) -> ToolkitEntry:
    """One toolkit entry: the mentee's own; their current mentor may read it unless
    ``owner_only``. Anyone else: 404."""
    try:
        entry = ToolkitEntry.objects.select_related("skill", "person").get(
            pk=pk, organisation=membership.organisation, removed_at__isnull=True
        )
    except (ToolkitEntry.DoesNotExist, ValueError) as error:
        raise Http404 from error
    if membership.role == Role.MENTEE and entry.person_id == user.pk:
        return entry
    if not owner_only and membership.role == Role.MENTOR:
        mentor_relationship_with(user, membership, entry.person_id)
        return entry
    raise Http404


def resources_visible_to(membership: Membership) -> QuerySet[CommunityResource]:
    resources = CommunityResource.objects.filter(organisation=membership.organisation)
    if membership.role in STAFF_ROLES:
        return resources
    return resources.filter(is_active=True)


def resource_for(membership: Membership, pk: int | str) -> CommunityResource:
    try:
        return resources_visible_to(membership).get(pk=pk)
    except (CommunityResource.DoesNotExist, ValueError) as error:
        raise Http404 from error


def page_user(request: HttpRequest) -> User:
    return signed_in_user(request)
