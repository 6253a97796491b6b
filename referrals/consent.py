"""The statement people read before they refer themselves or are referred, with its version.

Change the wording by adding a new version; the consent on each referral records which one the
person agreed to.
"""

from __future__ import annotations

CURRENT_VERSION = "2026-11"

STATEMENTS = {
    "2026-11": [
        "Peer mentoring means meeting regularly, for a few months, with a trained volunteer who "
        "has their own experience of mental health difficulties. You choose what you would like "
        "to work on; your mentor listens, shares what helped them, and supports you towards "
        "your own goals.",
        "Peer mentoring is not therapy, counselling or medical treatment, and it is not a crisis "
        "service. Mentors are not available at all hours. If you are in danger or need urgent "
        "help, use the crisis services listed on our Get help now page.",
        "What you tell us and your mentor is kept confidential and stored securely. We will only "
        "share it without asking you if we believe you or someone else is at serious risk of "
        "harm; if that happens we will try to talk to you first.",
        "We keep your information only as long as we need it for mentoring, and you can ask to "
        "see it or to have it deleted at any time.",
    ],
}


def current_statement() -> list[str]:
    return STATEMENTS[CURRENT_VERSION]
