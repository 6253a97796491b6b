"""Invented demo mentors at every stage, made through the same services staff use.

Riverside's four demo mentors are certified (one with a change waiting for approval, one who
asked for support); other invented people are applicants at each screening step and a trainee.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from accounts.models import Language, Organisation, SupportArea, User
from accounts.services import user_create
from mentors.models import (
    CheckOutcome,
    CheckType,
    Delivery,
    InterviewOutcome,
    MentorApplication,
    MentorProfile,
    Recommendation,
    SupervisionKind,
    TrainingModule,
)
from mentors.services.applications import application_start, application_submit
from mentors.services.profiles import (
    Slot,
    mentor_request_create,
    profile_changes_approve,
    profile_set_availability,
    profile_set_available,
    profile_update,
)
from mentors.services.screening import (
    application_approve_to_train,
    background_check_record,
    interview_question_create,
    interview_record,
    reference_request,
    reference_submit,
)
from mentors.services.supervision import (
    supervision_session_record,
    supervisor_assign,
    wellbeing_check_in_submit,
)
from mentors.services.training import (
    mentor_certify,
    module_create,
    training_complete,
    training_record_attendance,
)

if TYPE_CHECKING:
    from alongside.demo import DemoWorld

AREAS = [
    "Anxiety",
    "Depression",
    "Self-harm",
    "Psychosis",
    "Bipolar",
    "Eating difficulties",
    "Trauma",
    "Addiction",
    "Grief",
]
QUESTIONS = [
    "What does being a peer mentor mean to you?",
    "How would you share your own experience in a way that helps, without taking over?",
    "What would you do if a mentee told you they were thinking of ending their life?",
    "How do you look after yourself when things get hard?",
]
MODULES = [
    ("Role and boundaries of a peer mentor", 120, True, Delivery.SELF_PACED),
    ("Confidentiality and its limits", 90, True, Delivery.SELF_PACED),
    ("Safeguarding and when to escalate", 180, True, Delivery.IN_PERSON),
    ("Active listening", 180, True, Delivery.SELF_PACED),
    ("Sharing lived experience safely", 150, True, Delivery.SELF_PACED),
    ("Ending well", 90, False, Delivery.SELF_PACED),
]
# key, full name, areas, languages, formats, bio, weekly slots
MENTORS = [
    (
        "mentor.jordan",
        "Jordan Lee",
        ["Anxiety", "Depression"],
        ["en"],
        ["video", "phone"],
        "I spent my twenties with panic attacks I could not explain. Talking with someone who "
        "had been there changed things for me.",
        [(1, time(18), time(20)), (3, time(18), time(20))],
    ),
    (
        "mentor.priya",
        "Priya Shah",
        ["Grief", "Depression"],
        ["en", "gu", "hi"],
        ["in_person", "video"],
        "After losing my dad I found it hard to get out of bed. I know how heavy grief can be "
        "and how small steps add up.",
        [(5, time(10), time(13))],
    ),
    (
        "mentor.tom",
        "Tom Baker",
        ["Addiction", "Trauma"],
        ["en"],
        ["phone", "in_person"],
        "Eight years in recovery. I am a good listener and I do not judge.",
        [(0, time(12), time(14)), (2, time(12), time(14))],
    ),
    (
        "mentor.grace",
        "Grace Mensah",
        ["Eating difficulties", "Anxiety"],
        ["en"],
        ["video"],
        "I have lived with an eating disorder and with anxiety, and I am still learning. I "
        "would love to walk alongside someone for a while.",
        [(4, time(17), time(19))],
    ),
]


def build_mentors(world: DemoWorld) -> None:
    organisation = world.organisations["riverside"]
    coordinator = world.people["coordinator"]
    supervisor = world.people["supervisor"]
    areas = {
        name: SupportArea.objects.create(organisation=organisation, name=name, position=n)
        for n, name in enumerate(AREAS)
    }
    for text in QUESTIONS:
        interview_question_create(actor=coordinator, organisation=organisation, text=text)
    modules = [
        module_create(
            actor=coordinator,
            organisation=organisation,
            data={
                "title": title,
                "summary": f"{title}: what it means for you as a mentor.",
                "content": f"{title}.\n\nRead this module, reflect on it, and bring questions "
                "to your supervisor.",
                "min_minutes": minutes,
                "required_before_matching": required,
                "delivery": delivery,
                "position": position,
            },
        )
        for position, (title, minutes, required, delivery) in enumerate(MODULES)
    ]

    for key, name, area_names, languages, formats, bio, slots in MENTORS:
        user = world.people[key]
        application = _screened_application(
            organisation,
            coordinator,
            name,
            user.email,
            [areas[a] for a in area_names],
            languages,
            formats,
            approve=True,
        )
        _train(application, user, coordinator, modules)
        profile = mentor_certify(actor=coordinator, application=application)
        profile_update(
            actor=user,
            profile=profile,
            data={"capacity": 2, "area": "Riverside", "travel_km": 10},
        )
        _approve_public(profile, user, coordinator, bio)
        profile_set_availability(actor=user, profile=profile, slots=[Slot(*slot) for slot in slots])
        supervisor_assign(actor=coordinator, profile=profile, supervisor=supervisor)
        profile_set_available(actor=user, profile=profile, available=True)

    profiles = {p.user.email.split("@")[0]: p for p in MentorProfile.objects.select_related("user")}
    supervision_session_record(
        actor=supervisor,
        profile=profiles["mentor.priya"],
        held_on=timezone.localdate() - timedelta(days=10),
        kind=SupervisionKind.ONE_TO_ONE,
        topics="Settling in; first weeks as a mentor.",
        actions="Priya to read the ending-well module again before her first match ends.",
    )
    wellbeing_check_in_submit(
        actor=world.people["mentor.tom"],
        profile=profiles["mentor.tom"],
        coping=2,
        load=4,
        wants_support=True,
        note="A lot going on at home this month.",
    )
    profile_update(
        actor=world.people["mentor.grace"],
        profile=profiles["mentor.grace"],
        data={"bio": profiles["mentor.grace"].bio + " I also love long walks and bad puns."},
    )
    mentor_request_create(
        actor=world.people["mentee.alex"],
        profile=profiles["mentor.priya"],
        note="I lost my mum last year and Priya's story felt close to mine.",
    )
    world.people["trainee.sasha"] = _applicants_at_each_stage(
        organisation, coordinator, areas, modules
    )


def _screened_application(
    organisation: Organisation,
    coordinator: User,
    name: str,
    email: str,
    areas: list[SupportArea],
    languages: list[str],
    formats: list[str],
    *,
    interview: bool = True,
    references: int = 2,
    check: bool = True,
    approve: bool = False,
) -> MentorApplication:
    application, _ = application_start(
        organisation=organisation,
        data={
            "full_name": name,
            "email": email,
            "motivation": "Peer support helped me when I needed it most, and I would like to "
            "offer the same to someone else.",
            "lived_experience_areas": areas,
            "languages": list(Language.objects.filter(code__in=languages)),
            "formats": formats,
            "availability": "Weekday evenings",
            "area": "Riverside",
            "consent_to_checks": True,
        },
    )
    application = application_submit(application=application)
    today = timezone.localdate()
    if interview:
        interview_record(
            actor=coordinator,
            application=application,
            held_on=today - timedelta(days=20),
            outcome=InterviewOutcome.PASSED,
            notes="Warm, reflective, clear about boundaries.",
            answers={},
        )
    for n in range(references):
        reference, _ = reference_request(
            actor=coordinator,
            application=application,
            referee_name=f"Referee {n + 1}",
            referee_email=f"referee{n + 1}.{application.pk}@example.org",
            relationship="Colleague for three years" if n == 0 else "Volunteer coordinator",
        )
        reference_submit(
            reference=reference,
            data={
                "known_for": "Three years",
                "suitability": "Patient and kind.",
                "concerns": "",
                "recommendation": Recommendation.YES,
            },
        )
    if check:
        background_check_record(
            actor=coordinator,
            application=application,
            check_type=CheckType.ENHANCED,
            reference_number=f"00{application.pk}1234567",
            checked_on=today - timedelta(days=7),
            expires_on=None,
            outcome=CheckOutcome.CLEAR,
        )
    if approve:
        application = application_approve_to_train(actor=coordinator, application=application)
    return application


def _train(
    application: MentorApplication,
    user: User,
    coordinator: User,
    modules: list[TrainingModule],
    *,
    upto: int | None = None,
) -> None:
    for module in modules[:upto]:
        if module.delivery == Delivery.IN_PERSON:
            training_record_attendance(
                actor=coordinator,
                application=application,
                module=module,
                minutes=module.min_minutes,
                attended_on=timezone.localdate() - timedelta(days=3),
            )
        else:
            training_complete(
                actor=user, application=application, module=module, minutes=module.min_minutes
            )


def _approve_public(profile: MentorProfile, user: User, coordinator: User, bio: str) -> None:
    profile_update(actor=user, profile=profile, data={"bio": bio})
    profile_changes_approve(actor=coordinator, profile=profile)


def _applicants_at_each_stage(
    organisation: Organisation,
    coordinator: User,
    areas: dict[str, SupportArea],
    modules: list[TrainingModule],
) -> User:
    """Invented applicants: new, at references, ready for a decision, and one in training."""
    anxiety, grief = areas["Anxiety"], areas["Grief"]
    _screened_application(
        organisation,
        coordinator,
        "Sam Okoro",
        "sam.okoro@example.org",
        [anxiety],
        ["en"],
        ["video"],
        interview=False,
        references=0,
        check=False,
    )
    _screened_application(
        organisation,
        coordinator,
        "Leah Fisher",
        "leah.fisher@example.org",
        [grief],
        ["en"],
        ["phone"],
        references=1,
        check=False,
    )
    _screened_application(
        organisation,
        coordinator,
        "Marek Nowak",
        "marek.nowak@example.org",
        [anxiety],
        ["en", "pl"],
        ["in_person"],
    )
    trainee = user_create(
        actor=None,
        email=f"trainee.sasha@{settings.DEMO_EMAIL_DOMAIN}",
        name="Sasha Reid",
        password=settings.DEMO_PASSWORD,
        email_verified=True,
    )
    application = _screened_application(
        organisation,
        coordinator,
        "Sasha Reid",
        trainee.email,
        [grief, anxiety],
        ["en"],
        ["video", "phone"],
        approve=True,
    )
    _train(application, trainee, coordinator, modules, upto=2)
    return trainee
