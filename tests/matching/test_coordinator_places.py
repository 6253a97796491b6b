"""The coordinator's places page: adding a place (with the areas people gave that have none
yet), coordinates pasted from a map, bad input explained with what was typed kept, and deleting
a place after asking."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from matching.models import Place
from tests.matching.factories import PlaceFactory
from tests.matching.fixtures_coordinator import page_of

pytestmark = pytest.mark.django_db


def test_adding_a_place(staff, organisation, coordinator, matchable_profile):
    matchable_profile.area = "Walthamstow"
    matchable_profile.save()
    html = page_of(staff.get(reverse("matching:places")))
    assert "Areas people gave that have no place yet" in html and "Walthamstow" in html
    assert "right-click" in html

    response = staff.post(
        reverse("matching:places"),
        {"name": "Walthamstow", "latitude": "51.5856", "longitude": "-0.0214"},
        follow=True,
    )
    place = Place.objects.get()
    assert (place.organisation, place.latitude, place.longitude) == (organisation, 51.5856, -0.0214)
    assert "Walthamstow is added." in page_of(response)
    assert "Areas people gave that have no place yet" not in page_of(response)
    assert AuditEvent.objects.filter(action="place.created").exists()


def test_coordinates_pasted_from_a_map_are_split(staff, organisation):
    staff.post(reverse("matching:places"), {"name": "Leeds", "latitude": "53.8008, -1.5491"})
    place = Place.objects.get()
    assert (place.latitude, place.longitude) == (53.8008, -1.5491)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Leeds", "latitude": "north", "longitude": "1"}, "Enter a number."),
        ({"name": "Leeds", "latitude": "95", "longitude": "1"}, "less than or equal to 90"),
        ({"name": "hackney", "latitude": "51", "longitude": "0"}, "already a place called"),
    ],
)
def test_a_bad_place_is_explained_and_what_was_typed_is_kept(staff, organisation, data, message):
    PlaceFactory(organisation=organisation, name="Hackney")
    response = staff.post(reverse("matching:places"), data)
    html = page_of(response)
    assert response.status_code == 200
    assert message in html
    assert f'value="{data["latitude"]}"' in html
    assert f'value="{data["name"]}"' in html
    assert Place.objects.count() == 1


def test_deleting_a_place_asks_first(staff, organisation):
    place = PlaceFactory(organisation=organisation, name="Leeds")
    path = reverse("matching:place_delete", args=[place.pk])
    html = page_of(staff.get(path))
    assert "Delete Leeds?" in html
    response = staff.post(path, follow=True)
    assert "Leeds is deleted." in page_of(response)
    assert not Place.objects.exists()
