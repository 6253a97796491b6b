from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_matching_runs_proposals_places_and_settings"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="matchproposal",
            name="matching_proposal_org_status",
        ),
        migrations.AddIndex(
            model_name="matchproposal",
            index=models.Index(
                fields=["organisation", "status", "status_changed_at"],
                name="matching_proposal_org_changed",
            ),
        ),
        migrations.AddIndex(
            model_name="matchproposal",
            index=models.Index(
                condition=models.Q(("status__in", ["proposed", "with_mentor", "with_mentee"])),
                fields=["mentor"],
                name="matching_proposal_live_mentor",
            ),
        ),
    ]
