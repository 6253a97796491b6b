"""Make the audit table append-only in PostgreSQL itself, not only in Python.

Row-level UPDATE and DELETE are rejected. TRUNCATE (a table owner's maintenance operation, also
used by the test suite to reset tables) is left to database privileges.
"""

from django.db import migrations

_POSTGRESQL_FORWARD = """
CREATE OR REPLACE FUNCTION audit_auditevent_reject_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% rejected)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_reject_change();
"""
_POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_reject_change();
"""


def install_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_POSTGRESQL_FORWARD, params=None)


def remove_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_POSTGRESQL_BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install_triggers, remove_triggers, elidable=False)]
