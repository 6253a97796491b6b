"""Becoming a mentor (applying, screening, training), mentor profiles, supervision, settings."""

from __future__ import annotations

from typing import Any

from mentors.models import Delivery, InterviewQuestion, Stage
from mentors.services.applications import hash_token
from mentors.services.profiles import mentor_request_create, profile_update
from mentors.services.screening import reference_request
from tests.mentors.factories import ApplicationFactory, TrainingModuleFactory
from tests.security.matrix import (
    ALL_COORDINATORS,
    EVERYONE,
    STAFF,
    SUPERVISORS_AND_STAFF,
    Fixture,
    Route,
)

# Both mentors are certified and listed; each sees only their own profile, training and CPD.
MENTORS = frozenset({"mentor", "other_mentor"})
MENTEES = frozenset({"mentee", "other_mentee"})
# Mentees browse the directory; staff of any organisation see their own organisation's.
DIRECTORY = MENTEES | ALL_COORDINATORS
ADMIN = frozenset({"admin"})
# Supervision pages list the people each supervisor or coordinator looks after.
SUPERVISING = SUPERVISORS_AND_STAFF | {"other_org_coordinator"}

DRAFT_TOKEN = "draft-application-token-for-the-access-matrix"


def _mentors(f: Fixture) -> dict[str, Any]:
    f("mentor_profile")
    f("other_mentor_profile")
    return {}


def _application(f: Fixture) -> dict[str, Any]:
    return {"pk": f("applicant_application").pk}


def _draft_token(f: Fixture) -> dict[str, Any]:
    ApplicationFactory.create(
        organisation=f("organisation"), stage=Stage.DRAFT, resume_token_hash=hash_token(DRAFT_TOKEN)
    )
    return {"token": DRAFT_TOKEN}


def _reference(f: Fixture) -> tuple[Any, str]:
    return reference_request(
        actor=f("coordinator"),
        application=f("applicant_application"),
        referee_name="Sam Referee",
        referee_email="sam@example.net",
        relationship="Manager",
    )


def _reference_resend(f: Fixture) -> dict[str, Any]:
    reference, _token = _reference(f)
    return {"pk": reference.application_id, "reference_pk": reference.pk}


def _reference_token(f: Fixture) -> dict[str, Any]:
    _reference_object, token = _reference(f)
    return {"token": token}


def _question(f: Fixture) -> dict[str, Any]:
    question = InterviewQuestion.objects.create(
        organisation=f("organisation"), text="What drew you to peer mentoring?", position=1
    )
    return {"pk": question.pk}


def _pending_profile(f: Fixture) -> dict[str, Any]:
    profile = f("mentor_profile")
    profile_update(actor=f("mentor"), profile=profile, data={"bio": "A proposed new bio."})
    return {"pk": profile.pk}


def _mentor_request(f: Fixture) -> dict[str, Any]:
    mentor_request, _new = mentor_request_create(
        actor=f("mentee"), profile=f("mentor_profile"), note="Hello"
    )
    return {"pk": mentor_request.pk}


def _trainee_application(f: Fixture) -> Any:
    return f("trainee").mentor_applications.get()


def _module(f: Fixture) -> dict[str, Any]:
    _mentors(f)
    return {"pk": f("modules")[0].pk}


def _attendance(f: Fixture) -> dict[str, Any]:
    session = TrainingModuleFactory.create(
        organisation=f("organisation"), title="Meeting in person", delivery=Delivery.IN_PERSON
    )
    return {"application_pk": _trainee_application(f).pk, "module_pk": session.pk}


