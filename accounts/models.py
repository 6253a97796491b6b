"""People, the organisations they belong to, and the role they hold in each."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils import timezone


class Role(models.TextChoices):
    MENTEE = "mentee", "Mentee"
    MENTOR = "mentor", "Mentor"
    SUPERVISOR = "supervisor", "Supervisor"
    COORDINATOR = "coordinator", "Coordinator"
    ADMIN = "admin", "Administrator"
    REFERRER = "referrer", "Referrer"

    @classmethod
    def staff_roles(cls) -> frozenset[Role]:
        """Roles that see other people's records, and so must use two-factor authentication."""
        return frozenset({cls.SUPERVISOR, cls.COORDINATOR, cls.ADMIN})


class Organisation(models.Model):
    """A charity, clinic or community group running one programme; nothing crosses organisations."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SupportArea(models.Model):
    """An area of mental health an organisation supports (anxiety, grief, psychosis...).

    The same list describes a mentor's lived experience and what a mentee wants support with.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="support_areas"
    )
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="accounts_supportarea_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    """A language people can be supported in (shared by every organisation)."""

    code = models.CharField(max_length=12, unique=True, help_text="BCP 47 tag, e.g. 'en', 'pl'.")
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(
        max_length=150, blank=True, help_text="The name this person would like to be called."
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Can open the technical Django admin site (platform operators)."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]
        indexes = [
            # The People pages list members by this name (accounts/views_people.py): a page of
            # 25 reads the index instead of sorting every account.
            models.Index(
                Lower(Coalesce(NullIf("name", models.Value("")), "email")),
                "email",
                name="accounts_user_sort_name",
            ),
            # Lists of mentors keep those whose account is active (the directory, matching's
            # mentors with a place): joined through this index alone, 11,000 mentors' accounts
            # are checked in a few milliseconds without reading each account's row.
            models.Index(
                fields=["id"], condition=models.Q(is_active=True), name="accounts_user_active"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        """First name for a friendly greeting ("Hello Sam"), falling back to the email's name."""
        return self.name.split()[0] if self.name.strip() else self.email.split("@")[0]


class Membership(models.Model):
    """The role a person holds in one organisation; a person may belong to several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    is_data_protection_lead = models.BooleanField(
        default=False,
        help_text="Answers for the organisation's handling of personal data: can search the "
        "audit trail and is told when someone uses emergency access.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="accounts_membership_one_role_per_org"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_membership_role_valid"
            ),
        ]
        indexes = [
            # The organisation's people with one role: supervisors to choose a team from, the
            # People page's filter, the duty rota's staff.
            models.Index(fields=["organisation", "role"], name="accounts_membership_org_role"),
        ]
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"

    @property
    def is_staff_role(self) -> bool:
        return self.role in Role.staff_roles()


class ApiToken(models.Model):
    """A partner system's credential. Only a hash of the key is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What this token is for, e.g. 'GP system'.")
    prefix = models.CharField(
        max_length=12, help_text="First characters of the key, to tell keys apart."
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
