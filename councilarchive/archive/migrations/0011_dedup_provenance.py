"""Papers that repeat each other (issue 18): one record per minute, resolution, vote, agenda item,
report, attendance and declaration, with each further document that prints it as a RecordSource.
Documents get the papers' own date (`issued`, filled here from the latest meeting they speak of)
and an officer's `preferred` flag, which decide whose text a record carries."""

import django.db.models.deletion
import django.db.models.lookups
from django.db import migrations, models

# Officers see each record's other papers, choose one's version, and delete documents (the admin
# asks for delete permission on every cascaded row, and a document's RecordSources cascade).
OFFICER_PERMISSIONS = {("archive", "recordsource"): ["change", "delete", "view"]}


def codenames():
    for (app_label, model), actions in OFFICER_PERMISSIONS.items():
        for action in actions:
            yield app_label, f"{action}_{model}"


def grant_officers(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("archive")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Officers").first()
    if group is not None:
        for app_label, codename in codenames():
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0010_search_pairs"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="issued",
            field=models.DateField(
                blank=True,
                help_text="The papers' own date (the agenda's, else the minutes').",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="preferred",
            field=models.BooleanField(
                default=False,
                help_text="Where papers printing the same record differ, this document's text is used.",
            ),
        ),
        migrations.CreateModel(
            name="RecordSource",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("page_start", models.PositiveIntegerField(blank=True, null=True)),
                ("page_end", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "version",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text="This document's values where they differ.",
                    ),
                ),
                (
                    "attendance",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sources",
                        to="archive.attendance",
                    ),
                ),
                (
                    "declaration",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sources",
                        to="archive.declaration",
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="confirmed",
                        to="archive.document",
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sources",
                        to="archive.item",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sources",
                        to="archive.report",
                    ),
                ),
                (
                    "resolution",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sources",
                        to="archive.resolution",
                    ),
                ),
                (
                    "vote",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sources",
                        to="archive.vote",
                    ),
                ),
            ],
            options={
                "ordering": ["document", "page_start"],
                "constraints": [
                    models.UniqueConstraint(fields=("document", "item"), name="source_once_item"),
                    models.UniqueConstraint(
                        fields=("document", "resolution"), name="source_once_resolution"
                    ),
                    models.UniqueConstraint(fields=("document", "vote"), name="source_once_vote"),
                    models.UniqueConstraint(
                        fields=("document", "report"), name="source_once_report"
                    ),
                    models.UniqueConstraint(
                        fields=("document", "attendance"), name="source_once_attendance"
                    ),
                    models.UniqueConstraint(
                        fields=("document", "declaration"), name="source_once_declaration"
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.Exact(
                            models.Func(
                                "item",
                                "resolution",
                                "vote",
                                "report",
                                "attendance",
                                "declaration",
                                function="num_nonnulls",
                                output_field=models.IntegerField(),
                            ),
                            1,
                        ),
                        name="source_of_one_record",
                    ),
                ],
            },
        ),
        migrations.RunSQL(
            """
            UPDATE archive_document d SET issued = (
                SELECT max(m.date) FROM archive_item i
                JOIN archive_meeting m ON m.id = i.meeting_id WHERE i.document_id = d.id
            )
            """,
            migrations.RunSQL.noop,
        ),
        migrations.RunPython(grant_officers, migrations.RunPython.noop),
    ]
