"""The coping-skills toolkit (a library of skills, mentors' own strategies, each mentee's personal
toolkit and practice log) and the directory of community resources people can turn to, during
mentoring and after it ends."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from alongside.concurrency import ClientKeyed, Versioned
from alongside.fields import EncryptedTextField


class SkillTag(models.TextChoices):
    STRESS = "stress", "Stress"
    SLEEP = "sleep", "Sleep"
    PANIC = "panic", "Panic"
    LOW_MOOD = "low_mood", "Low mood"
    TIME_MANAGEMENT = "time_management", "Time management"
    PROBLEM_SOLVING = "problem_solving", "Problem solving"
    SOCIAL_CONNECTION = "social_connection", "Social connection"
    MINDFULNESS = "mindfulness", "Mindfulness"


TAG_LABELS: dict[str, str] = dict(SkillTag.choices)


class SkillKind(models.TextChoices):
    COPING = "coping", "Coping skill"
    LIFE = "life", "Life skill"


class SkillStatus(models.TextChoices):
    """Library skills are for everyone in the programme. A mentor's own strategy is shared only
    with their mentees until a coordinator approves it for the library."""

    LIBRARY = "library", "In the library"
    MENTOR_OWN = "mentor_own", "A mentor's own strategy"
    PROPOSED = "proposed", "Suggested for the library"
    RETIRED = "retired", "No longer offered"


class Skill(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="skills"
    )
    title = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=SkillKind.choices, default=SkillKind.COPING)
    why_it_helps = models.TextField(max_length=600)
    steps = models.JSONField(default=list, help_text="The instructions, one step per entry.")
    minutes = models.PositiveSmallIntegerField(help_text="About how long it takes.")
    tags = models.JSONField(default=list, blank=True, help_text="SkillTag values.")
    accessibility_notes = models.TextField(max_length=600, blank=True)
    status = models.CharField(
        max_length=20, choices=SkillStatus.choices, default=SkillStatus.LIBRARY
    )
    # Set for a mentor's own strategy: the mentor who wrote it from their experience.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The starter library's key for skills shipped with Alongside ("" for everything else).
    starter_key = models.SlugField(max_length=60, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["organisation", "status"], name="toolkit_skill_org_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "starter_key"],
                condition=~models.Q(starter_key=""),
                name="toolkit_one_starter_skill_per_org",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_labels(self) -> list[str]:
        """The skill's tags in words ("Low mood"); a tag no longer offered shows as stored."""
        return [TAG_LABELS.get(tag, tag) for tag in self.tags]


class ToolkitEntry(Versioned, ClientKeyed):
    """A skill in one mentee's personal toolkit: shared by their mentor, or saved by themselves.
    ``version`` counts changes to the note; ``client_key`` is the share form that last wrote it,
    so sending that form twice changes nothing."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="toolkit_entries"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="toolkit_entries")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    relationship = models.ForeignKey(
        "mentoring.Relationship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="toolkit_entries",
    )
    session = models.ForeignKey(
        "mentoring.MentoringSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="toolkit_entries",
    )
    note = EncryptedTextField(blank=True, help_text="A line from the mentor about why this one.")
    # Who wrote the note (a later share by someone else may replace it).
    note_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-added_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "skill"], name="toolkit_one_entry_per_skill"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} in a toolkit"


class Practice(models.Model):
    """One time the mentee tried a skill, and how helpful it was for them."""

    entry = models.ForeignKey(ToolkitEntry, on_delete=models.CASCADE, related_name="practices")
    practised_on = models.DateField(default=timezone.localdate)
    helpfulness = models.PositiveSmallIntegerField(help_text="1 (not helpful) to 5 (very).")
    note = EncryptedTextField(blank=True)
    client_key = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-practised_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(helpfulness__gte=1, helpfulness__lte=5),
                name="toolkit_helpfulness_1_to_5",
            ),
            models.UniqueConstraint(
                fields=["entry", "client_key"],
                condition=~models.Q(client_key=""),
                name="toolkit_one_practice_per_client_key",
            ),
        ]

    def __str__(self) -> str:
        return f"Practice of {self.entry.skill}"


class ToolkitPreferences(models.Model):
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="toolkit_preferences"
    )
    weekly_nudge = models.BooleanField(
        default=True, help_text="A gentle weekly email suggesting a skill from your toolkit."
    )
    last_nudged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "toolkit preferences"

    def __str__(self) -> str:
        return f"Toolkit preferences of {self.person}"


# Community resources -----------------------------------------------------------------------------


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online or by phone"
    BOTH = "both", "In person and online"


class Cost(models.TextChoices):
    FREE = "free", "Free"
    LOW = "low", "Low cost"
    PAID = "paid", "Paid"
    VARIES = "varies", "Varies"


class CommunityResource(models.Model):
    """A support group, community organisation or service people can go to, now or after
    mentoring ends. Kept by coordinators; checked at least yearly."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="community_resources"
    )
    name = models.CharField(max_length=150)
    offers = models.TextField(max_length=800, help_text="What it offers.")
    who_for = models.CharField(max_length=300, help_text="Who it is for.")
    needs = models.ManyToManyField(
        "accounts.SupportArea", blank=True, related_name="community_resources"
    )
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    how_to_contact = models.CharField(max_length=300, blank=True)
    opening_times = models.CharField(max_length=200, blank=True)
    cost = models.CharField(max_length=10, choices=Cost.choices, default=Cost.FREE)
    cost_detail = models.CharField(max_length=150, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.IN_PERSON)
    area = models.CharField(max_length=100, blank=True, help_text="Town or area it serves.")
    address = models.CharField(max_length=250, blank=True)
    last_checked_on = models.DateField(default=timezone.localdate)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["organisation", "is_active", "name"], name="toolkit_resource_org"),
            models.Index(
                fields=["organisation", "last_checked_on"], name="toolkit_resource_checked"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Recommendation(Versioned, ClientKeyed):
    """A mentor (or coordinator) recommends a community resource to a mentee; it stays in the
    mentee's list and flows into their wellbeing plan. ``version`` counts changes to the note;
    ``client_key`` is the recommend form that last wrote it, so sending it twice changes
    nothing."""

    resource = models.ForeignKey(
        CommunityResource, on_delete=models.CASCADE, related_name="recommendations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_recommendations"
    )
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    relationship = models.ForeignKey(
        "mentoring.Relationship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resource_recommendations",
    )
    note = EncryptedTextField(blank=True)
    # Who wrote the note (a later recommendation by someone else may replace it).
    note_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "person"], name="toolkit_one_recommendation_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} recommended"
