"""Mentor endpoints, included under /api/v1/ in the "api" namespace."""

from rest_framework.routers import SimpleRouter

from mentors.api import MentorApplicationViewSet, MentorViewSet

router = SimpleRouter()
router.register("mentors", MentorViewSet, basename="mentor")
router.register("mentor-applications", MentorApplicationViewSet, basename="mentor-application")

urlpatterns = router.urls
