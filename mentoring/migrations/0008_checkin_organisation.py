"""Check-ins carry their relationship's organisation, so an organisation's due check-ins are
listed and counted from one index (mentoring_checkin_org_due)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_organisations(apps, schema_editor):
    CheckIn = apps.get_model("mentoring", "CheckIn")
    Relationship = apps.get_model("mentoring", "Relationship")
    organisation = Relationship.objects.filter(pk=OuterRef("relationship_id"))
    CheckIn.objects.update(organisation_id=Subquery(organisation.values("organisation_id")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_user_active_index"),
        ("mentoring", "0007_current_and_due_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkin",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.RunPython(copy_organisations, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="checkin",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="checkin",
            index=models.Index(
                condition=models.Q(("status", "due")),
                fields=["organisation", "due_on", "id"],
                name="mentoring_checkin_org_due",
            ),
        ),
    ]
