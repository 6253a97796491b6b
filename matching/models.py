"""Matching runs, the pairs they propose, and each pair's way to becoming a relationship."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from alongside.fields import EncryptedTextField


class Place(models.Model):
    """A town or district the programme works in, with coordinates, so the engine can check the
    distance for in-person meetings. Mentors' and mentees' ``area`` is looked up by name."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="places"
    )
    name = models.CharField(max_length=100)
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("name"), "organisation", name="matching_place_unique_name"
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="matching_place_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MatchingSettings(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="matching_settings"
    )
    response_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days a mentor, then a mentee, has to answer a proposed match."
    )
    reminder_days = models.PositiveSmallIntegerField(
        default=3, help_text="Remind them after this many days without an answer."
    )

    class Meta:
        verbose_name_plural = "matching settings"

    def __str__(self) -> str:
        return f"Matching settings for {self.organisation}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Finished"
    FAILED = "failed", "Could not finish"


class MatchRun(models.Model):
    """One run of the engine over everyone waiting; big runs happen in a background task."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="match_runs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    progress_message = models.CharField(max_length=120, blank=True)
    mentees_considered = models.PositiveIntegerField(default=0)
    mentors_considered = models.PositiveIntegerField(default=0)
    proposed_count = models.PositiveIntegerField(default=0)
    unmatched = models.JSONField(
        default=list, blank=True, help_text="[{referral: id, reason: text}] for those not matched."
    )
    seconds = models.FloatField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Matching run {self.pk} ({self.get_status_display()})"


class Origin(models.TextChoices):
    ENGINE = "engine", "Matching run"
    SUGGESTION = "suggestion", "Picked from suggestions"
    REQUEST = "request", "Mentee asked for this mentor"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed, for the coordinator to review"
    WITH_MENTOR = "with_mentor", "Waiting for the mentor"
    WITH_MENTEE = "with_mentee", "Waiting for the mentee"
    ACCEPTED = "accepted", "Accepted by both"
    REJECTED = "rejected", "Rejected by the coordinator"
    MENTOR_DECLINED = "mentor_declined", "Declined by the mentor"
    MENTEE_DECLINED = "mentee_declined", "Declined by the mentee"
    EXPIRED = "expired", "No reply in time"
    UNDONE = "undone", "Undone by the coordinator"
    SUPERSEDED = "superseded", "Replaced by a newer run"

    @classmethod
    def live(cls) -> list[ProposalStatus]:
        """Still on its way: the mentee is not free to be proposed again."""
        return [cls.PROPOSED, cls.WITH_MENTOR, cls.WITH_MENTEE]

    @classmethod
    def holding_capacity(cls) -> list[ProposalStatus]:
        """Offered to the people: it keeps the mentor's place until answered."""
        return [cls.WITH_MENTOR, cls.WITH_MENTEE]

    @classmethod
    def declined(cls) -> list[ProposalStatus]:
        """Pairs the engine must not propose again."""
        return [cls.REJECTED, cls.MENTOR_DECLINED, cls.MENTEE_DECLINED]


class MatchProposal(models.Model):
    """A mentee and a mentor the programme thinks would suit each other, and why."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="match_proposals"
    )
    run = models.ForeignKey(
        MatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.ENGINE)
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="match_proposals"
    )
    mentor = models.ForeignKey(
        "mentors.MentorProfile", on_delete=models.CASCADE, related_name="match_proposals"
    )
    mentor_request = models.ForeignKey(
        "mentors.MentorRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    score = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)

    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    mentor_responded_at = models.DateTimeField(null=True, blank=True)
    mentee_responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = EncryptedTextField(blank=True)
    relationship = models.OneToOneField(
        "mentoring.Relationship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
    )

    class Meta:
        ordering = ["-score", "pk"]
        indexes = [
            # Proposals by status, and those accepted lately (the overview), from the index alone.
            models.Index(
                fields=["organisation", "status", "status_changed_at"],
                name="matching_proposal_org_changed",
            ),
            # The places each mentor's proposals on their way hold.
            models.Index(
                fields=["mentor"],
                condition=models.Q(status__in=["proposed", "with_mentor", "with_mentee"]),
                name="matching_proposal_live_mentor",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(status__in=["proposed", "with_mentor", "with_mentee"]),
                name="matching_one_live_proposal_per_referral",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=1), name="matching_score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Proposal {self.pk} ({self.get_status_display()})"

    @property
    def is_live(self) -> bool:
        return self.status in ProposalStatus.live()
