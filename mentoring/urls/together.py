"""What the pair do together between sessions: the mentee's goals and steps (with the mentor's
suggestions), and messages."""

from django.urls import URLPattern, path

from mentoring.views import goals, messages

GOAL = "<int:pk>/goals/<int:goal_pk>/"

urlpatterns: list[URLPattern] = [
    path("<int:pk>/goals/", goals.goals, name="goals"),
    path(GOAL, goals.goal, name="goal"),
    path(f"{GOAL}status/", goals.goal_status, name="goal_status"),
    path(f"{GOAL}steps/", goals.step_add_view, name="step_add"),
    path(f"{GOAL}steps/<int:step_pk>/", goals.step_edit, name="step_edit"),
    path(f"{GOAL}steps/<int:step_pk>/done/", goals.step_done, name="step_done"),
    path(f"{GOAL}suggest/", goals.suggest_step, name="suggest_step"),
    path(
        f"{GOAL}suggestions/<int:suggestion_pk>/",
        goals.suggestion_answer_view,
        name="suggestion_answer",
    ),
    path("<int:pk>/messages/", messages.message_thread, name="messages"),
]
