from django.urls import path

from mentors.views import applying

urlpatterns = [
    path("apply/<slug:organisation_slug>/", applying.apply_start, name="apply"),
    path("apply/continue/<str:token>/", applying.apply_continue, name="apply_continue"),
    path("apply/continue/<str:token>/withdraw/", applying.apply_withdraw, name="apply_withdraw"),
]
