"""Triage pages: the queue, a referral with its actions, and merging a duplicate."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Language
from audit.models import AuditEvent
from referrals.models import (
    ContactAttempt,
    ContactOutcome,
    Importance,
    Referral,
    ReferralProgrammeSettings,
    SafeNow,
    Source,
    Status,
    Urgency,
)
from referrals.selectors import referral_settings
from referrals.services.triage import contact_attempt_record
from referrals.views import triage as triage_views
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "mentee",
    "mentor",
    "other_mentor",
    "supervisor",
    "coordinator",
    "admin",
    "referrer",
    "outsider",
    "other_org_coordinator",
]
STAFF_HERE = {"coordinator", "admin"}


@pytest.fixture
def staff_client(client_for, coordinator) -> Client:
    return client_for(coordinator)


@pytest.fixture
def duplicate(organisation, new_referral):
    """A later referral from the same email address as ``new_referral``."""
    return ReferralFactory(
        organisation=organisation,
        full_name="Casey Again",
        email=new_referral.email,
        possible_duplicate_of=new_referral,
    )


def fresh(referral: Referral) -> Referral:
    return Referral.objects.get(pk=referral.pk)


def page_of(response) -> str:
    return response.content.decode()


def _path(name):
    return lambda objects: reverse(f"referrals:{name}", args=[objects["referral"].pk])


# name -> (method, path from objects, status for coordinator/admin, status for the other
# organisation's coordinator)
ROUTES = {
    "queue": ("get", lambda o: reverse("referrals:queue"), 200, 200),
    "queue_filtered": (
        "get",
        lambda o: reverse("referrals:queue") + "?status=new&source=self",
        200,
        200,
    ),
    "detail": ("get", _path("detail"), 200, 404),
    "contact_attempt": ("post", _path("contact_attempt"), 200, 404),
    "accept": ("post", _path("accept"), 302, 404),
    "signpost": ("post", _path("signpost"), 200, 404),
    "decline": ("post", _path("decline"), 200, 404),
    "unable_to_contact": ("post", _path("unable_to_contact"), 302, 404),
    "merge": ("get", lambda o: reverse("referrals:merge", args=[o["duplicate"].pk]), 200, 404),
    "merge_post": (
        "post",
        lambda o: reverse("referrals:merge", args=[o["duplicate"].pk]),
        302,
        404,
    ),
    "dismiss_duplicate": (
        "post",
        lambda o: reverse("referrals:dismiss_duplicate", args=[o["duplicate"].pk]),
        302,
        404,
    ),
}


@pytest.fixture
def objects(new_referral, duplicate):
    return {"referral": new_referral, "duplicate": duplicate}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("route", ROUTES)
def test_only_this_organisations_coordinators_and_admins_reach_triage(
    route, person, objects, request, client_for
):
    method, make_path, staff_status, other_org_status = ROUTES[route]
    path = make_path(objects)
    if person == "anonymous":
        response = getattr(Client(), method)(path)
        assert response.status_code == 302, f"anonymous {method} {path}"
        assert response.url.startswith("/accounts/login/")
        return
    client = client_for(request.getfixturevalue(person))
    response = getattr(client, method)(path)
    if person in STAFF_HERE:
        expected = staff_status
    elif person == "other_org_coordinator":
        expected = other_org_status
    else:
        expected = 404
    assert response.status_code == expected, f"{person} {method} {path}"


def test_other_organisations_coordinator_changes_nothing_here(
    objects, other_org_coordinator, client_for
):
    client = client_for(other_org_coordinator)
    referral = objects["referral"]
    client.post(reverse("referrals:accept", args=[referral.pk]))
    client.post(reverse("referrals:decline", args=[referral.pk]), {"reason": "No"})
    client.post(reverse("referrals:merge", args=[objects["duplicate"].pk]), {"into": referral.pk})
    assert fresh(referral).status == Status.NEW
    assert fresh(objects["duplicate"]).status == Status.NEW
    assert not AuditEvent.objects.filter(action__startswith="referral.").exclude(
        action="referral.created"
    )


def test_other_organisations_referral_is_404_for_this_coordinator(other_org_referral, staff_client):
    assert (
        staff_client.get(reverse("referrals:detail", args=[other_org_referral.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    "name",
    ["contact_attempt", "accept", "signpost", "decline", "unable_to_contact", "dismiss_duplicate"],
)
def test_actions_do_nothing_on_get(name, objects, staff_client):
    assert staff_client.get(ROUTES[name][1](objects)).status_code == 405


# The queue ------------------------------------------------------------------------------------


def test_queue_lists_urgent_first_then_oldest(organisation, staff_client):
    now = timezone.now()
    ReferralFactory(
        organisation=organisation, full_name="Old Routine", created_at=now - timedelta(days=9)
    )
    ReferralFactory(
        organisation=organisation, full_name="New Routine", created_at=now - timedelta(hours=2)
    )
    ReferralFactory(
        organisation=organisation,
        full_name="Late Urgent",
        urgency=Urgency.URGENT,
        created_at=now - timedelta(hours=1),
    )
    ReferralFactory(
        organisation=organisation,
        full_name="Mid Contacting",
        status=Status.CONTACTING,
        created_at=now - timedelta(days=3, hours=1),
    )
    page = page_of(staff_client.get(reverse("referrals:queue")))
    names = re.findall(r'href="/referrals/\d+/">([^<]+)</a>', page)
    assert names == ["Late Urgent", "Old Routine", "Mid Contacting", "New Routine"]
    assert "received 9 days ago" in page
    assert "received 3 days ago" in page
    assert "received less than a day ago" in page
    assert '<span class="badge text-bg-danger">Urgent</span>' in page
    assert page.count(">Urgent</span>") == 1


def test_queue_leaves_out_waiting_closed_and_other_organisations(
    organisation, waiting_referral, other_org_referral, new_referral, staff_client
):
    ReferralFactory(organisation=organisation, full_name="Closed Person", status=Status.DECLINED)
    ReferralFactory(organisation=organisation, full_name="In Intake", status=Status.INTAKE)
    page = page_of(staff_client.get(reverse("referrals:queue")))
    assert "Casey Waiting" in page
    assert "In Intake" in page
    assert waiting_referral.full_name not in page
    assert "Closed Person" not in page
    assert "Elsewhere Person" not in page


def test_queue_never_shows_contact_details(
    organisation, new_referral, urgent_referral, partner_referral, staff_client
):
    page = page_of(staff_client.get(reverse("referrals:queue")))
    assert "Casey Waiting" in page
    for referral in (new_referral, urgent_referral, partner_referral):
        assert referral.email not in page
        assert referral.phone not in page
        assert referral.hopes not in page
    assert "@example.net" not in page
    assert "not safe right now" not in page


def test_queue_row_shows_preferred_name_source_status_attempts_and_duplicate_marker(
    organisation, coordinator, new_referral, duplicate, partner_referral, staff_client
):
    Referral.objects.filter(pk=new_referral.pk).update(preferred_name="Cas")
    contact_attempt_record(
        actor=coordinator, referral=new_referral, method="phone", outcome="no_answer"
    )
    contact_attempt_record(
        actor=coordinator, referral=new_referral, method="email", outcome="left_message"
    )
    page = page_of(staff_client.get(reverse("referrals:queue")))
    assert "known as Cas" in page
    assert "Trying to make contact" in page
    assert "2 contact attempts" in page
    assert "no contact attempts yet" in page
    assert "GP practice" in page
    assert page.count("Possible duplicate</span>") == 1


def test_queue_counts_new_urgent_contacting_and_intake(organisation, staff_client):
    for status, urgency in [
        (Status.NEW, Urgency.URGENT),
        (Status.NEW, Urgency.ROUTINE),
        (Status.NEW, Urgency.ROUTINE),
        (Status.CONTACTING, Urgency.URGENT),
        (Status.INTAKE, Urgency.ROUTINE),
        (Status.WAITING, Urgency.URGENT),
        (Status.DECLINED, Urgency.URGENT),
    ]:
        ReferralFactory(organisation=organisation, status=status, urgency=urgency)
    response = staff_client.get(reverse("referrals:queue"))
    assert response.context["counts"] == {
        "new": 3,
        "urgent": 2,
        "contacting": 1,
        "intake": 1,
        "total": 5,
    }
    page = page_of(response)
    assert 'fw-semibold">3</span>New' in page
    assert 'fw-semibold">2</span>Urgent' in page


def test_queue_filters_by_status_and_source(organisation, staff_client):
    ReferralFactory(organisation=organisation, full_name="Self New")
    ReferralFactory(organisation=organisation, full_name="Gp New", source=Source.GP)
    ReferralFactory(
        organisation=organisation,
        full_name="Gp Contacting",
        source=Source.GP,
        status=Status.CONTACTING,
    )
    page = page_of(staff_client.get(reverse("referrals:queue"), {"source": "gp"}))
    assert "Gp New" in page and "Gp Contacting" in page and "Self New" not in page
    page = page_of(
        staff_client.get(reverse("referrals:queue"), {"source": "gp", "status": "contacting"})
    )
    assert "Gp Contacting" in page and "Gp New" not in page
    assert re.search(r"<option value=\"contacting\" selected\s*>", page)
    assert "Show every referral in the queue" in page


@pytest.mark.parametrize(
    "query", [None, {"status": "contacting", "source": "gp"}, {"status": "waiting", "source": ""}]
)
def test_the_queue_filters_are_written_as_the_select_template_writes_them(query):
    from referrals.forms_triage import QueueFilterForm
    from referrals.templatetags.referral_lists import choice_select

    def tidy(html):
        return re.sub(r">\s+", ">", re.sub(r"\s+", " ", str(html))).replace(" >", ">")

    filters = QueueFilterForm(query)
    filters.is_valid()
    for name in filters.fields:
        assert tidy(choice_select(filters[name])) == tidy(filters[name])


def test_names_in_the_queue_are_escaped(organisation, staff_client):
    ReferralFactory(
        organisation=organisation, full_name='<b>Bold</b> & "Co"', preferred_name="<i>Bo</i>"
    )
    page = page_of(staff_client.get(reverse("referrals:queue")))
    assert "<b>Bold</b>" not in page and "<i>Bo</i>" not in page
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;Co&quot;" in page
    assert "known as &lt;i&gt;Bo&lt;/i&gt;" in page


def test_a_later_page_of_a_filtered_queue_carries_on_in_order(
    monkeypatch, organisation, coordinator, staff_client
):
    now = timezone.now()
    for days, name, source in [
        (9, "Gp Oldest", Source.GP),
        (8, "Self Skipped", Source.SELF),
        (7, "Gp Second", Source.GP),
        (6, "Gp Third", Source.GP),
        (5, "Gp Fourth", Source.GP),
    ]:
        ReferralFactory(
            organisation=organisation,
            full_name=name,
            source=source,
            created_at=now - timedelta(days=days),
        )
    ReferralFactory(
        organisation=organisation,
        full_name="Gp Urgent",
        source=Source.GP,
        urgency=Urgency.URGENT,
        created_at=now - timedelta(hours=1),
    )
    third = Referral.objects.get(full_name="Gp Third")
    contact_attempt_record(actor=coordinator, referral=third, method="phone", outcome="no_answer")
    monkeypatch.setattr(triage_views, "QUEUE_PER_PAGE", 2)
    response = staff_client.get(reverse("referrals:queue"), {"source": "gp", "page": 2})
    page = page_of(response)
    # Urgent first, then oldest: Gp Urgent, Gp Oldest | Gp Second, Gp Third | Gp Fourth.
    assert re.findall(r'href="/referrals/\d+/">([^<]+)</a>', page) == ["Gp Second", "Gp Third"]
    assert 'Matching referrals <span class="text-body-secondary fs-6">(5)</span>' in page
    assert "1 contact attempt\n" in page and "no contact attempts yet" in page
    assert "Page 2 of 3" in page


def test_queue_filter_with_nothing_matching_says_so(organisation, new_referral, staff_client):
    page = page_of(staff_client.get(reverse("referrals:queue"), {"status": "intake"}))
    assert "No referrals in the queue match these choices." in page


def test_queue_ignores_an_unknown_filter_value_and_says_why(new_referral, staff_client):
    response = staff_client.get(reverse("referrals:queue"), {"status": "waiting"})
    assert response.status_code == 200
    assert "Casey Waiting" in page_of(response)
    assert "Select a valid choice" in page_of(response)


def test_an_empty_queue_says_so_kindly(organisation, staff_client):
    page = page_of(staff_client.get(reverse("referrals:queue")))
    assert "The queue is empty: every referral has been looked at." in page


# Session, person, membership, two-factor, counts, referrals, the urgent safeguarding banner.
QUEUE_QUERIES = 7


def test_queue_queries_do_not_grow_with_the_number_of_referrals(
    organisation, coordinator, staff_client, django_assert_max_num_queries
):
    ReferralFactory(organisation=organisation)
    with django_assert_max_num_queries(QUEUE_QUERIES):
        assert staff_client.get(reverse("referrals:queue")).status_code == 200
    earlier = None
    for number in range(12):
        referral = ReferralFactory(
            organisation=organisation,
            status=[Status.NEW, Status.CONTACTING, Status.INTAKE][number % 3],
            urgency=Urgency.URGENT if number % 4 == 0 else Urgency.ROUTINE,
            possible_duplicate_of=earlier,
        )
        contact_attempt_record(
            actor=coordinator, referral=referral, method="phone", outcome="no_answer"
        )
        earlier = referral
    with django_assert_max_num_queries(QUEUE_QUERIES):
        response = staff_client.get(reverse("referrals:queue") + "?source=self")
    assert len(response.context["rows"]) == 13


# One referral ---------------------------------------------------------------------------------


@pytest.fixture
def full_referral(organisation, areas, referrer):
    welsh, _ = Language.objects.get_or_create(code="cy", defaults={"name": "Welsh"})
    referral = ReferralFactory(
        organisation=organisation,
        full_name="Morgan Full",
        preferred_name="Mo",
        email="morgan@example.net",
        phone="07700 900555",
        voicemail_ok=False,
        email_ok=True,
        text_ok=True,
        best_time_to_contact="Weekday mornings before ten",
        year_of_birth=1988,
        gender="Non-binary",
        area="Eastside",
        hopes="Someone to walk with who gets it.",
        formats=["video", "in_person"],
        availability_slots=["mon_evening", "sat_morning"],
        availability="Not school holidays",
        mentor_gender="Woman",
        mentor_gender_importance=Importance.MUST,
        mentor_age_min=30,
        mentor_age_max=50,
        mentor_age_importance=Importance.NICE,
        shared_experience_importance=Importance.NICE,
        source=Source.GP,
        referrer=referrer,
        consent_confirmed_by=referrer,
        referrer_organisation_name="Northgate Surgery",
        urgency=Urgency.URGENT,
        urgency_reasons="not safe right now",
        safe_now=SafeNow.NO,
    )
    referral.support_areas.set(areas[:2])
    referral.languages.set([welsh])
    return referral


def test_detail_shows_everything_the_person_sent_with_safe_contact_up_front(
    full_referral, staff_client
):
    page = page_of(staff_client.get(reverse("referrals:detail", args=[full_referral.pk])))
    for text in [
        "Morgan Full",
        "morgan@example.net",
        "07700 900555",
        "Do not leave a voicemail",
        "Email is fine",
        "Texts are fine",
        "Weekday mornings before ten",
        "Mo",
        "1988",
        "Non-binary",
        "Eastside",
        "Anxiety, Depression",
        "Someone to walk with who gets it.",
        "Welsh",
        "Video call, In person",
        "Monday evening, Saturday morning",
        "Not school holidays",
        "Woman (must)",
        "30 to 50 (nice to have)",
        "Shared lived experience",
        "Northgate Surgery",
        "GP practice",
        f"statement version {full_referral.consent_version}",
        "Urgent: please contact them today",
        "not safe right now",
        "No, I do not feel safe right now",
    ]:
        assert text in page, text
    contact_section = page.index("How to contact them safely")
    assert (
        contact_section < page.index("Do not leave a voicemail") < page.index("What they told us")
    )


def test_detail_lists_contact_attempts_newest_first(coordinator, new_referral, staff_client):
    first = contact_attempt_record(
        actor=coordinator, referral=new_referral, method="phone", outcome="no_answer"
    )
    ContactAttempt.objects.filter(pk=first.pk).update(
        attempted_at=timezone.now() - timedelta(days=1)
    )
    contact_attempt_record(
        actor=coordinator,
        referral=new_referral,
        method="text",
        outcome="spoke",
        note="Happy to talk Thursday",
    )
    page = page_of(staff_client.get(reverse("referrals:detail", args=[new_referral.pk])))
    assert page.index("Spoke with them") < page.index("No answer")
    assert "Happy to talk Thursday" in page


def test_detail_queries_are_pinned(
    full_referral, coordinator, duplicate, staff_client, django_assert_max_num_queries
):
    referral_settings(full_referral.organisation)
    for _ in range(3):
        ContactAttempt.objects.create(
            referral=full_referral, method="phone", outcome="no_answer", by=coordinator
        )
    # session, person, membership, two-factor, referral, areas, languages, attempts, settings,
    # later duplicates, the audit row for reading it (referrals.intake_viewed)
    with django_assert_max_num_queries(12):  # 11, and the urgent safeguarding banner
        assert (
            staff_client.get(reverse("referrals:detail", args=[full_referral.pk])).status_code
            == 200
        )


def test_intake_referral_links_to_intake_and_offers_no_accept(organisation, staff_client):
    referral = ReferralFactory(organisation=organisation, status=Status.INTAKE)
    page = page_of(staff_client.get(reverse("referrals:detail", args=[referral.pk])))
    assert reverse("referrals:intake", args=[referral.pk]) in page
    assert reverse("referrals:accept", args=[referral.pk]) not in page
    assert "Log a contact attempt" in page


@pytest.mark.parametrize(
    ("status", "fields", "outcome"),
    [
        (Status.SIGNPOSTED, {"signposted_to": "Carers Hub"}, "Signposted to Carers Hub"),
        (Status.DECLINED, {"closed_reason": "Outside our area"}, "Outside our area"),
        (Status.UNABLE_TO_CONTACT, {}, "Outcome: unable to contact"),
        (Status.WITHDRAWN, {}, "Withdrawn on"),
    ],
)
def test_closed_referral_shows_its_outcome_and_no_actions(
    organisation, staff_client, status, fields, outcome
):
    referral = ReferralFactory(organisation=organisation, status=status, **fields)
    page = page_of(staff_client.get(reverse("referrals:detail", args=[referral.pk])))
    assert outcome in page
    for name in ["contact_attempt", "accept", "signpost", "decline", "unable_to_contact"]:
        assert reverse(f"referrals:{name}", args=[referral.pk]) not in page


def test_merged_referral_links_to_the_one_kept(organisation, new_referral, staff_client):
    merged = ReferralFactory(
        organisation=organisation, status=Status.MERGED, merged_into=new_referral
    )
    page = page_of(staff_client.get(reverse("referrals:detail", args=[merged.pk])))
    assert reverse("referrals:detail", args=[new_referral.pk]) in page
    assert "the referral we kept for Casey Waiting" in page


# Contact attempts through the page ------------------------------------------------------------


def test_logging_a_contact_attempt(new_referral, staff_client):
    response = staff_client.post(
        reverse("referrals:contact_attempt", args=[new_referral.pk]),
        {"method": "phone", "outcome": "left_message", "note": "Left a short message"},
    )
    assert response.url == reverse("referrals:detail", args=[new_referral.pk])
    (attempt,) = ContactAttempt.objects.all()
    assert (attempt.method, attempt.outcome, attempt.note) == (
        "phone",
        "left_message",
        "Left a short message",
    )
    assert fresh(new_referral).status == Status.CONTACTING
    page = page_of(staff_client.get(response.url))
    assert "The contact attempt is logged." in page
    assert "Left a short message" in page


def test_the_contact_form_carries_a_one_time_key(new_referral, staff_client):
    page = page_of(staff_client.get(reverse("referrals:detail", args=[new_referral.pk])))
    assert re.search(r'name="client_key" value="[0-9a-f]{32}"', page)


def test_a_contact_attempt_resent_with_the_same_key_is_logged_once_even_later(
    new_referral, staff_client
):
    url = reverse("referrals:contact_attempt", args=[new_referral.pk])
    data = {"method": "phone", "outcome": "no_answer", "client_key": "k" * 32}
    assert staff_client.post(url, data).status_code == 302
    ContactAttempt.objects.update(attempted_at=timezone.now() - timedelta(hours=1))
    assert staff_client.post(url, data).status_code == 302
    assert ContactAttempt.objects.count() == 1
    assert AuditEvent.objects.filter(action="referral.contact_attempted").count() == 1


def test_two_calls_a_moment_apart_with_their_own_keys_are_two_attempts(new_referral, staff_client):
    url = reverse("referrals:contact_attempt", args=[new_referral.pk])
    for key in ("k" * 32, "j" * 32):
        data = {"method": "phone", "outcome": "no_answer", "client_key": key}
        assert staff_client.post(url, data).status_code == 302
    assert ContactAttempt.objects.count() == 2


def test_contact_attempt_errors_keep_what_was_typed(new_referral, staff_client):
    response = staff_client.post(
        reverse("referrals:contact_attempt", args=[new_referral.pk]),
        {"method": "phone", "note": "Typed this note"},
    )
    page = page_of(response)
    assert response.status_code == 200
    assert "This field is required." in page
    assert 'href="#contact_outcome"' in page
    assert "Typed this note" in page
    assert 'value="phone" required id="contact_method_0" checked' in page
    assert not ContactAttempt.objects.exists()


def test_contact_attempt_on_a_closed_referral_is_refused_with_a_message(organisation, staff_client):
    referral = ReferralFactory(organisation=organisation, status=Status.DECLINED)
    response = staff_client.post(
        reverse("referrals:contact_attempt", args=[referral.pk]),
        {"method": "phone", "outcome": "no_answer"},
        follow=True,
    )
    assert "This referral is already closed." in page_of(response)
    assert not ContactAttempt.objects.exists()


# Accepting ------------------------------------------------------------------------------------


def test_accepting_through_the_page_emails_the_link(
    new_referral, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("referrals:accept", args=[new_referral.pk]), follow=True
        )
    assert fresh(new_referral).status == Status.INTAKE
    assert "We have emailed them a private link" in page_of(response)
    assert mail.outbox[0].to == [new_referral.email]


def test_accepting_without_email_permission_tells_staff_to_do_intake_with_them(
    organisation, staff_client, django_capture_on_commit_callbacks
):
    referral = ReferralFactory(organisation=organisation, email_ok=False)
    detail = page_of(staff_client.get(reverse("referrals:detail", args=[referral.pk])))
    assert "we will not email them" in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("referrals:accept", args=[referral.pk]), follow=True)
    assert "They do not want email" in page_of(response)
    assert mail.outbox == []


def test_accepting_a_possible_duplicate_explains_what_to_decide(duplicate, staff_client):
    detail = page_of(staff_client.get(reverse("referrals:detail", args=[duplicate.pk])))
    assert reverse("referrals:accept", args=[duplicate.pk]) not in detail
    assert "First decide whether this is the same person" in detail
    response = staff_client.post(reverse("referrals:accept", args=[duplicate.pk]), follow=True)
    assert "Decide whether this is the same person" in page_of(response)
    assert fresh(duplicate).status == Status.NEW


# Signposting and declining --------------------------------------------------------------------


def test_signposting_through_the_page(new_referral, staff_client):
    response = staff_client.post(
        reverse("referrals:signpost", args=[new_referral.pk]),
        {"service_name": "Riverside Talking Therapies", "note": "Asked for therapy"},
        follow=True,
    )
    page = page_of(response)
    assert "closed as signposted to Riverside Talking Therapies" in page
    assert "Signposted to Riverside Talking Therapies on" in page
    assert fresh(new_referral).status == Status.SIGNPOSTED


def test_signpost_errors_keep_what_was_typed_next_to_the_field(new_referral, staff_client):
    response = staff_client.post(
        reverse("referrals:signpost", args=[new_referral.pk]),
        {"service_name": "", "note": "My note about why"},
    )
    page = page_of(response)
    assert response.status_code == 200
    assert 'href="#signpost_service_name"' in page
    assert 'id="signpost_service_name_error"' in page
    assert "My note about why" in page
    assert '<details class="mb-3" open>' in page
    assert fresh(new_referral).status == Status.NEW


def test_declining_through_the_page(new_referral, staff_client):
    response = staff_client.post(
        reverse("referrals:decline", args=[new_referral.pk]),
        {"reason": "Needs specialist support we cannot give"},
        follow=True,
    )
    page = page_of(response)
    assert "The referral is declined and closed." in page
    assert "Needs specialist support we cannot give" in page
    assert fresh(new_referral).status == Status.DECLINED


def test_decline_without_a_reason_shows_the_error(new_referral, staff_client):
    response = staff_client.post(reverse("referrals:decline", args=[new_referral.pk]), {})
    page = page_of(response)
    assert 'id="decline_reason_error"' in page
    assert fresh(new_referral).status == Status.NEW


# Unable to contact ----------------------------------------------------------------------------


def test_unable_to_contact_is_explained_until_enough_attempts(
    organisation, coordinator, new_referral, staff_client
):
    ReferralProgrammeSettings.objects.create(
        organisation=organisation, contact_attempts_before_unable=2
    )
    path = reverse("referrals:detail", args=[new_referral.pk])
    contact_attempt_record(
        actor=coordinator, referral=new_referral, method="phone", outcome=ContactOutcome.NO_ANSWER
    )
    page = page_of(staff_client.get(path))
    assert "2 attempts are needed first; 1 so far." in page
    assert "disabled" in page
    response = staff_client.post(
        reverse("referrals:unable_to_contact", args=[new_referral.pk]), follow=True
    )
    assert "2 attempts are needed first; 1 so far." in page_of(response)
    assert fresh(new_referral).status == Status.CONTACTING

    contact_attempt_record(
        actor=coordinator, referral=new_referral, method="text", outcome=ContactOutcome.NO_ANSWER
    )
    assert "We have tried enough times without reaching them." in page_of(staff_client.get(path))
    response = staff_client.post(
        reverse("referrals:unable_to_contact", args=[new_referral.pk]), follow=True
    )
    assert "closed as unable to contact" in page_of(response)
    assert fresh(new_referral).status == Status.UNABLE_TO_CONTACT


# Duplicates -----------------------------------------------------------------------------------


def test_duplicate_panel_compares_the_two_side_by_side(new_referral, duplicate, staff_client):
    page = page_of(staff_client.get(reverse("referrals:detail", args=[duplicate.pk])))
    assert "Is this the same person as an earlier referral?" in page
    assert "Casey Waiting" in page and "Casey Again" in page
    assert reverse("referrals:merge", args=[duplicate.pk]) in page
    assert reverse("referrals:dismiss_duplicate", args=[duplicate.pk]) in page
    earlier_page = page_of(staff_client.get(reverse("referrals:detail", args=[new_referral.pk])))
    assert "A later referral may be the same person" in earlier_page


def test_not_the_same_person_clears_the_flag(duplicate, staff_client):
    response = staff_client.post(
        reverse("referrals:dismiss_duplicate", args=[duplicate.pk]), follow=True
    )
    assert "these are different people" in page_of(response)
    assert "Is this the same person" not in page_of(response)
    assert fresh(duplicate).possible_duplicate_of is None


def test_merge_page_shows_both_and_what_will_happen(
    coordinator, new_referral, duplicate, areas, staff_client
):
    Referral.objects.filter(pk=duplicate.pk).update(
        urgency=Urgency.URGENT, urgency_reasons="unsure if safe", year_of_birth=1999
    )
    duplicate.support_areas.set(areas[1:2])
    contact_attempt_record(actor=coordinator, referral=duplicate, method="phone", outcome="spoke")
    page = page_of(staff_client.get(reverse("referrals:merge", args=[duplicate.pk])))
    assert fresh(duplicate).status == Status.CONTACTING
    assert "Casey Waiting" in page and "Casey Again" in page
    assert "1 contact attempt moves" in page
    assert "year of birth" in page
    assert "Support areas added: Depression." in page
    assert "becomes <strong>urgent</strong>: unsure if safe" in page
    assert fresh(duplicate).status == Status.CONTACTING  # looking changes nothing


def test_merging_through_the_page_keeps_the_earlier_referral(new_referral, duplicate, staff_client):
    path = reverse("referrals:merge", args=[duplicate.pk])
    response = staff_client.post(path, {"into": new_referral.pk})
    assert response.url == reverse("referrals:detail", args=[new_referral.pk])
    assert "The referrals are merged" in page_of(staff_client.get(response.url))
    assert fresh(duplicate).status == Status.MERGED
    assert fresh(duplicate).merged_into == new_referral
    again = staff_client.post(path, {"into": new_referral.pk})
    assert again.url == reverse("referrals:detail", args=[new_referral.pk])
    assert AuditEvent.objects.filter(action="referral.merged").count() == 2


def test_merge_refuses_when_the_flag_changed_since_the_page_was_shown(
    organisation, new_referral, duplicate, staff_client
):
    other = ReferralFactory(organisation=organisation)
    response = staff_client.post(
        reverse("referrals:merge", args=[duplicate.pk]), {"into": other.pk}, follow=True
    )
    assert "The referrals changed while you were looking" in page_of(response)
    assert fresh(duplicate).status == Status.NEW


def test_merge_page_for_a_referral_without_a_duplicate_goes_back(new_referral, staff_client):
    response = staff_client.get(reverse("referrals:merge", args=[new_referral.pk]), follow=True)
    assert "not marked as a possible duplicate" in page_of(response)
