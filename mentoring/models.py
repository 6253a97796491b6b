"""The mentoring relationship: one mentor alongside one mentee, for a planned length of time."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from alongside.concurrency import ClientKeyed, Versioned
from alongside.fields import EncryptedTextField


class RelationshipStatus(models.TextChoices):
    INTRODUCTION = "introduction", "Introduction planned"
    ACTIVE = "active", "Active"
    CLOSING = "closing", "Planned ending under way"
    ENDED = "ended", "Ended"

    @classmethod
    def current(cls) -> list[RelationshipStatus]:
        """Statuses that take up a place in the mentor's capacity."""
        return [cls.INTRODUCTION, cls.ACTIVE, cls.CLOSING]


class EndKind(models.TextChoices):
    PLANNED = "planned", "Planned ending"
    UNPLANNED = "unplanned", "Unplanned ending"


class EndReason(models.TextChoices):
    """Why a relationship ended. The first two are planned endings; the rest are not."""

    END_DATE_REACHED = "end_date_reached", "The planned length was reached"
    GOALS_MET = "goals_met", "The mentee's goals were met"
    MOVED_AWAY = "moved_away", "The mentee moved away"
    STOPPED_ENGAGING = "stopped_engaging", "The mentee stopped taking part"
    MENTEE_CHOSE = "mentee_chose", "The mentee chose to stop"
    MENTOR_LEFT = "mentor_left", "The mentor left the programme"
    REMATCH = "rematch", "Rematched with another mentor"
    SAFEGUARDING = "safeguarding", "Referred on for more support"
    OTHER = "other", "Another reason"

    @classmethod
    def planned(cls) -> list[EndReason]:
        return [cls.END_DATE_REACHED, cls.GOALS_MET]


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

    # Set when both people acknowledge the first agreement (the relationship becomes active).
    activated_at = models.DateTimeField(null=True, blank=True)
    planned_sessions = models.PositiveSmallIntegerField(null=True, blank=True)
    planned_end_on = models.DateField(null=True, blank=True)

    # The ending.
    closing_started_at = models.DateTimeField(null=True, blank=True)
    end_kind = models.CharField(max_length=20, choices=EndKind.choices, blank=True)
    end_reason = models.CharField(max_length=30, choices=EndReason.choices, blank=True)
    end_note = EncryptedTextField(blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    exit_conversation_held = models.BooleanField(default=False)

    # Set when the coordinator was told about missed sessions in a row, so they are told once
    # per run of missed sessions; cleared when a session is held.
    missed_alert_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="mentoring_rel_org_status"),
            # Reports: relationships started or ended in a period, a referral's or mentor's first.
            models.Index(fields=["organisation", "started_at"], name="mentoring_rel_org_started"),
            models.Index(fields=["organisation", "ended_at"], name="mentoring_rel_org_ended"),
            models.Index(fields=["referral", "started_at"], name="mentoring_rel_referral"),
            models.Index(fields=["mentor", "started_at"], name="mentoring_rel_mentor"),
            # Each mentor's current mentees (places left, the directory, matching).
            models.Index(fields=["mentor", "status"], name="mentoring_rel_mentor_status"),
            # Places taken: the current relationships alone, grouped by mentor from the index.
            models.Index(
                fields=["mentor"],
                condition=models.Q(status__in=["introduction", "active", "closing"]),
                name="mentoring_rel_current_mentor",
            ),
            # Rows of other tables joined to the organisation's relationships, from the index.
            models.Index(fields=["organisation", "id"], name="mentoring_rel_org_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(status__in=["introduction", "active", "closing"]),
                name="mentoring_one_current_relationship_per_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"Relationship {self.pk} ({self.get_status_display()})"

    @property
    def is_current(self) -> bool:
        return self.status in RelationshipStatus.current()

    @property
    def is_ended(self) -> bool:
        return self.status == RelationshipStatus.ENDED


# Shared by records two people can edit, and records a double-click could create twice. ---------


def _one_per_key(model: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["relationship", "client_key"],
        condition=~models.Q(client_key=""),
        name=f"mentoring_{model}_one_per_client_key",
    )


# The programme's settings ------------------------------------------------------------------------


class MentoringSettings(models.Model):
    """What an organisation's relationships start from. Each agreement can change its own."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="mentoring_settings"
    )
    planned_sessions = models.PositiveSmallIntegerField(default=12)
    planned_weeks = models.PositiveSmallIntegerField(default=26)
    reply_within_hours = models.PositiveSmallIntegerField(default=48)
    contact_from = models.TimeField(default=time(9))
    contact_until = models.TimeField(default=time(20))
    session_reminder_hours = models.PositiveSmallIntegerField(default=24)
    missed_sessions_alert = models.PositiveSmallIntegerField(
        default=3, help_text="Tell the coordinator after this many missed sessions in a row."
    )
    follow_up_weeks = models.PositiveSmallIntegerField(
        default=12, help_text="When to check in with the mentee after the relationship ends."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "mentoring settings"

    def __str__(self) -> str:
        return f"Mentoring settings for {self.organisation}"


# Agreement ---------------------------------------------------------------------------------------


class MeetingFrequency(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Once a month"


class ContactChannel(models.TextChoices):
    MESSAGES = "messages", "Messages in Alongside"
    SESSION_CALLS = "session_calls", "Phone or video calls at the session times we arrange"


class Agreement(models.Model):
    """What the pair agree at their first meeting. A change is a new version; both people
    acknowledge each version in the app. The newest version is the one that applies."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="agreements"
    )
    version = models.PositiveSmallIntegerField(default=1)
    goals_in_own_words = EncryptedTextField(
        help_text="What the mentee hopes to work on, in their own words."
    )
    meeting_frequency = models.CharField(max_length=20, choices=MeetingFrequency.choices)
    meeting_format = models.CharField(max_length=20)
    usual_slot = models.CharField(max_length=20, blank=True)
    usual_slot_note = models.CharField(max_length=200, blank=True)
    contact_channels = models.JSONField(default=list)
    contact_days = models.JSONField(default=list, help_text="Weekdays, 0 = Monday.")
    contact_from = models.TimeField()
    contact_until = models.TimeField()
    reply_within_hours = models.PositiveSmallIntegerField()
    planned_sessions = models.PositiveSmallIntegerField()
    planned_end_on = models.DateField()
    anything_else = EncryptedTextField(blank=True)
    statement_version = models.CharField(max_length=20)
    change_note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    mentor_acknowledged_at = models.DateTimeField(null=True, blank=True)
    mentee_acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "version"], name="mentoring_agreement_one_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement version {self.version}"

    @property
    def is_acknowledged(self) -> bool:
        return self.mentor_acknowledged_at is not None and self.mentee_acknowledged_at is not None


