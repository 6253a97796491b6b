import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from accounts.services import membership_grant
from audit.models import AuditEvent, AuditEventIsAppendOnly
from audit.services import audit_record


@pytest.mark.django_db
def test_service_change_and_its_audit_event_commit_together(organisation, mentee, coordinator):
    membership_grant(actor=coordinator, organisation=organisation, user=mentee, role="mentor")
    event = AuditEvent.objects.get(action="membership.granted", actor=coordinator)
    assert event.organisation == organisation
    assert event.object_type == "accounts.membership"
    assert event.metadata == {"role": "mentor"}


@pytest.mark.django_db
def test_audit_event_rolls_back_with_the_callers_transaction(organisation, coordinator):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=coordinator, action="test.happened", organisation=organisation)
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_events_cannot_be_changed_or_deleted_through_the_orm(coordinator):
    event = audit_record(actor=coordinator, action="test.happened")
    event.action = "test.rewritten"
    with pytest.raises(AuditEventIsAppendOnly):
        event.save()
    with pytest.raises(AuditEventIsAppendOnly):
        event.delete()
    with pytest.raises(AuditEventIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AuditEventIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET action = 'rewritten' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_postgresql_rejects_update_and_delete_even_in_raw_sql(statement, coordinator):
    event = audit_record(actor=coordinator, action="test.happened")
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():  # noqa: SIM117
        with connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.happened"


@pytest.mark.django_db
def test_metadata_refuses_free_text_and_nested_values(coordinator):
    with pytest.raises(ValueError, match="too long"):
        audit_record(actor=coordinator, action="test.happened", metadata={"note": "x" * 200})
    with pytest.raises(ValueError, match="simple value"):
        audit_record(actor=coordinator, action="test.happened", metadata={"n": {"a": 1}})


@pytest.mark.django_db
def test_request_id_links_events_to_the_request(client, organisation, mentee):
    response = client.post(
        "/accounts/login/",
        {"login": mentee.email, "password": "correct-horse-battery"},
        HTTP_X_REQUEST_ID="req-test-12345",
    )
    assert response["X-Request-ID"] == "req-test-12345"
    event = AuditEvent.objects.get(action="account.signed_in")
    assert event.request_id == "req-test-12345"
    assert event.actor == mentee


@pytest.mark.django_db
def test_removing_a_person_keeps_their_history(coordinator):
    audit_record(actor=coordinator, action="test.happened")
    actor_id = coordinator.pk
    coordinator.delete()
    assert AuditEvent.objects.filter(actor_id=actor_id, action="test.happened").exists()
