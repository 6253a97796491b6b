"""What the referrals API takes in and gives back. A partner sends a whole referral but only ever
sees its status; coordinators see triage fields, and contact details only one referral at a
time. Nobody gets the person's own words (hopes) back through the API."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Language, SupportArea
from mentors.models import Format
from mentors.selectors import support_areas
from referrals.availability import SLOT_CHOICES
from referrals.models import Importance, Referral, SafeNow, Source, Urgency
from referrals.rules import OLDEST_AGE, YOUNGEST_AGE
from safeguarding.models import CrisisResource
from safeguarding.selectors import crisis_resources_for

PARTNER_SOURCES = [(value, label) for value, label in Source.choices if value != Source.SELF]


def _enum_schema(choices: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "type": "string",
        "enum": [value for value, _ in choices],
        "description": "\n".join(f"* `{value}` - {label}" for value, label in choices),
    }


class _NamedChoiceField(serializers.ChoiceField):
    """A choice field the schema shows as one named enum, however many fields use it (the
    schema's automatic enum naming stumbles over one choice set under several field names)."""

    choice_set: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(self.choice_set, **kwargs)


@extend_schema_field(_enum_schema(Format.choices), component_name="FormatEnum")
class FormatChoice(_NamedChoiceField):
    choice_set = Format.choices


@extend_schema_field(_enum_schema(Importance.choices), component_name="ImportanceEnum")
class ImportanceChoice(_NamedChoiceField):
    choice_set = Importance.choices


@extend_schema_field(_enum_schema(PARTNER_SOURCES), component_name="PartnerSourceEnum")
class PartnerSourceChoice(_NamedChoiceField):
    choice_set = PARTNER_SOURCES


class _CaseInsensitiveSlugField(serializers.SlugRelatedField[Any]):
    """A name or code looked up without regard to case, so "anxiety" finds "Anxiety"."""

    def to_internal_value(self, data: Any) -> Any:
        # A NUL byte cannot even be looked up on PostgreSQL (DataError): refuse it as invalid.
        if not isinstance(data, str) or not data.strip() or "\x00" in data:
            self.fail("invalid")
        queryset = self.get_queryset()
        assert queryset is not None
        found = queryset.filter(**{f"{self.slug_field}__iexact": data.strip()}).first()
        if found is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return found


class SupportAreaNameField(_CaseInsensitiveSlugField):
    """One of the organisation's active support areas, by name."""

    default_error_messages = {
        "does_not_exist": 'This organisation has no support area called "{value}".',
        "invalid": "Give the support area's name as text.",
    }

    def get_queryset(self) -> QuerySet[SupportArea]:
        organisation = self.context.get("organisation")
        if organisation is None:
            return SupportArea.objects.none()
        return support_areas(organisation)


class LanguageCodeField(_CaseInsensitiveSlugField):
    default_error_messages = {
        "does_not_exist": 'There is no language with the code "{value}".',
        "invalid": "Give the language's code as text, for example en.",
    }


class ReferralCreateSerializer(serializers.ModelSerializer[Referral]):
    """A referral from a partner: the same questions as the partner form. Give an email address
    or a phone number; consent_confirmed must be true."""

    # Only the shape of each answer is checked here; the rules (consent, a way to reach the
    # person, crisis screen, duplicates) live in referral_create, shared with the pages.
    # DRF's metaclass takes declared fields off the class, so this does not replace Field.source.
    source = PartnerSourceChoice(help_text="Who is making the referral.")  # type: ignore[assignment]
    safe_now = serializers.ChoiceField(
        choices=SafeNow.choices,
        help_text="Whether the person says they are safe right now. 'no' or 'unsure' marks the "
        "referral urgent and the response lists crisis resources to share with them.",
    )
    support_areas = SupportAreaNameField(
        many=True,
        required=False,
        slug_field="name",
        queryset=SupportArea.objects.none(),
        help_text="Names of the organisation's support areas (case does not matter). An unknown "
        "name is refused with a 400 that names it.",
    )
    hopes = serializers.CharField(
        max_length=3000,
        required=False,
        allow_blank=True,
        help_text="What they hope to get from mentoring, in their words. Coordinators read it; "
        "it is never sent back through the API.",
    )
    languages = LanguageCodeField(
        many=True,
        required=False,
        slug_field="code",
        queryset=Language.objects.all(),
        help_text="Language codes, for example en or pl.",
    )
    formats = serializers.ListField(
        child=FormatChoice(),
        required=False,
        help_text="Ways the person would like to meet.",
    )
    availability_slots = serializers.ListField(
        child=serializers.ChoiceField(choices=SLOT_CHOICES),
        required=False,
        help_text="Parts of the week that suit them, for example mon_evening.",
    )
    mentor_gender_importance = ImportanceChoice(required=False)
    mentor_age_importance = ImportanceChoice(required=False)
    shared_experience_importance = ImportanceChoice(required=False)
    year_of_birth = serializers.IntegerField(required=False, allow_null=True)
    mentor_age_min = serializers.IntegerField(
        min_value=YOUNGEST_AGE, max_value=OLDEST_AGE, required=False, allow_null=True
    )
    mentor_age_max = serializers.IntegerField(
        min_value=YOUNGEST_AGE, max_value=OLDEST_AGE, required=False, allow_null=True
    )
    consent_confirmed = serializers.BooleanField(
        help_text="You confirm the person agreed to this referral after reading what peer "
        "mentoring is and is not. Must be true."
    )

    class Meta:
        model = Referral
        fields = [
            "full_name",
            "preferred_name",
            "email",
            "phone",
            "year_of_birth",
            "gender",
            "voicemail_ok",
            "email_ok",
            "text_ok",
            "best_time_to_contact",
            "safe_now",
            "support_areas",
            "hopes",
            "languages",
            "formats",
            "area",
            "availability_slots",
            "availability",
            "mentor_gender",
            "mentor_gender_importance",
            "mentor_age_min",
            "mentor_age_max",
            "mentor_age_importance",
            "shared_experience_importance",
            "source",
            "referrer_organisation_name",
            "consent_confirmed",
        ]

    def validate_formats(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    def validate_availability_slots(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class CrisisResourceSerializer(serializers.ModelSerializer[CrisisResource]):
    class Meta:
        model = CrisisResource
        fields = [
            "name",
            "description",
            "phone",
            "text_number",
            "text_keyword",
            "website",
            "hours",
            "is_emergency",
        ]


class ReferralReceiptSerializer(serializers.ModelSerializer[Referral]):
    """What a partner's system gets back after sending a referral."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    urgent = serializers.SerializerMethodField(
        help_text="The person may not be safe right now; coordinators have been told."
    )
    crisis_resources = serializers.SerializerMethodField(
        help_text="Empty unless the referral is urgent: then the organisation's crisis "
        "resources, emergency ones first, to show the person straight away."
    )

    class Meta:
        model = Referral
        fields = ["id", "status", "status_label", "urgent", "created_at", "crisis_resources"]
        read_only_fields = fields

    def get_urgent(self, referral: Referral) -> bool:
        return referral.urgency == Urgency.URGENT

    @extend_schema_field(CrisisResourceSerializer(many=True))
    def get_crisis_resources(self, referral: Referral) -> list[dict[str, Any]]:
        if not self.get_urgent(referral):
            return []
        resources = crisis_resources_for(referral.organisation)
        return list(CrisisResourceSerializer(resources, many=True).data)


class ReferralStatusSerializer(serializers.ModelSerializer[Referral]):
    """A referral as the partner who made it sees it: its status and nothing about the person."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "status", "status_label", "source", "created_at", "status_changed_at"]
        read_only_fields = fields


class ReferralTriageSerializer(serializers.ModelSerializer[Referral]):
    """A referral in the coordinator's queue: enough to decide what to do next, without contact
    details or anything the person wrote."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    urgency_reasons = serializers.SerializerMethodField(
        help_text="Why it is urgent, as short labels."
    )
    waiting_days = serializers.SerializerMethodField(
        help_text="Whole days since the referral was made."
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "status",
            "status_label",
            "source",
            "referrer_organisation_name",
            "urgency",
            "urgency_reasons",
            "created_at",
            "status_changed_at",
            "waiting_days",
            "possible_duplicate_of",
        ]
        read_only_fields = fields

    def get_urgency_reasons(self, referral: Referral) -> list[str]:
        return [reason.strip() for reason in referral.urgency_reasons.split(",") if reason.strip()]

    def get_waiting_days(self, referral: Referral) -> int:
        return (timezone.now() - referral.created_at).days


class ReferralTriageDetailSerializer(ReferralTriageSerializer):
    """One referral for its coordinator: triage fields plus how to reach the person safely and
    what they asked for. Their own words stay on the referral page."""

    support_areas: serializers.SlugRelatedField[SupportArea] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name"
    )
    languages: serializers.SlugRelatedField[Language] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )
    formats = serializers.ListField(child=FormatChoice(), read_only=True)
    availability_slots = serializers.ListField(
        child=serializers.ChoiceField(choices=SLOT_CHOICES), read_only=True
    )
    mentor_gender_importance = ImportanceChoice(read_only=True)
    mentor_age_importance = ImportanceChoice(read_only=True)
    shared_experience_importance = ImportanceChoice(read_only=True)

    class Meta(ReferralTriageSerializer.Meta):
        fields = read_only_fields = [
            *ReferralTriageSerializer.Meta.fields,
            "safe_now",
            "full_name",
            "preferred_name",
            "email",
            "phone",
            "voicemail_ok",
            "email_ok",
            "text_ok",
            "best_time_to_contact",
            "year_of_birth",
            "gender",
            "support_areas",
            "languages",
            "formats",
            "area",
            "availability_slots",
            "availability",
            "mentor_gender",
            "mentor_gender_importance",
            "mentor_age_min",
            "mentor_age_max",
            "mentor_age_importance",
            "shared_experience_importance",
        ]
