"""The part of every agreement that is the same for everyone: what peer mentors do and do not
do, and what stays confidential (and when it cannot). Changing the words means a new
``STATEMENT_VERSION``; agreements record the version both people saw."""

from __future__ import annotations

STATEMENT_VERSION = "2026-11"

MENTORS_DO = (
    "Listen, and share what helped them in their own recovery.",
    "Help you work towards goals you choose, one small step at a time.",
    "Share practical coping skills and point you to groups and services near you.",
    "Keep to the meeting times and contact hours you agree together.",
)

MENTORS_DO_NOT = (
    "Give therapy, counselling, diagnosis or advice about medication.",
    "Provide crisis care. If you are in crisis, use Get help now or call emergency services.",
    "Lend or give money, or help with money matters.",
    "Share personal phone numbers or social media, or meet outside the arranged sessions.",
)

CONFIDENTIALITY = (
    "What you talk about stays between you, your mentor and the mentor's supervisor, who "
    "supports your mentor.",
    "If either of you says something that suggests someone is at risk of serious harm, it is "
    "shared with the supervisor or the coordinator, and they may contact other services to keep "
    "people safe. Where possible you will be told first.",
    "Session summaries are shared between you both. Your mentor's private notes are seen only by "
    "them and their supervisor.",
    "Messages are checked automatically for signs that someone may be at risk.",
)
