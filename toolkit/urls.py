"""Toolkit and community resource pages, under /toolkit/."""

from django.urls import path

from toolkit.views import library, personal, resources

app_name = "toolkit"
urlpatterns = [
    # The skills library, mentors' own strategies, sharing (toolkit/views/library.py)
    path("skills/", library.skills, name="skills"),
    path("skills/new/", library.skill_new, name="skill_new"),
    path("skills/review/", library.review, name="review"),
    path("skills/<int:pk>/", library.skill, name="skill"),
    path("skills/<int:pk>/edit/", library.skill_edit, name="skill_edit"),
    path("skills/<int:pk>/status/", library.skill_status, name="skill_status"),
    path("skills/<int:pk>/share/", library.skill_share, name="skill_share"),
    path("skills/<int:pk>/save/", library.skill_save, name="skill_save"),
    # The mentee's own toolkit, practice log, nudges, insights (toolkit/views/personal.py)
    path("", personal.mine, name="mine"),
    path("entries/<int:pk>/", personal.entry, name="entry"),
    path("entries/<int:pk>/remove/", personal.entry_remove, name="entry_remove"),
    path("preferences/", personal.preferences, name="preferences"),
    path("relationships/<int:pk>/", personal.relationship, name="relationship"),
    path("insights/", personal.insights, name="insights"),
    # Community resources (toolkit/views/resources.py)
    path("resources/", resources.directory, name="resources"),
    path("resources/new/", resources.resource_new, name="resource_new"),
    path("resources/to-check/", resources.stale, name="stale"),
    path("resources/<int:pk>/", resources.resource, name="resource"),
    path("resources/<int:pk>/edit/", resources.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/checked/", resources.resource_checked, name="resource_checked"),
    path("resources/<int:pk>/recommend/", resources.recommend, name="recommend"),
    path("recommended/", resources.recommended, name="recommended"),
]
