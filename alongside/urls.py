from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView

from accounts.api import MeView
from alongside import views
from alongside.api import ApiRootView, StaffSwaggerView

api_routes: list[URLPattern | URLResolver] = [
    path("", ApiRootView.as_view(), name="root"),
    path("me/", MeView.as_view(), name="me"),
    path("schema/", SpectacularAPIView.as_view(api_version="1"), name="schema"),
    path("docs/", StaffSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include("mentors.api_urls")),
    path("", include("referrals.api_urls")),
    path("", include("matching.api_urls")),
    path("", include("mentoring.api_urls")),
    path("", include("outcomes.api_urls")),
    path("", include("safeguarding.api_urls")),
    path("", include("reports.api_urls")),
]
api_patterns = (api_routes, "api")

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("help/", include("safeguarding.urls")),
    path("accounts/", include("accounts.urls")),
    path("mentors/", include("mentors.urls")),
    path("referrals/", include("referrals.urls")),
    path("matching/", include("matching.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("toolkit/", include("toolkit.urls")),
    path("safeguarding/", include("safeguarding.urls_alerts")),
    path("privacy/", include("privacy.urls")),
    path("audit/", include("audit.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include(api_patterns)),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "alongside.views.bad_request"
handler403 = "alongside.views.permission_denied"
handler404 = "alongside.views.page_not_found"
handler500 = "alongside.views.server_error"
