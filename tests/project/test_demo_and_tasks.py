import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import path

from accounts.models import Membership, Organisation, Role
from alongside import urls as site_urls
from alongside.demo import DEMO_ORGANISATION_SLUG
from alongside.email import send_email_after_commit
from audit.models import AuditEvent


@pytest.mark.django_db
def test_demo_has_every_role_and_a_person_in_two_organisations(settings):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    riverside = Organisation.objects.get(slug=DEMO_ORGANISATION_SLUG)
    roles = set(Membership.objects.filter(organisation=riverside).values_list("role", flat=True))
    assert roles == set(Role.values)
    assert Membership.objects.filter(role=Role.MENTOR, organisation=riverside).count() >= 3
    jordan = Membership.objects.filter(user__email__startswith="mentor.jordan@")
    assert jordan.count() == 2
    assert riverside.crisis_resources.filter(is_emergency=True).exists()
    assert AuditEvent.objects.filter(action="membership.granted").count() >= 12


@pytest.mark.django_db
def test_demo_has_mentors_at_every_stage_of_the_journey(settings):
    from mentors.models import MentorApplication, MentorProfile, MentorRequest, Stage
    from mentors.selectors import certified_available_profiles

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    riverside = Organisation.objects.get(slug=DEMO_ORGANISATION_SLUG)
    stages = set(
        MentorApplication.objects.filter(organisation=riverside).values_list("stage", flat=True)
    )
    assert {Stage.NEW, Stage.REFERENCES, Stage.DECISION, Stage.TRAINING, Stage.CERTIFIED} <= stages
    assert certified_available_profiles(riverside).count() == 4
    assert MentorProfile.objects.exclude(pending_since=None).count() == 1
    assert MentorRequest.objects.count() == 1
    assert MentorProfile.objects.filter(wellbeing_check_ins__wants_support=True).exists()


@pytest.mark.django_db
def test_demo_has_a_realistic_referral_queue_and_waiting_list(settings):
    from referrals.models import Referral, Status, Urgency
    from referrals.selectors import waiting_list

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    riverside = Organisation.objects.get(slug=DEMO_ORGANISATION_SLUG)
    statuses = set(Referral.objects.filter(organisation=riverside).values_list("status", flat=True))
    assert {
        Status.NEW,
        Status.CONTACTING,
        Status.INTAKE,
        Status.WAITING,
        Status.SIGNPOSTED,
        Status.DECLINED,
    } <= statuses
    assert Referral.objects.filter(urgency=Urgency.URGENT, status=Status.NEW).exists()
    assert Referral.objects.exclude(possible_duplicate_of=None).exists()
    assert Referral.objects.exclude(referrer=None).exists()
    waiting = list(waiting_list(riverside))
    assert [referral.mentee.email.split("@")[0] for referral in waiting] == [
        "mentee.alex",
        "mentee.casey",
        "mentee.morgan",
        "mentee.robin",
    ]


@pytest.mark.django_db
def test_demo_loads_once(settings):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    count = Membership.objects.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Membership.objects.count() == count


@pytest.mark.django_db
def test_demo_data_is_refused_in_production(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="never loaded in production"):
        call_command("load_demo")


@pytest.mark.django_db
def test_login_page_lists_demo_accounts_only_in_development(client, settings):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "Demo accounts" not in client.get("/accounts/login/").content.decode()
    with override_settings(IS_DEVELOPMENT=True):
        from alongside import context_processors

        # The context processor reads settings at request time.
        assert context_processors.settings.IS_DEVELOPMENT
        page = client.get("/accounts/login/").content.decode()
    assert "Demo accounts" in page
    assert f"coordinator@{settings.DEMO_EMAIL_DOMAIN}" in page
    assert settings.DEMO_PASSWORD in page


@pytest.mark.django_db
def test_email_is_sent_by_a_task_only_after_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    from django.core.mail import EmailMessage

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        send_email_after_commit(EmailMessage("Hello", "Body", "a@example.org", ["b@example.org"]))
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert [m.subject for m in mail.outbox] == ["Hello"]


@pytest.mark.django_db
def test_email_is_not_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    from django.core.mail import EmailMessage

    message = EmailMessage("Hi", "Body", "a@example.org", ["b@example.org"])
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send_email_after_commit(message)
        raise RuntimeError
    assert mail.outbox == []


def _broken_view(request):
    raise RuntimeError("something internal broke")


urlpatterns = [path("broken/", _broken_view), *site_urls.urlpatterns]
handler500 = "alongside.views.server_error"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_server_error_shows_a_calm_page_without_internals():
    response = Client(raise_request_exception=False).get("/broken/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    assert "something internal broke" not in page
    assert "Traceback" not in page


def test_health_check_answers(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db(transaction=True)
def test_database_queue_and_worker_deliver_email(settings):
    """The production path: the task is stored in the database and `db_worker` sends it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from alongside.tasks import send_email

    result = send_email.enqueue(
        subject="Queued",
        body="Body",
        to=["b@example.org"],
        from_email="a@example.org",
        html_body="",
    )
    assert mail.outbox == []
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.subject for m in mail.outbox] == ["Queued"]
    result.refresh()
    assert result.status == "SUCCESSFUL"


@pytest.mark.django_db
def test_demo_has_a_relationship_under_way_and_one_about_to_start(settings):
    from mentoring.models import CheckInStatus, Relationship, RelationshipStatus, SessionStatus

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    active = Relationship.objects.get(
        status=RelationshipStatus.ACTIVE, mentee__email__startswith="mentee.jamie@"
    )
    assert active.mentee.email.startswith("mentee.jamie@")
    assert active.agreements.get().is_acknowledged
    assert active.sessions.filter(status=SessionStatus.HELD).count() == 3
    assert active.sessions.filter(status=SessionStatus.PLANNED).count() == 1
    assert active.goals.count() == 2 and active.steps.filter(done_at__isnull=False).exists()
    assert active.messages.count() == 2 and active.strengths.exists()
    assert active.check_ins.filter(status=CheckInStatus.DONE).count() == 1
    introduction = Relationship.objects.get(
        status=RelationshipStatus.INTRODUCTION, mentee__email__startswith="mentee.sky@"
    )
    assert introduction.introduction_at is not None
