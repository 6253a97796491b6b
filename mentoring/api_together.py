"""Goals, steps, suggestions and messages through the API: the same services and access rules
as the pages. Someone else's relationship or record is a 404, and so is a change by someone
who may not make it (only the mentee changes goals and steps; only the mentor suggests). The
mentee of an ended relationship reads but cannot change (a 404, like any change they may not
make). A change against an older version is a 409 with the latest record."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from alongside.api import validation_errors
from audit.services import audit_read
from mentoring.access import (
    PAIR,
    RelationshipAccess,
    Viewer,
    relationship_for_api,
)
from mentoring.models import Goal, Step, StepSuggestion
from mentoring.safety import (
    is_serious_level,
    mentee_wrote_something_serious,
    someone_will_be_in_touch,
)
from mentoring.serializers_together import (
    GoalChangeSerializer,
    GoalCreateSerializer,
    GoalSavedSerializer,
    GoalSerializer,
    GoalSummarySerializer,
    MessageCreateSerializer,
    MessageSentSerializer,
    MessageSerializer,
    MessageThreadSerializer,
    StepChangeSerializer,
    StepCreateSerializer,
    StepSavedSerializer,
    StepSerializer,
    StepSuggestionAnsweredSerializer,
    StepSuggestionAnswerSerializer,
    StepSuggestionCreateSerializer,
    StepSuggestionSavedSerializer,
    StepSuggestionSerializer,
)
from mentoring.services.goals import (
    Saved,
    goal_add,
    goal_update,
    step_add,
    step_suggest,
    step_update,
    suggestion_answer,
)
from mentoring.services.messages import (
    contact_hours,
    message_send,
    messages_mark_read,
    thread,
)
from referrals.serializers import CrisisResourceSerializer
from safeguarding.detector import RiskLevel
from safeguarding.selectors import crisis_resources_for

GOAL_TAGS = ["Mentoring goals"]
MESSAGE_TAGS = ["Mentoring messages"]
READERS = (Viewer.MENTOR, Viewer.MENTEE, Viewer.STAFF)


def risk_answer(access: RelationshipAccess, at_risk: bool, serious: bool) -> dict[str, Any]:
    """What every answer to a save says about risk: whether what was written suggests the
    writer may need help now, where to find it, and (to a mentee whose words were flagged high
    or urgent) that someone from the team will be in touch."""
    resources = list(crisis_resources_for(access.relationship.organisation)) if at_risk else []
    return {
        "possible_risk": at_risk,
        "someone_will_be_in_touch": someone_will_be_in_touch(
            serious, access.user, access.relationship
        ),
        "crisis_resources": CrisisResourceSerializer(resources, many=True).data,
    }


_NOT_YOURS = OpenApiResponse(
    description="Not a relationship or record you may use this way (including a change only "
    "the other person may make, and any change once the mentoring has ended)."
)
_STALE = OpenApiResponse(
    description="Saved elsewhere since you read it: the error is under `version` and the "
    "latest record under `latest`."
)
_BAD = OpenApiResponse(description="A field is wrong; the errors say which.")


class _TogetherApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    def open(
        self, pk: int, allow: tuple[Viewer, ...], *, break_glass: bool = False
    ) -> RelationshipAccess:
        user = self.request.user
        assert isinstance(user, User)
        return relationship_for_api(self.request, pk, allow=allow, break_glass=break_glass)

    def open_to_change(self, pk: int, viewer: Viewer) -> RelationshipAccess:
        """For the one person who may make this change; read-only once the mentoring ended."""
        access = self.open(pk, (viewer,))
        if not access.pair_can_write:
            raise NotFound("This mentoring has ended, so nothing here can be changed.")
        return access

    def goal(self, access: RelationshipAccess, goal_pk: int) -> Goal:
        found = Goal.objects.filter(pk=goal_pk, relationship=access.relationship).first()
        if found is None:
            raise Http404
        found.relationship = access.relationship
        return found

    def body(self, serializer_class: type[Any]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def refused(self, error: DjangoValidationError, latest: dict[str, Any] | None) -> Response:
        body: dict[str, Any] = validation_errors(error)
        if latest is not None and "version" in body:
            body["latest"] = latest
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(body, status=status.HTTP_400_BAD_REQUEST)

    def saved(
        self, access: RelationshipAccess, name: str, data: Any, saved: Saved[Any], code: int
    ) -> Response:
        return Response(
            {name: data, **risk_answer(access, saved.at_risk, saved.serious)}, status=code
        )


def _goal_with_everything(goal: Goal) -> Goal:
    return Goal.objects.prefetch_related(
        Prefetch("steps", queryset=Step.objects.order_by("position", "pk")), "suggestions"
    ).get(pk=goal.pk)


# Goals ------------------------------------------------------------------------------------------


class GoalListApi(_TogetherApi):
    @extend_schema(
        tags=GOAL_TAGS,
        summary="The mentee's goals",
        description="For the pair: every goal with its steps and the mentor's suggestions. "
        "Coordinators see each goal's title and progress only (the `GoalSummary` shape).",
        responses={
            200: PolymorphicProxySerializer(
                component_name="GoalOrSummary",
                serializers=[GoalSerializer, GoalSummarySerializer],
                resource_type_field_name=None,
                many=True,
            ),
            404: _NOT_YOURS,
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        access = self.open(pk, READERS)
        goals = access.relationship.goals.all()
        if access.is_staff:
            summaries = goals.annotate(
                step_count=Count("steps"),
                done_count=Count("steps", filter=Q(steps__done_at__isnull=False)),
            )
            return Response(GoalSummarySerializer(summaries, many=True).data)
        full = goals.prefetch_related(
            Prefetch("steps", queryset=Step.objects.order_by("position", "pk")), "suggestions"
        )
        return Response(GoalSerializer(full, many=True).data)

    @extend_schema(
        tags=GOAL_TAGS,
        summary="Add a goal (the mentee)",
        description="The mentee adds a goal in their own words. Send a `client_key` so a "
        "repeated request returns the first goal.",
        request=GoalCreateSerializer,
        responses={
            201: GoalSavedSerializer,
            400: _BAD,
            404: _NOT_YOURS,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        access = self.open_to_change(pk, Viewer.MENTEE)
        data = self.body(GoalCreateSerializer)
        try:
            saved = goal_add(actor=access.user, relationship=access.relationship, **data)
        except DjangoValidationError as error:
            return self.refused(error, None)
        goal = _goal_with_everything(saved.record)
        return self.saved(access, "goal", GoalSerializer(goal).data, saved, 201)


class GoalDetailApi(_TogetherApi):
    @extend_schema(
        tags=GOAL_TAGS,
        summary="One goal",
        description="For the pair: the goal with its steps and suggestions.",
        responses={200: GoalSerializer, 404: _NOT_YOURS},
    )
    def get(self, request: Request, pk: int, goal_pk: int) -> Response:
        access = self.open(pk, PAIR)
        return Response(GoalSerializer(_goal_with_everything(self.goal(access, goal_pk))).data)

    @extend_schema(
        tags=GOAL_TAGS,
        summary="Change a goal (the mentee)",
        description="Change its words, mark it `reached` (with `how_it_went`), `set_aside`, "
        "or bring it back (`active`). Send the `version` you read.",
        request=GoalChangeSerializer,
        responses={
            200: GoalSavedSerializer,
            400: _BAD,
            404: _NOT_YOURS,
            409: _STALE,
        },
    )
    def patch(self, request: Request, pk: int, goal_pk: int) -> Response:
        access = self.open_to_change(pk, Viewer.MENTEE)
        goal = self.goal(access, goal_pk)
        data = self.body(GoalChangeSerializer)
        try:
            saved = goal_update(
                actor=access.user,
                goal=goal,
                version=data.get("version"),
                title=data.get("title"),
                why_it_matters=data.get("why_it_matters"),
                status=data.get("status"),
                how_it_went=data.get("how_it_went"),
            )
        except DjangoValidationError as error:
            return self.refused(error, GoalSerializer(_goal_with_everything(goal)).data)
        return self.saved(
            access,
            "goal",
            GoalSerializer(_goal_with_everything(saved.record)).data,
            saved,
            200,
        )


# Steps ------------------------------------------------------------------------------------------


class StepListApi(_TogetherApi):
    @extend_schema(
        tags=GOAL_TAGS,
        summary="Add a step (the mentee)",
        description="A step the mentee chose towards the goal. Send a `client_key` so a "
        "repeated request returns the first step.",
        request=StepCreateSerializer,
        responses={201: StepSavedSerializer, 400: _BAD, 404: _NOT_YOURS},
    )
    def post(self, request: Request, pk: int, goal_pk: int) -> Response:
        access = self.open_to_change(pk, Viewer.MENTEE)
        goal = self.goal(access, goal_pk)
        data = self.body(StepCreateSerializer)
        try:
            saved = step_add(actor=access.user, goal=goal, **data)
        except DjangoValidationError as error:
            return self.refused(error, None)
        return self.saved(access, "step", StepSerializer(saved.record).data, saved, 201)


class StepDetailApi(_TogetherApi):
    @extend_schema(
        tags=GOAL_TAGS,
        summary="Tick off or change a step (the mentee)",
        description="`done` ticks the step off (or un-ticks it); `how_it_went` and `text` "
        "change the words. Send the `version` you read. Ticking steps off counts towards "
        "the mentee's milestones.",
        request=StepChangeSerializer,
        responses={
            200: StepSavedSerializer,
            400: _BAD,
            404: _NOT_YOURS,
            409: _STALE,
        },
    )
    def patch(self, request: Request, pk: int, goal_pk: int, step_pk: int) -> Response:
        access = self.open_to_change(pk, Viewer.MENTEE)
        goal = self.goal(access, goal_pk)
        step = goal.steps.filter(pk=step_pk).first()
        if step is None:
            raise Http404
        data = self.body(StepChangeSerializer)
        try:
            saved = step_update(
                actor=access.user,
                step=step,
                version=data.get("version"),
                text=data.get("text"),
                how_it_went=data.get("how_it_went"),
                done=data.get("done"),
            )
        except DjangoValidationError as error:
            return self.refused(error, StepSerializer(Step.objects.get(pk=step.pk)).data)
        return self.saved(access, "step", StepSerializer(saved.record).data, saved, 200)


# Suggestions ------------------------------------------------------------------------------------


class SuggestionListApi(_TogetherApi):
    @extend_schema(
        tags=GOAL_TAGS,
        summary="Suggest a step (the mentor)",
        description="The mentor suggests a step; it becomes a step only if the mentee takes "
        "it up. Send a `client_key` so a repeated request returns the first suggestion.",
        request=StepSuggestionCreateSerializer,
        responses={201: StepSuggestionSavedSerializer, 400: _BAD, 404: _NOT_YOURS},
    )
    def post(self, request: Request, pk: int, goal_pk: int) -> Response:
        access = self.open_to_change(pk, Viewer.MENTOR)
        goal = self.goal(access, goal_pk)
        data = self.body(StepSuggestionCreateSerializer)
        try:
            saved = step_suggest(actor=access.user, goal=goal, **data)
        except DjangoValidationError as error:
            return self.refused(error, None)
        return self.saved(
            access,
            "suggestion",
            StepSuggestionSerializer(saved.record).data,
            saved,
            201,
        )


class SuggestionDetailApi(_TogetherApi):
    @extend_schema(
        tags=GOAL_TAGS,
        summary="Answer a suggestion (the mentee)",
        operation_id="relationships_goals_suggestions_answer",
        description="`take` makes it one of the mentee's steps; `not_now` leaves it (it can "
        "still be taken up later). Answering the same way twice changes nothing.",
        request=StepSuggestionAnswerSerializer,
        responses={200: StepSuggestionAnsweredSerializer, 400: _BAD, 404: _NOT_YOURS},
    )
    def post(self, request: Request, pk: int, goal_pk: int, suggestion_pk: int) -> Response:
        access = self.open_to_change(pk, Viewer.MENTEE)
        goal = self.goal(access, goal_pk)
        suggestion = StepSuggestion.objects.filter(pk=suggestion_pk, goal=goal).first()
        if suggestion is None:
            raise Http404
        data = self.body(StepSuggestionAnswerSerializer)
        try:
            answered = suggestion_answer(
                actor=access.user, suggestion=suggestion, take=data["answer"] == "take"
            )
        except DjangoValidationError as error:
            return self.refused(error, None)
        return Response(
            {
                "suggestion": StepSuggestionSerializer(answered.suggestion).data,
                "step": StepSerializer(answered.step).data if answered.step else None,
            }
        )


# Messages ---------------------------------------------------------------------------------------


class MessageListApi(_TogetherApi):
    def context(self, access: RelationshipAccess) -> dict[str, Any]:
        return {"user_id": access.user.pk, "mentee_id": access.relationship.mentee_id}

    @extend_schema(
        tags=MESSAGE_TAGS,
        summary="The pair's messages",
        description="The latest 50 messages, oldest first; `?before=<id>` gives the 50 before "
        "that one. Only the pair can read them. Reading marks the other person's messages "
        "as read.",
        parameters=[OpenApiParameter("before", int, required=False, description="A message id.")],
        responses={200: MessageThreadSerializer, 404: _NOT_YOURS},
    )
    def get(self, request: Request, pk: int) -> Response:
        access = self.open(pk, PAIR, break_glass=True)
        try:
            before = int(request.query_params.get("before") or 0) or None
        except ValueError:
            before = None
        messages_mark_read(actor=access.user, relationship=access.relationship)
        page = thread(access.relationship, before=before)
        audit_read(
            request,
            "mentoring.messages_viewed",
            access.relationship,
            metadata={"messages": len(page.messages)},
        )
        agreed = contact_hours(access.relationship)
        return Response(
            {
                "results": MessageSerializer(
                    page.messages, many=True, context=self.context(access)
                ).data,
                "has_older": page.has_older,
                "contact_hours": agreed.text,
                "reply_within_hours": agreed.reply_within_hours,
                "mentor_prompt": access.is_mentor
                and mentee_wrote_something_serious(access.relationship),
            }
        )

    @extend_schema(
        tags=MESSAGE_TAGS,
        summary="Send a message",
        description="To the other person in the pair. Outside the agreed contact hours it "
        "still arrives, and `reply_expected_by` says when a reply can be expected. If what "
        "was written suggests risk, `crisis_resources` lists where to get help now. Send a "
        "`client_key` so a repeated request returns the first message.",
        request=MessageCreateSerializer,
        responses={201: MessageSentSerializer, 400: _BAD, 404: _NOT_YOURS},
    )
    def post(self, request: Request, pk: int) -> Response:
        access = self.open(pk, PAIR)
        if not access.pair_can_write:
            raise NotFound("This mentoring has ended, so messages can no longer be sent.")
        data = self.body(MessageCreateSerializer)
        try:
            message = message_send(
                actor=access.user,
                relationship=access.relationship,
                body=data["body"],
                client_key=data["client_key"],
            )
        except DjangoValidationError as error:
            return self.refused(error, None)
        at_risk = message.risk_level not in ("", RiskLevel.NONE)
        shown = MessageSerializer(message, context=self.context(access)).data
        return Response(
            {
                "message": shown,
                "outside_hours": message.outside_hours,
                "reply_expected_by": shown["reply_expected_by"],
                "contact_hours": contact_hours(access.relationship).text,
                **risk_answer(access, at_risk, is_serious_level(message.risk_level)),
            },
            status=status.HTTP_201_CREATED,
        )


RELATIONSHIP = "relationships/<int:pk>/"
GOAL = f"{RELATIONSHIP}goals/<int:goal_pk>/"

urlpatterns = [
    path(f"{RELATIONSHIP}goals/", GoalListApi.as_view(), name="mentoring-goals"),
    path(GOAL, GoalDetailApi.as_view(), name="mentoring-goal"),
    path(f"{GOAL}steps/", StepListApi.as_view(), name="mentoring-goal-steps"),
    path(f"{GOAL}steps/<int:step_pk>/", StepDetailApi.as_view(), name="mentoring-goal-step"),
    path(f"{GOAL}suggestions/", SuggestionListApi.as_view(), name="mentoring-goal-suggestions"),
    path(
        f"{GOAL}suggestions/<int:suggestion_pk>/",
        SuggestionDetailApi.as_view(),
        name="mentoring-goal-suggestion",
    ),
    path(f"{RELATIONSHIP}messages/", MessageListApi.as_view(), name="mentoring-messages"),
]
