"""The ending pages: the checklist, closing, the wellbeing plan, the mentee's record and the
exit survey."""

from django.urls import path

from mentoring.views import ending, plan

urlpatterns = [
    path("<int:pk>/ending/", ending.ending, name="ending"),
    path("<int:pk>/close/", ending.close, name="close"),
    path("<int:pk>/plan/", plan.plan, name="plan"),
    path("<int:pk>/plan/print/", plan.plan_print, name="plan_print"),
    path("<int:pk>/record/", ending.record_print, name="record_print"),
    path("<int:pk>/record.json", ending.record_json, name="record_json"),
    path("exit-survey/<int:survey_pk>/", ending.exit_survey, name="exit_survey"),
]
