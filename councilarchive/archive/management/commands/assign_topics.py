"""`manage.py assign_topics [--seed] [slug ...]`: recompute topic assignments from the rules.

`--seed` first adds the starting taxonomy (migration 0003's TAXONOMY) for topics not yet in the
database, leaving topics officers have edited alone.
"""

from importlib import import_module

from django.core.management.base import BaseCommand, CommandError

from councilarchive.archive.models import Topic
from councilarchive.archive.topics import assign_topics


class Command(BaseCommand):
    help = "Assign items, reports and resolutions to topics by each topic's rules."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Only these topics (default: all).")
        parser.add_argument(
            "--seed", action="store_true", help="First add the starting taxonomy's missing topics."
        )

    def handle(self, *args, slugs, seed, **options):
        if seed:
            taxonomy = import_module("councilarchive.archive.migrations.0003_topics").TAXONOMY
            for name, slug, description, rules in taxonomy:
                Topic.objects.get_or_create(
                    slug=slug, defaults={"name": name, "description": description, "rules": rules}
                )
        topics = None
        if slugs:
            topics = list(Topic.objects.filter(slug__in=slugs))
            missing = set(slugs) - {t.slug for t in topics}
            if missing:
                raise CommandError(f"No such topic: {', '.join(sorted(missing))}")
        counts = assign_topics(topics)
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        self.stdout.write(f"Topic assignments: {summary}")
