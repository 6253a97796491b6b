"""The coordinator's pages: relationships, check-ins, concerns and rematch; and the pair's page
for raising a concern privately with the coordinator."""

from django.urls import path

from mentoring.views import concerns, staff

urlpatterns = [
    path("relationships/", staff.relationships, name="relationships"),
    path("check-ins/", staff.check_ins, name="check_ins"),
    path("<int:pk>/check-ins/", staff.relationship_check_ins, name="relationship_check_ins"),
    path("<int:pk>/check-ins/new/", staff.check_in_new, name="check_in_new"),
    path("<int:pk>/check-ins/<int:check_in_pk>/", staff.check_in, name="check_in"),
    path("<int:pk>/concerns/new/", concerns.concern_new, name="concern_new"),
    path("<int:pk>/concerns/<int:concern_pk>/", concerns.concern, name="concern"),
    path("<int:pk>/rematch/", staff.rematch, name="rematch"),
]
