"""Crisis resources an organisation shows on its "Get help now" page, and safeguarding alerts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class CrisisResource(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="crisis_resources"
    )
    name = models.CharField(max_length=120)
    description = models.CharField(
        max_length=300, blank=True, help_text="Who it is for, in a sentence."
    )
    phone = models.CharField(max_length=40, blank=True)
    text_number = models.CharField(max_length=40, blank=True, help_text="Number to text, if any.")
    text_keyword = models.CharField(max_length=40, blank=True, help_text="Word to text, if any.")
    website = models.URLField(blank=True)
    hours = models.CharField(max_length=100, blank=True, help_text="For example: 24 hours a day.")
    is_emergency = models.BooleanField(
        default=False, help_text="Shown first: for when someone is in immediate danger."
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-is_emergency", "position", "name"]

    def __str__(self) -> str:
        return self.name


class AlertLevel(models.TextChoices):
    CONCERN = "concern", "Concern"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class AlertStatus(models.TextChoices):
    OPEN = "open", "Waiting for someone to respond"
    ACKNOWLEDGED = "acknowledged", "Someone is responding"


class Alert(models.Model):
    """A sign that someone may be at risk, for a trained person to follow up. It records where
    the sign came from and which flags or categories were found, never what the person wrote or
    answered: staff open the source record (which is access-checked) to see that."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="safeguarding_alerts"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="safeguarding_alerts",
        help_text="The person the alert is about.",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The supervisor of the person's mentor, when they have one.",
    )
    level = models.CharField(max_length=10, choices=AlertLevel.choices)
    categories = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=40, help_text="What raised it, e.g. measure, message.")
    source_label = models.CharField(max_length=150)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=300, blank=True, help_text="Where staff can follow up.")
    status = models.CharField(max_length=20, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["status", "-created_at"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="safeguarding_alert_org_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} alert {self.pk}"
