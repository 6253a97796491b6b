"""The community resources pages: who may open each, the directory's search, filters, paging
and query count, the entry form's messages, safe output and links, recommending an entry to a
mentee, and the mentee's list of what was recommended to them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from tests.mentoring.access import PEOPLE, check_page, client_as
from tests.toolkit.test_resources import resource_details
from toolkit.models import CommunityResource, Cost, Delivery, Recommendation
from toolkit.services.resources import (
    BAD_WEBSITE,
    ENDED,
    NO_CONTACT,
    resource_create,
    resource_recommend,
)

pytestmark = pytest.mark.django_db

DIRECTORY = "/toolkit/resources/"
NEW = "/toolkit/resources/new/"
TO_CHECK = "/toolkit/resources/to-check/"
RESOURCE = "/toolkit/resources/{pk}/"
EDIT = "/toolkit/resources/{pk}/edit/"
CHECKED = "/toolkit/resources/{pk}/checked/"
RECOMMEND = "/toolkit/resources/{pk}/recommend/"
RECOMMENDED = "/toolkit/recommended/"

MEMBERS = [
    "mentee",
    "other_mentee",
    "mentor",
    "other_mentor",
    "supervisor",
    "coordinator",
    "admin",
    "referrer",
]
STAFF = ["coordinator", "admin"]
MENTEES = ["mentee", "other_mentee"]


def has_option(page: str, value: object, label: str = "", *, selected: bool = False) -> bool:
    """Whether the page has this <option> (the form templates break lines inside tags)."""
    chosen = r"\s+selected" if selected else ""
    text = re.escape(label) if label else r"[^<]*"
    return re.search(rf'<option value="{value}"{chosen}\s*>{text}</option>', page) is not None


def form_data(**changes) -> dict[str, object]:
    data = {key: value for key, value in resource_details(**changes).items() if key != "needs"}
    data["last_checked_on"] = data["last_checked_on"].isoformat()
    return data


def check_not_allowed_method(response, person: str) -> None:
    """A page that only answers one method: anonymous visitors are sent to sign in first."""
    if person == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response.url
    else:
        assert response.status_code == 405, f"{person}: {response.status_code}"


@pytest.fixture
def stale_resource(organisation):
    return CommunityResource.objects.create(
        organisation=organisation,
        name="Old Drop-in",
        offers="A drop-in",
        who_for="Anyone",
        phone="0123 456",
        last_checked_on=timezone.localdate() - timedelta(days=400),
    )


@pytest.fixture
def other_org_resource(other_organisation):
    return CommunityResource.objects.create(
        organisation=other_organisation,
        name="Elsewhere Group",
        offers="Elsewhere",
        who_for="Elsewhere people",
        phone="0999",
    )


# Who may open each page --------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_directory_access(person, request, client_for, community_resource):
    """Everyone signed in to an organisation opens its own directory, and only its own."""
    client = client_as(person, request, client_for)
    response = client.get(DIRECTORY)
    check_page(response, person, [*MEMBERS, "other_org_coordinator"])
    if response.status_code == 200:
        assert (community_resource.name in response.content.decode()) == (person in MEMBERS)
    check_not_allowed_method(client.post(DIRECTORY), person)


@pytest.mark.parametrize("person", PEOPLE)
def test_resource_access(person, request, client_for, community_resource):
    client = client_as(person, request, client_for)
    check_page(client.get(RESOURCE.format(pk=community_resource.pk)), person, MEMBERS)


@pytest.mark.parametrize("person", [p for p in PEOPLE if p != "other_org_coordinator"])
def test_another_organisations_resource_is_a_404_for_everyone_here(
    person, request, client_for, other_org_resource
):
    client = client_as(person, request, client_for)
    for url in (RESOURCE, EDIT):
        check_page(client.get(url.format(pk=other_org_resource.pk)), person, [])
    for url in (RESOURCE, CHECKED, RECOMMEND):
        check_page(
            client.post(url.format(pk=other_org_resource.pk), {"action": "archive"}), person, []
        )
    check_page(client.get(RESOURCE.format(pk=999999)), person, [])


@pytest.mark.parametrize("person", PEOPLE)
def test_archived_resources_are_for_staff_only(person, request, client_for, community_resource):
    CommunityResource.objects.filter(pk=community_resource.pk).update(is_active=False)
    client = client_as(person, request, client_for)
    check_page(client.get(RESOURCE.format(pk=community_resource.pk)), person, STAFF)


@pytest.mark.parametrize("person", PEOPLE)
def test_archiving_access(person, request, client_for, community_resource):
    response = client_as(person, request, client_for).post(
        RESOURCE.format(pk=community_resource.pk), {"action": "archive"}
    )
    check_page(response, person, STAFF, ok=302)
    community_resource.refresh_from_db()
    assert community_resource.is_active == (person not in STAFF)


@pytest.mark.parametrize("person", PEOPLE)
def test_new_resource_access(person, request, client_for):
    client = client_as(person, request, client_for)
    staff_anywhere = [*STAFF, "other_org_coordinator"]
    check_page(client.get(NEW), person, staff_anywhere)
    check_page(client.post(NEW, form_data()), person, staff_anywhere, ok=302)
    made = CommunityResource.objects.first()
    assert (made is not None) == (person in staff_anywhere)
    if made is not None:
        assert (made.organisation.slug == "riverside") == (person in STAFF)


@pytest.mark.parametrize("person", PEOPLE)
def test_edit_access(person, request, client_for, community_resource):
    client = client_as(person, request, client_for)
    url = EDIT.format(pk=community_resource.pk)
    check_page(client.get(url), person, STAFF)
    check_page(client.post(url, form_data(version=1)), person, STAFF, ok=302)
    community_resource.refresh_from_db()
    assert (community_resource.name == "Riverside Walking Group") == (person in STAFF)


@pytest.mark.parametrize("person", PEOPLE)
def test_mark_checked_access(person, request, client_for, stale_resource):
    client = client_as(person, request, client_for)
    url = CHECKED.format(pk=stale_resource.pk)
    check_not_allowed_method(client.get(url), person)
    check_page(client.post(url), person, STAFF, ok=302)
    stale_resource.refresh_from_db()
    assert (stale_resource.last_checked_on == timezone.localdate()) == (person in STAFF)


@pytest.mark.parametrize("person", PEOPLE)
def test_to_check_access(person, request, client_for, stale_resource):
    client = client_as(person, request, client_for)
    response = client.get(TO_CHECK)
    check_page(response, person, [*STAFF, "other_org_coordinator"])
    if response.status_code == 200:
        assert (stale_resource.name in response.content.decode()) == (person in STAFF)
    check_not_allowed_method(client.post(TO_CHECK), person)


@pytest.mark.parametrize("person", PEOPLE)
def test_recommend_access(
    person, request, client_for, community_resource, active_relationship, mentee
):
    client = client_as(person, request, client_for)
    url = RECOMMEND.format(pk=community_resource.pk)
    check_not_allowed_method(client.get(url), person)
    response = client.post(url, {"person": mentee.pk, "note": "Worth a go"})
    check_page(response, person, ["mentor", *STAFF], ok=302)
    assert Recommendation.objects.exists() == (person in ["mentor", *STAFF])


@pytest.mark.parametrize("person", PEOPLE)
def test_recommended_access(person, request, client_for):
    client = client_as(person, request, client_for)
    check_page(client.get(RECOMMENDED), person, MENTEES)
    check_not_allowed_method(client.post(RECOMMENDED), person)


# The directory -----------------------------------------------------------------------------------


@pytest.fixture
def listed(coordinator, organisation, areas):
    anxiety, depression, grief, _ = areas

    def add(name, **changes):
        return resource_create(
            actor=coordinator, organisation=organisation, **resource_details(name=name, **changes)
        )

    return {
        "walk": add(
            "Walk and Talk",
            delivery=Delivery.IN_PERSON,
            area="Riverside",
            cost=Cost.FREE,
            needs=[depression],
        ),
        "line": add(
            "Worry Line",
            offers="Phone support when worry takes over",
            delivery=Delivery.ONLINE,
            area="Hilltop",
            cost=Cost.LOW,
            needs=[anxiety],
        ),
        "cafe": add(
            "Bereavement Cafe",
            delivery=Delivery.BOTH,
            area="Hilltop",
            cost=Cost.PAID,
            needs=[grief, anxiety],
        ),
    }


def found(client, **query) -> list[str]:
    response = client.get(DIRECTORY, query)
    assert response.status_code == 200
    page = response.content.decode()
    return [name for name in ("Bereavement Cafe", "Walk and Talk", "Worry Line") if name in page]


def test_the_directory_filters_by_need_area_delivery_cost_and_words(
    client_for, mentor, listed, areas
):
    client = client_for(mentor)
    assert found(client) == ["Bereavement Cafe", "Walk and Talk", "Worry Line"]
    assert found(client, need=areas[0].pk) == ["Bereavement Cafe", "Worry Line"]
    assert found(client, area="Hilltop") == ["Bereavement Cafe", "Worry Line"]
    assert found(client, delivery="online") == ["Bereavement Cafe", "Worry Line"]
    assert found(client, delivery="in_person") == ["Bereavement Cafe", "Walk and Talk"]
    assert found(client, cost="free") == ["Walk and Talk"]
    assert found(client, q="worry takes") == ["Worry Line"]
    assert found(client, need=areas[0].pk, delivery="in_person") == ["Bereavement Cafe"]


def test_the_chosen_filters_stay_in_the_form_and_the_count_is_announced(
    client_for, mentee, listed, areas
):
    page = (
        client_for(mentee)
        .get(DIRECTORY, {"q": "<b>x", "need": areas[0].pk, "delivery": "online", "cost": "low"})
        .content.decode()
    )
    assert 'value="&lt;b&gt;x"' in page
    assert has_option(page, areas[0].pk, selected=True)
    assert has_option(page, "online", selected=True)
    assert has_option(page, "low", selected=True)
    assert not has_option(page, "in_person", selected=True)
    assert 'role="status" aria-live="polite"' in page
    assert "0 resources found" in page
    assert "Clear the search" in page


def test_choices_that_are_not_on_the_list_are_ignored(client_for, mentee, listed):
    assert found(client_for(mentee), need="999", delivery="teleport", cost="x") == [
        "Bereavement Cafe",
        "Walk and Talk",
        "Worry Line",
    ]


def test_archived_resources_are_hidden_except_for_staff_who_ask(
    client_for, mentee, coordinator, listed
):
    CommunityResource.objects.filter(pk=listed["walk"].pk).update(is_active=False)
    assert "Walk and Talk" not in found(client_for(mentee))
    assert "Walk and Talk" not in found(client_for(mentee), archived="on")
    assert found(client_for(coordinator), archived="on") == ["Walk and Talk"]


def test_the_directory_pages_by_25(client_for, mentee, organisation):
    CommunityResource.objects.bulk_create(
        CommunityResource(
            organisation=organisation,
            name=f"Group {number:02d}",
            offers="Support",
            who_for="Anyone",
            phone="0123",
        )
        for number in range(30)
    )
    client = client_for(mentee)
    first = client.get(DIRECTORY, {"cost": "free"}).content.decode()
    assert "Group 24" in first and "Group 25" not in first
    assert "30 resources found, page 1 of 2" in first
    assert "?cost=free&amp;page=2" in first
    second = client.get(DIRECTORY, {"cost": "free", "page": 2}).content.decode()
    assert "Group 25" in second and "Group 24" not in second


def make_many(organisation, areas, count: int) -> None:
    for number in range(count):
        resource = CommunityResource.objects.create(
            organisation=organisation,
            name=f"Group {number:02d}",
            offers="Support",
            who_for="Anyone",
            phone="0123",
            website="https://example.org",
            area=f"Area {number % 4}",
        )
        resource.needs.set(areas[: 1 + number % 3])


# +1 on every staff page: the urgent safeguarding banner looks for a waiting urgent alert.
@pytest.mark.parametrize(("person", "queries"), [("mentor", 9), ("coordinator", 11)])
def test_the_directory_takes_the_same_queries_however_many_resources(
    person, queries, request, client_for, organisation, areas, django_assert_num_queries
):
    client = client_for(request.getfixturevalue(person))
    make_many(organisation, areas, 3)
    client.get(DIRECTORY)
    with django_assert_num_queries(queries):
        client.get(DIRECTORY, {"need": areas[0].pk})
    make_many(organisation, areas, 27)
    with django_assert_num_queries(queries):
        page = client.get(DIRECTORY, {"need": areas[0].pk}).content.decode()
    assert "page 1 of 1" not in page
    with django_assert_num_queries(queries):
        client.get(DIRECTORY)


def test_staff_see_what_needs_checking_and_how_to_add(
    client_for, coordinator, mentor, community_resource, stale_resource
):
    page = client_for(coordinator).get(DIRECTORY).content.decode()
    assert "Add a resource" in page
    assert "Resources to check (1)" in page
    assert page.count("Needs checking") == 1
    assert page.index("Needs checking") > page.index("Old Drop-in")
    mentor_page = client_for(mentor).get(DIRECTORY).content.decode()
    assert "Needs checking" not in mentor_page
    assert "Add a resource" not in mentor_page
    assert "Resources to check" not in mentor_page


def test_each_result_shows_what_a_person_needs_to_decide(client_for, referrer, listed):
    page = client_for(referrer).get(DIRECTORY).content.decode()
    walk = listed["walk"]
    for text in (
        walk.who_for,
        "In person · Riverside",
        "Free",
        "Thursdays 10am",
        'href="tel:01234567890"',
        'href="mailto:walks@example.org"',
        f'Last checked</dt>\n                <dd class="col-7 col-md-9 mb-0">'
        f"{walk.last_checked_on:%-d %B %Y}",
    ):
        assert text in page, text


# Safe output and links ---------------------------------------------------------------------------

INJECTION = '<script>alert("x")</script><img src=x onerror=alert(1)>'
TEXT_FIELDS = [
    "name",
    "offers",
    "who_for",
    "how_to_contact",
    "opening_times",
    "cost_detail",
    "area",
    "address",
]


def test_html_in_every_text_field_is_shown_as_text(
    client_for, coordinator, mentor, mentee, organisation, active_relationship
):
    resource = CommunityResource.objects.create(
        organisation=organisation,
        **{name: f"{name} {INJECTION}" for name in TEXT_FIELDS},
        phone=f"01 {INJECTION}"[:40],
        email="a@example.org",
    )
    resource_recommend(actor=mentor, resource=resource, person=mentee, note=f"note {INJECTION}")
    pages = [
        client_for(coordinator).get(DIRECTORY).content.decode(),
        client_for(coordinator).get(RESOURCE.format(pk=resource.pk)).content.decode(),
        client_for(mentor).get(RESOURCE.format(pk=resource.pk)).content.decode(),
        client_for(coordinator).get(EDIT.format(pk=resource.pk)).content.decode(),
        client_for(mentee).get(RECOMMENDED).content.decode(),
    ]
    for page in pages:
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    recommended_page = pages[-1]
    for name in TEXT_FIELDS:
        assert f"{name} &lt;script&gt;" in recommended_page, name
    assert "note &lt;script&gt;" in recommended_page


def test_external_links_do_not_tell_the_other_site_where_people_came_from(
    client_for, mentee, community_resource
):
    CommunityResource.objects.filter(pk=community_resource.pk).update(
        website="https://voices.example.org/group"
    )
    for url in (DIRECTORY, RESOURCE.format(pk=community_resource.pk)):
        page = client_for(mentee).get(url).content.decode()
        assert (
            '<a href="https://voices.example.org/group" class="text-break" '
            'rel="noopener noreferrer">voices.example.org/group</a>'
        ) in page
        assert 'target="_blank"' not in page or "(opens in a new tab)" in page


def test_a_dangerous_address_that_got_into_the_database_is_never_a_link(
    client_for, mentee, community_resource
):
    CommunityResource.objects.filter(pk=community_resource.pk).update(website="javascript:alert(1)")
    page = client_for(mentee).get(RESOURCE.format(pk=community_resource.pk)).content.decode()
    assert 'href="javascript:' not in page
    assert "javascript:alert(1)" in page


def test_a_javascript_address_is_refused_on_save(client_for, coordinator):
    response = client_for(coordinator).post(NEW, form_data(website="javascript:alert(1)"))
    assert response.status_code == 200
    page = response.content.decode()
    assert BAD_WEBSITE.replace("(", "").split(" like")[0][:30] in page.replace("(", "")
    assert 'value="javascript:alert(1)"' in page
    assert not CommunityResource.objects.exists()


# Adding and editing ------------------------------------------------------------------------------


def test_a_coordinator_adds_a_resource_on_the_page(client_for, coordinator, areas):
    data = form_data(website="www.walks.example.org")
    data["needs"] = [str(areas[1].pk)]
    response = client_for(coordinator).post(NEW, data, follow=True)
    page = response.content.decode()
    assert "Riverside Walking Group is in the directory." in page
    resource = CommunityResource.objects.get()
    assert resource.website == "https://www.walks.example.org"
    assert list(resource.needs.all()) == [areas[1]]
    assert response.redirect_chain[-1][0] == RESOURCE.format(pk=resource.pk)


def test_every_problem_is_shown_next_to_its_field_with_the_typing_kept(client_for, coordinator):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = form_data(
        name="",
        offers="A warm welcome for everyone",
        phone="",
        email="",
        website="",
        how_to_contact="",
        last_checked_on=tomorrow,
    )
    response = client_for(coordinator).post(NEW, data)
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert "Some answers need another look" in page
    assert "Give the name of the group, organisation or service." in page
    assert page.count(NO_CONTACT) == 2  # in the summary, and next to the contact fields
    assert 'id="group-2-error"' in page
    assert "The date it was last checked cannot be in the future." in page
    assert 'id="id_name_error"' in page
    assert 'id="id_last_checked_on_error"' in page
    assert "A warm welcome for everyone" in page
    assert not CommunityResource.objects.exists()


def test_the_new_form_starts_with_today_and_sensible_choices(client_for, admin):
    page = client_for(admin).get(NEW).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page
    assert page.count("<h1") == 1
    assert "How to get in touch" in page and "Give at least one." in page


def test_an_edit_shows_the_saved_details(client_for, coordinator, community_resource):
    page = client_for(coordinator).get(EDIT.format(pk=community_resource.pk)).content.decode()
    assert 'value="Riverside Hearing Voices Group"' in page
    assert 'name="version" value="1"' in page


def test_an_edit_made_after_someone_else_saved_keeps_the_typing(
    client_for, coordinator, admin, organisation
):
    resource = resource_create(actor=admin, organisation=organisation, **resource_details())
    client_for(admin).post(EDIT.format(pk=resource.pk), form_data(version=1, area="Hilltop"))
    response = client_for(coordinator).post(
        EDIT.format(pk=resource.pk), form_data(version=1, opening_times="Mondays, typed carefully")
    )
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert "Someone else saved a change" in page
    assert "Mondays, typed carefully" in page
    assert 'name="version" value="2"' in page
    assert "See the latest saved version" in page
    resource.refresh_from_db()
    assert (resource.area, resource.opening_times) == ("Hilltop", "Thursdays 10am")
    again = client_for(coordinator).post(
        EDIT.format(pk=resource.pk),
        form_data(version=2, area="Hilltop", opening_times="Mondays, typed carefully"),
    )
    assert again.status_code == 302
    resource.refresh_from_db()
    assert resource.opening_times == "Mondays, typed carefully"


def test_staff_archive_and_restore_on_the_resource_page(
    client_for, coordinator, mentee, community_resource
):
    client = client_for(coordinator)
    url = RESOURCE.format(pk=community_resource.pk)
    page = client.post(url, {"action": "archive"}, follow=True).content.decode()
    assert "is archived" in page
    assert "Restore to the directory" in page
    assert client_for(mentee).get(url).status_code == 404
    client.post(url, {"action": "restore"})
    assert client_for(mentee).get(url).status_code == 200


def test_the_list_to_check_marks_one_as_checked(
    client_for, coordinator, stale_resource, community_resource
):
    client = client_for(coordinator)
    page = client.get(TO_CHECK).content.decode()
    assert "Old Drop-in" in page
    assert community_resource.name not in page
    response = client.post(CHECKED.format(pk=stale_resource.pk), {"back": "to-check"}, follow=True)
    assert response.redirect_chain[-1][0] == TO_CHECK
    page = response.content.decode()
    assert "Old Drop-in is marked as checked today." in page
    assert "Nothing to check" in page
    assert AuditEvent.objects.filter(action="community_resource.checked").count() == 1


def test_the_list_to_check_takes_the_same_queries_however_many(
    client_for, coordinator, organisation, django_assert_num_queries
):
    client = client_for(coordinator)

    def add(count):
        for number in range(count):
            CommunityResource.objects.create(
                organisation=organisation,
                name=f"Old {number}",
                offers="x",
                who_for="y",
                phone="1",
                last_checked_on=timezone.localdate() - timedelta(days=500),
            )

    add(2)
    client.get(TO_CHECK)
    with django_assert_num_queries(7):  # 6, and the urgent safeguarding banner
        client.get(TO_CHECK)
    add(20)
    with django_assert_num_queries(7):
        client.get(TO_CHECK)


# Recommending ------------------------------------------------------------------------------------


def test_a_mentor_recommends_a_resource_on_its_page(
    client_for, mentor, mentee, active_relationship, community_resource
):
    client = client_for(mentor)
    url = RESOURCE.format(pk=community_resource.pk)
    page = client.get(url).content.decode()
    assert "Recommend it to a mentee" in page
    assert has_option(page, mentee.pk, "Samira")
    response = client.post(
        RECOMMEND.format(pk=community_resource.pk),
        {"person": mentee.pk, "note": "The Tuesday group is lovely"},
        follow=True,
    )
    page = response.content.decode()
    assert "Recommended to Samira." in page
    assert "Already recommended to:" in page
    assert "The Tuesday group is lovely" in page
    assert "All your current mentees have this one already." in page
    assert 'name="person"' not in page
    assert Recommendation.objects.get().note == "The Tuesday group is lovely"


def test_recommending_again_keeps_one_and_says_so(
    client_for, mentor, mentee, active_relationship, community_resource
):
    client = client_for(mentor)
    url = RECOMMEND.format(pk=community_resource.pk)
    client.post(url, {"person": mentee.pk, "note": "First"})
    response = client.post(url, {"person": mentee.pk, "note": "Second"}, follow=True)
    assert "Samira already has this one." in response.content.decode()
    assert Recommendation.objects.get().note == "Second"


def test_a_mentor_without_current_mentees_has_nothing_to_recommend_to(
    client_for, mentor, community_resource
):
    page = client_for(mentor).get(RESOURCE.format(pk=community_resource.pk)).content.decode()
    assert "Recommend it to a mentee" not in page


def test_recommending_to_another_mentors_mentee_is_a_404(
    client_for, mentor, other_mentee, other_relationship, active_relationship, community_resource
):
    response = client_for(mentor).post(
        RECOMMEND.format(pk=community_resource.pk), {"person": other_mentee.pk}
    )
    assert response.status_code == 404
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("person", ["abc", "999999"])
def test_recommending_to_nobody_real_is_a_404(
    person, client_for, mentor, active_relationship, community_resource
):
    response = client_for(mentor).post(
        RECOMMEND.format(pk=community_resource.pk), {"person": person}
    )
    assert response.status_code == 404


def test_after_the_ending_a_recommendation_is_refused_with_a_reason(
    client_for, mentor, mentee, ended_relationship, community_resource
):
    response = client_for(mentor).post(
        RECOMMEND.format(pk=community_resource.pk), {"person": mentee.pk}, follow=True
    )
    assert response.status_code == 200
    assert ENDED in response.content.decode()
    assert not Recommendation.objects.exists()


def test_choosing_nobody_is_explained_next_to_the_field_with_the_note_kept(
    client_for, mentor, active_relationship, other_organisation, community_resource, mentee
):
    response = client_for(mentor).post(
        RECOMMEND.format(pk=community_resource.pk), {"person": "", "note": "Typed note"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose who to recommend it to." in page
    assert "Typed note" in page


def test_a_too_long_note_is_explained_with_the_words_kept(
    client_for, mentor, mentee, active_relationship, community_resource
):
    note = "kind words " * 40
    response = client_for(mentor).post(
        RECOMMEND.format(pk=community_resource.pk), {"person": mentee.pk, "note": note}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some answers need another look" in page
    assert note.strip()[:60] in page
    assert not Recommendation.objects.exists()


def test_staff_choose_from_every_mentee(
    client_for, coordinator, mentee, other_mentee, community_resource
):
    page = client_for(coordinator).get(RESOURCE.format(pk=community_resource.pk)).content.decode()
    assert f'value="{mentee.pk}"' in page and f'value="{other_mentee.pk}"' in page
    response = client_for(coordinator).post(
        RECOMMEND.format(pk=community_resource.pk), {"person": other_mentee.pk}
    )
    assert response.status_code == 302
    assert Recommendation.objects.get().person == other_mentee


def test_staff_cannot_recommend_to_a_mentor(client_for, coordinator, mentor, community_resource):
    response = client_for(coordinator).post(
        RECOMMEND.format(pk=community_resource.pk), {"person": mentor.pk}
    )
    assert response.status_code == 404


# The mentee's list -------------------------------------------------------------------------------


def test_the_mentee_sees_what_was_recommended_with_who_and_why(
    client_for, mentor, mentee, active_relationship, community_resource
):
    CommunityResource.objects.filter(pk=community_resource.pk).update(
        phone="0800 111", website="https://voices.example.org"
    )
    resource_recommend(
        actor=mentor, resource=community_resource, person=mentee, note="I think you'd like it"
    )
    page = client_for(mentee).get(RECOMMENDED).content.decode()
    assert community_resource.name in page
    assert f"by {active_relationship.mentor.display_name}, your mentor" in page
    assert "I think you&#x27;d like it" in page
    assert 'href="tel:0800111"' in page
    assert 'rel="noopener noreferrer"' in page
    resource_page = client_for(mentee).get(RESOURCE.format(pk=community_resource.pk))
    assert "Recommended to you" in resource_page.content.decode()


def test_the_list_is_kept_after_mentoring_ends(
    client_for, mentor, mentee, active_relationship, community_resource
):
    resource_recommend(actor=mentor, resource=community_resource, person=mentee)
    active_relationship.status = "ended"
    active_relationship.save(update_fields=["status"])
    assert community_resource.name in client_for(mentee).get(RECOMMENDED).content.decode()


def test_a_mentee_sees_only_their_own_recommendations(
    client_for, mentor, mentee, other_mentee, active_relationship, community_resource
):
    resource_recommend(actor=mentor, resource=community_resource, person=mentee)
    page = client_for(other_mentee).get(RECOMMENDED).content.decode()
    assert community_resource.name not in page
    assert "Nothing has been recommended to you yet" in page


def test_the_recommended_page_takes_the_same_queries_however_many(
    client_for, coordinator, mentee, organisation, django_assert_num_queries
):
    client = client_for(mentee)

    def recommend(count, start):
        for number in range(start, start + count):
            resource = CommunityResource.objects.create(
                organisation=organisation, name=f"G{number}", offers="x", who_for="y", phone="1"
            )
            resource_recommend(actor=coordinator, resource=resource, person=mentee)

    recommend(1, 0)
    client.get(RECOMMENDED)
    with django_assert_num_queries(5):
        client.get(RECOMMENDED)
    recommend(5, 1)
    with django_assert_num_queries(5):
        client.get(RECOMMENDED)
