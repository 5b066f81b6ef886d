"""Officers' corrections meet a re-parse: match each re-parsed record to the edited one it stands
for, keep the officer's version, and note where the papers now say something else.

Before `load` removes a document's records it takes `Corrections(document)`: the records officers
edited (`edited=True`) and the meetings the document spoke of (with its item titles there, so a
meeting whose date or committee was corrected is still recognised). `load` asks it for a match
before creating each meeting, item, resolution, vote and report; a matched record is reused, not
duplicated, and every field where the parsed value differs from the officer's is recorded in
`conflicts` (shown with the document's problems in the admin).
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from councilarchive.archive.models import (
    Attendance,
    Document,
    Item,
    Meeting,
    Report,
    Resolution,
    Vote,
)
from councilarchive.ingest.parse.check import problem

MINUTE_POSITION = 1000  # minute items come after the agenda's items in a meeting's order


def _norm(text) -> str:
    return " ".join(str(text or "").split()).casefold()


def _short(value, limit: int = 80) -> str:
    text = " ".join(str(value if value is not None else "").split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


class Corrections:
    def __init__(self, document: Document):
        self.document = document
        self.conflicts: list[dict] = []
        self.claimed: set[tuple[str, int]] = set()
        mine = (
            Q(items__document=document)
            | Q(attendance__document=document)
            | Q(reports__document=document)
            | Q(declarations__document=document)
        )
        self.previous = {m.pk: m for m in Meeting.objects.filter(mine).distinct()}
        self.titles: dict[int, set[str]] = defaultdict(set)
        for meeting_id, title in Item.objects.filter(document=document).values_list(
            "meeting_id", "title"
        ):
            self.titles[meeting_id].add(_norm(title))
        self.items = list(Item.objects.filter(document=document, edited=True))
        self.resolutions = defaultdict(list)
        for r in Resolution.objects.filter(document=document, edited=True):
            self.resolutions[r.item_id].append(r)
        self.votes = defaultdict(list)
        for v in Vote.objects.filter(document=document, edited=True).prefetch_related(
            "councillor_votes"
        ):
            self.votes[v.item_id].append(v)
        self.reports = list(Report.objects.filter(document=document, edited=True))
        self.attendance = {
            (a.meeting_id, a.councillor_id): a
            for a in Attendance.objects.filter(document=document, edited=True)
        }

    def note(self, record: str, field: str, parsed, kept) -> None:
        """One of the document's problems: the officer's value stays."""
        line = problem(
            "correction_kept",
            None,
            f"Kept an officer's correction: {record}: {field} {_short(kept)} "
            f"(the papers say {_short(parsed)}).",
            record,
        )
        if line not in self.conflicts:
            self.conflicts.append(line)

    def _claim(self, record) -> bool:
        key = (type(record).__name__, record.pk)
        if key in self.claimed:
            return False
        self.claimed.add(key)
        return True

    def compare(self, label: str, record, values: dict) -> None:
        for name, parsed in values.items():
            kept = getattr(record, name)
            if parsed in (None, "") or _norm(parsed) == _norm(kept):
                continue
            field = record._meta.get_field(name).verbose_name
            self.note(label, field, parsed, kept)

    # -- meetings --------------------------------------------------------------------------------
    def meeting(self, committee, date, titles, existing: Meeting | None) -> Meeting | None:
        """The corrected meeting that the parsed (committee, date) stands for, if an officer
        changed its date or committee: the document's edited meeting with the most item titles
        in common with the parsed ones."""
        if existing is not None and existing.pk in self.previous:
            return None
        wanted = {_norm(t) for t in titles if t}
        best, best_shared = None, 0
        for meeting in self.previous.values():
            if not meeting.edited or ("Meeting", meeting.pk) in self.claimed:
                continue
            if (meeting.committee_id, meeting.date) == (committee.pk, date):
                continue
            shared = len(wanted & self.titles.get(meeting.pk, set()))
            if shared > best_shared:
                best, best_shared = meeting, shared
        if best is None:
            return None
        self.claimed.add(("Meeting", best.pk))
        label = f"meeting {best}"
        if best.committee_id != committee.pk:
            self.note(label, "committee", committee.name, best.committee.name)
        if best.date != date:
            self.note(label, "date", f"{date:%-d %B %Y}", f"{best.date:%-d %B %Y}")
        return best

    def check_meeting(self, meeting: Meeting, time, venue) -> None:
        if meeting.edited:
            self.compare(f"meeting {meeting}", meeting, {"time": time, "venue": venue})

    # -- items -----------------------------------------------------------------------------------
    def item(self, meeting: Meeting, *, minute: bool, number: str, title: str) -> Item | None:
        """The edited item standing for a parsed agenda item or minute: same meeting, and the same
        minute / item number, else the same title."""
        field = "minute_number" if minute else "number"
        candidates = [
            i
            for i in self.items
            if ("Item", i.pk) not in self.claimed and (i.position >= MINUTE_POSITION) == minute
        ]
        here = [i for i in candidates if i.meeting_id == meeting.pk]
        match = None
        if number:
            match = next((i for i in here if _norm(getattr(i, field)) == _norm(number)), None)
        if match is None:
            match = next((i for i in here if _norm(i.title) == _norm(title)), None)
        if match is None and number:  # moved to another meeting by the officer
            match = next(
                (
                    i
                    for i in candidates
                    if _norm(getattr(i, field)) == _norm(number) and _norm(i.title) == _norm(title)
                ),
                None,
            )
        if match is not None:
            self._claim(match)
        return match

    def check_item(self, item: Item, values: dict) -> None:
        label = f"item {item.minute_number or item.number or ''} at {item.meeting}".replace(
            "item  at", "item at"
        )
        self.compare(label, item, values)

    def resolution(self, item: Item, position: int, number: str, text: str) -> Resolution | None:
        mine = [
            r for r in self.resolutions.get(item.pk, []) if ("Resolution", r.pk) not in self.claimed
        ]
        match = None
        if number:
            match = next((r for r in mine if _norm(r.number) == _norm(number)), None)
        if match is None:
            match = next((r for r in mine if _norm(r.text) == _norm(text)), None)
        if match is None:
            match = next((r for r in mine if r.position == position), None)
        if match is not None:
            self._claim(match)
        return match

    def vote(self, item: Item, position: int, kind: str) -> Vote | None:
        mine = [v for v in self.votes.get(item.pk, []) if ("Vote", v.pk) not in self.claimed]
        match = next((v for v in mine if v.position == position and v.kind == kind), None)
        match = match or next((v for v in mine if v.position == position), None)
        if match is not None:
            self._claim(match)
        return match

    def check_vote(self, vote: Vote, values: dict, options: dict) -> None:
        """`options`: {councillor: option} as parsed, against the officer's CouncillorVotes."""
        label = f"{vote.get_kind_display().lower()} vote on item {vote.item}"
        self.compare(label, vote, values)
        kept = {cv.councillor_id: cv for cv in vote.councillor_votes.all()}
        for councillor, option in options.items():
            row = kept.get(councillor.pk)
            if row is None:
                self.note(label, f"{councillor}'s vote", option, "none")
            elif row.option != option:
                self.note(label, f"{councillor}'s vote", option, row.option)

    def report(self, page_start, subject: str) -> Report | None:
        mine = [r for r in self.reports if ("Report", r.pk) not in self.claimed]
        match = next((r for r in mine if page_start and r.page_start == page_start), None)
        match = match or next((r for r in mine if _norm(r.subject) == _norm(subject)), None)
        if match is not None:
            self._claim(match)
        return match

    def check_attendance(self, meeting: Meeting, councillor, role: str) -> None:
        kept = self.attendance.get((meeting.pk, councillor.pk))
        if kept is not None and kept.role != role:
            self.note(f"attendance of {councillor} at {meeting}", "role", role, kept.role)
