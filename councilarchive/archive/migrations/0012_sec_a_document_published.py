"""Document.published (issue 16): only loaded documents (or ones an officer publishes) are shown
to the public; the documents loaded before this migration are published."""

from django.db import migrations, models


def publish_loaded(apps, schema_editor):
    apps.get_model("archive", "Document").objects.filter(status="loaded").update(published=True)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0011_sec_a_slug_not_empty"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="published",
            field=models.BooleanField(
                default=False,
                help_text="Shown to the public. Set when the document loads; an officer may publish one that did not (e.g. a scan awaiting OCR).",
            ),
        ),
        migrations.RunPython(publish_loaded, migrations.RunPython.noop),
    ]
