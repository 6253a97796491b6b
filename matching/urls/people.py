"""The mentor's and mentee's answers to a match, and the coordinator's part in them."""

from django.urls import path

from matching.views import people

urlpatterns = [
    path("offers/", people.mentor_offers, name="mentor_offers"),
    path("offers/<int:pk>/", people.mentor_offer, name="mentor_offer"),
    path("my-match/", people.mentee_offer, name="mentee_offer"),
    path(
        "proposals/<int:pk>/respond-for-mentee/",
        people.respond_for_mentee,
        name="respond_for_mentee",
    ),
    path("relationships/<int:pk>/introduction/", people.introduction, name="introduction"),
]
