"""The archive's content version (councilarchive/archive/versioning.py): one row whose number goes
up after every write a public page could show, and the page cache's own table.

The version is a plain table, not a model: nothing reads it through the ORM, and it stays one row
(the CHECK) that `versioning.changed()` bumps with an upsert. The page cache (settings.CACHES
"pages") has a table of its own so that pages, however many distinct searches fill it, never cull
the rate limiter's counters in the default cache table.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # Creates every database cache table in settings.CACHES that is missing (here: "pages").
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("archive", "0010_search_pairs")]

    operations = [
        migrations.RunSQL(
            """
            CREATE TABLE archive_content_version (
                id smallint PRIMARY KEY CHECK (id = 1),
                version bigint NOT NULL,
                changed_at timestamptz NOT NULL
            );
            INSERT INTO archive_content_version (id, version, changed_at)
            VALUES (1, 1, statement_timestamp());
            """,
            "DROP TABLE archive_content_version",
        ),
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop),
    ]
