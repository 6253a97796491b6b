"""Who may see a mentoring relationship, and as whom. Every page and API endpoint of the
``mentoring`` app opens a relationship through ``relationship_access`` (or lists them through
``relationships_for``), so the rules live in one place:

- the mentor: their own relationships until the relationship ends (then access stops at once);
- the mentee: their own relationships, read-only once ended (summaries stay theirs);
- the supervisor: relationships of mentors they supervise (for flagged sessions and notes);
- coordinators and admins: every relationship in their organisation; the pair's messages and
  the mentor's private notes only under emergency ("break-glass") access, which they open by
  giving a reason and which lasts an hour (``audit.break_glass``). Pages that serve it pass
  ``break_glass=True``; each read under it is audited.

Anyone else, or a role a page does not serve, gets a 404: a record's existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from rest_framework.request import Request

from accounts.access import STAFF_ROLES, api_membership, signed_in_user
from accounts.models import Membership, Role, User
from alongside.fields import EncryptedTextField
from audit.break_glass import break_glass_active, break_glass_read
from mentoring import rules as relationship_rules
from mentoring.models import Relationship, RelationshipStatus
from referrals.models import Referral

if TYPE_CHECKING:
    from audit.models import BreakGlassGrant


class Viewer(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"
    SUPERVISOR = "supervisor"
    STAFF = "staff"


# In order: someone who is both staff and the mentor of a relationship sees it as staff.
_VIEWER_RULES = (
    (Viewer.STAFF, relationship_rules.may_see_as_staff),
    (Viewer.MENTOR, relationship_rules.may_see_as_mentor),
    (Viewer.MENTEE, relationship_rules.may_see_as_mentee),
    (Viewer.SUPERVISOR, relationship_rules.may_see_as_supervisor),
)
PAIR = (Viewer.MENTOR, Viewer.MENTEE)
EVERYONE = (Viewer.MENTOR, Viewer.MENTEE, Viewer.SUPERVISOR, Viewer.STAFF)


@dataclass(frozen=True)
class RelationshipAccess:
    relationship: Relationship
    viewer: Viewer
    user: User
    # Staff reading the private records under emergency access: the grant that allows it.
    emergency: BreakGlassGrant | None = None

    @property
    def is_mentor(self) -> bool:
        return self.viewer == Viewer.MENTOR

    @property
    def is_mentee(self) -> bool:
        return self.viewer == Viewer.MENTEE

    @property
    def is_staff(self) -> bool:
        return self.viewer == Viewer.STAFF

    @property
    def is_supervisor(self) -> bool:
        return self.viewer == Viewer.SUPERVISOR

    @property
    def pair_can_write(self) -> bool:
        """The pair can add and change things only while the relationship has not ended."""
        return self.viewer in PAIR and not self.relationship.is_ended

    @property
    def mentee_name(self) -> str:
        return mentee_name(self.relationship)

    @property
    def mentor_name(self) -> str:
        return self.relationship.mentor.display_name

    @property
    def other_name(self) -> str:
        """The other person in the pair, as the viewer calls them."""
        return self.mentor_name if self.is_mentee else self.mentee_name


def mentee_name(relationship: Relationship) -> str:
    """What to call the mentee: the name they asked to be called, or their first name."""
    referral = relationship.referral
    return name_to_call(referral.full_name, referral.preferred_name)


def name_to_call(full_name: str, preferred_name: str) -> str:
    """``mentee_name`` from the referral's two names, for lists that read only those."""
    if preferred_name.strip():
        return preferred_name.strip()
    parts = full_name.split()
    return parts[0] if parts else "your mentee"


def viewer_for(user: User, membership: Membership | None, relationship: Relationship) -> Viewer:
    """As whom ``user`` (acting through ``membership``) may see ``relationship``; else 404.
    The rules themselves are ``rules`` predicates in mentoring/rules.py."""
    if membership is None or membership.user_id != user.pk:
        raise Http404
    for viewer, predicate in _VIEWER_RULES:
        if predicate.test(membership, relationship):
            return viewer
    raise Http404


# The referral's encrypted fields: no relationship page shows them, so none is decrypted.
_REFERRAL_SECRETS = [
    f"referral__{field.name}"
    for field in Referral._meta.get_fields()
    if isinstance(field, EncryptedTextField)
]


def relationship_access(
    user: User,
    membership: Membership | None,
    pk: int | str,
    *,
    allow: tuple[Viewer, ...] = EVERYONE,
    break_glass_route: str = "",
) -> RelationshipAccess:
    """Open relationship ``pk`` for ``user``; 404 unless they may see it as one of ``allow``.

    With ``break_glass_route`` (the page or endpoint, for the audit trail), staff holding an
    open emergency grant get it in ``emergency`` (even where ``allow`` leaves staff out), and
    the read is audited."""
    if membership is None:
        raise Http404
    try:
        relationship = (
            Relationship.objects.select_related(
                "mentor__user", "mentee", "referral", "organisation"
            )
            .defer(*_REFERRAL_SECRETS)
            .get(pk=pk, organisation=membership.organisation)
        )
    except (Relationship.DoesNotExist, ValueError) as error:
        raise Http404 from error
    viewer = viewer_for(user, membership, relationship)
    if break_glass_route and viewer == Viewer.STAFF:
        grant = break_glass_active(user, relationship)
        if grant is not None:
            break_glass_read(actor=user, grant=grant, route=break_glass_route)
            return RelationshipAccess(
                relationship=relationship, viewer=viewer, user=user, emergency=grant
            )
    if viewer not in allow:
        raise Http404
    return RelationshipAccess(relationship=relationship, viewer=viewer, user=user)


def _route(request: HttpRequest | Request) -> str:
    match = request.resolver_match
    return match.view_name if match is not None else request.path


def relationship_for_page(
    request: HttpRequest,
    pk: int | str,
    *,
    allow: tuple[Viewer, ...] = EVERYONE,
    break_glass: bool = False,
) -> RelationshipAccess:
    """``relationship_access`` for a page: the signed-in person, through the membership the
    middleware chose for this request. ``break_glass``: the page serves emergency access."""
    return relationship_access(
        signed_in_user(request),
        getattr(request, "membership", None),
        pk,
        allow=allow,
        break_glass_route=_route(request) if break_glass else "",
    )


def relationship_for_api(
    request: Request,
    pk: int | str,
    *,
    allow: tuple[Viewer, ...] = EVERYONE,
    break_glass: bool = False,
) -> RelationshipAccess:
    """``relationship_access`` for an API call: its user, through the token's organisation or
    the session's membership."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return relationship_access(
        user,
        api_membership(request),
        pk,
        allow=allow,
        break_glass_route=_route(request) if break_glass else "",
    )


def relationships_for(user: User, membership: Membership) -> QuerySet[Relationship]:
    """The relationships ``user`` may see in the organisation of ``membership``."""
    base = Relationship.objects.filter(organisation=membership.organisation).select_related(
        "mentor__user", "mentee", "referral"
    )
    role = membership.role
    if role in STAFF_ROLES:
        return base
    if role == Role.MENTOR:
        return base.filter(mentor__user=user).exclude(status=RelationshipStatus.ENDED)
    if role == Role.MENTEE:
        return base.filter(mentee=user)
    if role == Role.SUPERVISOR:
        return base.filter(mentor__supervisor=user)
    return base.none()


def current_relationship_q() -> Q:
    return Q(status__in=RelationshipStatus.current())
