"""Mentors: from application and screening through training and certification to a profile
people can find, with supervision and wellbeing support along the way."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from alongside.concurrency import ClientKeyed, Versioned, one_per_client_key
from alongside.fields import EncryptedTextField


class Format(models.TextChoices):
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"


class MentorProgrammeSettings(models.Model):
    """The practice standards one organisation sets for its mentors."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="mentor_settings"
    )
    min_training_minutes = models.PositiveIntegerField(
        default=12 * 60, help_text="Training a mentor must complete before being matched."
    )
    max_capacity = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Most mentees one mentor may have at once.",
    )
    certification_months = models.PositiveSmallIntegerField(default=12)
    cpd_hours_per_year = models.PositiveSmallIntegerField(
        default=6, help_text="Continuing-education hours a mentor needs each year."
    )
    expiry_warning_days = models.PositiveSmallIntegerField(default=30)
    supervision_interval_days = models.PositiveSmallIntegerField(default=30)
    wellbeing_interval_days = models.PositiveSmallIntegerField(default=30)
    reference_link_days = models.PositiveSmallIntegerField(
        default=14, help_text="How long a referee's one-time link works."
    )

    class Meta:
        verbose_name_plural = "mentor programme settings"

    def __str__(self) -> str:
        return f"Mentor standards for {self.organisation}"


class InterviewQuestion(models.Model):
    """A standard question every applicant is asked at interview."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="interview_questions"
    )
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Stage(models.TextChoices):
    """Where an application is. Screening steps are in the order they are usually done."""

    DRAFT = "draft", "Draft"
    NEW = "new", "New"
    INTERVIEW = "interview", "Interview"
    REFERENCES = "references", "References"
    BACKGROUND_CHECK = "background_check", "Background check"
    DECISION = "decision", "Ready for decision"
    TRAINING = "training", "Training"
    CERTIFIED = "certified", "Certified"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"

    @classmethod
    def board_stages(cls) -> list[Stage]:
        """The columns of the coordinator's board, left to right."""
        return [
            cls.NEW,
            cls.INTERVIEW,
            cls.REFERENCES,
            cls.BACKGROUND_CHECK,
            cls.DECISION,
            cls.TRAINING,
        ]


