"""The database cache table (settings.CACHES): rate limits and the admin login throttle count in
it, so every web process (gunicorn workers, several containers) sees the same counts."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("archive", "0005_officers")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