# Sessions ----------------------------------------------------------------------------------------


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Happened"
    CANCELLED_BY_MENTOR = "cancelled_by_mentor", "Cancelled by the mentor"
    CANCELLED_BY_MENTEE = "cancelled_by_mentee", "Cancelled by the mentee"
    NO_SHOW = "no_show", "Did not happen (no-show)"

    @classmethod
    def missed(cls) -> list[SessionStatus]:
        return [cls.CANCELLED_BY_MENTOR, cls.CANCELLED_BY_MENTEE, cls.NO_SHOW]


class MentoringSession(Versioned, ClientKeyed):
    """One meeting of the pair: planned, then logged by the mentor afterwards.

    ``summary`` is shared with the mentee; ``private_notes`` are for the mentor and their
    supervisor only; ``concern`` puts the session in front of the supervisor."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="sessions"
    )
    scheduled_for = models.DateTimeField()
    planned_minutes = models.PositiveSmallIntegerField(default=60)
    format = models.CharField(max_length=20)
    place = models.CharField(max_length=300, blank=True, help_text="Where, or the video link.")
    is_final = models.BooleanField(default=False)
    status = models.CharField(
        max_length=30, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ics_sequence = models.PositiveSmallIntegerField(default=0)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    # The mentor's log.
    length_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    topics = EncryptedTextField(blank=True)
    skills_shared = EncryptedTextField(blank=True)
    summary = EncryptedTextField(blank=True)
    private_notes = EncryptedTextField(blank=True)
    mood_before = models.PositiveSmallIntegerField(null=True, blank=True)
    mood_after = models.PositiveSmallIntegerField(null=True, blank=True)
    concern = models.BooleanField(default=False)
    concern_seen_at = models.DateTimeField(null=True, blank=True)
    concern_seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    logged_at = models.DateTimeField(null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # The mentee's side.
    mentee_reflection = EncryptedTextField(blank=True)
    mentee_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    reflected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheduled_for", "pk"]
        indexes = [
            models.Index(fields=["relationship", "scheduled_for"], name="mentoring_session_rel"),
            models.Index(fields=["status", "scheduled_for"], name="mentoring_session_due"),
            # Reports: sessions scheduled in a period, whatever their status.
            models.Index(fields=["scheduled_for"], name="mentoring_session_when"),
            # Reports: sessions held by each relationship, read from the index alone.
            models.Index(fields=["relationship", "status"], name="mentoring_session_rel_status"),
        ]
        constraints = [_one_per_key("session")]

    def __str__(self) -> str:
        return f"Session on {self.scheduled_for:%Y-%m-%d %H:%M}"


# Goals and steps ---------------------------------------------------------------------------------


class GoalStatus(models.TextChoices):
    ACTIVE = "active", "Working on it"
    REACHED = "reached", "Reached"
    SET_ASIDE = "set_aside", "Set aside for now"


class Goal(Versioned, ClientKeyed):
    """A goal the mentee owns: only the mentee creates, changes or closes it."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="goals")
    title = EncryptedTextField()
    why_it_matters = EncryptedTextField(blank=True)
    status = models.CharField(max_length=20, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    reached_at = models.DateTimeField(null=True, blank=True)
    how_it_went = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [_one_per_key("goal")]

    def __str__(self) -> str:
        return f"Goal {self.pk}"


class Step(Versioned, ClientKeyed):
    """A step the mentee chose towards a goal (perhaps from a mentor's suggestion)."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="steps")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = EncryptedTextField()
    position = models.PositiveSmallIntegerField(default=0)
    from_suggestion = models.ForeignKey(
        "StepSuggestion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    how_it_went = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "created_at", "pk"]
        constraints = [_one_per_key("step")]

    def __str__(self) -> str:
        return f"Step {self.pk}"


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Waiting for the mentee"
    TAKEN = "taken", "Taken up as a step"
    NOT_NOW = "not_now", "Not for now"


class StepSuggestion(ClientKeyed):
    """A step the mentor suggests. It becomes a step only if the mentee takes it up."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="step_suggestions"
    )
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="suggestions")
    text = EncryptedTextField()
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    suggested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=20, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["suggested_at", "pk"]
        constraints = [_one_per_key("suggestion")]

    def __str__(self) -> str:
        return f"Suggestion {self.pk}"


