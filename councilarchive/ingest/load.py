"""Stage 3 of ingest: parsed dataclasses -> models, in one transaction.

`load(pack, document)` replaces whatever that document contributed before (so `--force` and a
re-parse are clean) and touches nothing another document contributed. Records an officer has
edited (`edited=True`) are kept: the re-parsed record matching one (same meeting and minute
number, position or title; same resolution number; same vote) is not created again, and where
the papers say something else the officer's value stays and the difference is listed in the
document's problems (see corrections.py).

The officer's upload choices are hints: the committee chosen for the pack is used for the pack's
own meeting (the agenda's, or the minutes' when there is no agenda) whatever body the papers
name, and the meeting date given is used when the papers have none. Other boards' minutes
appended to a pack keep their own committee. Finally the items are linked with the same matter at
other meetings (related.py).

Papers repeat each other: a minute, resolution, vote, agenda item, report, attendance or
declaration another document already put in the archive is not created again; this document
becomes one more source of it, and where the two differ the more authoritative text is used
(dedup.py, archive/provenance.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from councilarchive.archive.models import (
    Attendance,
    Committee,
    CouncillorVote,
    Declaration,
    Document,
    Item,
    Meeting,
    Page,
    Report,
    Resolution,
    Vote,
    item_reference,
    meetings_without_records,
)
from councilarchive.archive.provenance import release
from councilarchive.archive.topics import assign_topics
from councilarchive.ingest.committees import (
    committee_label,
    committee_name,
    committee_slug,
    get_committee,
)
from councilarchive.ingest.corrections import MINUTE_POSITION, Corrections
from councilarchive.ingest.councillors import CouncillorIndex, MeetingNames, classify_members
from councilarchive.ingest.dedup import Known
from councilarchive.ingest.parse import model as parsed
from councilarchive.ingest.parse.check import problem
from councilarchive.ingest.related import link_related


@dataclass
class LoadResult:
    document: Document
    counts: dict = field(default_factory=dict)
    skipped: bool = False  # the same file was already loaded: nothing changed

    def summary(self) -> str:
        c = self.counts
        known = c.get("confirmed") or {}
        already = f" ({known['items']} items already known)" if known.get("items") else ""
        return (
            f"{c.get('meetings', 0)} meetings, {c.get('items', 0)} items{already}, "
            f"{c.get('resolutions', 0)} resolutions, {c.get('votes', 0)} votes, "
            f"{c.get('reports', 0)} reports"
        )


class _Loader:
    def __init__(
        self,
        pack: parsed.Pack,
        document: Document,
        committee: Committee | None,
        kept: Corrections,
    ):
        self.pack = pack
        self.document = document
        self.council = document.council
        self.committee = committee
        self.kept = kept
        self.known = Known(document)
        self.hints: list[dict] = []
        self.date_hint = document.meeting_date_hint
        own = pack.agenda.body if pack.agenda is not None else ""
        if not own and pack.minutes:
            own = pack.minutes[0].body
        self.own_body = committee_slug(committee_label(self.council, own))
        self.people = CouncillorIndex(self.council)
        self.name_problems: list[dict] = []
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
    def committee_for(self, body: str) -> Committee | None:
        """The officer's committee for the pack's own body (or an unnamed one), else the body's."""
        label = committee_slug(committee_label(self.council, body))
        if self.committee is not None and (not label or label == self.own_body):
            return self.committee
        return get_committee(self.council, body) or self.committee

    def meeting(
        self, body: str, date, time=None, venue="", held=False, titles=(), own=False
    ) -> Meeting | None:
        if own and self.date_hint is not None:
            if date is None:
                date = self.date_hint
            elif date != self.date_hint:
                self.hints.append(
                    problem(
                        "upload_date_differs",
                        None,
                        f"The meeting date given at upload ({self.date_hint:%-d %B %Y}) differs "
                        f"from the papers' ({date:%-d %B %Y}); the papers' date is used.",
                        "meeting",
                    )
                )
        if date is None:
            return None
        committee = self.committee_for(body)
        if committee is None:
            return None
        existing = Meeting.objects.filter(committee=committee, date=date).first()
        corrected = self.kept.meeting(committee, date, titles, existing)
        meeting, created = corrected or existing, False
        if meeting is None:
            meeting, created = (
                Meeting.objects.create(
                    committee=committee,
                    date=date,
                    time=time,
                    venue=venue[:500],
                    status=Meeting.Status.HELD if held else Meeting.Status.SCHEDULED,
                ),
                True,
            )
        if meeting.edited:
            self.kept.check_meeting(meeting, time, venue[:500])
        elif not created:
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
        own_meeting = None
        if self.pack.agenda is not None:
            own_meeting, agenda_items = self.agenda(self.pack.agenda)
        for i, minutes in enumerate(self.pack.minutes):
            meeting = self.minutes(minutes, own=self.pack.agenda is None and i == 0)
            own_meeting = own_meeting or (meeting if self.pack.agenda is None else None)
        if own_meeting is None and self.pack.reports and not self.pack.minutes:
            # A standalone report: the meeting the officer named at upload, if any.
            own_meeting = self.meeting("", None, own=True)
        for report in self.pack.reports:
            self.report(report, own_meeting, agenda_items)

    def agenda(self, agenda: parsed.Agenda):
        meeting = self.meeting(
            agenda.body,
            agenda.date,
            agenda.time,
            agenda.venue,
            titles=[a.title for a in agenda.items],
            own=True,
        )
        items: dict[str, Item] = {}
        if meeting is None:
            return None, items
        for position, a in enumerate(agenda.items):
            title = a.title[:1000] or f"Item {a.number}"
            item = self.kept.item(meeting, minute=False, number=a.number, title=title)
            if item is not None:
                self.kept.check_item(item, {"number": a.number[:20], "title": title})
            else:
                values = dict(
                    number=a.number[:20],
                    title=title,
                    text=a.description,
                    pack_pages=(a.pages or "")[:30],
                )
                pages = (a.page_start or a.page, a.page_end or a.page)
                item = self.known_item(meeting, values, pages, f"agenda item {a.number}")
            if item is None:
                item = Item.objects.create(
                    meeting=meeting,
                    document=self.document,
                    position=position,
                    number=a.number[:20],
                    title=title,
                    text=a.description,
                    pack_pages=(a.pages or "")[:30],
                    # the PDF pages the printed range stands for (parse/pages.py), never past
                    # the last page; the page the item is listed on when they are not known
                    page_start=a.page_start or a.page,
                    page_end=a.page_end or a.page,
                )
            items[a.number] = item
            self.counts["items"] += 1
        return meeting, items

    def minutes(self, minutes: parsed.Minutes, own: bool = False) -> Meeting | None:
        meeting = self.meeting(
            minutes.body,
            minutes.date,
            minutes.time,
            minutes.venue,
            held=True,
            titles=[m.title for m in minutes.items],
            own=own,
        )
        if meeting is None:
            return None
        names = MeetingNames(self.people, meeting.date, self.attendance(meeting, minutes))
        declared: set[tuple[str, str]] = set()
        for position, m in enumerate(minutes.items):
            title = (m.title or "Untitled")[:1000]
            item = self.kept.item(meeting, minute=True, number=m.minute_number, title=title)
            values = {"minute_number": m.minute_number[:20], "title": title, "text": m.text}
            if item is not None:
                self.kept.check_item(item, values)
            else:
                where = f"minute {m.minute_number or title[:60]}"
                item = self.known_item(meeting, values, (m.page_start, m.page_end), where)
            if item is None:
                item = Item.objects.create(
                    meeting=meeting,
                    document=self.document,
                    position=MINUTE_POSITION + position,
                    minute_number=m.minute_number[:20],
                    title=title,
                    text=m.text,
                    page_start=m.page_start,
                    page_end=m.page_end,
                )
            self.counts["items"] += 1
            resolutions = [self.resolution(item, i, r) for i, r in enumerate(m.resolutions)]
            self.counts["resolutions"] += len(resolutions)
            for i, v in enumerate(m.votes):
                self.vote(item, resolutions[-1] if len(resolutions) == 1 else None, i, v, names)
            for d in m.declarations:
                declared.add((d.member, d.text))
                self.declaration(meeting, item, d, names)
        for d in minutes.declarations:
            if (d.member, d.text) not in declared:
                self.declaration(meeting, None, d, names)
        return meeting

    # -- records other documents already gave (dedup.py) ---------------------------------------
    def known_item(self, meeting: Meeting, values: dict, pages, where: str) -> Item | None:
        """The item another document already recorded for this agenda item or minute, with
        this document added as one more source of it."""
        minute = "minute_number" in values
        number = values["minute_number" if minute else "number"]
        item = self.known.item(
            meeting, minute=minute, number=number, title=values["title"], text=values["text"]
        )
        if item is not None:
            self.known.confirm(item, values, pages, where=f"{where} at {meeting}")
        return item

    def elsewhere(self, item: Item) -> bool:
        """Could other documents have records under this item (it is not new in this load)?"""
        return item.edited or ("Item", item.pk) in self.known.claimed

    @staticmethod
    def label(item: Item) -> str:
        if item.minute_number:
            return f"minute {item.minute_number} at {item.meeting}"
        return f"item “{item.title[:60]}” at {item.meeting}"

    def resolution(self, item: Item, position: int, r: parsed.Resolution) -> Resolution:
        values = dict(
            number=(r.number or "")[:20],
            text=r.text,
            reason=r.reason,
            alternatives=r.alternatives,
            conflicts=r.conflicts,
            dispensations=r.dispensations,
        )
        kept = self.kept.resolution(item, position, values["number"], r.text)
        if kept is not None:
            self.kept.compare(f"resolution {kept.number or position + 1} of {item}", kept, values)
            return kept
        if self.elsewhere(item):
            known = self.known.resolution(item, position, values["number"], r.text)
            if known is not None:
                where = f"resolution {r.number or position + 1} of {self.label(item)}"
                self.known.confirm(known, values, (r.page, None), where=where)
                return known
        return Resolution.objects.create(
            item=item, document=self.document, position=position, page=r.page, **values
        )

    def attendance(self, meeting: Meeting, minutes: parsed.Minutes) -> list:
        """Attendance rows for the minutes' lists; returns the people seated at the meeting
        (present or substituting, whichever document listed them), to resolve its votes by.
        A row another document already gave is confirmed (one more source), not repeated."""
        earlier = Attendance.objects.filter(meeting=meeting)
        taken = set(earlier.values_list("councillor", flat=True))
        seated = {
            a.councillor_id: a.councillor
            for a in earlier.filter(role__in=SEATED_NOW).select_related("councillor")
        }
        known = self.known.attendance(meeting)
        groups = [
            (Attendance.Role.PRESENT, minutes.present),
            (Attendance.Role.IN_ATTENDANCE, minutes.in_attendance),
            (Attendance.Role.APOLOGIES, minutes.apologies),
        ]
        rows = []
        for role, people in groups:
            for person in people:
                councillor = self.people.resolve(person.name)
                if councillor is None:
                    continue
                substitute_for = None
                if person.substitute_for:
                    substitute_for = self.people.resolve(person.substitute_for)
                as_role = role
                if substitute_for and role == Attendance.Role.PRESENT:
                    as_role = Attendance.Role.SUBSTITUTE
                if councillor.pk in known:
                    values = dict(
                        role=as_role,
                        position=person.role[:200],
                        substitute_for_id=substitute_for.pk if substitute_for else None,
                    )
                    self.known.confirm(
                        self.known.claim(known.pop(councillor.pk)),
                        values,
                        where=f"attendance of {person.name[:100]} at {meeting}",
                    )
                    continue
                if councillor.pk in taken:
                    self.kept.check_attendance(meeting, councillor, as_role)
                    continue
                taken.add(councillor.pk)
                rows.append(
                    Attendance(
                        meeting=meeting,
                        councillor=councillor,
                        document=self.document,
                        role=as_role,
                        position=person.role[:200],
                        substitute_for=substitute_for,
                        printed_name=person.name[:300],
                    )
                )
        Attendance.objects.bulk_create(rows)
        self.counts["attendance"] += len(rows)
        seated.update((a.councillor_id, a.councillor) for a in rows if a.role in SEATED_NOW)
        return list(seated.values())

    def name_problem(self, message: str, page: int | None, where: str) -> None:
        self.name_problems.append(
            {"kind": "unresolved_name", "page": page, "message": message, "where": where}
        )

    def vote(
        self,
        item: Item,
        resolution: Resolution | None,
        position: int,
        v: parsed.RecordedVote,
        names: MeetingNames,
    ) -> None:
        kind = v.kind if v.kind in Vote.Kind.values else Vote.Kind.OTHER
        values = dict(
            question=v.question,
            kind=kind,
            outcome=v.outcome or "",
            count_for=v.count_for,
            count_against=v.count_against,
            count_abstain=v.count_abstain,
        )
        self.counts["votes"] += 1
        used: set[int] = set()
        options: dict = {}
        printed: dict[int, str] = {}
        for option, printed_names in (
            ("for", v.names_for),
            ("against", v.names_against),
            ("abstain", v.names_abstain),
        ):
            for name in printed_names:
                found = names.resolve(name, exclude=used)
                councillor = found.councillor
                if councillor is None:
                    continue
                if found.problem:
                    where = f"minute {item.minute_number or item.title[:40]}, vote {position + 1}"
                    self.name_problem(found.problem, v.page, where)
                used.add(councillor.pk)
                options[councillor] = option
                printed[councillor.pk] = name[:300]
        kept = self.kept.vote(item, position, kind)
        if kept is not None:
            self.kept.check_vote(kept, values, options)
            return
        if self.elsewhere(item):
            record = dict(
                values,
                count_mismatch=v.count_mismatch,
                tally_only=v.tally_only,
                names={str(c.pk): o for c, o in options.items()},
            )
            known = self.known.vote(item, position, record)
            if known is not None:
                where = f"vote {position + 1} on {self.label(item)}"
                self.known.confirm(known, record, (v.page, None), where=where)
                return
        vote = Vote.objects.create(
            item=item,
            resolution=resolution,
            document=self.document,
            position=position,
            count_mismatch=v.count_mismatch,
            tally_only=v.tally_only,
            page=v.page,
            mover=v.mover[:200],
            seconder=v.seconder[:200],
            question_unclear=v.question_unclear,
            **values,
        )
        CouncillorVote.objects.bulk_create(
            CouncillorVote(vote=vote, councillor=c, option=o, printed_name=printed[c.pk])
            for c, o in options.items()
        )

    def declaration(
        self, meeting: Meeting, item: Item | None, d: parsed.Declaration, names: MeetingNames
    ) -> None:
        member = (d.member or "")[:300]
        known = self.known.declaration(meeting, member, d.text)
        if known is not None:
            values = dict(member=member, item_ref=item_reference(d.item_ref)[:100], text=d.text)
            where = f"declaration by {member[:100]} at {meeting}"
            self.known.confirm(known, values, (d.page, None), where=where)
            return
        found = names.resolve(d.member) if d.member else None
        if found is not None and found.problem:
            self.name_problem(found.problem, d.page, f"declaration by {d.member}")
        Declaration.objects.create(
            meeting=meeting,
            item=item,
            councillor=found.councillor if found else None,
            document=self.document,
            member=(d.member or "")[:300],
            item_ref=item_reference(d.item_ref)[:100],
            text=d.text,
            page=d.page,
        )
        self.counts["declarations"] += 1

    def report(self, r: parsed.Report, meeting: Meeting | None, items: dict[str, Item]) -> None:
        item = items.get(r.agenda_item) if r.agenda_item else None
        values = dict(
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
        )
        self.counts["reports"] += 1
        kept = self.kept.report(r.page_start, values["subject"])
        if kept is not None:
            self.kept.compare(f"report “{kept.subject[:60]}”", kept, values)
            kept.refresh_from_db(fields=["item", "meeting"])  # SET_NULL by the removal
            _relink(kept, item, meeting)  # its item was parsed again: point at the new one
            return
        known = self.known.report(meeting, values["subject"])
        if known is not None:
            pages = (r.page_start, r.page_end)
            where = f"report “{values['subject'][:60]}”"
            self.known.confirm(known, {**values, "body": r.body}, pages, where=where)
            _relink(known, item, meeting)
            return
        Report.objects.create(
            document=self.document,
            meeting=meeting,
            item=item,
            body=r.body,
            page_start=r.page_start,
            page_end=r.page_end,
            **values,
        )


