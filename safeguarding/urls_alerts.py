"""Safeguarding alert pages for staff, under /safeguarding/."""

from django.urls import path

from safeguarding import views_alerts, views_crisis

app_name = "safeguarding"
urlpatterns = [
    path("alerts/", views_alerts.alerts, name="alerts"),
    path("alerts/<int:pk>/", views_alerts.alert, name="alert"),
    path("alerts/<int:pk>/acknowledge/", views_alerts.alert_acknowledge, name="alert_acknowledge"),
    # The organisation's crisis resources, shown behind "Get help now" (views_crisis.py)
    path("crisis-resources/", views_crisis.crisis_resources, name="crisis_resources"),
    path("crisis-resources/new/", views_crisis.crisis_resource_new, name="crisis_resource_new"),
    path(
        "crisis-resources/<int:pk>/",
        views_crisis.crisis_resource_edit,
        name="crisis_resource_edit",
    ),
]