class StrengthNote(ClientKeyed):
    """ "Strengths I see in you": written by the mentor, kept by the mentee for good."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="strengths"
    )
    text = EncryptedTextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at", "pk"]
        constraints = [_one_per_key("strength")]

    def __str__(self) -> str:
        return f"Strength note {self.pk}"


class MilestoneKind(models.TextChoices):
    AGREEMENT = "agreement", "You made your agreement"
    FIRST_STEP = "first_step", "You completed your first step"
    GOAL_REACHED = "goal_reached", "You reached a goal"
    HALFWAY = "halfway", "You are halfway through your mentoring"
    PLAN_READY = "plan_ready", "Your wellbeing plan is ready"


class Milestone(models.Model):
    """A moment worth celebrating. ``key`` makes each one happen once (per goal where it is
    about a goal); ``seen_at`` is when the mentee saw the celebration."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(max_length=20, choices=MilestoneKind.choices)
    key = models.CharField(max_length=40)
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reached_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["reached_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "key"], name="mentoring_milestone_once"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


# Messages ----------------------------------------------------------------------------------------


class Message(ClientKeyed):
    """A message between the pair, inside the app only. Sent outside the agreed hours, it still
    arrives, and the sender is told when a reply can be expected."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField()
    sent_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    outside_hours = models.BooleanField(default=False)
    reply_expected_by = models.DateTimeField(null=True, blank=True)
    risk_level = models.CharField(max_length=20, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        indexes = [models.Index(fields=["relationship", "sent_at"], name="mentoring_message_rel")]
        constraints = [_one_per_key("message")]

    def __str__(self) -> str:
        return f"Message {self.pk}"


# Coordinator check-ins ---------------------------------------------------------------------------


class CheckInPerson(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"


class CheckInKind(models.TextChoices):
    REGULAR = "regular", "Regular check-in"
    FOLLOW_UP = "follow_up", "Follow-up after the ending"


class CheckInStatus(models.TextChoices):
    DUE = "due", "Due"
    DONE = "done", "Done"
    NOT_NEEDED = "not_needed", "No longer needed"


class CheckIn(Versioned, ClientKeyed):
    """A coordinator's check-in with the mentor or the mentee: twice in the first month, then
    monthly, and a follow-up with the mentee after the ending."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="check_ins"
    )
    # The relationship's organisation, copied when the check-in is made (a relationship never
    # moves), so that a national programme's due check-ins are listed and counted from one
    # index rather than joined to every relationship it ever had.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", editable=False
    )
    person = models.CharField(max_length=10, choices=CheckInPerson.choices)
    kind = models.CharField(max_length=20, choices=CheckInKind.choices, default=CheckInKind.REGULAR)
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=CheckInStatus.choices, default=CheckInStatus.DUE
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    method = models.CharField(max_length=20, blank=True)
    how_it_is_going = EncryptedTextField(blank=True)
    concerns = EncryptedTextField(blank=True)
    actions = EncryptedTextField(blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="mentoring_checkin_due"),
            # Compliance: each relationship's regular check-ins, overdue or in the first month.
            models.Index(fields=["relationship", "kind", "due_on"], name="mentoring_checkin_rel"),
            # Each relationship's check-ins still to do.
            models.Index(
                fields=["relationship", "due_on"],
                condition=models.Q(status="due"),
                name="mentoring_checkin_rel_due",
            ),
            # The organisation's check-ins still to do, soonest first: the staff list is a
            # page of this index, and its count reads the index alone.
            models.Index(
                fields=["organisation", "due_on", "id"],
                condition=models.Q(status="due"),
                name="mentoring_checkin_org_due",
            ),
        ]
        constraints = [_one_per_key("checkin")]

    def __str__(self) -> str:
        return f"Check-in with the {self.person} due {self.due_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.organisation_id is None:
            self.organisation_id = self.relationship.organisation_id
        super().save(*args, **kwargs)


