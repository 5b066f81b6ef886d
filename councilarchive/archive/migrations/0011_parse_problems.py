"""Vote.kind gains "substantive motion"; Document.problems: plain strings become the parser's problem dicts (parse/check.py).

An old line keeps its words as the message; "Kept an officer's correction: …" lines become
`correction_kept`, lines naming a section that failed ("minutes (pages 2-6): …") become
`section_unreadable` with their first page, anything else `parse_note`.
"""

import re

from django.db import migrations, models

SECTION = re.compile(r"^(?:agenda|minutes|reports)\b(?: \(pages (?P<page>\d+)-\d+\))?:")


def to_dict(line):
    if isinstance(line, dict):
        return line
    line = str(line)
    if line.startswith("Kept an officer's correction"):
        return {"kind": "correction_kept", "page": None, "message": line, "where": ""}
    m = SECTION.match(line)
    if m:
        page = int(m.group("page")) if m.group("page") else None
        return {"kind": "section_unreadable", "page": page, "message": line, "where": ""}
    return {"kind": "parse_note", "page": None, "message": line, "where": ""}


def forwards(apps, schema_editor):
    Document = apps.get_model("archive", "Document")
    for document in Document.objects.exclude(problems=[]).only("pk", "problems").iterator():
        problems = [to_dict(p) for p in document.problems]
        if problems != document.problems:
            Document.objects.filter(pk=document.pk).update(problems=problems)


def backwards(apps, schema_editor):
    Document = apps.get_model("archive", "Document")
    for document in Document.objects.exclude(problems=[]).only("pk", "problems").iterator():
        lines = [p["message"] if isinstance(p, dict) else p for p in document.problems]
        Document.objects.filter(pk=document.pk).update(problems=lines)


class Migration(migrations.Migration):
    dependencies = [("archive", "0010_search_pairs")]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="problems",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="What to check: the parser's doubts and kept corrections, each "
                "{kind, page, message, where}.",
            ),
        ),
        migrations.AlterField(
            model_name="vote",
            name="kind",
            field=models.CharField(
                choices=[
                    ("motion", "Motion"),
                    ("amendment", "Amendment"),
                    ("substantive motion", "Substantive motion"),
                    ("other", "Other"),
                ],
                default="other",
                max_length=20,
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
