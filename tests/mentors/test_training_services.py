"""Training, certification, renewal, continuing education and expiry warnings: the rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.models import Language
from audit.models import AuditEvent
from mentors.models import (
    BackgroundCheck,
    CheckOutcome,
    CheckType,
    CpdRecord,
    Delivery,
    Interview,
    InterviewOutcome,
    MentorProfile,
    Reference,
    ReferenceStatus,
    Stage,
    TrainingCompletion,
    TrainingModule,
)
from mentors.selectors import certified_available_profiles, programme_settings
from mentors.services.applications import hash_token
from mentors.services.training import (
    add_months,
    certification_missing,
    cpd_hours_last_year,
    cpd_record_add,
    format_minutes,
    mentor_certification_renew,
    mentor_certify,
    module_create,
    module_deactivate,
    module_reactivate,
    module_update,
    training_complete,
    training_progress,
    training_record_attendance,
)
from mentors.tasks import warn_expiring_certifications
from tests.mentors.factories import ApplicationFactory, MentorProfileFactory, TrainingModuleFactory

pytestmark = pytest.mark.django_db


def complete_screening(application, interviewer=None) -> None:
    """Interview passed, two references received and a clear background check."""
    Interview.objects.create(
        application=application,
        held_on=timezone.localdate(),
        interviewer=interviewer,
        outcome=InterviewOutcome.PASSED,
    )
    for number in (1, 2):
        Reference.objects.create(
            application=application,
            referee_name=f"Referee {number}",
            referee_email=f"referee{number}.{application.pk}@example.org",
            relationship="Friend",
            status=ReferenceStatus.RECEIVED,
            token_hash=hash_token(f"reference-{application.pk}-{number}"),
            expires_at=timezone.now() + timedelta(days=14),
            received_at=timezone.now(),
        )
    BackgroundCheck.objects.create(
        application=application,
        check_type=CheckType.ENHANCED,
        reference_number="001234567890",
        checked_on=timezone.localdate(),
        outcome=CheckOutcome.CLEAR,
        recorded_by=interviewer,
    )


def module_data(**overrides):
    data = {
        "title": "Active listening",
        "summary": "Listening to understand.",
        "content": "Listen more than you speak.",
        "min_minutes": 45,
        "required_before_matching": True,
        "delivery": Delivery.SELF_PACED,
        "position": 4,
    }
    data.update(overrides)
    return data


@pytest.fixture
def application(trainee):
    return trainee.mentor_applications.get()


@pytest.fixture
def ready_trainee(application, modules, coordinator, organisation):
    """A trainee with every required module done, enough minutes and screening complete."""
    settings = programme_settings(organisation)
    settings.min_training_minutes = 120
    settings.save()
    for module in modules[:2]:
        training_complete(
            actor=application.user, application=application, module=module, minutes=60
        )
    complete_screening(application, coordinator)
    return application


def actions(name):
    return AuditEvent.objects.filter(action=name)


# --- Helpers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2026, 1, 31, 9, tzinfo=UTC), 1, datetime(2026, 2, 28, 9, tzinfo=UTC)),
        (datetime(2028, 1, 31, 9, tzinfo=UTC), 1, datetime(2028, 2, 29, 9, tzinfo=UTC)),
        (datetime(2026, 11, 15, tzinfo=UTC), 12, datetime(2027, 11, 15, tzinfo=UTC)),
        (datetime(2026, 12, 1, tzinfo=UTC), 3, datetime(2027, 3, 1, tzinfo=UTC)),
        (datetime(2026, 3, 31, tzinfo=UTC), -1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2026, 1, 10, tzinfo=UTC), -12, datetime(2025, 1, 10, tzinfo=UTC)),
    ],
)
def test_adding_months_keeps_to_the_calendar(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("minutes", "text"), [(0, "0 min"), (45, "45 min"), (720, "12 h"), (450, "7 h 30 min")]
)
def test_durations_read_plainly(minutes, text):
    assert format_minutes(minutes) == text


# --- Modules -------------------------------------------------------------------------------------


def test_coordinator_adds_a_module_and_it_is_audited(coordinator, organisation):
    module = module_create(actor=coordinator, organisation=organisation, data=module_data())
    assert module.organisation == organisation
    assert module.min_minutes == 45 and module.is_active
    event = actions("training_module.created").get()
    assert event.actor == coordinator and event.object_id == str(module.pk)
    assert event.metadata == {"delivery": "self_paced", "required": True}


def test_adding_the_same_module_twice_keeps_one(coordinator, organisation):
    first = module_create(actor=coordinator, organisation=organisation, data=module_data())
    second = module_create(
        actor=coordinator, organisation=organisation, data=module_data(title=" active LISTENING ")
    )
    assert second == first
    assert TrainingModule.objects.count() == 1
    assert actions("training_module.created").count() == 1


def test_module_needs_at_least_a_minute(coordinator, organisation):
    with pytest.raises(ValidationError) as error:
        module_create(actor=coordinator, organisation=organisation, data=module_data(min_minutes=0))
    assert "min_minutes" in error.value.message_dict
    assert not TrainingModule.objects.exists()


def test_editing_a_module_records_which_fields_changed(coordinator, modules):
    module = modules[0]
    data = module_data(title=module.title, delivery=Delivery.IN_PERSON, position=module.position)
    data.update(summary=module.summary, content=module.content, min_minutes=module.min_minutes)
    module_update(actor=coordinator, module=module, data=data)
    module.refresh_from_db()
    assert module.delivery == Delivery.IN_PERSON
    assert actions("training_module.updated").get().metadata == {"fields": "delivery"}
    module_update(actor=coordinator, module=module, data=data)
    assert actions("training_module.updated").count() == 1  # nothing changed the second time


def test_deactivating_a_module_twice_is_harmless_and_it_can_come_back(coordinator, modules):
    module = modules[0]
    module_deactivate(actor=coordinator, module=module)
    module_deactivate(actor=coordinator, module=module)
    module.refresh_from_db()
    assert not module.is_active
    assert actions("training_module.deactivated").count() == 1
    module_reactivate(actor=coordinator, module=module)
    module.refresh_from_db()
    assert module.is_active
    assert actions("training_module.reactivated").count() == 1


# --- Completing modules --------------------------------------------------------------------------


def test_trainee_completes_a_module_with_a_private_encrypted_reflection(
    trainee, application, modules
):
    completion = training_complete(
        actor=trainee,
        application=application,
        module=modules[0],
        minutes=75,
        reflection="I tend to rescue people; I will watch for that.",
    )
    assert completion.minutes == 75 and completion.recorded_by == trainee
    completion.refresh_from_db()
    assert completion.reflection == "I tend to rescue people; I will watch for that."
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reflection FROM mentors_trainingcompletion WHERE id = %s", [completion.pk]
        )
        assert "rescue" not in cursor.fetchone()[0]
    event = actions("training.completed").get()
    assert event.metadata == {"module": modules[0].pk, "minutes": 75}
    assert "rescue" not in str(event.metadata)


def test_completing_a_module_twice_keeps_the_first(trainee, application, modules):
    first = training_complete(actor=trainee, application=application, module=modules[0], minutes=60)
    second = training_complete(
        actor=trainee, application=application, module=modules[0], minutes=300
    )
    assert second == first
    assert TrainingCompletion.objects.get().minutes == 60
    assert actions("training.completed").count() == 1


def test_completing_too_quickly_is_refused_with_the_minimum(trainee, application, modules):
    with pytest.raises(ValidationError) as error:
        training_complete(actor=trainee, application=application, module=modules[0], minutes=20)
    assert "at least 1 h" in error.value.message_dict["minutes"][0]
    assert not TrainingCompletion.objects.exists()


def test_trainee_cannot_mark_an_in_person_session_done(trainee, application, organisation):
    session = TrainingModuleFactory(organisation=organisation, delivery=Delivery.IN_PERSON)
    with pytest.raises(ValidationError, match="records attendance"):
        training_complete(actor=trainee, application=application, module=session, minutes=90)


def test_modules_of_another_organisation_or_retired_cannot_be_completed(
    trainee, application, other_organisation, modules, coordinator
):
    elsewhere = TrainingModuleFactory(organisation=other_organisation)
    with pytest.raises(ValidationError):
        training_complete(actor=trainee, application=application, module=elsewhere, minutes=60)
    module_deactivate(actor=coordinator, module=modules[0])
    modules[0].refresh_from_db()
    with pytest.raises(ValidationError):
        training_complete(actor=trainee, application=application, module=modules[0], minutes=60)


def test_nobody_else_can_complete_a_trainees_module(application, modules, mentor, coordinator):
    for person in (mentor, coordinator):
        with pytest.raises(ValidationError):
            training_complete(actor=person, application=application, module=modules[0], minutes=60)


def test_training_opens_only_once_approved_to_train(organisation, mentor, modules):
    application = ApplicationFactory(organisation=organisation, user=mentor, stage=Stage.DECISION)
    with pytest.raises(ValidationError, match="approved to train"):
        training_complete(actor=mentor, application=application, module=modules[0], minutes=60)


def test_coordinator_records_attendance_on_the_day_it_happened(
    coordinator, application, organisation
):
    session = TrainingModuleFactory(
        organisation=organisation, delivery=Delivery.IN_PERSON, min_minutes=120
    )
    attended_on = timezone.localdate() - timedelta(days=3)
    completion = training_record_attendance(
        actor=coordinator,
        application=application,
        module=session,
        minutes=150,
        attended_on=attended_on,
    )
    assert timezone.localtime(completion.completed_at).date() == attended_on
    assert completion.recorded_by == coordinator
    assert actions("training.attendance_recorded").get().actor == coordinator
    again = training_record_attendance(
        actor=coordinator,
        application=application,
        module=session,
        minutes=200,
        attended_on=timezone.localdate(),
    )
    assert again == completion and TrainingCompletion.objects.get().minutes == 150


@pytest.mark.parametrize(
    ("minutes", "days_ago", "field"), [(60, 0, "minutes"), (120, -1, "attended_on")]
)
def test_attendance_must_be_long_enough_and_not_in_the_future(
    coordinator, application, organisation, minutes, days_ago, field
):
    session = TrainingModuleFactory(
        organisation=organisation, delivery=Delivery.IN_PERSON, min_minutes=120
    )
    with pytest.raises(ValidationError) as error:
        training_record_attendance(
            actor=coordinator,
            application=application,
            module=session,
            minutes=minutes,
            attended_on=timezone.localdate() - timedelta(days=days_ago),
        )
    assert field in error.value.message_dict


def test_attendance_is_only_for_in_person_sessions(coordinator, application, modules):
    with pytest.raises(ValidationError, match="themselves"):
        training_record_attendance(
            actor=coordinator,
            application=application,
            module=modules[0],
            minutes=60,
            attended_on=timezone.localdate(),
        )


def test_progress_counts_required_modules_and_time(trainee, application, modules, organisation):
    training_complete(actor=trainee, application=application, module=modules[0], minutes=90)
    training_complete(actor=trainee, application=application, module=modules[2], minutes=60)
    progress = training_progress(application)
    assert progress.summary == "1 of 2 required modules; 2 h 30 min of 12 h"
    assert progress.missing_required == [modules[1]]
    assert [row.done for row in progress.rows] == [True, False, True]


# --- Certification -------------------------------------------------------------------------------


def test_certifying_too_early_lists_everything_still_missing(coordinator, application, modules):
    with pytest.raises(ValidationError) as error:
        mentor_certify(actor=coordinator, application=application)
    problems = error.value.messages
    assert "Complete the module “Role and boundaries”" in problems
    assert "Complete the module “Safeguarding”" in problems
    assert any(problem.startswith("Training time: 0 min of 12 h") for problem in problems)
    assert any(problem.startswith("Screening:") for problem in problems)
    assert not MentorProfile.objects.exists()
    application.refresh_from_db()
    assert application.stage == Stage.TRAINING


def test_nothing_is_missing_once_training_and_screening_are_done(ready_trainee):
    assert certification_missing(ready_trainee) == []


def test_an_expired_background_check_is_not_enough(ready_trainee):
    ready_trainee.background_checks.update(expires_on=timezone.localdate() - timedelta(days=1))
    assert any(item.startswith("Screening:") for item in certification_missing(ready_trainee))


def test_certifying_makes_a_profile_the_mentor_chooses_to_list_and_tells_them(
    coordinator, ready_trainee, areas, organisation, django_capture_on_commit_callbacks
):
    application = ready_trainee
    application.preferred_name = "Sam"
    application.area = "Leeds"
    application.formats = ["video"]
    application.save()
    application.lived_experience_areas.set(areas[:2])
    welsh = Language.objects.create(name="Welsh")
    application.languages.set([welsh])
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        profile = mentor_certify(actor=coordinator, application=application)
    assert profile.user == application.user and profile.organisation == organisation
    assert profile.display_name == "Sam"
    assert profile.area == "Leeds" and profile.formats == ["video"]
    assert set(profile.lived_experience_areas.all()) == set(areas[:2])
    assert list(profile.languages.all()) == [welsh]
    assert profile.capacity == 1
    assert not profile.is_available  # listed only once the mentor chooses
    assert profile.certified_by == coordinator
    assert profile.certified_at >= before
    assert profile.certification_expires_at == add_months(profile.certified_at, 12)
    application.refresh_from_db()
    assert application.stage == Stage.CERTIFIED
    assert profile not in certified_available_profiles(organisation)
    from mentors.services.profiles import profile_set_available

    profile_set_available(actor=profile.user, profile=profile, available=True)
    assert profile in certified_available_profiles(organisation)
    assert actions("mentor.certified").get().actor == coordinator
    assert mail.outbox[0].to == [application.user.email]
    assert "certified" in mail.outbox[0].body
    assert "mental" not in mail.outbox[0].body.lower()


def test_display_name_falls_back_to_the_first_name(coordinator, ready_trainee):
    ready_trainee.preferred_name = ""
    ready_trainee.full_name = "Alex Morgan Jones"
    ready_trainee.save()
    assert mentor_certify(actor=coordinator, application=ready_trainee).display_name == "Alex"


def test_certifying_twice_keeps_one_profile(coordinator, ready_trainee):
    first = mentor_certify(actor=coordinator, application=ready_trainee)
    second = mentor_certify(actor=coordinator, application=ready_trainee)
    assert first == second
    assert MentorProfile.objects.count() == 1
    assert actions("mentor.certified").count() == 1


def test_certification_length_follows_the_programme_setting(
    coordinator, ready_trainee, organisation
):
    settings = programme_settings(organisation)
    settings.certification_months = 6
    settings.save()
    profile = mentor_certify(actor=coordinator, application=ready_trainee)
    assert profile.certification_expires_at == add_months(profile.certified_at, 6)


# --- Renewal and continuing education ------------------------------------------------------------


def add_cpd(profile, hours, days_ago=10):
    return CpdRecord.objects.create(
        profile=profile,
        done_on=timezone.localdate() - timedelta(days=days_ago),
        hours=Decimal(hours),
        description="Workshop",
    )


def test_renewal_without_enough_continuing_education_names_the_shortfall(
    coordinator, mentor_profile
):
    add_cpd(mentor_profile, "2.5")
    add_cpd(mentor_profile, "10", days_ago=400)  # too long ago to count
    with pytest.raises(ValidationError) as error:
        mentor_certification_renew(actor=coordinator, profile=mentor_profile)
    assert "6 hours" in error.value.messages[0]
    assert "2.5 recorded, 3.5 to go" in error.value.messages[0]


def test_renewal_extends_from_the_current_expiry_and_clears_the_warning(
    coordinator, mentor_profile
):
    add_cpd(mentor_profile, "6")
    current = timezone.now() + timedelta(days=10)
    mentor_profile.certification_expires_at = current
    mentor_profile.expiry_warned_at = timezone.now()
    mentor_profile.save()
    profile = mentor_certification_renew(actor=coordinator, profile=mentor_profile)
    assert profile.certification_expires_at == add_months(current, 12)
    assert profile.expiry_warned_at is None
    assert actions("mentor.certification_renewed").get().actor == coordinator


def test_renewing_an_expired_mentor_starts_from_today(coordinator, mentor_profile, organisation):
    add_cpd(mentor_profile, "6")
    mentor_profile.certification_expires_at = timezone.now() - timedelta(days=40)
    mentor_profile.save()
    assert mentor_profile not in certified_available_profiles(organisation)
    before = timezone.now()
    profile = mentor_certification_renew(actor=coordinator, profile=mentor_profile)
    assert add_months(before, 12) <= profile.certification_expires_at
    assert profile.certification_expires_at <= add_months(timezone.now(), 12)
    assert profile in certified_available_profiles(organisation)


def test_a_second_renewal_click_adds_nothing_more(coordinator, mentor_profile):
    add_cpd(mentor_profile, "6")
    seen = mentor_profile.certification_expires_at
    first = mentor_certification_renew(
        actor=coordinator, profile=mentor_profile, seen_expires_at=seen
    )
    second = mentor_certification_renew(
        actor=coordinator, profile=mentor_profile, seen_expires_at=seen
    )
    assert second.certification_expires_at == first.certification_expires_at
    assert actions("mentor.certification_renewed").count() == 1


def test_mentor_records_continuing_education(mentor, mentor_profile):
    record = cpd_record_add(
        actor=mentor,
        profile=mentor_profile,
        done_on=timezone.localdate(),
        hours=Decimal("1.5"),
        description="  Safeguarding refresher ",
    )
    assert record.description == "Safeguarding refresher" and record.recorded_by == mentor
    event = actions("cpd.recorded").get()
    assert event.metadata == {"hours": 1.5}
    assert cpd_hours_last_year(mentor_profile) == Decimal("1.5")


def test_the_same_entry_sent_twice_is_kept_once(mentor, mentor_profile):
    for _ in range(2):
        cpd_record_add(
            actor=mentor,
            profile=mentor_profile,
            done_on=timezone.localdate(),
            hours=Decimal("2"),
            description="Workshop",
        )
    assert CpdRecord.objects.count() == 1
    assert actions("cpd.recorded").count() == 1


@pytest.mark.parametrize(
    ("done_on", "hours", "field"),
    [
        (date.today() + timedelta(days=2), Decimal("1"), "done_on"),
        (date.today(), Decimal("0.4"), "hours"),
        (date.today(), Decimal("40.5"), "hours"),
    ],
)
def test_continuing_education_outside_the_limits_is_refused(
    mentor, mentor_profile, done_on, hours, field
):
    with pytest.raises(ValidationError) as error:
        cpd_record_add(
            actor=mentor, profile=mentor_profile, done_on=done_on, hours=hours, description="X"
        )
    assert field in error.value.message_dict
    assert not CpdRecord.objects.exists()


def test_nobody_else_records_a_mentors_continuing_education(other_mentor, mentor_profile):
    with pytest.raises(ValidationError):
        cpd_record_add(
            actor=other_mentor,
            profile=mentor_profile,
            done_on=timezone.localdate(),
            hours=Decimal("1"),
            description="Workshop",
        )


# --- Expiry --------------------------------------------------------------------------------------


def test_expired_or_never_certified_mentors_are_never_listed_or_matched(
    organisation, mentor_profile, other_mentor_profile
):
    mentor_profile.certification_expires_at = timezone.now() - timedelta(minutes=1)
    mentor_profile.save()
    other_mentor_profile.certified_at = None
    other_mentor_profile.certification_expires_at = None
    other_mentor_profile.save()
    never_expiring_but_uncertified = MentorProfileFactory(
        organisation=organisation, certified_at=None
    )
    listed = certified_available_profiles(organisation)
    assert mentor_profile not in listed
    assert other_mentor_profile not in listed
    assert never_expiring_but_uncertified not in listed


def test_mentors_are_warned_once_before_their_certification_ends(
    organisation,
    mentor_profile,
    other_mentor_profile,
    coordinator,
    django_capture_on_commit_callbacks,
):
    mentor_profile.certification_expires_at = timezone.now() + timedelta(days=20)
    mentor_profile.save()  # inside the 30-day warning period; other_mentor_profile is not
    with django_capture_on_commit_callbacks(execute=True):
        assert warn_expiring_certifications.call() == 1
    mentor_profile.refresh_from_db()
    other_mentor_profile.refresh_from_db()
    assert mentor_profile.expiry_warned_at is not None
    assert other_mentor_profile.expiry_warned_at is None
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([mentor_profile.user.email, coordinator.email])
    for message in mail.outbox:
        assert "mental" not in message.body.lower()
    event = actions("mentor.certification_expiry_warned").get()
    assert event.actor is None and event.object_id == str(mentor_profile.pk)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert warn_expiring_certifications.call() == 0
    assert mail.outbox == []
    assert actions("mentor.certification_expiry_warned").count() == 1


def test_warning_period_follows_the_programme_setting(organisation, mentor_profile):
    mentor_profile.certification_expires_at = timezone.now() + timedelta(days=50)
    mentor_profile.save()
    assert warn_expiring_certifications.call() == 0
    settings = programme_settings(organisation)
    settings.expiry_warning_days = 60
    settings.save()
    assert warn_expiring_certifications.call() == 1


def test_daily_command_runs_the_expiry_warnings(mentor_profile, capsys):
    mentor_profile.certification_expires_at = timezone.now() + timedelta(days=5)
    mentor_profile.save()
    call_command("mentors_daily")
    mentor_profile.refresh_from_db()
    assert mentor_profile.expiry_warned_at is not None
    assert "Queued" in capsys.readouterr().out


def test_daily_command_can_run_in_process(mentor_profile, capsys):
    mentor_profile.certification_expires_at = timezone.now() + timedelta(days=5)
    mentor_profile.save()
    call_command("mentors_daily", "--now")
    out = capsys.readouterr().out
    assert "1 mentor(s) warned that their certification ends soon" in out
    assert "mentor(s) reminded to do a wellbeing check-in" in out


def test_daily_command_says_cron_runs_it_daily():
    from mentors.management.commands.mentors_daily import Command

    assert "Cron runs this once a day" in Command.help
