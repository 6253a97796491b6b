"""Messages flagged by the first risk detector were marked "possible"; the safeguarding
detector names levels (concern, high, urgent), and "possible" becomes "concern"."""

from django.db import migrations


def possible_to_concern(apps, schema_editor):
    Message = apps.get_model("mentoring", "Message")
    Message.objects.filter(risk_level="possible").update(risk_level="concern")


def concern_to_possible(apps, schema_editor):
    Message = apps.get_model("mentoring", "Message")
    Message.objects.exclude(risk_level__in=["", "none"]).update(risk_level="possible")


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0002_relationship_work")]

    operations = [migrations.RunPython(possible_to_concern, concern_to_possible)]