class MentorApplication(models.Model):
    """Someone offering to become a mentor. Applicants need no account: a secret link lets them
    save and come back; an account is made when they are approved to train."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="mentor_applications"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.DRAFT)
    stage_entered_at = models.DateTimeField(default=timezone.now)
    resume_token_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentor_applications",
    )

    full_name = models.CharField(max_length=150)
    preferred_name = models.CharField(max_length=80, blank=True)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    motivation = EncryptedTextField(blank=True)
    lived_experience_areas = models.ManyToManyField(
        "accounts.SupportArea", blank=True, related_name="+"
    )
    lived_experience_notes = EncryptedTextField(blank=True)
    languages = models.ManyToManyField("accounts.Language", blank=True, related_name="+")
    availability = models.CharField(max_length=300, blank=True)
    formats = models.JSONField(default=list, blank=True)
    area = models.CharField(max_length=100, blank=True, help_text="Town or postcode district.")
    consent_to_checks = models.BooleanField(default=False)
    consented_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["stage_entered_at"]
        indexes = [models.Index(fields=["organisation", "stage"], name="mentors_app_org_stage")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage__in=Stage.values), name="mentors_application_stage_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Application {self.pk} ({self.get_stage_display()})"

    @property
    def waiting(self) -> timedelta:
        return timezone.now() - self.stage_entered_at


class InterviewOutcome(models.TextChoices):
    PASSED = "passed", "Passed"
    CONCERNS = "concerns", "Passed with concerns to follow up"
    NOT_SUITABLE = "not_suitable", "Not suitable at this time"


class Interview(models.Model):
    application = models.OneToOneField(
        MentorApplication, on_delete=models.CASCADE, related_name="interview"
    )
    held_on = models.DateField()
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=InterviewOutcome.choices)
    notes = EncryptedTextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Interview for application {self.application_id}"


class InterviewAnswer(models.Model):
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(InterviewQuestion, on_delete=models.PROTECT, related_name="+")
    notes = EncryptedTextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "question"], name="mentors_interviewanswer_once"
            )
        ]

    def __str__(self) -> str:
        return f"Answer to question {self.question_id}"


class ReferenceStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    RECEIVED = "received", "Received"
    CANCELLED = "cancelled", "Cancelled"


class Recommendation(models.TextChoices):
    YES = "yes", "Yes, I would recommend them"
    UNSURE = "unsure", "I am not sure"
    NO = "no", "No, I would not recommend them"


class Reference(models.Model):
    """A referee asked about the applicant. The referee answers once, through a link that
    expires, without an account."""

    application = models.ForeignKey(
        MentorApplication, on_delete=models.CASCADE, related_name="references"
    )
    referee_name = models.CharField(max_length=150)
    referee_email = models.EmailField()
    relationship = models.CharField(max_length=150, help_text="How the referee knows them.")
    status = models.CharField(
        max_length=20, choices=ReferenceStatus.choices, default=ReferenceStatus.REQUESTED
    )
    token_hash = models.CharField(max_length=64, unique=True)
    requested_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    received_at = models.DateTimeField(null=True, blank=True)
    known_for = models.CharField(max_length=100, blank=True)
    suitability = EncryptedTextField(blank=True)
    concerns = EncryptedTextField(blank=True)
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"Reference from {self.referee_name}"

    @property
    def is_open(self) -> bool:
        return self.status == ReferenceStatus.REQUESTED and timezone.now() < self.expires_at


class CheckType(models.TextChoices):
    BASIC = "basic", "Basic DBS check"
    STANDARD = "standard", "Standard DBS check"
    ENHANCED = "enhanced", "Enhanced DBS check"
    ENHANCED_BARRED = "enhanced_barred", "Enhanced DBS check with barred list"
    OTHER = "other", "Other"


class CheckOutcome(models.TextChoices):
    CLEAR = "clear", "Clear"
    INFORMATION_DISCLOSED = "disclosed", "Information disclosed: needs a decision"


class BackgroundCheck(models.Model):
    application = models.ForeignKey(
        MentorApplication, on_delete=models.CASCADE, related_name="background_checks"
    )
    check_type = models.CharField(max_length=20, choices=CheckType.choices)
    reference_number = models.CharField(max_length=60)
    checked_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=CheckOutcome.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-checked_on"]

    def __str__(self) -> str:
        return f"{self.get_check_type_display()} {self.reference_number}"


class Delivery(models.TextChoices):
    SELF_PACED = "self_paced", "Self-paced, online"
    IN_PERSON = "in_person", "In person (attendance recorded)"


class TrainingModule(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="training_modules"
    )
    title = models.CharField(max_length=150)
    summary = models.CharField(max_length=300, blank=True)
    content = models.TextField(blank=True, help_text="Plain text; blank lines start paragraphs.")
    min_minutes = models.PositiveIntegerField(default=60)
    required_before_matching = models.BooleanField(default=True)
    delivery = models.CharField(
        max_length=20, choices=Delivery.choices, default=Delivery.SELF_PACED
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class TrainingCompletion(models.Model):
    """A trainee finished a module: by working through it, or by attending (recorded by staff)."""

    application = models.ForeignKey(
        MentorApplication, on_delete=models.CASCADE, related_name="training_completions"
    )
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)
    minutes = models.PositiveIntegerField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reflection = EncryptedTextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "module"], name="mentors_trainingcompletion_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.module} completed"


class MentorProfile(Versioned):
    """A certified (or formerly certified) mentor: what people see, and what matching uses.

    Public fields are shown in the directory; when the mentor edits them, the change waits in
    ``pending_changes`` until a coordinator approves it. ``version`` counts saves of the edit
    page and decisions on pending changes, so an edit made against an older one (another tab,
    or a coordinator deciding meanwhile) is refused rather than silently undoing it.
    """

    PUBLIC_FIELDS = ("display_name", "bio", "specialisms", "gender", "show_gender")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="mentor_profiles"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profiles"
    )
    application = models.OneToOneField(
        MentorApplication, on_delete=models.PROTECT, related_name="profile"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_mentor_profiles",
    )

    display_name = models.CharField(max_length=80)
    bio = models.TextField(max_length=1200, blank=True)
    specialisms = models.CharField(max_length=300, blank=True)
    gender = models.CharField(max_length=40, blank=True)
    show_gender = models.BooleanField(default=False)
    year_of_birth = models.PositiveSmallIntegerField(null=True, blank=True)
    lived_experience_areas = models.ManyToManyField(
        "accounts.SupportArea", blank=True, related_name="+"
    )
    languages = models.ManyToManyField("accounts.Language", blank=True, related_name="+")
    formats = models.JSONField(default=list, blank=True)
    area = models.CharField(max_length=100, blank=True)
    travel_km = models.PositiveSmallIntegerField(default=0)
    capacity = models.PositiveSmallIntegerField(default=1)
    is_available = models.BooleanField(
        default=True, help_text="Switch off to pause taking new mentees."
    )

    pending_changes = models.JSONField(default=dict, blank=True)
    pending_since = models.DateTimeField(null=True, blank=True)

    certified_at = models.DateTimeField(null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    certification_expires_at = models.DateTimeField(null=True, blank=True)
    expiry_warned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="mentors_profile_one_per_org"
            ),
        ]
        indexes = [
            # The directory's order, for the mentors it may list: a page reads 24 entries
            # instead of sorting thousands.
            models.Index(
                fields=["organisation", "display_name", "id"],
                condition=models.Q(is_available=True, certified_at__isnull=False),
                name="mentors_profile_directory",
            ),
            # The supervision overview joins every mentor to their account and membership in
            # account order: this reads what it needs of each profile from the index alone.
            models.Index(
                fields=["user"],
                include=["organisation", "certified_at", "id", "display_name", "supervisor"],
                name="mentors_profile_by_user",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_certified(self) -> bool:
        return (
            self.certified_at is not None
            and self.certification_expires_at is not None
            and self.certification_expires_at > timezone.now()
        )


class AvailabilitySlot(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    profile = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, related_name="availability_slots"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField()
    ends_at = models.TimeField()

    class Meta:
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="mentors_slot_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class CpdRecord(models.Model):
    """Continuing education a certified mentor has done."""

    profile = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="cpd")
    done_on = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    description = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-done_on"]

    def __str__(self) -> str:
        return f"{self.hours} h: {self.description}"


class SupervisionKind(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One-to-one"
    GROUP = "group", "Group"


class SupervisionSession(ClientKeyed):
    """One supervision session with one mentor (a group session makes one for each). Sent twice
    with the same ``client_key``, it is recorded once."""

    profile = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, related_name="supervision_sessions"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    held_on = models.DateField()
    kind = models.CharField(max_length=20, choices=SupervisionKind.choices)
    topics = EncryptedTextField(blank=True)
    actions = EncryptedTextField(blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on"]
        # Each mentor's latest supervision (the overview, compliance).
        indexes = [models.Index(fields=["profile", "held_on"], name="mentors_supervision_latest")]
        constraints = [
            one_per_client_key("profile", name="mentors_one_supervision_session_per_client_key")
        ]

    def __str__(self) -> str:
        return f"Supervision on {self.held_on}"


class WellbeingCheckIn(ClientKeyed):
    """A mentor's own check-in: how they are coping, how heavy mentoring feels, whether they
    would like support. Low scores or a request for support notify their supervisor. Sent twice
    with the same ``client_key``, it is saved (and passed on) once."""

    profile = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, related_name="wellbeing_check_ins"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    coping = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 = struggling, 5 = coping well",
    )
    load = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 = very light, 5 = too much",
    )
    wants_support = models.BooleanField(default=False)
    note = EncryptedTextField(blank=True)
    supervisor_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(coping__gte=1, coping__lte=5, load__gte=1, load__lte=5),
                name="mentors_wellbeing_scores_in_range",
            ),
            one_per_client_key("profile", name="mentors_one_wellbeing_check_in_per_client_key"),
        ]

    def __str__(self) -> str:
        return f"Wellbeing check-in {self.submitted_at:%Y-%m-%d}"

    @property
    def needs_attention(self) -> bool:
        return self.wants_support or self.coping <= 2 or self.load >= 5


class MentorRequestStatus(models.TextChoices):
    OPEN = "open", "Waiting for the coordinator"
    NOTED = "noted", "Noted by the coordinator"
    WITHDRAWN = "withdrawn", "Withdrawn"


class MentorRequest(models.Model):
    """A mentee asking for a particular mentor. It goes to the coordinator, who stays in
    control of matching; the mentor is not told."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="mentor_requests"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_requests"
    )
    profile = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="requests")
    note = EncryptedTextField(blank=True)
    status = models.CharField(
        max_length=20, choices=MentorRequestStatus.choices, default=MentorRequestStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "profile"],
                condition=models.Q(status="open"),
                name="mentors_request_one_open_per_mentor",
            ),
        ]

    def __str__(self) -> str:
        return f"Request for {self.profile}"
