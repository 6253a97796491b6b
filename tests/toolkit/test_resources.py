"""Community resource services: keeping the directory (staff only, with rules that keep what
people read safe and useful), searching it, recommending an entry to a mentee, and telling
coordinators when entries have not been checked for a year."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from mentoring.concurrency import STALE
from toolkit.models import CommunityResource, Cost, Delivery, Recommendation
from toolkit.services.resources import (
    BAD_WEBSITE,
    ENDED,
    FUTURE_CHECK,
    NO_CONTACT,
    NOT_STAFF,
    NOT_YOUR_MENTEE,
    STALE_NOTIFIED,
    areas_in_use,
    recommendations_for,
    recommender_name,
    resource_archive,
    resource_create,
    resource_mark_checked,
    resource_recommend,
    resource_restore,
    resource_update,
    resources_matching,
    stale_count,
    stale_notify,
    stale_resources,
)

pytestmark = pytest.mark.django_db


def resource_details(**changes):
    """Everything the form sends for a valid resource, with ``changes``."""
    return {
        "name": "Riverside Walking Group",
        "offers": "Friendly walks by the river every week, at an easy pace.",
        "who_for": "Adults who would like company and fresh air",
        "phone": "01234 567890",
        "email": "walks@example.org",
        "website": "https://walks.example.org",
        "how_to_contact": "",
        "opening_times": "Thursdays 10am",
        "cost": Cost.FREE,
        "cost_detail": "",
        "delivery": Delivery.IN_PERSON,
        "area": "Riverside",
        "address": "Meet at the bandstand",
        "last_checked_on": timezone.localdate(),
        **changes,
    }


def make(actor, organisation, **changes):
    return resource_create(actor=actor, organisation=organisation, **resource_details(**changes))


def problems(caught) -> dict[str, list[str]]:
    return caught.value.message_dict


# Keeping the directory ---------------------------------------------------------------------------


def test_a_coordinator_adds_a_resource_with_its_areas_of_need(coordinator, organisation, areas):
    resource = make(coordinator, organisation, needs=[areas[0], areas[2].pk])
    assert resource.name == "Riverside Walking Group"
    assert set(resource.needs.all()) == {areas[0], areas[2]}
    assert resource.version == 1
    event = AuditEvent.objects.get(action="community_resource.created")
    assert event.actor == coordinator
    assert event.object_id == str(resource.pk)


@pytest.mark.parametrize("person", ["mentor", "mentee", "supervisor", "referrer", "outsider"])
def test_only_coordinators_and_admins_keep_the_directory(person, request, organisation):
    with pytest.raises(ValidationError) as caught:
        make(request.getfixturevalue(person), organisation)
    assert caught.value.messages == [NOT_STAFF]
    assert not CommunityResource.objects.exists()


def test_a_coordinator_of_another_organisation_cannot_add_here(other_org_coordinator, organisation):
    with pytest.raises(ValidationError):
        make(other_org_coordinator, organisation)


def test_an_admin_can_add_one(admin, organisation):
    assert make(admin, organisation).pk


@pytest.mark.parametrize("field", ["name", "offers", "who_for"])
def test_the_essentials_are_needed(field, coordinator, organisation):
    with pytest.raises(ValidationError) as caught:
        make(coordinator, organisation, **{field: "   "})
    assert field in problems(caught)


def test_at_least_one_way_to_get_in_touch_is_needed(coordinator, organisation):
    with pytest.raises(ValidationError) as caught:
        make(coordinator, organisation, phone="", email="", website="", how_to_contact="")
    assert problems(caught)[NON_FIELD_ERRORS] == [NO_CONTACT]


@pytest.mark.parametrize(
    "contact",
    [
        {"phone": "01234 567890"},
        {"email": "hello@example.org"},
        {"website": "https://example.org"},
        {"how_to_contact": "Just turn up on a Tuesday"},
    ],
)
def test_any_one_way_to_get_in_touch_is_enough(contact, coordinator, organisation):
    details = {"phone": "", "email": "", "website": "", "how_to_contact": "", **contact}
    assert make(coordinator, organisation, **details).pk


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://files.example.org",
        "https://",
        "vbscript:msgbox",
    ],
)
def test_only_web_addresses_are_accepted_as_websites(website, coordinator, organisation):
    with pytest.raises(ValidationError) as caught:
        make(coordinator, organisation, website=website)
    assert problems(caught)["website"] == [BAD_WEBSITE]


def test_a_bare_web_address_gets_https(coordinator, organisation):
    resource = make(coordinator, organisation, website="www.walkers.example.org")
    assert resource.website == "https://www.walkers.example.org"


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", "call me maybe"), ("email", "not-an-email"), ("name", "x" * 151)],
)
def test_details_that_cannot_work_are_refused(field, value, coordinator, organisation):
    with pytest.raises(ValidationError) as caught:
        make(coordinator, organisation, **{field: value})
    assert field in problems(caught)


def test_the_last_checked_date_cannot_be_in_the_future(coordinator, organisation):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        make(coordinator, organisation, last_checked_on=tomorrow)
    assert problems(caught)["last_checked_on"] == [FUTURE_CHECK]
    assert make(coordinator, organisation, last_checked_on=timezone.localdate()).pk


def test_areas_of_need_come_from_the_organisations_list(
    coordinator, organisation, other_organisation
):
    from tests.mentors.factories import SupportAreaFactory

    elsewhere = SupportAreaFactory(organisation=other_organisation, name="Elsewhere only")
    with pytest.raises(ValidationError) as caught:
        make(coordinator, organisation, needs=[elsewhere])
    assert "needs" in problems(caught)


def test_an_edit_against_the_version_seen_is_saved(coordinator, organisation, areas):
    resource = make(coordinator, organisation)
    saved = resource_update(
        actor=coordinator,
        resource=resource,
        version=1,
        needs=[areas[1]],
        **resource_details(opening_times="Saturdays 10am"),
    )
    assert saved.changed
    resource.refresh_from_db()
    assert resource.opening_times == "Saturdays 10am"
    assert list(resource.needs.all()) == [areas[1]]
    assert resource.version == 2
    event = AuditEvent.objects.get(action="community_resource.updated")
    assert event.metadata == {"fields_changed": 2, "version": 2}


def test_an_edit_against_an_older_version_is_refused(coordinator, admin, organisation):
    resource = make(coordinator, organisation)
    resource_update(actor=admin, resource=resource, version=1, **resource_details(area="Hilltop"))
    with pytest.raises(ValidationError) as caught:
        resource_update(
            actor=coordinator, resource=resource, version=1, **resource_details(area="Riverside")
        )
    assert problems(caught) == {"version": [STALE]}
    resource.refresh_from_db()
    assert resource.area == "Hilltop"


def test_saving_the_same_details_again_changes_nothing(coordinator, organisation):
    resource = make(coordinator, organisation)
    saved = resource_update(actor=coordinator, resource=resource, version=1, **resource_details())
    assert not saved.changed
    assert saved.resource.version == 1
    assert not AuditEvent.objects.filter(action="community_resource.updated").exists()


def test_an_edit_keeps_the_rules(coordinator, organisation):
    resource = make(coordinator, organisation)
    with pytest.raises(ValidationError) as caught:
        resource_update(
            actor=coordinator,
            resource=resource,
            version=1,
            **resource_details(website="javascript:alert(1)"),
        )
    assert "website" in problems(caught)


def test_a_mentor_cannot_edit(mentor, coordinator, organisation):
    resource = make(coordinator, organisation)
    with pytest.raises(ValidationError):
        resource_update(actor=mentor, resource=resource, version=1, **resource_details(area="X"))


def test_marking_as_checked_sets_today(coordinator, mentor, organisation):
    resource = make(
        coordinator, organisation, last_checked_on=timezone.localdate() - timedelta(days=400)
    )
    resource_mark_checked(actor=coordinator, resource=resource)
    resource.refresh_from_db()
    assert resource.last_checked_on == timezone.localdate()
    assert resource.version == 2
    assert AuditEvent.objects.filter(action="community_resource.checked").count() == 1
    resource_mark_checked(actor=coordinator, resource=resource)  # twice today: nothing new
    assert AuditEvent.objects.filter(action="community_resource.checked").count() == 1
    with pytest.raises(ValidationError):
        resource_mark_checked(actor=mentor, resource=resource)


def test_archiving_and_restoring(coordinator, organisation):
    resource = make(coordinator, organisation)
    resource_archive(actor=coordinator, resource=resource)
    resource.refresh_from_db()
    assert not resource.is_active
    resource_restore(actor=coordinator, resource=resource)
    resource.refresh_from_db()
    assert resource.is_active
    actions = set(
        AuditEvent.objects.filter(object_id=str(resource.pk)).values_list("action", flat=True)
    )
    assert {"community_resource.archived", "community_resource.restored"} <= actions


# Searching ---------------------------------------------------------------------------------------


@pytest.fixture
def directory(coordinator, organisation, areas):
    anxiety, depression, grief, _ = areas
    made = {
        "walk": make(
            coordinator,
            organisation,
            name="Walk and Talk",
            offers="Gentle walks by the river",
            who_for="Anyone feeling low",
            delivery=Delivery.IN_PERSON,
            area="Riverside",
            cost=Cost.FREE,
            needs=[depression],
        ),
        "line": make(
            coordinator,
            organisation,
            name="Worry Line",
            offers="Phone support for anxious times",
            who_for="Adults",
            delivery=Delivery.ONLINE,
            area="",
            cost=Cost.LOW,
            needs=[anxiety],
        ),
        "cafe": make(
            coordinator,
            organisation,
            name="Bereavement Cafe",
            offers="Tea and company",
            who_for="People who have lost someone close",
            delivery=Delivery.BOTH,
            area="Hilltop",
            cost=Cost.PAID,
            needs=[grief, anxiety],
        ),
    }
    archived = make(coordinator, organisation, name="Closed Club", area="Nowhere")
    resource_archive(actor=coordinator, resource=archived)
    return made


def names(queryset) -> list[str]:
    return [resource.name for resource in queryset]


def search(organisation, **filters):
    return names(
        resources_matching(CommunityResource.objects.filter(organisation=organisation), **filters)
    )


def test_searching_finds_words_in_the_name_what_it_offers_and_who_it_is_for(
    directory, organisation
):
    assert search(organisation, text="worry") == ["Worry Line"]
    assert search(organisation, text="RIVER") == ["Walk and Talk"]
    assert search(organisation, text="lost someone") == ["Bereavement Cafe"]
    assert search(organisation) == ["Bereavement Cafe", "Walk and Talk", "Worry Line"]


def test_filtering_by_need(directory, organisation, areas):
    assert search(organisation, need=areas[0].pk) == ["Bereavement Cafe", "Worry Line"]
    assert search(organisation, need=areas[3].pk) == []


def test_filtering_by_area(directory, organisation):
    assert search(organisation, area="hilltop") == ["Bereavement Cafe"]


def test_online_finds_online_and_both_and_in_person_finds_in_person_and_both(
    directory, organisation
):
    assert search(organisation, delivery=Delivery.ONLINE) == ["Bereavement Cafe", "Worry Line"]
    assert search(organisation, delivery=Delivery.IN_PERSON) == [
        "Bereavement Cafe",
        "Walk and Talk",
    ]


def test_filtering_by_cost(directory, organisation):
    assert search(organisation, cost=Cost.FREE) == ["Walk and Talk"]
    assert search(organisation, cost=Cost.PAID) == ["Bereavement Cafe"]


def test_archived_ones_are_listed_only_when_asked_for(directory, organisation):
    assert search(organisation, archived=True) == ["Closed Club"]


def test_filters_combine(directory, organisation, areas):
    assert search(organisation, need=areas[0].pk, delivery=Delivery.IN_PERSON) == [
        "Bereavement Cafe"
    ]


def test_the_area_filter_lists_the_areas_in_use_once(directory, coordinator, organisation):
    make(coordinator, organisation, name="Another", area="riverside")
    assert areas_in_use(organisation) == ["Hilltop", "Riverside"]


# Recommending ------------------------------------------------------------------------------------


def test_a_mentor_recommends_a_resource_to_their_mentee(
    mentor, mentee, active_relationship, community_resource, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        done = resource_recommend(
            actor=mentor, resource=community_resource, person=mentee, note="I went; it is warm."
        )
    assert done.created
    recommendation = Recommendation.objects.get()
    assert recommendation.relationship == active_relationship
    assert recommendation.recommended_by == mentor
    assert recommendation.note == "I went; it is warm."
    event = AuditEvent.objects.get(action="community_resource.recommended")
    assert "warm" not in str(event.metadata)
    assert [message.to for message in mail.outbox] == [[mentee.email]]
    message = mail.outbox[0]
    assert "/toolkit/recommended/" in message.body
    for private in (community_resource.name, "Hearing Voices", "warm"):
        assert private not in message.subject + message.body


def test_recommending_twice_keeps_the_first_and_updates_the_note(
    mentor, mentee, active_relationship, community_resource, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resource_recommend(actor=mentor, resource=community_resource, person=mentee, note="One")
        first = Recommendation.objects.get()
        again = resource_recommend(
            actor=mentor, resource=community_resource, person=mentee, note="Two"
        )
        resource_recommend(actor=mentor, resource=community_resource, person=mentee)
    assert not again.created
    assert again.recommendation.pk == first.pk
    recommendation = Recommendation.objects.get()
    assert recommendation.note == "Two"
    assert recommendation.created_at == first.created_at
    assert len(mail.outbox) == 1


def test_a_mentor_cannot_recommend_to_someone_elses_mentee(
    mentor, other_mentee, other_relationship, active_relationship, community_resource
):
    with pytest.raises(ValidationError) as caught:
        resource_recommend(actor=mentor, resource=community_resource, person=other_mentee)
    assert caught.value.messages == [NOT_YOUR_MENTEE]
    assert not Recommendation.objects.exists()


def test_after_the_ending_the_mentor_cannot_recommend_any_more(
    mentor, mentee, ended_relationship, community_resource
):
    with pytest.raises(ValidationError) as caught:
        resource_recommend(actor=mentor, resource=community_resource, person=mentee)
    assert caught.value.messages == [ENDED]


def test_staff_may_recommend_to_any_mentee_of_the_organisation(
    coordinator, other_mentee, community_resource
):
    done = resource_recommend(actor=coordinator, resource=community_resource, person=other_mentee)
    assert done.recommendation.relationship is None
    assert recommender_name(done.recommendation) == f"{coordinator.name}, from the mentoring team"


def test_staff_recommending_to_a_mentee_in_mentoring_links_the_relationship(
    admin, mentee, active_relationship, community_resource
):
    done = resource_recommend(actor=admin, resource=community_resource, person=mentee)
    assert done.recommendation.relationship == active_relationship


@pytest.mark.parametrize("person", ["mentor", "supervisor", "outsider"])
def test_staff_recommend_to_mentees_only(person, request, coordinator, community_resource):
    with pytest.raises(ValidationError):
        resource_recommend(
            actor=coordinator,
            resource=community_resource,
            person=request.getfixturevalue(person),
        )


@pytest.mark.parametrize("person", ["mentee", "supervisor", "referrer", "other_org_coordinator"])
def test_nobody_else_recommends(person, request, mentee, active_relationship, community_resource):
    with pytest.raises(ValidationError):
        resource_recommend(
            actor=request.getfixturevalue(person), resource=community_resource, person=mentee
        )


def test_an_archived_resource_cannot_be_recommended(
    mentor, mentee, coordinator, active_relationship, community_resource
):
    resource_archive(actor=coordinator, resource=community_resource)
    with pytest.raises(ValidationError):
        resource_recommend(actor=mentor, resource=community_resource, person=mentee)


def test_a_long_note_is_refused(mentor, mentee, active_relationship, community_resource):
    with pytest.raises(ValidationError) as caught:
        resource_recommend(actor=mentor, resource=community_resource, person=mentee, note="x" * 301)
    assert "note" in problems(caught)


def test_recommendations_stay_after_the_ending_but_archived_ones_are_hidden(
    mentor, mentee, coordinator, active_relationship, community_resource, organisation
):
    resource_recommend(actor=mentor, resource=community_resource, person=mentee)
    other = make(coordinator, organisation, name="Other group")
    resource_recommend(actor=mentor, resource=other, person=mentee)
    active_relationship.status = "ended"
    active_relationship.save(update_fields=["status"])
    assert names(r.resource for r in recommendations_for(mentee, organisation)) == [
        "Other group",
        community_resource.name,
    ]
    resource_archive(actor=coordinator, resource=other)
    assert names(r.resource for r in recommendations_for(mentee, organisation)) == [
        community_resource.name
    ]
    recommendation = recommendations_for(mentee, organisation).get()
    assert recommender_name(recommendation).endswith(", your mentor")


# Checking entries are still right ----------------------------------------------------------------


def checked_days_ago(organisation, days: int, name: str) -> CommunityResource:
    return CommunityResource.objects.create(
        organisation=organisation,
        name=name,
        offers="Support",
        who_for="Anyone",
        phone="0123",
        last_checked_on=timezone.localdate() - timedelta(days=days),
    )


def test_a_resource_is_stale_when_checked_more_than_365_days_ago(organisation):
    checked_days_ago(organisation, 364, "364 days")
    checked_days_ago(organisation, 365, "365 days")
    checked_days_ago(organisation, 366, "366 days")
    checked_days_ago(organisation, 800, "800 days")
    archived = checked_days_ago(organisation, 900, "Archived")
    archived.is_active = False
    archived.save()
    assert names(stale_resources(organisation)) == ["800 days", "366 days"]
    assert stale_count(organisation) == 2


def test_stale_counts_are_per_organisation(organisation, other_organisation):
    checked_days_ago(other_organisation, 400, "Elsewhere")
    assert stale_count(organisation) == 0
    assert stale_count(other_organisation) == 1


def test_coordinators_are_told_once_in_30_days(
    organisation, coordinator, admin, django_capture_on_commit_callbacks
):
    checked_days_ago(organisation, 366, "First")
    checked_days_ago(organisation, 500, "Second")
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert stale_notify(today=today) == 1
        assert stale_notify(today=today) == 0
        assert stale_notify(today=today + timedelta(days=29)) == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [coordinator.email]
    assert "2 community resources need checking" in message.subject
    assert "/toolkit/resources/to-check/" in message.body
    assert "First" not in message.body and "Second" not in message.body
    event = AuditEvent.objects.get(action=STALE_NOTIFIED)
    assert event.organisation_id == organisation.pk
    assert event.metadata == {"count": 2, "recipients": 1}
    with django_capture_on_commit_callbacks(execute=True):
        assert stale_notify(today=today + timedelta(days=30)) == 1
    assert len(mail.outbox) == 2


def test_nobody_is_told_when_nothing_is_stale(
    organisation, coordinator, django_capture_on_commit_callbacks
):
    checked_days_ago(organisation, 365, "Just in time")
    with django_capture_on_commit_callbacks(execute=True):
        assert stale_notify() == 0
    assert not mail.outbox


def test_each_organisation_is_told_separately(
    organisation,
    other_organisation,
    coordinator,
    other_org_coordinator,
    django_capture_on_commit_callbacks,
):
    checked_days_ago(organisation, 400, "Here")
    with django_capture_on_commit_callbacks(execute=True):
        assert stale_notify() == 1
    checked_days_ago(other_organisation, 400, "There")
    with django_capture_on_commit_callbacks(execute=True):
        assert stale_notify() == 1
    assert [message.to for message in mail.outbox] == [
        [coordinator.email],
        [other_org_coordinator.email],
    ]
