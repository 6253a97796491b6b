"""Safeguarding alert pages for staff, under /safeguarding/."""

from django.urls import path

from safeguarding import views_alerts

app_name = "safeguarding"
urlpatterns = [
    path("alerts/", views_alerts.alerts, name="alerts"),
    path("alerts/<int:pk>/", views_alerts.alert, name="alert"),
    path("alerts/<int:pk>/acknowledge/", views_alerts.alert_acknowledge, name="alert_acknowledge"),
]
