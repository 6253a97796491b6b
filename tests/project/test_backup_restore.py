"""``manage.py backup`` and ``manage.py restore``: a realistic set of records is backed up, the
database is emptied, and the restore finds every record with every encrypted field readable.
The backup file holds ciphertext, never the text of a message, and never a key."""

from __future__ import annotations

import json
import stat

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from alongside.backup import backed_up_models
from mentoring.models import MentoringSession, Message
from outcomes.models import Answer
from safeguarding.models import AlertSign
from tests.privacy.records import populate_mentee

SECRET_MESSAGE = "The blue heron flies at midnight"
SECRET_NOTE = "Private worry about the winter"


def _populate(relationship):
    with transaction.atomic():  # the alert service locks rows, as it does inside a request
        populate_mentee(relationship)
    mentor = relationship.mentor.user
    Message.objects.create(relationship=relationship, sender=mentor, body=SECRET_MESSAGE)
    MentoringSession.objects.filter(relationship=relationship).update(private_notes=SECRET_NOTE)


def _snapshot():
    counts = {model._meta.label_lower: model._base_manager.count() for model in backed_up_models()}
    readable = {
        "messages": sorted(Message.objects.values_list("body", flat=True)),
        "notes": sorted(MentoringSession.objects.values_list("private_notes", flat=True)),
        "answers": sorted(Answer.objects.values_list("value", flat=True)),
        "excerpts": sorted(AlertSign.objects.values_list("excerpt", flat=True)),
    }
    return counts, readable


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_an_empty_database_with_everything_decryptable(
    ended_relationship, tmp_path, settings
):
    _populate(ended_relationship)
    counts, readable = _snapshot()
    assert SECRET_MESSAGE in readable["messages"] and readable["answers"]
    path = tmp_path / "alongside.json"
    call_command("backup", str(path))

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert SECRET_MESSAGE not in text and SECRET_NOTE not in text
    assert "some days I want to die" not in text
    for key in settings.FIELD_ENCRYPTION_KEYS:
        assert key not in text
    manifest = json.loads(text)["manifest"]
    assert manifest["counts"]["mentoring.message"] == counts["mentoring.message"]
    assert "privacy.0002_anonymisedrecord" in manifest["migrations"]
    assert len(manifest["key_fingerprints"]) == len(settings.FIELD_ENCRYPTION_KEYS)

    call_command("flush", interactive=False, verbosity=0)
    assert Message.objects.count() == 0
    call_command("restore", str(path), verbosity=0)

    assert _snapshot() == (counts, readable)
    user_model = apps.get_model("accounts", "User")
    assert user_model.objects.get(email="zephyrine.quillfeather@example.org").check_password(
        "correct-horse-battery"
    )


@pytest.mark.django_db(transaction=True)
def test_compressed_backup_restores_too(ended_relationship, tmp_path):
    _populate(ended_relationship)
    counts, readable = _snapshot()
    path = tmp_path / "alongside.json.gz"
    call_command("backup", str(path))
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(path), verbosity=0)
    assert _snapshot() == (counts, readable)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(ended_relationship, tmp_path):
    path = tmp_path / "alongside.json"
    call_command("backup", str(path))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_without_the_keys_the_backup_was_made_with(ended_relationship, tmp_path):
    _populate(ended_relationship)
    path = tmp_path / "alongside.json"
    call_command("backup", str(path))
    call_command("flush", interactive=False, verbosity=0)
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(CommandError, match="key backup"),
    ):
        call_command("restore", str(path))
    assert Message.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_restore_rolls_back_when_a_count_does_not_match(ended_relationship, tmp_path):
    _populate(ended_relationship)
    path = tmp_path / "alongside.json"
    call_command("backup", str(path))
    data = json.loads(path.read_text())
    data["manifest"]["counts"]["mentoring.message"] += 1
    path.write_text(json.dumps(data))
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match=r"mentoring\.message"):
        call_command("restore", str(path))
    assert Message.objects.count() == 0
