"""Declarations' item references stored as one label with its word once (issue 15).

The minutes parser keeps "item 7" as printed and decision notices a bare "7"; the meeting page
printed "(item item 7)" for the first until its template guessed. The loader now stores
`item_reference()`'s label ("item 7", "agenda item 7", "minute 23"); this brings the rows
loaded before it to the same form. Backwards: nothing to undo (the labels read as printed).
"""

from django.db import migrations

from councilarchive.archive.models import item_reference


def relabel(apps, schema_editor):
    Declaration = apps.get_model("archive", "Declaration")
    changed = []
    for declaration in Declaration.objects.exclude(item_ref="").only("pk", "item_ref"):
        label = item_reference(declaration.item_ref)[:100]
        if label != declaration.item_ref:
            declaration.item_ref = label
            changed.append(declaration)
    Declaration.objects.bulk_update(changed, ["item_ref"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("archive", "0017_search_pages_joined_words")]

    operations = [migrations.RunPython(relabel, migrations.RunPython.noop)]
