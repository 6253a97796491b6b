"""Referral endpoints, included under /api/v1/ in the "api" namespace."""

from rest_framework.routers import SimpleRouter

from referrals.api import ReferralViewSet

router = SimpleRouter()
router.register("referrals", ReferralViewSet, basename="referral")

urlpatterns = router.urls
