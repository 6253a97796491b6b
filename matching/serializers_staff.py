"""What the coordinators' matching API gives back: runs, proposals and suggestions, with ids,
scores and reasons but no names or contact details of the people waiting."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from matching.models import MatchProposal, MatchRun, Origin, ProposalStatus, RunStatus


def _enum_schema(choices: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "type": "string",
        "enum": [value for value, _ in choices],
        "description": "\n".join(f"* `{value}` - {label}" for value, label in choices),
    }


@extend_schema_field(_enum_schema(RunStatus.choices), component_name="MatchRunStatusEnum")
class RunStatusField(serializers.CharField):
    """A run's status, named in the schema so it is not confused with a proposal's."""


@extend_schema_field(_enum_schema(ProposalStatus.choices), component_name="MatchProposalStatusEnum")
class ProposalStatusField(serializers.CharField):
    """A proposal's status (the referrals API has a "status" of its own)."""


@extend_schema_field(_enum_schema(Origin.choices), component_name="MatchOriginEnum")
class OriginField(serializers.CharField):
    """Where a proposal came from: a run, suggestions, or the mentee's request."""


class UnmatchedSerializer(serializers.Serializer[dict[str, Any]]):
    referral = serializers.IntegerField(help_text="The referral that could not be matched.")
    reason = serializers.CharField(help_text="Why, in plain words.")


class MatchRunSerializer(serializers.ModelSerializer[MatchRun]):
    status = RunStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    unmatched = UnmatchedSerializer(many=True, read_only=True)

    class Meta:
        model = MatchRun
        fields = [
            "id",
            "status",
            "status_label",
            "progress",
            "progress_message",
            "created_at",
            "started_at",
            "finished_at",
            "mentees_considered",
            "mentors_considered",
            "proposed_count",
            "unmatched",
            "seconds",
            "error",
        ]
        read_only_fields = fields


class MatchRunStartedSerializer(serializers.Serializer[MatchRun]):
    id = serializers.IntegerField(read_only=True)
    status = RunStatusField(read_only=True)
    status_url = serializers.SerializerMethodField()

    def get_status_url(self, run: MatchRun) -> str:
        return reverse("api:match-run-detail", args=[run.pk], request=self.context.get("request"))


class MatchProposalSerializer(serializers.ModelSerializer[MatchProposal]):
    status = ProposalStatusField(read_only=True)
    origin = OriginField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    referral = serializers.IntegerField(source="referral_id", read_only=True)
    mentor = serializers.IntegerField(source="mentor_id", read_only=True)
    mentor_display_name = serializers.CharField(source="mentor.display_name", read_only=True)
    run = serializers.IntegerField(source="run_id", read_only=True, allow_null=True)
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = MatchProposal
        fields = [
            "id",
            "status",
            "status_label",
            "origin",
            "score",
            "reasons",
            "referral",
            "mentor",
            "mentor_display_name",
            "run",
            "created_at",
            "status_changed_at",
            "approved_at",
            "respond_by",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_reasons(self, proposal: MatchProposal) -> list[str]:
        return [str(reason) for reason in proposal.reasons or []]


class RejectSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.CharField(
        max_length=2000, help_text="Why, for the record. Only staff see it."
    )


class SuggestionSerializer(serializers.Serializer[Any]):
    mentor = serializers.IntegerField(source="profile.pk")
    mentor_display_name = serializers.CharField(source="profile.display_name")
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
