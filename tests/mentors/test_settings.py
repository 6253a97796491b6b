"""Administrators set the mentor programme's standards and its support areas."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from mentors.selectors import programme_settings, support_areas
from mentors.services.settings import (
    programme_settings_update,
    support_area_create,
    support_area_rename,
    support_area_set_active,
)
from tests.mentors.factories import SupportAreaFactory

pytestmark = pytest.mark.django_db

PEOPLE = [
    "mentee",
    "mentor",
    "other_mentor",
    "supervisor",
    "coordinator",
    "referrer",
    "outsider",
    "other_org_coordinator",
]


def test_admin_changes_the_training_standard_and_it_is_audited(admin, organisation):
    programme_settings_update(
        actor=admin, organisation=organisation, data={"min_training_minutes": 900}
    )
    assert programme_settings(organisation).min_training_minutes == 900
    event = AuditEvent.objects.get(action="mentor_settings.updated")
    assert event.metadata == {"fields": "min_training_minutes"}


def test_saving_unchanged_settings_writes_nothing(admin, organisation):
    current = programme_settings(organisation)
    programme_settings_update(
        actor=admin, organisation=organisation, data={"max_capacity": current.max_capacity}
    )
    assert not AuditEvent.objects.filter(action="mentor_settings.updated").exists()


def test_capacity_cap_must_be_sensible(admin, organisation):
    with pytest.raises(ValidationError):
        programme_settings_update(actor=admin, organisation=organisation, data={"max_capacity": 0})
    assert programme_settings(organisation).max_capacity == 3


def test_areas_are_added_renamed_and_retired_without_duplicates(admin, organisation):
    area = support_area_create(actor=admin, organisation=organisation, name="  Hearing  voices ")
    assert area.name == "Hearing voices"
    with pytest.raises(ValidationError, match="already on the list"):
        support_area_create(actor=admin, organisation=organisation, name="hearing voices")
    support_area_rename(actor=admin, area=area, name="Hearing voices and psychosis")
    support_area_set_active(actor=admin, area=area, active=False)
    assert area not in support_areas(organisation)
    actions = list(AuditEvent.objects.values_list("action", flat=True).order_by("id"))
    assert actions[-3:] == ["support_area.created", "support_area.renamed", "support_area.retired"]


def test_same_name_is_fine_in_another_organisation(admin, organisation, other_organisation):
    SupportAreaFactory(organisation=other_organisation, name="Grief")
    assert support_area_create(actor=admin, organisation=organisation, name="Grief").pk


def test_settings_page_keeps_typed_values_on_error(admin, client_for):
    client = client_for(admin)
    response = client.post(
        reverse("mentors:programme_settings"),
        {
            "min_training_minutes": "900",
            "max_capacity": "-1",
            "certification_months": "12",
            "cpd_hours_per_year": "6",
            "expiry_warning_days": "30",
            "supervision_interval_days": "30",
            "wellbeing_interval_days": "30",
            "reference_link_days": "14",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="900"' in page
    assert 'id="id_max_capacity_error"' in page


def test_admin_adds_an_area_from_the_page(admin, client_for, organisation):
    client = client_for(admin)
    response = client.post(reverse("mentors:support_areas"), {"name": "Loneliness"}, follow=True)
    assert "Loneliness" in response.content.decode()
    duplicate = client.post(reverse("mentors:support_areas"), {"name": "loneliness"})
    assert "already on the list" in duplicate.content.decode()


def test_another_organisations_area_is_not_found(admin, client_for, other_organisation):
    theirs = SupportAreaFactory(organisation=other_organisation, name="Theirs")
    client = client_for(admin)
    assert client.get(reverse("mentors:support_area_edit", args=[theirs.pk])).status_code == 404
    toggle = client.post(reverse("mentors:support_area_toggle", args=[theirs.pk]))
    assert toggle.status_code == 404


@pytest.mark.parametrize("name", ["programme_settings", "support_areas"])
def test_only_admins_open_the_settings_pages(name, request, client_for, admin, db):
    url = reverse(f"mentors:{name}")
    assert client_for(admin).get(url).status_code == 200
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    for person in PEOPLE:
        assert client_for(request.getfixturevalue(person)).get(url).status_code == 404, person


def test_only_admins_rename_or_retire_areas(request, client_for, areas):
    area = areas[0]
    for person in PEOPLE:
        client = client_for(request.getfixturevalue(person))
        assert client.get(reverse("mentors:support_area_edit", args=[area.pk])).status_code == 404
        toggle = client.post(reverse("mentors:support_area_toggle", args=[area.pk]))
        assert toggle.status_code == 404, person
    area.refresh_from_db()
    assert area.is_active
