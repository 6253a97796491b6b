"""The append-only audit trail: who did what to which record, when — never what it said."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from alongside.fields import EncryptedTextField


class AuditEventIsAppendOnly(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditEventIsAppendOnly("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AuditEventIsAppendOnly("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One thing that happened. Holds identifiers only, so it can be kept longer than the data.

    Actor and organisation are kept as ids without database constraints: removing a person must
    never rewrite history, and the database rejects UPDATE and DELETE on this table.
    """

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # The actor's role in the organisation at the time; blank for the system or anonymous people.
    role = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # The person the record is about (a user id, no constraint): "who looked at this person?".
    person_id = models.IntegerField(null=True, blank=True, db_index=True)
    request_id = models.CharField(max_length=64, blank=True)
    metadata = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "occurred_at"], name="audit_org_time_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_time_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditEventIsAppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditEventIsAppendOnly("Audit events cannot be deleted.")


class BreakGlassGrant(models.Model):
    """Emergency ("break-glass") access: a coordinator or admin reads a relationship's private
    records (the pair's messages, the mentor's private session notes) for one hour, having said
    why. The reason is encrypted; the data protection lead is told and can see every grant."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="break_glass_grants"
    )
    relationship = models.ForeignKey(
        "mentoring.Relationship", on_delete=models.CASCADE, related_name="break_glass_grants"
    )
    reason = EncryptedTextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "relationship", "expires_at"], name="break_glass_active_idx"
            ),
            models.Index(fields=["organisation", "granted_at"], name="break_glass_org_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")),
                name="break_glass_expires_after_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"Emergency access {self.pk} to relationship {self.relationship_id}"

    def is_active_at(self, moment: datetime) -> bool:
        """Open: not ended early and not yet expired at ``moment``."""
        return self.ended_at is None and moment < self.expires_at

    @property
    def state_label(self) -> str:
        if self.ended_at is not None:
            return "Ended early"
        return "Active" if self.is_active_at(timezone.now()) else "Expired"