ROUTES: dict[str, Route] = {
    # Applying: public, by organisation or by the applicant's private link.
    "mentors:apply": Route(
        kwargs=lambda f: {"organisation_slug": f("organisation").slug}, get=EVERYONE
    ),
    "mentors:apply_continue": Route(kwargs=_draft_token, get=EVERYONE),
    "mentors:apply_withdraw": Route(kwargs=_draft_token, get=None, write=EVERYONE),
    # Screening: this organisation's coordinators and administrators.
    "mentors:board": Route(get=ALL_COORDINATORS, write=None),
    "mentors:application_detail": Route(kwargs=_application, get=STAFF, write=None),
    "mentors:interview_record": Route(kwargs=_application, get=STAFF),
    "mentors:reference_request": Route(kwargs=_application, get=STAFF),
    "mentors:reference_resend": Route(kwargs=_reference_resend, get=None, write=STAFF),
    "mentors:background_check_record": Route(kwargs=_application, get=STAFF),
    "mentors:application_approve": Route(kwargs=_application, get=None, write=STAFF),
    "mentors:application_decline": Route(kwargs=_application, get=None, write=STAFF),
    "mentors:application_withdraw": Route(kwargs=_application, get=None, write=STAFF),
    "mentors:interview_questions": Route(get=ALL_COORDINATORS, write=None),
    "mentors:interview_question_create": Route(get=ALL_COORDINATORS),
    "mentors:interview_question_edit": Route(kwargs=_question, get=STAFF),
    "mentors:interview_question_deactivate": Route(kwargs=_question, get=None, write=STAFF),
    "mentors:interview_question_reactivate": Route(kwargs=_question, get=None, write=STAFF),
    # The referee's one-time link: public by token.
    "mentors:reference_respond": Route(kwargs=_reference_token, get=EVERYONE),
    "mentors:reference_thanks": Route(get=EVERYONE, write=None),
    # Training: each mentor their own; staff run modules and certify trainees.
    "mentors:training": Route(kwargs=_mentors, get=MENTORS, write=None),
    "mentors:training_module": Route(kwargs=_module, get=MENTORS),
    "mentors:cpd": Route(kwargs=_mentors, get=MENTORS),
    "mentors:modules": Route(get=ALL_COORDINATORS, write=None),
    "mentors:module_new": Route(get=ALL_COORDINATORS),
    "mentors:module_edit": Route(kwargs=lambda f: {"pk": f("modules")[0].pk}, get=STAFF),
    "mentors:module_deactivate": Route(
        kwargs=lambda f: {"pk": f("modules")[0].pk}, get=None, write=STAFF
    ),
    "mentors:module_reactivate": Route(
        kwargs=lambda f: {"pk": f("modules")[0].pk}, get=None, write=STAFF
    ),
    "mentors:trainees": Route(get=ALL_COORDINATORS, write=None),
    "mentors:trainee_progress": Route(
        kwargs=lambda f: {"application_pk": _trainee_application(f).pk}, get=STAFF, write=None
    ),
    "mentors:trainee_attendance": Route(kwargs=_attendance, get=None, write=STAFF),
    "mentors:trainee_certify": Route(
        kwargs=lambda f: {"application_pk": _trainee_application(f).pk}, get=None, write=STAFF
    ),
    "mentors:trainee_renew": Route(
        kwargs=lambda f: {"application_pk": f("mentor_profile").application.pk},
        get=None,
        write=STAFF,
    ),
    # Profiles: each mentor their own; staff approve public changes.
    "mentors:my_profile": Route(kwargs=_mentors, get=MENTORS, write=None),
    "mentors:profile_edit": Route(kwargs=_mentors, get=MENTORS),
    "mentors:profile_availability": Route(kwargs=_mentors, get=MENTORS),
    "mentors:profile_availability_switch": Route(kwargs=_mentors, get=None, write=MENTORS),
    "mentors:profile_changes": Route(get=ALL_COORDINATORS, write=None),
    "mentors:profile_changes_approve": Route(kwargs=_pending_profile, get=None, write=STAFF),
    "mentors:profile_changes_reject": Route(kwargs=_pending_profile, get=None, write=STAFF),
    # The directory: mentees choose a mentor; staff see what mentees see.
    "mentors:directory": Route(kwargs=_mentors, get=DIRECTORY, write=None),
    "mentors:directory_profile": Route(
        kwargs=lambda f: {"pk": f("mentor_profile").pk}, get=MENTEES | STAFF, write=None
    ),
    "mentors:directory_request": Route(
        kwargs=lambda f: {"pk": f("mentor_profile").pk}, get=None, write=MENTEES
    ),
    "mentors:requests": Route(get=ALL_COORDINATORS, write=None),
    "mentors:request_noted": Route(kwargs=_mentor_request, get=None, write=STAFF),
    # Supervision and mentors' wellbeing.
    "mentors:supervision": Route(get=SUPERVISING, write=None),
    "mentors:supervisor_assignments": Route(get=ALL_COORDINATORS),
    "mentors:supervision_group": Route(get=SUPERVISING),
    "mentors:supervision_mentor": Route(
        kwargs=lambda f: {"profile_pk": f("supervised_profile").pk}, get=SUPERVISORS_AND_STAFF
    ),
    "mentors:wellbeing": Route(kwargs=_mentors, get=MENTORS),
    "mentors:wellbeing_thanks": Route(kwargs=_mentors, get=MENTORS, write=None),
    # Programme settings: administrators only.
    "mentors:programme_settings": Route(get=ADMIN),
    "mentors:support_areas": Route(get=ADMIN),
    "mentors:support_area_edit": Route(kwargs=lambda f: {"pk": f("areas")[0].pk}, get=ADMIN),
    "mentors:support_area_toggle": Route(
        kwargs=lambda f: {"pk": f("areas")[0].pk}, get=None, write=ADMIN
    ),
    # API: the directory and, for staff, applications.
    "api:mentor-list": Route(kwargs=_mentors, get=DIRECTORY, write=None),
    "api:mentor-detail": Route(
        kwargs=lambda f: {"pk": f("mentor_profile").pk}, get=MENTEES | STAFF, write=None
    ),
    "api:mentor-application-list": Route(get=ALL_COORDINATORS, write=None),
    "api:mentor-application-detail": Route(kwargs=_application, get=STAFF, write=None),
    "api:mentor-application-training": Route(
        kwargs=lambda f: {"pk": _trainee_application(f).pk}, get=STAFF, write=None
    ),
}