SEATED_NOW = (Attendance.Role.PRESENT, Attendance.Role.SUBSTITUTE)


def _relink(report: Report, item: Item | None, meeting: Meeting | None) -> None:
    """Point a report that has no item or meeting at this pack's."""
    relink = {"item": item, "meeting": meeting}
    relink = {
        k: v for k, v in relink.items() if v is not None and getattr(report, f"{k}_id") is None
    }
    for name, value in relink.items():
        setattr(report, name, value)
    if relink:
        report.save(update_fields=list(relink))


def _remove_records_of(document: Document) -> None:
    """What this document contributed, except what officers have edited; records other
    documents also print pass to them (provenance.release), and its own confirmations go."""
    release([document], edited=False)
    document.confirmed.all().delete()
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
        kept = Corrections(document)
        _remove_records_of(document)
        _describe(document, pack)
        loader = _Loader(pack, document, committee or document.committee, kept)
        loader.pages = pages
        loader.run()
        loader.known.save()
        loader.counts["confirmed"] = dict(loader.known.confirmed)
        meetings_without_records().delete()
        classify_members(document.council)
        loader.counts["related"] = link_related(document)
        # File the new records under topics by the rules now, in the same transaction.
        loader.counts["topics"] = sum(assign_topics(documents=[document]).values())
        document.page_count = len(pages)
        document.counts = loader.counts
        document.problems = [
            *_not_said_twice(pack.problems, loader.name_problems),
            *loader.hints,
            *kept.conflicts,
            *loader.name_problems,
            *loader.known.problems,
        ]
        document.status = Document.Status.LOADED
        document.error = ""
        document.finished_at = timezone.now()
        document.save()
    return LoadResult(document=document, counts=loader.counts)


