"""No empty slugs (issue 16): a record stored with one before gets "<model>-<id>" (its name still
finds it: councilarchive.ingest.committees.committee_named looks up by name too), then a CHECK
constraint keeps every slug non-empty."""

from django.db import migrations, models

MODELS = ("council", "committee", "councillor", "topic")


def fill_empty_slugs(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("archive", name)
        for pk in model.objects.filter(slug="").values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(slug=f"{name}-{pk}")


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0010_search_pairs"),
    ]

    operations = [
        migrations.RunPython(fill_empty_slugs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="committee",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug", ""), _negated=True), name="committee_slug_not_empty"
            ),
        ),
        migrations.AddConstraint(
            model_name="council",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug", ""), _negated=True), name="council_slug_not_empty"
            ),
        ),
        migrations.AddConstraint(
            model_name="councillor",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug", ""), _negated=True), name="councillor_slug_not_empty"
            ),
        ),
        migrations.AddConstraint(
            model_name="topic",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug", ""), _negated=True), name="topic_slug_not_empty"
            ),
        ),
    ]
