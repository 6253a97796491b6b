"""Every field that looks like it holds personal data is erased by an eraser in
``privacy.erasure``, or is written down here as not personal, with why. A new model or field
with a name, email, phone, address, notes or encrypted text fails this test until it is."""

from __future__ import annotations

import re

from django.apps import apps
from django.db import models

from alongside.fields import EncryptedTextField
from privacy.erasure import ERASERS, covered_fields

PERSONAL_LOOKING_NAME = re.compile(
    r"(^|_)(name|full_name|email|phone|address|notes?|description|reason|text|body|bio)(_|$)"
)

NOT_PERSONAL: dict[tuple[str, str], str] = {
    ("accounts.organisation", "name"): "the programme's own name",
    ("accounts.supportarea", "name"): "a label from the organisation's list",
    ("accounts.language", "name"): "a language's name",
    ("auth.permission", "name"): "Django's permission labels",
    ("auth.group", "name"): "Django's group labels",
    ("account.emailconfirmation", "email_address"): "a link to the address row, deleted with it",
    ("django_tasks_database.dbtaskresult", "queue_name"): "the task queue's name",
    ("django_tasks_database.dbtaskresult", "backend_name"): "the task backend's name",
    ("toolkit.toolkitentry", "note_by"): "a link to the note's author, whose account is erased",
    ("toolkit.recommendation", "note_by"): "a link to the note's author, whose account is erased",
    ("safeguarding.crisisresource", "name"): "a public crisis service",
    ("safeguarding.crisisresource", "description"): "a public crisis service",
    ("safeguarding.crisisresource", "phone"): "a public crisis service",
    ("safeguarding.crisisresource", "text_number"): "a public crisis service",
    ("safeguarding.crisisresource", "text_keyword"): "a public crisis service",
    ("toolkit.communityresource", "name"): "a public community service",
    ("toolkit.communityresource", "phone"): "a public community service",
    ("toolkit.communityresource", "email"): "a public community service",
    ("toolkit.communityresource", "address"): "a public community service",
    ("toolkit.skill", "accessibility_notes"): "programme content written for everyone",
    ("mentors.interviewquestion", "text"): "the organisation's standard question",
    ("matching.place", "name"): "a town or district",
    ("outcomes.instrument", "name"): "a questionnaire's name",
    ("outcomes.instrument", "short_name"): "a questionnaire's name",
    ("referrals.referral", "email_ok"): "a yes/no preference, blank-free",
    ("referrals.referral", "text_ok"): "a yes/no preference, blank-free",
    ("mentoring.relationship", "end_reason"): "a label from a fixed list",
    ("privacy.erasurerequest", "hold_reason"): "staff's short reason, asked to be name-free",
    ("privacy.anonymisedrecord", "reason"): "'erasure' or 'retention'",
}


def personal_looking_fields() -> set[tuple[str, str]]:
    found = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label == "testapp":
            continue
        for field in model._meta.concrete_fields:
            if isinstance(
                field, EncryptedTextField | models.EmailField
            ) or PERSONAL_LOOKING_NAME.search(field.name):
                found.add((model._meta.label_lower, field.name))
    return found


def test_every_personal_looking_field_is_erased_or_known_not_personal():
    missing = personal_looking_fields() - covered_fields() - set(NOT_PERSONAL)
    assert not missing, (
        "These fields look personal but no eraser in privacy/erasure.py covers them; erase them "
        f"there or add them to NOT_PERSONAL with a reason: {sorted(missing)}"
    )


def test_erasers_name_only_fields_that_exist():
    for label, name in covered_fields():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue  # a model this install does not have (guarded in the eraser)
        model._meta.get_field(name)


def test_not_personal_list_has_no_stale_entries():
    stale = set(NOT_PERSONAL) - personal_looking_fields()
    assert not stale, f"Remove these from NOT_PERSONAL: {sorted(stale)}"


def test_every_encrypted_field_is_erased():
    encrypted = {
        (model._meta.label_lower, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField) and model._meta.app_label != "testapp"
    }
    assert encrypted - covered_fields() == set()


def test_each_app_area_has_one_eraser():
    areas = [item.area for item in ERASERS]
    assert len(areas) == len(set(areas))
