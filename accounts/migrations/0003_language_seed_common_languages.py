"""Languages people commonly ask to be supported in; organisations can add more."""

from django.db import migrations

LANGUAGES = [
    ("ar", "Arabic"),
    ("bn", "Bengali"),
    ("sgn-GB", "British Sign Language"),
    ("yue", "Cantonese"),
    ("en", "English"),
    ("fa", "Farsi"),
    ("fr", "French"),
    ("gu", "Gujarati"),
    ("hi", "Hindi"),
    ("it", "Italian"),
    ("ku", "Kurdish"),
    ("lt", "Lithuanian"),
    ("zh", "Mandarin"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("pa", "Punjabi"),
    ("ro", "Romanian"),
    ("so", "Somali"),
    ("es", "Spanish"),
    ("ta", "Tamil"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
    ("cy", "Welsh"),
]


def add_languages(apps, schema_editor):
    Language = apps.get_model("accounts", "Language")
    for code, name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_supportarea_language")]

    operations = [migrations.RunPython(add_languages, migrations.RunPython.noop)]
