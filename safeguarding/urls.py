from django.urls import path

from safeguarding import views

urlpatterns = [
    path("", views.get_help_now, name="get_help_now"),
]