# parse's "Miss S Carey (For) is not in the meeting's attendance list." and the loader's
# "“Miss S Carey” is not in the meeting's attendance list; kept apart …": one doubt, two voices
VOTER_NOT_PRESENT = re.compile(r"^(?P<name>.+) \((?:For|Against|Abstain)\) is not in")
KEPT_APART = re.compile(r"^“(?P<name>[^”]+)” is not in")


def _not_said_twice(parse_problems, name_problems) -> list[dict]:
    """The parser's problems less each `voter_not_present` the loader reports again for the same
    name on the same page: its `unresolved_name` says the same and what was done about it (the
    name kept apart for an officer to match, which the review page offers to merge)."""
    kept_apart = {
        (p["page"], m.group("name"))
        for p in name_problems
        for m in [KEPT_APART.match(p["message"])]
        if m
    }
    out = []
    for p in parse_problems:
        m = VOTER_NOT_PRESENT.match(p["message"]) if p["kind"] == "voter_not_present" else None
        if m and (p["page"], m.group("name")) in kept_apart:
            continue
        out.append(p)
    return out


def _describe(document: Document, pack: parsed.Pack) -> None:
    """What the papers are and their own date, before loading: they decide whose text a record
    printed in several documents carries (provenance.authority)."""
    if pack.agenda is not None:
        document.kind = Document.Kind.AGENDA_PACK
    elif pack.minutes:
        document.kind = Document.Kind.MINUTES
    elif pack.reports:
        document.kind = Document.Kind.REPORT
    if not document.title:
        document.title = _title(pack)[:500]
    own = pack.agenda.date if pack.agenda is not None else None
    minutes = next((m.date for m in pack.minutes if m.date), None)
    document.issued = own or minutes or document.meeting_date_hint


def _title(pack: parsed.Pack) -> str:
    if pack.agenda is not None and pack.agenda.date:
        return f"{committee_name(pack.agenda.body)} agenda pack, {pack.agenda.date:%-d %B %Y}"
    if pack.minutes and pack.minutes[0].date:
        m = pack.minutes[0]
        return f"{committee_name(m.body)} minutes, {m.date:%-d %B %Y}"
    if pack.reports:
        return pack.reports[0].subject
    return ""
