"""The coordinator's triage pages: the queue, each referral, and the actions on it."""

from django.urls import path

from referrals.views import triage

urlpatterns = [
    path("queue/", triage.queue, name="queue"),
    path("<int:pk>/", triage.detail, name="detail"),
    path("<int:pk>/contact/", triage.contact_attempt, name="contact_attempt"),
    path("<int:pk>/accept/", triage.accept, name="accept"),
    path("<int:pk>/signpost/", triage.signpost, name="signpost"),
    path("<int:pk>/decline/", triage.decline, name="decline"),
    path("<int:pk>/unable-to-contact/", triage.unable_to_contact, name="unable_to_contact"),
    path("<int:pk>/merge/", triage.merge, name="merge"),
    path("<int:pk>/not-duplicate/", triage.dismiss_duplicate, name="dismiss_duplicate"),
]
