"""python manage.py parse_pack PATH [--json]: extract + parse only, no database."""

import json

from django.core.management.base import BaseCommand, CommandError

from councilarchive.ingest.errors import IngestError
from councilarchive.ingest.extract import extract
from councilarchive.ingest.parse import parse
from councilarchive.ingest.parse.model import to_json


class Command(BaseCommand):
    help = "Extract and parse a PDF without touching the database; print what was found."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the result as JSON."
        )

    def handle(self, path, as_json=False, **options):
        try:
            pages = extract(path)
        except IngestError as exc:
            raise CommandError(str(exc)) from exc
        data = to_json(parse(pages))
        if as_json:
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"{data['pages']} pages")
        if data["agenda"]:
            a = data["agenda"]
            self.stdout.write(f"Agenda: {a['body']}, {a['date']} {a['time'] or ''} at {a['venue']}")
            for item in a["items"]:
                self.stdout.write(f"  {item['number']}. {item['title']} ({item['pages'] or '-'})")
        for m in data["minutes"]:
            self.stdout.write(
                f"Minutes: {m['body']}, {m['date']}: {len(m['items'])} items, "
                f"{len(m['present'])} present, {len(m['apologies'])} apologies"
            )
            for item in m["items"]:
                votes = ", ".join(
                    f"{v['kind']} {v['counts']['for']}-{v['counts']['against']}-"
                    f"{v['counts']['abstain']} {v['outcome'] or ''}"
                    + (" COUNT MISMATCH" if v["count_mismatch"] else "")
                    for v in item["votes"]
                )
                self.stdout.write(
                    f"  {item['minute_number']}. {item['title']}: "
                    f"{len(item['resolutions'])} resolutions"
                    + (f"; votes: {votes}" if votes else "")
                )
        for r in data["reports"]:
            self.stdout.write(f"Report: {r['subject']} (pages {r['page_start']}-{r['page_end']})")
        for problem in data["problems"]:
            page = f"page {problem['page']}, " if problem["page"] else ""
            self.stdout.write(
                f"Problem [{problem['kind']}] {page}{problem['where']}: {problem['message']}"
            )
