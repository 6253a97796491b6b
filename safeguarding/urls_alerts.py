"""Safeguarding pages for staff, under /safeguarding/."""

from django.urls import path

from safeguarding import views_alerts, views_crisis, views_rota

app_name = "safeguarding"
urlpatterns = [
    # Alerts: the queue, one alert, and the steps of responding (views_alerts.py)
    path("alerts/", views_alerts.alerts, name="alerts"),
    path("alerts/<int:pk>/", views_alerts.alert, name="alert"),
    path("alerts/<int:pk>/acknowledge/", views_alerts.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:pk>/contact/", views_alerts.alert_contact, name="alert_contact"),
    path("alerts/<int:pk>/action/", views_alerts.alert_action, name="alert_action"),
    path("alerts/<int:pk>/note/", views_alerts.alert_note, name="alert_note"),
    path("alerts/<int:pk>/close/", views_alerts.alert_close, name="alert_close"),
    path("alerts/<int:pk>/reopen/", views_alerts.alert_reopen, name="alert_reopen"),
    # Who responds and how fast: leads, the duty rota, response times (views_rota.py)
    path("rota/", views_rota.rota, name="rota"),
    path("rota/leads/", views_rota.lead_add, name="lead_add"),
    path("rota/leads/<int:pk>/remove/", views_rota.lead_remove, name="lead_remove"),
    path("rota/shifts/new/", views_rota.shift_new, name="shift_new"),
    path("rota/shifts/<int:pk>/remove/", views_rota.shift_remove, name="shift_remove"),
    path("response-times/", views_rota.response_times, name="response_times"),
    # The organisation's crisis resources, shown behind "Get help now" (views_crisis.py)
    path("crisis-resources/", views_crisis.crisis_resources, name="crisis_resources"),
    path("crisis-resources/new/", views_crisis.crisis_resource_new, name="crisis_resource_new"),
    path(
        "crisis-resources/<int:pk>/",
        views_crisis.crisis_resource_edit,
        name="crisis_resource_edit",
    ),
]
