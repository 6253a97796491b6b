"""The triage queue: urgent first then oldest, what it leaves out and never shows (contact
details), what each row and the counts say, filtering by status and source (and refused filter
values), paging a filtered queue, escaped names, and queries that do not grow with the queue."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral, Source, Status, Urgency
from referrals.services.triage import contact_attempt_record
from referrals.views import triage as triage_views
from tests.referrals.factories import ReferralFactory
from tests.referrals.fixtures_triage import page_of

pytestmark = pytest.mark.django_db


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
    from django import forms

    from referrals.forms_triage import QueueFilterForm

    def tidy(html):
        return re.sub(r">\s+", ">", re.sub(r"\s+", " ", str(html))).replace(" >", ">")

    quick, plain = QueueFilterForm(query), QueueFilterForm(query)
    for field in plain.fields.values():
        assert isinstance(field, forms.ChoiceField)
        field.widget = forms.Select(choices=field.choices)
    quick.is_valid(), plain.is_valid()
    for name in quick.fields:
        assert type(quick.fields[name].widget) is not forms.Select
        assert tidy(quick[name]) == tidy(plain[name])


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
