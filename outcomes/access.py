"""Who may see a person's outcome measures, and as whom. Every page and endpoint of the
``outcomes`` app goes through these functions:

- the person themselves (a mentee): all their own requests and responses;
- their mentor, while a relationship between them has not ended (the mentee's trends and
  answers; the mentor may also complete a due measure with the mentee in a session);
- the supervisor of a mentor who has (or had) a relationship with the person;
- coordinators and admins of the organisation.

Anyone else gets a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from rest_framework.request import Request

from accounts.access import STAFF_ROLES, api_membership, signed_in_user
from accounts.models import Membership, Role, User
from mentoring.access import mentee_name
from mentoring.models import Relationship, RelationshipStatus
from outcomes.models import MeasureRequest, MeasureResponse


class MeasureViewer(StrEnum):
    SELF = "self"
    MENTOR = "mentor"
    SUPERVISOR = "supervisor"
    STAFF = "staff"


ALL_VIEWERS = tuple(MeasureViewer)
# Who may answer on a person's behalf (the mentor with them in a session) or as themselves.
ANSWERERS = (MeasureViewer.SELF, MeasureViewer.MENTOR)


@dataclass(frozen=True)
class PersonAccess:
    user: User
    membership: Membership
    person: User
    viewer: MeasureViewer
    # The relationship through which a mentor or supervisor sees the person (latest first).
    relationship: Relationship | None

    @property
    def is_self(self) -> bool:
        return self.viewer == MeasureViewer.SELF

    @property
    def is_mentor(self) -> bool:
        return self.viewer == MeasureViewer.MENTOR

    @property
    def is_staff(self) -> bool:
        return self.viewer == MeasureViewer.STAFF

    @property
    def person_name(self) -> str:
        """What to call the person: "you" pages use their own words; others see the name the
        person asked to be called."""
        if self.relationship is not None:
            return mentee_name(self.relationship)
        return self.person.get_short_name() or "this person"


def _mentored_by(user: User, membership: Membership) -> Q:
    """Relationships through which ``user`` (a mentor or supervisor) may see a mentee."""
    if membership.role == Role.MENTOR:
        return Q(mentor__user=user) & ~Q(status=RelationshipStatus.ENDED)
    if membership.role == Role.SUPERVISOR:
        return Q(mentor__supervisor=user)
    return Q(pk__in=[])


def person_access(
    user: User,
    membership: Membership | None,
    person_pk: int | str,
    *,
    allow: tuple[MeasureViewer, ...] = ALL_VIEWERS,
) -> PersonAccess:
    """Open person ``person_pk``'s measures for ``user``; 404 unless allowed as one of ``allow``."""
    if membership is None or not membership.is_active:
        raise Http404
    try:
        pk = int(person_pk)
    except (TypeError, ValueError) as error:
        raise Http404 from error
    organisation = membership.organisation
    relationship = None
    if pk == user.pk and membership.role == Role.MENTEE:
        viewer = MeasureViewer.SELF
        person = user
    else:
        person_membership = (
            Membership.objects.filter(organisation=organisation, user_id=pk, role=Role.MENTEE)
            .select_related("user")
            .first()
        )
        if person_membership is None:
            raise Http404
        person = person_membership.user
        if membership.role in STAFF_ROLES:
            viewer = MeasureViewer.STAFF
        elif membership.role in (Role.MENTOR, Role.SUPERVISOR):
            relationship = (
                Relationship.objects.filter(organisation=organisation, mentee=person)
                .filter(_mentored_by(user, membership))
                .select_related("referral", "mentor__user")
                .order_by("-started_at")
                .first()
            )
            if relationship is None:
                raise Http404
            viewer = (
                MeasureViewer.MENTOR if membership.role == Role.MENTOR else MeasureViewer.SUPERVISOR
            )
        else:
            raise Http404
    if viewer not in allow:
        raise Http404
    if relationship is None:
        relationship = (
            Relationship.objects.filter(organisation=organisation, mentee=person)
            .select_related("referral", "mentor__user")
            .order_by("-started_at")
            .first()
        )
    return PersonAccess(user, membership, person, viewer, relationship)


def people_visible_to(user: User, membership: Membership) -> QuerySet[User]:
    """The people whose measures ``user`` may see in the organisation of ``membership``."""
    organisation = membership.organisation
    mentees = User.objects.filter(
        memberships__organisation=organisation, memberships__role=Role.MENTEE
    )
    if membership.role in STAFF_ROLES:
        return mentees.distinct()
    if membership.role == Role.MENTEE:
        return mentees.filter(pk=user.pk).distinct()
    if membership.role in (Role.MENTOR, Role.SUPERVISOR):
        related = Relationship.objects.filter(organisation=organisation).filter(
            _mentored_by(user, membership)
        )
        return mentees.filter(pk__in=related.values("mentee_id")).distinct()
    return mentees.none()


def responses_visible_to(user: User, membership: Membership) -> QuerySet[MeasureResponse]:
    return MeasureResponse.objects.filter(
        organisation=membership.organisation,
        person__in=people_visible_to(user, membership),
    ).select_related("instrument", "person")


def requests_visible_to(user: User, membership: Membership) -> QuerySet[MeasureRequest]:
    return MeasureRequest.objects.filter(
        organisation=membership.organisation,
        person__in=people_visible_to(user, membership),
    ).select_related("instrument", "person")


def response_access(
    user: User,
    membership: Membership | None,
    pk: int | str,
    *,
    allow: tuple[MeasureViewer, ...] = ALL_VIEWERS,
) -> tuple[PersonAccess, MeasureResponse]:
    """Open one response: 404 unless ``user`` may see its person as one of ``allow``."""
    if membership is None:
        raise Http404
    try:
        response = MeasureResponse.objects.select_related("instrument", "person", "request").get(
            pk=pk, organisation=membership.organisation
        )
    except (MeasureResponse.DoesNotExist, ValueError) as error:
        raise Http404 from error
    return person_access(user, membership, response.person_id, allow=allow), response


def request_access(
    user: User,
    membership: Membership | None,
    pk: int | str,
    *,
    allow: tuple[MeasureViewer, ...] = ALL_VIEWERS,
) -> tuple[PersonAccess, MeasureRequest]:
    """Open one measure request: 404 unless ``user`` may see its person as one of ``allow``."""
    if membership is None:
        raise Http404
    try:
        found = MeasureRequest.objects.select_related("instrument", "person").get(
            pk=pk, organisation=membership.organisation
        )
    except (MeasureRequest.DoesNotExist, ValueError) as error:
        raise Http404 from error
    return person_access(user, membership, found.person_id, allow=allow), found


def for_page(request: HttpRequest) -> tuple[User, Membership | None]:
    """The signed-in person and the membership the middleware chose, for the functions above."""
    return signed_in_user(request), getattr(request, "membership", None)


def for_api(request: Request) -> tuple[User, Membership | None]:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user, api_membership(request)
