from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0006_report_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="checkin",
            index=models.Index(
                condition=models.Q(("status", "due")),
                fields=["relationship", "due_on"],
                name="mentoring_checkin_rel_due",
            ),
        ),
        migrations.AddIndex(
            model_name="relationship",
            index=models.Index(
                condition=models.Q(("status__in", ["introduction", "active", "closing"])),
                fields=["mentor"],
                name="mentoring_rel_current_mentor",
            ),
        ),
        migrations.AddIndex(
            model_name="relationship",
            index=models.Index(fields=["organisation", "id"], name="mentoring_rel_org_id"),
        ),
    ]