# Challenges --------------------------------------------------------------------------------------


class ConcernTopic(models.TextChoices):
    COMMUNICATION = "communication", "Communication"
    EXPECTATIONS = "expectations", "Expectations"
    BOUNDARIES = "boundaries", "Boundaries"
    OTHER = "other", "Something else"


class ConcernRequest(models.TextChoices):
    TALK = "talk", "I would like to talk it through with the coordinator"
    MEDIATION = "mediation", "I would like a meeting with both of us and the coordinator"
    REMATCH = "rematch", "I would like a different mentor or mentee"


class ConcernOutcome(models.TextChoices):
    TALKED_THROUGH = "talked_through", "Talked it through"
    MEDIATION_HELD = "mediation_held", "Mediation meeting held"
    AGREEMENT_CHANGED = "agreement_changed", "The agreement was changed"
    REMATCHED = "rematched", "Rematched"
    ENDED = "ended", "The relationship ended"
    NO_ACTION = "no_action", "No action needed"


class Concern(ClientKeyed):
    """A challenge raised privately with the coordinator by one of the pair. The other person
    never sees it."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="concerns"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_by_role = models.CharField(max_length=10, choices=CheckInPerson.choices)
    topic = models.CharField(max_length=20, choices=ConcernTopic.choices)
    request = models.CharField(max_length=20, choices=ConcernRequest.choices)
    details = EncryptedTextField()
    raised_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=30, choices=ConcernOutcome.choices, blank=True)
    outcome_note = EncryptedTextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "pk"]
        constraints = [_one_per_key("concern")]

    def __str__(self) -> str:
        return f"Concern {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


# The ending --------------------------------------------------------------------------------------


class WellbeingPlan(Versioned):
    """The plan the mentee keeps: what helps, their toolkit, their people and places, early
    warning signs and what they will do. The mentee writes it; the mentor can help."""

    relationship = models.OneToOneField(
        Relationship, on_delete=models.CASCADE, related_name="wellbeing_plan"
    )
    what_helps = EncryptedTextField(blank=True)
    my_toolkit = EncryptedTextField(blank=True)
    my_people_and_places = EncryptedTextField(blank=True)
    warning_signs = EncryptedTextField(blank=True)
    what_i_will_do = EncryptedTextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ready_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Wellbeing plan for relationship {self.relationship_id}"


class ExitSurvey(models.Model):
    """Sent to both people when the relationship ends; answering is optional."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="exit_surveys"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(max_length=10, choices=CheckInPerson.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    overall = models.PositiveSmallIntegerField(null=True, blank=True)
    what_helped = EncryptedTextField(blank=True)
    could_be_better = EncryptedTextField(blank=True)
    would_recommend = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "respondent"], name="mentoring_exit_survey_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Exit survey {self.pk}"
