"""Outcome-measure pages, under /outcomes/."""

from django.urls import path

from outcomes.views import answering, progress, setup

app_name = "outcomes"
urlpatterns = [
    # Seeing scores and change (outcomes/views/progress.py)
    path("", progress.mine, name="mine"),
    path("people/<int:person_pk>/", progress.person, name="person"),
    path("relationships/<int:pk>/", progress.relationship, name="relationship"),
    path("programme/", progress.programme, name="programme"),
    # Completing a measure, one question at a time (outcomes/views/answering.py)
    path("requests/<int:pk>/", answering.start, name="start"),
    path("requests/<int:pk>/questions/<int:number>/", answering.question, name="question"),
    path("requests/<int:pk>/check/", answering.check, name="check"),
    path("responses/<int:pk>/", answering.response, name="response"),
    # What the programme uses and when (outcomes/views/setup.py)
    path("settings/", setup.settings, name="settings"),
    path("instruments/", setup.instruments, name="instruments"),
    path("instruments/<int:pk>/", setup.instrument, name="instrument"),
    path("people/<int:person_pk>/ask/", setup.ask, name="ask"),
]
