"""Referrals: how people reach the programme, what they need, their consent, and their place on
the waiting list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from alongside.concurrency import ClientKeyed, Versioned, one_per_client_key
from alongside.fields import EncryptedTextField


class ReferralProgrammeSettings(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="referral_settings"
    )
    waiting_alert_days = models.PositiveSmallIntegerField(
        default=42, help_text="Highlight people who have waited longer than this."
    )
    check_in_interval_days = models.PositiveSmallIntegerField(
        default=14, help_text="Remind the coordinator to check in with people waiting this long."
    )
    contact_attempts_before_unable = models.PositiveSmallIntegerField(
        default=3, help_text="Attempts before a referral may be closed as unable to contact."
    )

    class Meta:
        verbose_name_plural = "referral programme settings"

    def __str__(self) -> str:
        return f"Referral settings for {self.organisation}"


class Source(models.TextChoices):
    SELF = "self", "Self-referral"
    GP = "gp", "GP practice"
    CLINIC = "clinic", "Clinic or mental health team"
    SUPPORT_GROUP = "support_group", "Support group"
    COMMUNITY = "community", "Community organisation"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    NEW = "new", "New"
    CONTACTING = "contacting", "Trying to make contact"
    INTAKE = "intake", "Intake"
    WAITING = "waiting", "Waiting for a mentor"
    MATCHED = "matched", "Matched"
    SIGNPOSTED = "signposted", "Signposted elsewhere"
    DECLINED = "declined", "Declined"
    UNABLE_TO_CONTACT = "unable_to_contact", "Unable to contact"
    WITHDRAWN = "withdrawn", "Withdrawn"
    MERGED = "merged", "Merged into another referral"

    @classmethod
    def open_statuses(cls) -> list[Status]:
        return [cls.NEW, cls.CONTACTING, cls.INTAKE, cls.WAITING]


# The coordinator's triage queue: referrals not yet on the waiting list or closed.
QUEUE_STATUSES = (Status.NEW, Status.CONTACTING, Status.INTAKE)


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent"


def urgent_first() -> models.Case:
    """0 for urgent, 1 for routine: sorting by it puts urgent referrals first. The queue's and
    the waiting list's indexes are built on this same expression."""
    return models.Case(
        models.When(urgency=Urgency.URGENT, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )


class SafeNow(models.TextChoices):
    YES = "yes", "Yes, I am safe right now"
    NO = "no", "No, I do not feel safe right now"
    UNSURE = "unsure", "I am not sure"


class Importance(models.TextChoices):
    NONE = "none", "No preference"
    NICE = "nice", "Nice to have"
    MUST = "must", "Must"


class Referral(models.Model):
    """One person's route into the programme. Self-referrers need no account: a private link
    lets them see and change what they sent; an account comes with intake."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="referrals"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    status_changed_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.SELF)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    urgency_reasons = models.CharField(
        max_length=200, blank=True, help_text="Why it is urgent (labels only, for staff)."
    )
    safe_now = models.CharField(max_length=10, choices=SafeNow.choices, blank=True)

    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals_made",
    )
    referrer_organisation_name = models.CharField(max_length=150, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    access_token_hash = models.CharField(max_length=64, blank=True)
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from"
    )
    possible_duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="An open referral that looks like the same person, for the coordinator to "
        "merge or dismiss.",
    )

    full_name = models.CharField(max_length=150)
    preferred_name = models.CharField(max_length=80, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    year_of_birth = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=40, blank=True)
    voicemail_ok = models.BooleanField(default=False)
    email_ok = models.BooleanField(default=False)
    text_ok = models.BooleanField(default=False)
    best_time_to_contact = models.CharField(max_length=150, blank=True)

    support_areas = models.ManyToManyField("accounts.SupportArea", blank=True, related_name="+")
    hopes = EncryptedTextField(blank=True, help_text="What they hope to get from mentoring.")
    languages = models.ManyToManyField("accounts.Language", blank=True, related_name="+")
    formats = models.JSONField(default=list, blank=True)
    area = models.CharField(max_length=100, blank=True)
    availability_slots = models.JSONField(
        default=list, blank=True, help_text="Parts of the week that suit them (mon_evening)."
    )
    availability = models.CharField(
        max_length=300, blank=True, help_text="Anything else about when suits them."
    )

    mentor_gender = models.CharField(max_length=40, blank=True)
    mentor_gender_importance = models.CharField(
        max_length=10, choices=Importance.choices, default=Importance.NONE
    )
    mentor_age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    mentor_age_max = models.PositiveSmallIntegerField(null=True, blank=True)
    mentor_age_importance = models.CharField(
        max_length=10, choices=Importance.choices, default=Importance.NONE
    )
    shared_experience_importance = models.CharField(
        max_length=10, choices=Importance.choices, default=Importance.NONE
    )

    consent_version = models.CharField(max_length=20)
    consent_given_at = models.DateTimeField()
    consent_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The referrer who confirmed the person's consent.",
    )

    created_at = models.DateTimeField(default=timezone.now)
    waiting_since = models.DateTimeField(null=True, blank=True)
    # Set when a relationship ended in a rematch: the person goes to the top of the list.
    rematch_requested_at = models.DateTimeField(null=True, blank=True)
    last_contacted_at = models.DateTimeField(null=True, blank=True)
    check_in_reminded_at = models.DateTimeField(null=True, blank=True)
    closed_reason = EncryptedTextField(blank=True)
    signposted_to = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="referrals_org_status"),
            # The waiting list and the reports' waits: status=waiting, ordered by waiting_since.
            models.Index(
                fields=["organisation", "status", "waiting_since"], name="referrals_org_waiting"
            ),
            # The triage queue in its order, and its counts read from the index alone.
            models.Index(
                "organisation",
                urgent_first(),
                "created_at",
                "id",
                include=["status", "urgency", "source"],
                condition=models.Q(status__in=QUEUE_STATUSES),
                name="referrals_queue_order",
            ),
            # The waiting list in its order, and its summary read from the index alone. An
            # ascending PostgreSQL index keeps nulls last, as the list does (no rematch last).
            models.Index(
                "organisation",
                urgent_first(),
                "rematch_requested_at",
                "waiting_since",
                "id",
                include=["urgency"],
                condition=models.Q(status=Status.WAITING),
                name="referrals_waiting_order",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="referrals_status_valid"
            ),
            models.UniqueConstraint(
                fields=["organisation", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="referrals_one_per_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in Status.open_statuses()


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    OTHER = "other", "Other"


class ContactOutcome(models.TextChoices):
    SPOKE = "spoke", "Spoke with them"
    LEFT_MESSAGE = "left_message", "Left a message"
    NO_ANSWER = "no_answer", "No answer"
    WRONG_DETAILS = "wrong_details", "Contact details did not work"


class ContactAttempt(ClientKeyed):
    """One try at reaching the person. Sent twice with the same ``client_key``, it is logged
    once."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="contact_attempts"
    )
    attempted_at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=10, choices=ContactMethod.choices)
    outcome = models.CharField(max_length=20, choices=ContactOutcome.choices)
    note = EncryptedTextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-attempted_at"]
        constraints = [
            one_per_client_key("referral", name="referrals_one_contact_attempt_per_client_key")
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()}: {self.get_outcome_display()}"


class Intake(Versioned):
    """What the programme agreed with the person at intake; completing it puts them on the
    waiting list. Versioned: two coordinators (or a coordinator and the person) may have it
    open at once, and the later save against an older version is refused."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="intake")
    goals = EncryptedTextField(help_text="What they would like to work towards, in their words.")
    accessibility_needs = EncryptedTextField(blank=True)
    emergency_contact = EncryptedTextField(blank=True)
    gp_details = EncryptedTextField(blank=True)
    notes = EncryptedTextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Intake for referral {self.referral_id}"
