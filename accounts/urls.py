from django.urls import include, path

from accounts import views

urlpatterns = [
    path("overview/", views.account_overview, name="account_overview"),
    path("organisation/", views.choose_organisation, name="choose_organisation"),
    path("", include("allauth.urls")),
]
