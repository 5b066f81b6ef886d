"""python manage.py recover_stale [--minutes N] [--max-attempts N]

Run before starting `db_worker` (and from cron): documents a killed worker left half-way through
ingest go back in the queue, or are marked failed with a reason after too many attempts.
"""

from django.core.management.base import BaseCommand

from councilarchive.ingest.tasks import MAX_ATTEMPTS, STALE_AFTER_MINUTES, recover_stale


class Command(BaseCommand):
    help = "Requeue (or fail) documents stuck in extracting/parsing/loading by a dead worker."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=STALE_AFTER_MINUTES)
        parser.add_argument("--max-attempts", type=int, default=MAX_ATTEMPTS)

    def handle(self, *args, minutes, max_attempts, **options):
        requeued, failed = recover_stale(minutes=minutes, max_attempts=max_attempts)
        for document in requeued:
            self.stdout.write(f"requeued document {document.pk}: {document}")
        for document in failed:
            self.stdout.write(f"failed document {document.pk}: {document.error}")
        if not (requeued or failed):
            self.stdout.write("nothing stale")
