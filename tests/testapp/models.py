"""Models only in the test database, to exercise shared fields before real apps use them."""

from django.db import models

from alongside.fields import EncryptedTextField


class PrivateNote(models.Model):
    body = EncryptedTextField(blank=True)
    summary = EncryptedTextField(blank=True, null=True)

    class Meta:
        app_label = "testapp"

    def __str__(self) -> str:
        return f"Note {self.pk}"
