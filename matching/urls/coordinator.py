"""The coordinator's matching pages (coordinators and administrators)."""

from django.urls import path

from matching.views import overview, places, proposals, runs, suggestions

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("runs/", runs.run_start, name="run_start"),
    path("runs/<int:pk>/", runs.run_detail, name="run_detail"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/approve/", proposals.approve, name="proposal_approve"),
    path("proposals/<int:pk>/reject/", proposals.reject, name="proposal_reject"),
    path("proposals/<int:pk>/swap/", proposals.swap, name="proposal_swap"),
    path("proposals/<int:pk>/undo/", proposals.undo, name="proposal_undo"),
    path("mentee/<int:referral_pk>/", suggestions.suggestions, name="suggestions"),
    path("places/", places.places, name="places"),
    path("places/<int:pk>/delete/", places.delete_place, name="place_delete"),
]
