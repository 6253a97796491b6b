import re

import pytest
from django.test.utils import override_script_prefix
from django.urls import reverse

from safeguarding.models import CrisisResource
from safeguarding.services.crisis import crisis_resource_create

PAGES_FOR_MENTEE = ["/dashboard/", "/help/", "/accounts/overview/", "/accounts/password/change/"]


@pytest.mark.parametrize("path", PAGES_FOR_MENTEE)
def test_signed_in_pages_are_never_cached(path, mentee, client_for):
    response = client_for(mentee).get(path)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/", "/help/", "/accounts/login/", *PAGES_FOR_MENTEE])
def test_every_page_has_one_h1_a_skip_link_and_a_get_help_link(path, mentee, client, client_for):
    browser = client if path in ("/", "/accounts/login/") else client_for(mentee)
    page = browser.get(path).content.decode()
    assert len(re.findall(r"<h1[\s>]", page)) == 1, path
    assert 'href="#main"' in page
    assert 'href="/help/"' in page and "Get help now" in page


@pytest.mark.parametrize("path", ["/", "/help/", "/accounts/login/", "/dashboard/"])
def test_pages_have_no_inline_scripts_or_styles(path, mentee, client, client_for):
    browser = client if path != "/dashboard/" else client_for(mentee)
    page = browser.get(path).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline <script>"
    assert "style=" not in page
    assert "<style" not in page
    assert "cdn" not in page.lower()


def test_content_security_policy_forbids_inline_code_and_framing(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def navigation_labels(client) -> list[str]:
    page = client.get("/dashboard/").content.decode()
    nav = page[page.index('aria-label="Main"') : page.index("</nav>")]
    return re.findall(r'class="nav-link-plain"[^>]*>([^<]+)</a>', nav)


def test_navigation_depends_on_role(mentee, coordinator, admin, supervisor, referrer, client_for):
    assert navigation_labels(client_for(mentee)) == [
        "Home",
        "My mentoring",
        "My questionnaires",
        "My toolkit",
        "My referral",
        "Your match",
        "Find a mentor",
        "Your account",
    ]
    assert {"Referrals", "Waiting list", "Relationships", "Check-ins", "Applicants"} <= set(
        navigation_labels(client_for(coordinator))
    )
    assert {"Your referrals", "Refer someone"} <= set(navigation_labels(client_for(referrer)))
    assert {"API documentation", "Relationships", "Mentoring settings"} <= set(
        navigation_labels(client_for(admin))
    )
    assert {"Supervision", "Flagged sessions", "Safeguarding alerts"} <= set(
        navigation_labels(client_for(supervisor))
    )
    assert {"Safeguarding alerts", "Outcomes", "Community resources"} <= set(
        navigation_labels(client_for(coordinator))
    )


def test_menu_links_follow_the_address_the_site_is_served_under(mentee, client_for):
    """Menu URLs are reversed once per process, but for each script prefix in use."""
    client = client_for(mentee)
    plain = client.get("/help/").content.decode()
    with override_script_prefix("/alongside/"):
        prefixed = client.get("/help/").content.decode()
    assert 'href="/toolkit/"' in plain and 'href="/alongside/toolkit/"' not in plain
    assert 'href="/alongside/toolkit/"' in prefixed and 'href="/toolkit/"' not in prefixed
    assert 'href="/toolkit/"' in client.get("/help/").content.decode()


def test_mentor_navigation_follows_their_journey(trainee, mentor_profile, client_for):
    assert "Training" in navigation_labels(client_for(trainee))
    certified = navigation_labels(client_for(mentor_profile.user))
    assert "Your profile" in certified and "Wellbeing check-in" in certified
    assert "Mentees" in certified
    assert "Training" not in certified


def test_help_page_lists_the_organisations_resources_emergency_first(
    organisation, other_organisation, mentee, client_for
):
    crisis_resource_create(
        actor=None, organisation=organisation, name="Samaritans", phone="116 123", position=1
    )
    crisis_resource_create(
        actor=None,
        organisation=organisation,
        name="Emergency services",
        phone="999",
        is_emergency=True,
        position=5,
    )
    crisis_resource_create(actor=None, organisation=other_organisation, name="Elsewhere line")
    page = client_for(mentee).get(reverse("get_help_now")).content.decode()
    assert page.index("Emergency services") < page.index("Samaritans")
    assert 'href="tel:116123"' in page
    assert "Elsewhere line" not in page


def test_visitors_see_the_only_organisations_help_before_signing_in(client, organisation):
    crisis_resource_create(actor=None, organisation=organisation, name="Samaritans")
    assert "Samaritans" in client.get(reverse("get_help_now")).content.decode()


def test_visitors_on_a_shared_install_see_general_advice_unless_a_default_is_set(
    client, organisation, other_organisation, settings
):
    crisis_resource_create(actor=None, organisation=organisation, name="Samaritans")
    page = client.get(reverse("get_help_now")).content.decode()
    assert "Samaritans" not in page
    assert "local emergency number" in page
    settings.DEFAULT_ORGANISATION_SLUG = organisation.slug
    assert "Samaritans" in client.get(reverse("get_help_now")).content.decode()


def test_inactive_resources_are_hidden(organisation, mentee, client_for):
    resource = crisis_resource_create(actor=None, organisation=organisation, name="Old line")
    CrisisResource.objects.filter(pk=resource.pk).update(is_active=False)
    assert "Old line" not in client_for(mentee).get("/help/").content.decode()


@pytest.mark.parametrize(
    ("role", "queries"), [("mentee", 11), ("mentor", 14), ("coordinator", 27), ("referrer", 4)]
)
def test_dashboard_query_count_is_pinned(
    db, role, queries, request, client_for, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(role))
    with django_assert_max_num_queries(queries):
        client.get("/dashboard/")


def test_home_page_invites_people_to_volunteer_when_the_organisation_is_known(client, organisation):
    page = client.get("/").content.decode()
    assert f'href="/mentors/apply/{organisation.slug}/"' in page
