"""Data rights: download my data (or a person's, for staff) and privacy choices."""

from __future__ import annotations

from django.urls import URLPattern, path

from privacy import views_rights

urlpatterns: list[URLPattern] = [
    path("my-data/", views_rights.my_data, name="my_data"),
    path("my-data/alongside-my-data.json", views_rights.my_data_json, name="my_data_json"),
    path("people/", views_rights.people, name="people"),
    path("people/<int:user_pk>/data/", views_rights.person_data, name="person_data"),
    path("referrals/<int:referral_pk>/data/", views_rights.referral_data, name="referral_data"),
    path("consent/", views_rights.consent, name="consent"),
    path("consent/<slug:purpose>/answer/", views_rights.consent_answer, name="consent_answer"),
    path("consent/wording/", views_rights.consent_wordings, name="consent_wordings"),
    path("consent/wording/<slug:purpose>/", views_rights.consent_wording, name="consent_wording"),
]
