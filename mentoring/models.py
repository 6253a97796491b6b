"""The mentoring relationship: one mentor alongside one mentee, for a planned length of time."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class RelationshipStatus(models.TextChoices):
    INTRODUCTION = "introduction", "Introduction planned"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"

    @classmethod
    def current(cls) -> list[RelationshipStatus]:
        """Statuses that take up a place in the mentor's capacity."""
        return [cls.INTRODUCTION, cls.ACTIVE]


class Relationship(models.Model):
    """Made when a mentor and a mentee have both accepted a match."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="relationships"
    )
    mentor = models.ForeignKey(
        "mentors.MentorProfile", on_delete=models.PROTECT, related_name="relationships"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentee_relationships"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="relationships"
    )
    status = models.CharField(
        max_length=20, choices=RelationshipStatus.choices, default=RelationshipStatus.INTRODUCTION
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    introduction_at = models.DateTimeField(null=True, blank=True)
    introduction_format = models.CharField(max_length=20, blank=True)
    introduction_place = models.CharField(
        max_length=200, blank=True, help_text="Where they meet, or the video link."
    )
    coordinator_present = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="mentoring_rel_org_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(status__in=["introduction", "active"]),
                name="mentoring_one_current_relationship_per_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"Relationship {self.pk} ({self.get_status_display()})"

    @property
    def is_current(self) -> bool:
        return self.status in RelationshipStatus.current()
