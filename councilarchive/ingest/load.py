"""Stage 3 of ingest: parsed dataclasses -> models, in one transaction.

`load(pack, document)` replaces whatever that document contributed before (so `--force` and a
re-parse are clean) and touches nothing another document contributed. Records an officer has
edited (`edited=True`) are kept, and the re-parsed version of them is not written over them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from councilarchive.archive.models import (
    Attendance,
    Committee,
    Council,
    CouncillorVote,
    Declaration,
    Document,
    Item,
    Meeting,
    Page,
    Report,
    Resolution,
    Vote,
    meetings_without_records,
)
from councilarchive.ingest.councillors import CouncillorIndex
from councilarchive.ingest.parse import model as parsed

SMALL_WORDS = {"and", "of", "for", "the", "to", "in", "on", "with"}


def committee_name(body: str) -> str:
    """'CABINET' -> 'Cabinet', 'HEALTH AND WELLBEING BOARD' -> 'Health and Wellbeing Board'."""
    body = " ".join(body.split()).strip(" .,:;-")
    if body.isupper() or body.islower():
        words = body.lower().split()
        body = " ".join(
            w if (i and w in SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words)
        )
    return body[:200]


def full_council_name(council: Council) -> str:
    """The body of all councillors: 'Kent County Council' meets as 'County Council'."""
    words = council.name.split()
    if len(words) >= 2 and words[-1] == "Council" and words[-2] in {"County", "City", "Borough"}:
        return " ".join(words[-2:])
    return "Full Council"


def get_committee(council: Council, body: str) -> Committee | None:
    name = committee_name(body or "")
    if not name:
        return None
    if name.lower() in {council.name.lower(), f"the {council.name.lower()}"}:
        name = full_council_name(council)
    committee, _ = Committee.objects.get_or_create(
        council=council, slug=slugify(name)[:200], defaults={"name": name}
    )
    return committee


@dataclass
class LoadResult:
    document: Document
    counts: dict = field(default_factory=dict)
    skipped: bool = False  # the same file was already loaded: nothing changed

    def summary(self) -> str:
        c = self.counts
        return (
            f"{c.get('meetings', 0)} meetings, {c.get('items', 0)} items, "
            f"{c.get('resolutions', 0)} resolutions, {c.get('votes', 0)} votes, "
            f"{c.get('reports', 0)} reports"
        )


class _Loader:
    def __init__(self, pack: parsed.Pack, document: Document, committee: Committee | None):
        self.pack = pack
        self.document = document
        self.council = document.council
        self.committee = committee
        self.people = CouncillorIndex(self.council)
        self.meetings: set[int] = set()
        self.counts = dict(
            meetings=0,
            items=0,
            resolutions=0,
            votes=0,
            reports=0,
            attendance=0,
            declarations=0,
            pages=0,
        )

    # -- meetings -------------------------------------------------------------------------
    def meeting(self, body: str, date, time=None, venue="", held=False) -> Meeting | None:
        if date is None:
            return None
        committee = get_committee(self.council, body) or self.committee
        if committee is None:
            return None
        meeting, created = Meeting.objects.get_or_create(
            committee=committee,
            date=date,
            defaults={
                "time": time,
                "venue": venue[:500],
                "status": Meeting.Status.HELD if held else Meeting.Status.SCHEDULED,
            },
        )
        if not created and not meeting.edited:
            changed = []
            if time and not meeting.time:
                meeting.time, changed = time, [*changed, "time"]
            if venue and not meeting.venue:
                meeting.venue, changed = venue[:500], [*changed, "venue"]
            if held and meeting.status != Meeting.Status.HELD:
                meeting.status, changed = Meeting.Status.HELD, [*changed, "status"]
            if changed:
                meeting.save(update_fields=changed)
        if meeting.pk not in self.meetings:
            self.meetings.add(meeting.pk)
            self.counts["meetings"] += 1
        return meeting

    # -- the pack ---------------------------------------------------------------------------
    def run(self) -> None:
        Page.objects.bulk_create(
            Page(document=self.document, number=p.number, text=p.text[:1_000_000])
            for p in self.pages
        )
        self.counts["pages"] = len(self.pages)
        agenda_items: dict[str, Item] = {}
        agenda_meeting = None
        if self.pack.agenda is not None:
            agenda_meeting, agenda_items = self.agenda(self.pack.agenda)
        for minutes in self.pack.minutes:
            self.minutes(minutes)
        for report in self.pack.reports:
            self.report(report, agenda_meeting, agenda_items)

    def agenda(self, agenda: parsed.Agenda):
        meeting = self.meeting(agenda.body, agenda.date, agenda.time, agenda.venue)
        items: dict[str, Item] = {}
        if meeting is None:
            return None, items
        for position, a in enumerate(agenda.items):
            start, end = _page_range(a.pages)
            item = Item.objects.create(
                meeting=meeting,
                document=self.document,
                position=position,
                number=a.number[:20],
                title=a.title[:1000] or f"Item {a.number}",
                text=a.description,
                pack_pages=(a.pages or "")[:30],
                page_start=start or a.page,
                page_end=end or a.page,
            )
            items[a.number] = item
            self.counts["items"] += 1
        return meeting, items

    def minutes(self, minutes: parsed.Minutes) -> None:
        meeting = self.meeting(minutes.body, minutes.date, minutes.time, minutes.venue, held=True)
        if meeting is None:
            return
        self.attendance(meeting, minutes)
        declared: set[tuple[str, str]] = set()
        for position, m in enumerate(minutes.items):
            item = Item.objects.create(
                meeting=meeting,
                document=self.document,
                position=1000 + position,
                minute_number=m.minute_number[:20],
                title=(m.title or "Untitled")[:1000],
                text=m.text,
                page_start=m.page_start,
                page_end=m.page_end,
            )
            self.counts["items"] += 1
            resolutions = [
                Resolution.objects.create(
                    item=item,
                    document=self.document,
                    position=i,
                    number=(r.number or "")[:20],
                    text=r.text,
                    reason=r.reason,
                    alternatives=r.alternatives,
                    conflicts=r.conflicts,
                    dispensations=r.dispensations,
                    page=r.page,
                )
                for i, r in enumerate(m.resolutions)
            ]
            self.counts["resolutions"] += len(resolutions)
            for i, v in enumerate(m.votes):
                self.vote(item, resolutions[-1] if len(resolutions) == 1 else None, i, v)
            for d in m.declarations:
                declared.add((d.member, d.text))
                self.declaration(meeting, item, d)
        for d in minutes.declarations:
            if (d.member, d.text) not in declared:
                self.declaration(meeting, None, d)

    def attendance(self, meeting: Meeting, minutes: parsed.Minutes) -> None:
        taken = set(Attendance.objects.filter(meeting=meeting).values_list("councillor", flat=True))
        groups = [
            (Attendance.Role.PRESENT, minutes.present),
            (Attendance.Role.IN_ATTENDANCE, minutes.in_attendance),
            (Attendance.Role.APOLOGIES, minutes.apologies),
        ]
        rows = []
        for role, people in groups:
            for person in people:
                councillor = self.people.resolve(person.name)
                if councillor is None or councillor.pk in taken:
                    continue
                taken.add(councillor.pk)
                substitute_for = None
                if person.substitute_for:
                    substitute_for = self.people.resolve(person.substitute_for)
                rows.append(
                    Attendance(
                        meeting=meeting,
                        councillor=councillor,
                        document=self.document,
                        role=Attendance.Role.SUBSTITUTE
                        if (substitute_for and role == Attendance.Role.PRESENT)
                        else role,
                        position=person.role[:200],
                        substitute_for=substitute_for,
                        printed_name=person.name[:300],
                    )
                )
        Attendance.objects.bulk_create(rows)
        self.counts["attendance"] += len(rows)

    def vote(
        self, item: Item, resolution: Resolution | None, position: int, v: parsed.RecordedVote
    ) -> None:
        vote = Vote.objects.create(
            item=item,
            resolution=resolution,
            document=self.document,
            position=position,
            question=v.question,
            kind=v.kind if v.kind in Vote.Kind.values else Vote.Kind.OTHER,
            outcome=v.outcome or "",
            count_for=v.count_for,
            count_against=v.count_against,
            count_abstain=v.count_abstain,
            count_mismatch=v.count_mismatch,
            tally_only=v.tally_only,
            page=v.page,
        )
        self.counts["votes"] += 1
        used: set[int] = set()
        rows = []
        for option, names in (
            ("for", v.names_for),
            ("against", v.names_against),
            ("abstain", v.names_abstain),
        ):
            for name in names:
                councillor = self.people.resolve(name, exclude=used)
                if councillor is None:
                    continue
                used.add(councillor.pk)
                rows.append(
                    CouncillorVote(
                        vote=vote, councillor=councillor, option=option, printed_name=name[:300]
                    )
                )
        CouncillorVote.objects.bulk_create(rows)

    def declaration(self, meeting: Meeting, item: Item | None, d: parsed.Declaration) -> None:
        Declaration.objects.create(
            meeting=meeting,
            item=item,
            councillor=self.people.resolve(d.member) if d.member else None,
            document=self.document,
            member=(d.member or "")[:300],
            item_ref=d.item_ref[:100],
            text=d.text,
            page=d.page,
        )
        self.counts["declarations"] += 1

    def report(self, r: parsed.Report, meeting: Meeting | None, items: dict[str, Item]) -> None:
        item = items.get(r.agenda_item) if r.agenda_item else None
        Report.objects.create(
            document=self.document,
            meeting=meeting,
            item=item,
            subject=(r.subject or "Untitled report")[:1000],
            author=r.from_[:1000],
            to=r.to[:1000],
            classification=r.classification[:300],
            decision_number=r.decision_number[:50],
            past_pathway=r.past_pathway,
            future_pathway=r.future_pathway,
            electoral_division=r.electoral_division[:500],
            summary=r.summary,
            recommendations=r.recommendations,
            body=r.body,
            page_start=r.page_start,
            page_end=r.page_end,
        )
        self.counts["reports"] += 1


PAGES = re.compile(r"^(\d+)(?:\s*-\s*(\d+))?$")  # "7-16" or "7"


def _page_range(pages: str | None) -> tuple[int | None, int | None]:
    match = PAGES.match(pages or "")
    if not match:
        return None, None
    start = int(match.group(1))
    return start, int(match.group(2) or start)


def _remove_records_of(document: Document) -> None:
    """What this document contributed, except what officers have edited."""
    document.pages.all().delete()
    Report.objects.filter(document=document, edited=False).delete()
    Declaration.objects.filter(document=document).delete()
    Attendance.objects.filter(document=document, edited=False).delete()
    Vote.objects.filter(document=document, edited=False).delete()
    Resolution.objects.filter(document=document, edited=False).delete()
    Item.objects.filter(document=document, edited=False).delete()


def load(
    pack: parsed.Pack,
    document: Document,
    pages: list[parsed.PageText],
    committee: Committee | None = None,
) -> LoadResult:
    """Write a parsed pack for `document` in one transaction; returns what was created."""
    with transaction.atomic():
        _remove_records_of(document)
        loader = _Loader(pack, document, committee or document.committee)
        loader.pages = pages
        loader.run()
        meetings_without_records().delete()
        document.page_count = len(pages)
        document.counts = loader.counts
        document.problems = list(pack.problems)
        document.status = Document.Status.LOADED
        document.error = ""
        document.finished_at = timezone.now()
        if pack.agenda is not None:
            document.kind = Document.Kind.AGENDA_PACK
        elif pack.minutes:
            document.kind = Document.Kind.MINUTES
        elif pack.reports:
            document.kind = Document.Kind.REPORT
        if not document.title:
            document.title = _title(pack)[:500]
        document.save()
    return LoadResult(document=document, counts=loader.counts)


def _title(pack: parsed.Pack) -> str:
    if pack.agenda is not None and pack.agenda.date:
        return f"{committee_name(pack.agenda.body)} agenda pack, {pack.agenda.date:%-d %B %Y}"
    if pack.minutes and pack.minutes[0].date:
        m = pack.minutes[0]
        return f"{committee_name(m.body)} minutes, {m.date:%-d %B %Y}"
    if pack.reports:
        return pack.reports[0].subject
    return ""
