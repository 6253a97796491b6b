import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from alongside.encryption import DecryptionFailed, check_keys
from audit.models import AuditEvent
from tests.testapp.models import PrivateNote

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def raw_body(note: PrivateNote) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM testapp_privatenote WHERE id = %s", [note.pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_text_is_stored_encrypted_and_read_back_as_written(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    note = PrivateNote.objects.create(body="Felt anxious before the session; walked instead.")
    stored = raw_body(note)
    assert "anxious" not in stored
    assert Fernet(OLD_KEY.encode()).decrypt(stored.encode()).decode().startswith("Felt anxious")
    assert PrivateNote.objects.get(pk=note.pk).body.startswith("Felt anxious")


@pytest.mark.django_db
def test_empty_and_missing_text_stay_cheap_to_check(settings):
    note = PrivateNote.objects.create(body="", summary=None)
    note.refresh_from_db()
    assert note.body == ""
    assert note.summary is None
    assert PrivateNote.objects.filter(summary__isnull=True).count() == 1


@pytest.mark.django_db
def test_filtering_on_encrypted_text_is_refused():
    with pytest.raises(TypeError, match="cannot be filtered"):
        PrivateNote.objects.filter(body__icontains="anxious").count()


@pytest.mark.django_db
def test_old_values_still_read_after_a_new_key_is_added(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    note = PrivateNote.objects.create(body="kept under the old key")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert PrivateNote.objects.get(pk=note.pk).body == "kept under the old key"


@pytest.mark.django_db
def test_value_without_its_key_fails_clearly(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    note = PrivateNote.objects.create(body="secret")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(DecryptionFailed, match="FIELD_ENCRYPTION_KEYS"):
        PrivateNote.objects.get(pk=note.pk)


@pytest.mark.django_db
def test_reencrypt_moves_every_value_and_mfa_secret_to_the_newest_key(settings, coordinator):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    notes = [PrivateNote.objects.create(body=f"note {n}", summary=f"s{n}") for n in range(3)]
    PrivateNote.objects.create(body="", summary=None)
    Authenticator.objects.filter(user=coordinator).delete()
    totp = TOTP.activate(coordinator, "JBSWY3DPEHPK3PXP")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    call_command("reencrypt_fields", stdout=open("/dev/null", "w"))  # noqa: SIM115

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key can now be removed
    for note in notes:
        reread = PrivateNote.objects.get(pk=note.pk)
        assert (reread.body, reread.summary) == (note.body, note.summary)
        Fernet(NEW_KEY.encode()).decrypt(raw_body(note).encode())
    totp.instance.refresh_from_db()
    assert TOTP(totp.instance).instance.data["secret"] != "JBSWY3DPEHPK3PXP"
    from allauth.mfa.utils import decrypt

    assert decrypt(totp.instance.data["secret"]) == "JBSWY3DPEHPK3PXP"
    assert AuditEvent.objects.filter(action="encryption.keys_rotated").exists()


def test_malformed_key_is_refused_with_a_clear_message(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="entry 1 is not a valid Fernet key"):
        check_keys()
