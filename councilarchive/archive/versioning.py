"""The archive's content version: one number that goes up after every write a public page could
show (an ingest or re-ingest, an officer's correction or delete in the admin, a merge or split of
councillors, a topic re-assignment). The page cache (councilarchive/ops/pagecache.py)
puts it in every key, so a page is never served from before a write: the request after the write
reads the new version and renders afresh.

Where it lives: one row of table `archive_content_version` (migration 0011), read once per request
with `current()`, a primary-key lookup. Its `token` joins the number with the time of the bump, so
two histories that reach the same number (a database dropped and migrated again) never share
keys. A restore puts back the version of the backup along with its data and empties the page
cache (restore_archive), since the backup's moment may not match the cache's pages.

When it goes up: `changed()` bumps it once the current transaction commits, once per transaction
however many rows that transaction writes (an ingest writes thousands), and at once outside a
transaction. After the commit, not inside the transaction: a reader that saw a new number before
the write was visible would render the old rows and cache them under the new number, stale until
the next write. And not as a row lock held through a minute-long ingest, which would make parallel
ingests queue behind each other.

Who calls it: `watch()` (ArchiveConfig.ready) connects it to post_save, post_delete and
m2m_changed of every model of this app, so the admin's change, delete, inline and action views,
the merge and split views, the loader's saves and a shell all count without knowing about it.
Writes that send no signals (QuerySet.update, bulk_create) call `changed()` themselves:
`assign_topics`, `ingest.tasks.enqueue`, the pipeline's failure path.

Worked example: version 41. An officer saves a corrected resolution in the admin; the change
view's transaction commits, the on_commit callback sets the row to 42 (changed_at now) and the
redirect is sent. The officer, or anyone, then asks for the resolution page: the page cache reads
42, finds no page under "42.<time>", renders the corrected text and stores it there; every later
request for it is a hit until the next write.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.apps import apps
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

TABLE = "archive_content_version"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class Version(NamedTuple):
    number: int
    changed_at: dt.datetime

    @property
    def token(self) -> str:
        """What cache keys carry: unique per bump, also across a restore of an older backup."""
        return f"{self.number}.{int(self.changed_at.timestamp() * 1_000_000)}"


def current() -> Version:
    """The version now (one primary-key read); version 0 if the row is missing."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version, changed_at FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return Version(*row) if row else Version(0, EPOCH)


def bump() -> Version:
    """Raise the version now (an upsert: the row is recreated if something removed it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (id, version, changed_at) VALUES (1, 1, clock_timestamp())"
            f" ON CONFLICT (id) DO UPDATE SET version = {TABLE}.version + 1,"
            " changed_at = EXCLUDED.changed_at RETURNING version, changed_at"
        )
        return Version(*cursor.fetchone())


def changed() -> None:
    """The archive's content changed: bump the version after the current transaction commits
    (at once when there is none). A transaction that already asked gets no second bump."""
    if connection.in_atomic_block and any(func is bump for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(bump)


def _on_write(sender, **kwargs) -> None:
    changed()


def watch() -> None:
    """Bump on every save, delete and many-to-many change of this app's models, except those
    no page shows (the rate-limit and login counters: a successful login deletes its counts)."""
    for model in apps.get_app_config("archive").get_models(include_auto_created=True):
        if getattr(model, "not_content", False):
            continue
        uid = f"content-version:{model._meta.label}"
        for signal in (post_save, post_delete, m2m_changed):  # m2m_changed: sender is the table
            signal.connect(_on_write, sender=model, dispatch_uid=uid)
