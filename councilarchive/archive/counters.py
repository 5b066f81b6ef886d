"""Counts of requests per client in fixed time windows, for the rate limits and the admin login
throttle (issue 16: counted with get-then-set in the cache, 30 concurrent clients got 178 searches
past a limit of 100 and tried 13 passwords before a 5-failure lockout).

One row per (scope, key, window start): scope names what is counted ("rate:search",
"login:pair"), key whom (an address, "address username"), the window is the current multiple of
its length in seconds on the database's clock (every web process shares it). `Counter.objects.hit`
counts one event in one statement,

    INSERT ... VALUES ('rate:search', '10.0.0.7', 60) ... ON CONFLICT (scope, key, window_start)
    DO UPDATE SET count = archive_counter.count + 1 RETURNING count

so concurrent requests queue on the row lock and each reads a different count: with a limit of 100
exactly the requests that read 1..100 pass, however many arrive at once. A window that ends is
never counted in again; its row is deleted (a few hundred at most, skipping rows another request
holds) when a request opens a new window, so the table holds about one row per active client.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, models

# Expired rows deleted per new window: bounded, so no request pays for a long backlog.
PRUNE_BATCH = 500


@dataclass(frozen=True)
class Hit:
    """One counted event: its row, the count after it, seconds until the window ends."""

    id: int
    count: int
    retry_after: int


class CounterManager(models.Manager):
    def hit(self, *counts: tuple[str, str, int]) -> list[Hit]:
        """Count one event for each (scope, key, window seconds), atomically, in one statement;
        the Hits in the same order."""
        counts = tuple((scope, key[:300], seconds) for scope, key, seconds in counts)
        table = connection.ops.quote_name(self.model._meta.db_table)
        values = ", ".join(["(%s, %s, %s::integer, %s::integer)"] * len(counts))
        params = [p for n, count in enumerate(counts) for p in (*count, n)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH v (scope, key, seconds, n) AS (VALUES {values}),
                w AS (
                    SELECT v.*, floor(extract(epoch FROM clock_timestamp()) / seconds) * seconds
                        AS start
                    FROM v
                )
                INSERT INTO {table} AS c (scope, key, window_start, expires_at, count)
                SELECT scope, key, to_timestamp(start), to_timestamp(start + seconds), 1
                FROM w ORDER BY n
                ON CONFLICT (scope, key, window_start) DO UPDATE SET count = c.count + 1
                RETURNING c.id, c.count,
                    ceil(extract(epoch FROM c.expires_at - clock_timestamp()))::integer,
                    c.xmax = 0, c.scope, c.key
                """,
                params,
            )
            rows = {(scope, key): row for *row, scope, key in cursor.fetchall()}
            if any(inserted for *_, inserted in rows.values()):
                self.prune(cursor)
        hits = [rows[scope, key] for scope, key, _ in counts]
        return [Hit(id, count, max(1, seconds)) for id, count, seconds, _ in hits]

    def prune(self, cursor) -> None:
        """Delete up to PRUNE_BATCH rows whose window has ended, skipping rows being counted."""
        table = connection.ops.quote_name(self.model._meta.db_table)
        cursor.execute(
            f"""
            DELETE FROM {table} WHERE id IN (
                SELECT id FROM {table} WHERE expires_at < clock_timestamp()
                LIMIT {PRUNE_BATCH} FOR UPDATE SKIP LOCKED
            )
            """
        )

    def refund(self, *hits: Hit) -> None:
        """Take back counted events (an attempt that was refused or that did not fail)."""
        self.filter(id__in=[hit.id for hit in hits]).update(count=models.F("count") - 1)

    def forget(self, *hits: Hit) -> None:
        """Start these counts again from nothing (a successful log-in clears its failures)."""
        self.filter(id__in=[hit.id for hit in hits]).delete()


class Counter(models.Model):
    """Events counted for `key` in `scope` during the window that starts at `window_start`."""

    not_content = True  # bookkeeping no page shows: writes do not bump the content version

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=300)
    window_start = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    count = models.IntegerField()

    objects = CounterManager()

    class Meta:
        app_label = "archive"
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "window_start"], name="counter_one_row_per_window"
            )
        ]

    def __str__(self):
        return f"{self.scope} {self.key}: {self.count}"
