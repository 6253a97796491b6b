"""The mentoring home, a relationship's overview, its agreement and strengths, and the
organisation's mentoring settings."""

from django.urls import path

from mentoring.views import agreement, hub

urlpatterns = [
    path("", hub.index, name="index"),
    path("settings/", hub.settings_edit, name="settings"),
    path("<int:pk>/", hub.overview, name="overview"),
    path("<int:pk>/agreement/", agreement.agreement, name="agreement"),
    path("<int:pk>/agreement/edit/", agreement.agreement_edit, name="agreement_edit"),
    path("<int:pk>/agreement/history/", agreement.agreement_history, name="agreement_history"),
    path("<int:pk>/strengths/", hub.strengths, name="strengths"),
]
