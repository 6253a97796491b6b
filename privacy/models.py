"""Data rights: consent people gave (versioned), erasure requests, and how long records are kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Purpose(models.TextChoices):
    """Optional processing a person can agree to and withdraw from at any time.

    Taking part in the programme itself rests on the referral consent (referrals.Referral); these
    are the extras. Each stops at once for someone who says no; a purpose listed in
    ``privacy.consent.OPT_IN_PURPOSES`` runs only for people who said yes to the current wording.
    """

    EMAIL_REMINDERS = "email_reminders", "Email reminders about sessions and questionnaires"
    PROGRAMME_EVALUATION = (
        "programme_evaluation",
        "Using my questionnaire answers, without my name, in reports about the programme",
    )
    FOLLOW_UP = "follow_up", "Being contacted after mentoring ends to ask how I am getting on"


class ConsentVersion(models.Model):
    """The wording a person was shown for one purpose. A new wording is a new version; people
    who agreed to an older one are asked again."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="consent_versions"
    )
    purpose = models.CharField(max_length=40, choices=Purpose.choices)
    version = models.PositiveIntegerField()
    wording = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["purpose", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "purpose", "version"], name="privacy_consent_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} v{self.version}"


class ConsentRecord(models.Model):
    """One person's answer to one version. Records are never edited: withdrawing stamps
    ``withdrawn_at``; agreeing again makes a new record."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_records"
    )
    consent_version = models.ForeignKey(
        ConsentVersion, on_delete=models.PROTECT, related_name="records"
    )
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who recorded it, when not the person themselves (for example by phone).",
    )

    class Meta:
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["person", "withdrawn_at"], name="privacy_consent_live_idx")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.consent_version}"


class ErasureStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ON_HOLD = "on_hold", "On hold"
    ERASED = "erased", "Erased"
    REFUSED = "refused", "Refused"


class ErasureRequest(models.Model):
    """A request to erase one person's data. Kept after erasure as the record that it was done,
    holding counts and labels only."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="erasure_requests"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasure_requests",
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasure_requests",
        help_text="For someone referred who never had an account.",
    )
    reference = models.CharField(
        max_length=20, unique=True, help_text="A name-free reference, kept after erasure."
    )
    status = models.CharField(
        max_length=20, choices=ErasureStatus.choices, default=ErasureStatus.REQUESTED
    )
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    hold_reason = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why the data must be kept for now (a legal or safeguarding hold).",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    erased_counts = models.JSONField(
        default=dict, blank=True, help_text="How many rows of each kind were erased."
    )

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.reference


class RetentionPolicy(models.Model):
    """How long one organisation keeps each kind of record once it is finished with."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="retention_policy"
    )
    closed_relationship_months = models.PositiveIntegerField(
        default=72, help_text="After a relationship ends (default 6 years)."
    )
    declined_applicant_months = models.PositiveIntegerField(
        default=6, help_text="After a mentor application is declined or withdrawn."
    )
    closed_referral_months = models.PositiveIntegerField(
        default=12,
        help_text="After a referral is declined, signposted, withdrawn or could not be contacted.",
    )
    audit_months = models.PositiveIntegerField(
        default=96, help_text="Audit events are kept longer than the records they describe."
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Retention policy for {self.organisation}"


class RetentionRun(models.Model):
    """One run of the daily retention task for one organisation: what it removed (counts)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="retention_runs"
    )
    ran_at = models.DateTimeField(default=timezone.now)
    removed_counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.ran_at:%Y-%m-%d}"


class AnonymisedRecord(models.Model):
    """A record whose personal data has been erased or anonymised, by an erasure request or by
    the retention policy. It lets the daily retention run skip what it has already done (so
    running it twice removes nothing twice) and count only what it newly removed."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="anonymised_records"
    )
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    anonymised_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(
        max_length=20, help_text="'erasure' for a request, 'retention' for the policy."
    )

    class Meta:
        ordering = ["-anonymised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id"], name="privacy_anonymised_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id}"
