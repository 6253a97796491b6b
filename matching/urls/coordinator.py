"""The coordinator's matching pages (coordinators and administrators)."""

from django.urls import path

from matching.views import coordinator, places

urlpatterns = [
    path("", coordinator.overview, name="overview"),
    path("runs/", coordinator.run_start, name="run_start"),
    path("runs/<int:pk>/", coordinator.run_detail, name="run_detail"),
    path("proposals/<int:pk>/", coordinator.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/approve/", coordinator.approve, name="proposal_approve"),
    path("proposals/<int:pk>/reject/", coordinator.reject, name="proposal_reject"),
    path("proposals/<int:pk>/swap/", coordinator.swap, name="proposal_swap"),
    path("proposals/<int:pk>/undo/", coordinator.undo, name="proposal_undo"),
    path("mentee/<int:referral_pk>/", coordinator.suggestions, name="suggestions"),
    path("places/", places.places, name="places"),
    path("places/<int:pk>/delete/", places.delete_place, name="place_delete"),
]
