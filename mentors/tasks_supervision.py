"""Scheduled work for mentor wellbeing: a gentle monthly nudge to check in.

Run it daily (for example ``remind_wellbeing_check_ins.enqueue()`` from a scheduler); it is safe
to run as often as you like, because a mentor is reminded at most once per interval.
"""

from __future__ import annotations

from django_tasks import task

from mentors.services.supervision import profiles_due_a_wellbeing_reminder, wellbeing_reminder_send


@task()
def remind_wellbeing_check_ins() -> int:
    """Email every certified mentor whose check-in is due; returns how many were reminded.

    Who was reminded when is read from the audit trail (``mentor_wellbeing.reminded``), which
    each reminder writes, so a second run within the interval sends nothing.
    """
    profiles = profiles_due_a_wellbeing_reminder()
    for profile in profiles:
        wellbeing_reminder_send(profile=profile)
    return len(profiles)
