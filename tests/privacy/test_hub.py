"""The "Privacy and data" page: one menu link, and each person sees only the tasks they may do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Membership

pytestmark = pytest.mark.django_db


def task_links(client) -> list[str]:
    page = client.get(reverse("privacy:index"))
    assert page.status_code == 200
    return [label for label, _, _ in page.context["tasks"]]


def test_a_coordinator_answers_data_requests(client_for, coordinator):
    assert task_links(client_for(coordinator)) == ["Download someone's data", "Erasure requests"]


def test_an_administrator_sees_every_privacy_task(client_for, admin):
    assert task_links(client_for(admin)) == [
        "Download someone's data",
        "Erasure requests",
        "Audit trail",
        "Emergency access",
        "Data protection leads",
        "Retention",
        "Privacy wordings",
    ]


def test_a_supervisor_who_is_data_protection_lead_reviews_the_trail(client_for, supervisor):
    Membership.objects.filter(user=supervisor).update(is_data_protection_lead=True)
    client = client_for(supervisor)
    assert task_links(client) == ["Audit trail", "Emergency access"]
    navigation = client.get(reverse("dashboard")).context["navigation"]
    assert {"label": "Privacy and data", "url": reverse("privacy:index")} in navigation


@pytest.mark.parametrize("person", ["mentee", "mentor", "supervisor", "referrer", "outsider"])
def test_people_with_no_privacy_tasks_get_404(person, request, client_for):
    client = client_for(request.getfixturevalue(person))
    assert client.get(reverse("privacy:index")).status_code == 404


def test_the_menu_has_one_privacy_link_for_staff(client_for, coordinator, admin):
    for person in (coordinator, admin):
        navigation = client_for(person).get(reverse("dashboard")).context["navigation"]
        labels = [item["label"] for item in navigation]
        assert labels.count("Privacy and data") == 1
