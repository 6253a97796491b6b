"""Outcome measures: the instruments a programme uses, when they are due, and each person's
answers. Answers are encrypted one by one; totals, bands and flags are kept in the clear so
programme reports can aggregate them in the database (they say how someone scored, never what
they answered)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from alongside.fields import EncryptedTextField


class Instrument(models.Model):
    """A questionnaire as data. Rows without an organisation are the ones shipped with Alongside
    (kept in step with ``outcomes/instruments/data`` after every migrate); an organisation can add
    its own (for example a licensed one) by uploading a definition."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="instruments",
    )
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=150)
    short_name = models.CharField(max_length=40)
    version = models.PositiveIntegerField(default=1)
    definition = models.JSONField()
    is_active = models.BooleanField(default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(organisation__isnull=True),
                name="outcomes_one_builtin_per_key",
            ),
            models.UniqueConstraint(
                fields=["organisation", "key"], name="outcomes_one_instrument_per_org_key"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None


class MeasureSchedule(models.Model):
    """When an organisation's programme asks its mentees to complete one instrument."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="measure_schedules"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="+")
    is_active = models.BooleanField(default=True)
    at_baseline = models.BooleanField(
        default=True, help_text="When intake is complete, before mentoring starts."
    )
    every_sessions = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="After every this many sessions held (blank: never)."
    )
    every_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Every this many weeks of mentoring (blank: never)."
    )
    at_closure = models.BooleanField(default=True, help_text="When the planned ending starts.")
    at_follow_up = models.BooleanField(
        default=True, help_text="At the follow-up after the relationship ends."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["instrument__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "instrument"], name="outcomes_one_schedule_per_instrument"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} for {self.organisation}"


class MeasureSettings(models.Model):
    """How long a measure stays open and how the mentee is reminded."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="measure_settings"
    )
    open_days = models.PositiveSmallIntegerField(
        default=28, help_text="A measure not completed within this many days is closed."
    )
    reminder_days = models.PositiveSmallIntegerField(
        default=3, help_text="Remind the mentee after this many days, and again as long."
    )
    max_reminders = models.PositiveSmallIntegerField(default=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "measure settings"

    def __str__(self) -> str:
        return f"Measure settings for {self.organisation}"


class Occasion(models.TextChoices):
    BASELINE = "baseline", "At the start"
    SESSIONS = "sessions", "During mentoring (by sessions)"
    WEEKS = "weeks", "During mentoring (by weeks)"
    CLOSURE = "closure", "At the ending"
    FOLLOW_UP = "follow_up", "Follow-up"
    EXTRA = "extra", "Extra"


class RequestStatus(models.TextChoices):
    DUE = "due", "Due"
    STARTED = "started", "Started"
    COMPLETED = "completed", "Completed"
    EXPIRED = "expired", "Closed without answers"
    CANCELLED = "cancelled", "No longer needed"

    @classmethod
    def open(cls) -> list[RequestStatus]:
        return [cls.DUE, cls.STARTED]


class MeasureRequest(models.Model):
    """One instrument a person is asked to complete on one occasion. Shown from ``due_on``."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="measure_requests"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="measure_requests"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    occasion = models.CharField(max_length=20, choices=Occasion.choices)
    # Which one of its kind: the session count or week number it belongs to; 0 otherwise.
    occasion_number = models.PositiveSmallIntegerField(default=0)
    relationship = models.ForeignKey(
        "mentoring.Relationship",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="measure_requests",
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measure_requests",
    )
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.DUE
    )
    due_on = models.DateField(default=timezone.localdate)
    closes_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["person", "status"], name="outcomes_request_person_status"),
            models.Index(fields=["status", "due_on"], name="outcomes_request_status_due"),
            # The staff dashboard: requests that closed unanswered recently.
            models.Index(fields=["status", "closes_on"], name="outcomes_request_closed"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "instrument", "occasion", "occasion_number", "relationship"],
                condition=~models.Q(occasion="extra"),
                name="outcomes_one_request_per_occasion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} ({self.get_occasion_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in RequestStatus.open()


class CompletedWith(models.TextChoices):
    SELF = "self", "By themselves"
    MENTOR = "mentor", "With their mentor in a session"
    STAFF = "staff", "With a member of staff"


class MeasureResponse(models.Model):
    """A person's answers to one instrument. Started when they answer the first question (so
    they can pause); scored when they submit."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="measure_responses"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="measure_responses"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    instrument_version = models.PositiveIntegerField(default=1)
    request = models.OneToOneField(
        MeasureRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response",
    )
    relationship = models.ForeignKey(
        "mentoring.Relationship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measure_responses",
    )
    occasion = models.CharField(max_length=20, choices=Occasion.choices, default=Occasion.EXTRA)
    completed_with = models.CharField(
        max_length=10, choices=CompletedWith.choices, default=CompletedWith.SELF
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Scored on completion.
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    percentage = models.PositiveSmallIntegerField(null=True, blank=True)
    band = models.CharField(max_length=40, blank=True)
    flags = models.JSONField(default=list, blank=True)
    answered = models.PositiveSmallIntegerField(default=0)
    prorated = models.BooleanField(default=False)
    # Set once, when a flag that calls for a safeguarding alert was first raised.
    alert_raised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-completed_at", "-started_at"]
        indexes = [
            # Each person's scores on each questionnaire in order, "id" breaking ties: the
            # programme figures read them from the index without sorting (outcomes/selectors.py).
            models.Index(
                fields=["person", "instrument", "completed_at", "id"],
                name="outcomes_response_series",
            ),
            models.Index(
                fields=["organisation", "instrument", "completed_at"],
                name="outcomes_response_org",
            ),
            # The staff dashboard and reports: responses completed in a period, any instrument.
            models.Index(
                fields=["organisation", "completed_at"], name="outcomes_response_org_done"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} response {self.pk}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class Answer(models.Model):
    """One answer, encrypted. An empty value is a question the person chose not to answer."""

    response = models.ForeignKey(MeasureResponse, on_delete=models.CASCADE, related_name="answers")
    item_key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    value = EncryptedTextField(blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "item_key"], name="outcomes_one_answer_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.item_key}"
