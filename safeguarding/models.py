"""Crisis resources an organisation shows on its "Get help now" page, and safeguarding alerts."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from alongside.concurrency import ClientKeyed, one_per_client_key
from alongside.fields import EncryptedTextField


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


# Most serious first: used to sort queues and to decide whether a new sign raises an alert's level.
LEVEL_ORDER = {"none": 0, "concern": 1, "high": 2, "urgent": 3}
# Most serious first, as the database sorts the queue (and its index of waiting alerts).
LEVEL_RANK = models.Case(
    models.When(level=AlertLevel.URGENT, then=models.Value(0)),
    models.When(level=AlertLevel.HIGH, then=models.Value(1)),
    default=models.Value(2),
    output_field=models.IntegerField(),
)


class AlertStatus(models.TextChoices):
    OPEN = "open", "Waiting for someone to respond"
    ACKNOWLEDGED = "acknowledged", "Someone is responding"
    CLOSED = "closed", "Closed"


class AlertOutcome(models.TextChoices):
    SAFE_FOR_NOW = "safe_for_now", "Spoke with them: safe for now, plan in place"
    REFERRED_ON = "referred_on", "Passed to a crisis or health service"
    EMERGENCY_RESPONSE = "emergency_response", "Emergency services responded"
    SAFEGUARDING_REFERRAL = "safeguarding_referral", "Safeguarding referral made"
    NOT_REACHED = "not_reached", "Could not reach them after several tries; others informed"
    NO_RISK = "no_risk", "No risk found: a false alarm"
    OTHER = "other", "Something else (say in the note)"


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
    duty_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The safeguarding lead on duty when the alert was raised.",
    )
    due_at = models.DateTimeField(
        null=True, blank=True, help_text="When someone must have responded by (set by level)."
    )
    escalation_level = models.PositiveSmallIntegerField(
        default=0, help_text="0: supervisor and duty lead; 1: other leads and coordinators; 2: all."
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=30, choices=AlertOutcome.choices, blank=True)
    closing_note = EncryptedTextField(blank=True)
    false_positive = models.BooleanField(
        default=False, help_text="Closed as a false alarm: the words did not mean risk."
    )

    class Meta:
        ordering = ["status", "-created_at"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="safeguarding_alert_org_status"),
            models.Index(fields=["status", "due_at"], name="safeguarding_alert_due"),
            models.Index(fields=["person", "status"], name="safeguarding_alert_person"),
            # Reports: alerts raised in a period.
            models.Index(fields=["organisation", "created_at"], name="safeguarding_alert_org_made"),
            # The urgent banner on every staff page: the oldest urgent alert still waiting.
            models.Index(
                fields=["organisation", "created_at", "id"],
                condition=models.Q(status="open", level="urgent"),
                name="safeguarding_alert_urgent",
            ),
            # The queue, a page at a time: waiting alerts most serious and oldest first, the
            # latest picked up, and the latest closed.
            models.Index(
                models.F("organisation"),
                LEVEL_RANK,
                models.F("created_at"),
                models.F("id"),
                condition=models.Q(status="open"),
                name="safeguarding_alert_waiting",
            ),
            models.Index(
                fields=["organisation", "acknowledged_at", "id"],
                condition=models.Q(status="acknowledged"),
                name="safeguarding_alert_responding",
            ),
            models.Index(
                fields=["organisation", "closed_at", "id"],
                condition=models.Q(status="closed"),
                name="safeguarding_alert_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} alert {self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == AlertStatus.CLOSED

    def is_overdue(self, now: datetime | None = None) -> bool:
        """Nobody has said they are responding and the response deadline has passed."""
        return (
            self.status == AlertStatus.OPEN
            and self.due_at is not None
            and self.due_at <= (now or timezone.now())
        )


class AlertSign(models.Model):
    """One thing that raised or added to an alert: a message, a session note, a questionnaire
    answer... An alert that is not closed gathers later signs about the same person, so a run
    of worrying messages is one alert to respond to, not ten. The words that triggered it are
    kept encrypted for the people who respond (``excerpt``, ``matches``); reads are audited."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="signs")
    level = models.CharField(max_length=10, choices=AlertLevel.choices)
    categories = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=40)
    source_label = models.CharField(max_length=150)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=300, blank=True)
    excerpt = EncryptedTextField(blank=True, help_text="The text that was flagged, shortened.")
    matches = EncryptedTextField(blank=True, help_text="The phrases that matched, one per line.")
    detection_failed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.source_label} ({self.level})"

    @property
    def match_list(self) -> list[str]:
        return [line for line in (self.matches or "").splitlines() if line]


class AlertActionKind(models.TextChoices):
    ACKNOWLEDGED = "acknowledged", "Said they are responding"
    CONTACT_ATTEMPT = "contact_attempt", "Tried to contact the person"
    ACTION_TAKEN = "action_taken", "Action taken"
    NOTE = "note", "Note"
    ESCALATED = "escalated", "Escalated: nobody had responded in time"
    LEVEL_RAISED = "level_raised", "A more serious sign raised the level"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    IN_PERSON = "in_person", "In person"
    THROUGH_MENTOR = "through_mentor", "Through their mentor"


class SafeguardingAction(models.TextChoices):
    SAFETY_PLAN = "safety_plan", "Safety plan discussed"
    CRISIS_SERVICE = "crisis_service", "Crisis service contacted"
    EMERGENCY_SERVICES = "emergency_services", "Emergency services called"
    GP_WITH_CONSENT = "gp_with_consent", "GP informed, with their consent"
    GP_SAFEGUARDING_EXCEPTION = (
        "gp_without_consent",
        "GP informed without consent (safeguarding exception)",
    )
    SAFEGUARDING_REFERRAL = "safeguarding_referral", "Referral to the local safeguarding team"
    MENTOR_BRIEFED = "mentor_briefed", "Mentor briefed and supported"
    OTHER = "other", "Something else (say in the note)"


class AlertAction(ClientKeyed):
    """One step in responding to an alert, with who and when. Notes are encrypted. A contact
    attempt or action sent twice with the same ``client_key`` is recorded once."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=20, choices=AlertActionKind.choices)
    contact_method = models.CharField(max_length=20, choices=ContactMethod.choices, blank=True)
    reached = models.BooleanField(null=True, blank=True, help_text="For contact attempts.")
    action = models.CharField(max_length=30, choices=SafeguardingAction.choices, blank=True)
    note = EncryptedTextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            one_per_client_key("alert", name="safeguarding_one_alert_action_per_client_key")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class SafeguardingSettings(models.Model):
    """How quickly an organisation promises to respond to an alert, by level."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="safeguarding_settings"
    )
    urgent_minutes = models.PositiveIntegerField(default=15)
    high_minutes = models.PositiveIntegerField(default=60)
    concern_working_days = models.PositiveSmallIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Safeguarding settings for {self.organisation}"


class SafeguardingLead(models.Model):
    """Someone the organisation has named a safeguarding lead: they may go on the duty rota and
    see every alert of the organisation. A supervisor, coordinator or admin."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="safeguarding_leads"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safeguarding_lead_roles"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="safeguarding_lead_once_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"Safeguarding lead {self.user_id}"


class DutyShift(models.Model):
    """A stretch of time when one lead is the duty safeguarding lead: new alerts go to them."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="duty_shifts"
    )
    lead = models.ForeignKey(SafeguardingLead, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(
                fields=["organisation", "starts_at", "ends_at"], name="safeguarding_shift_when"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="safeguarding_shift_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Duty shift {self.starts_at:%Y-%m-%d %H:%M}"
