"""Papers that repeat each other (issue 18): before `load` creates a record it asks `Known` whether
another document already put the same record in the archive; if so, this document becomes one
more source of it (a RecordSource), not a second record.

The same record is, within the same meeting (committee and date, as `load` finds it):
- an agenda item with the same item number ("5"), else the same title (a front sheet and its
  supplement pack); a minute with the same minute number ("23"), or where unnumbered the same
  heading and text (else the same heading, when only one unnumbered minute has it);
- within that item, a resolution with the same text, else the same number ("(3)"), else the same
  position (a reworded resolution in a corrected re-issue);
- a vote with the same kind, counts and names, else the same position (a name moved from Against
  to For);
- the same councillor's attendance; a declaration by the same member in the same words;
- a report with the same subject at the same meeting (or one of them has no meeting: a report in a
  pack and the same report as its own PDF).
Where the two differ, the more authoritative document's text is used (archive/provenance.py), the
other is kept as the RecordSource's version, and the difference, field by field, is a problem on
the document being loaded.
"""

from __future__ import annotations

from collections import Counter

from councilarchive.archive.models import (
    Attendance,
    Declaration,
    Document,
    Item,
    Meeting,
    RecordSource,
    Report,
    Resolution,
    Vote,
)
from councilarchive.archive.provenance import (
    PLURAL,
    SOURCE_FIELD,
    authority,
    differences,
    take_over,
    values_of,
    version_of,
)
from councilarchive.ingest.corrections import MINUTE_POSITION, _norm

NO_VECTOR = ("search_vector",)
UNTITLED_REPORT = "untitled report"  # load's subject for a report whose subject did not parse


class Known:
    """The records of other documents a load meets, one query per meeting or item asked about."""

    def __init__(self, document: Document):
        self.document = document
        self.rows: list[RecordSource] = []
        self.problems: list[dict] = []
        self.confirmed: Counter = Counter()
        self.claimed: set[tuple[str, int]] = set()
        self._cache: dict[tuple[str, int], list] = {}
        self._owners: dict[int, Document] = {document.pk: document}

    def _others(self, key: tuple[str, int], queryset) -> list:
        if key not in self._cache:
            self._cache[key] = list(queryset.exclude(document=self.document))
        return [r for r in self._cache[key] if (type(r).__name__, r.pk) not in self.claimed]

    def claim(self, record):
        if record is not None:
            self.claimed.add((type(record).__name__, record.pk))
        return record

    # -- matching -------------------------------------------------------------------------------
    def item(self, meeting: Meeting, *, minute: bool, number: str, title: str, text: str = ""):
        field = "minute_number" if minute else "number"
        here = [
            i
            for i in self._others(
                ("items", meeting.pk), Item.objects.filter(meeting=meeting).defer(*NO_VECTOR)
            )
            if (i.position >= MINUTE_POSITION) == minute
        ]
        if number:
            match = next((i for i in here if _norm(getattr(i, field)) == _norm(number)), None)
            if match is not None or minute:
                return self.claim(match)
        unnumbered = [i for i in here if not getattr(i, field)] if minute else here
        titled = [i for i in unnumbered if _norm(i.title) == _norm(title)]
        match = next((i for i in titled if _norm(i.text) == _norm(text)), None)
        if match is None and len(titled) == 1 and _norm(title) != "untitled":
            match = titled[0]
        return self.claim(match)

    def resolution(self, item: Item, position: int, number: str, text: str):
        mine = self._others(
            ("resolutions", item.pk), Resolution.objects.filter(item=item).defer(*NO_VECTOR)
        )
        match = next((r for r in mine if _norm(r.text) == _norm(text)), None)
        if match is None and number:
            match = next((r for r in mine if _norm(r.number) == _norm(number)), None)
        if match is None:
            match = next((r for r in mine if r.position == position), None)
        return self.claim(match)

    def vote(self, item: Item, position: int, values: dict):
        """`values`: the parsed vote's fields and "names" ({councillor id: option})."""
        mine = self._others(
            ("votes", item.pk), Vote.objects.filter(item=item).prefetch_related("councillor_votes")
        )
        keys = ("kind", "count_for", "count_against", "count_abstain", "names")
        same = [v for v in mine if all(values_of(v)[k] == values[k] for k in keys)]
        match = same[0] if same else None
        match = match or next(
            (v for v in mine if v.position == position and v.kind == values["kind"]), None
        )
        match = match or next((v for v in mine if v.position == position), None)
        return self.claim(match)

    def attendance(self, meeting: Meeting) -> dict[int, Attendance]:
        """{councillor id: Attendance} another document recorded at this meeting."""
        rows = self._others(("attendance", meeting.pk), Attendance.objects.filter(meeting=meeting))
        return {a.councillor_id: a for a in rows}

    def declaration(self, meeting: Meeting, member: str, text: str):
        rows = self._others(
            ("declarations", meeting.pk), Declaration.objects.filter(meeting=meeting)
        )
        match = next(
            (d for d in rows if _norm(d.member) == _norm(member) and _norm(d.text) == _norm(text)),
            None,
        )
        return self.claim(match)

    def report(self, meeting: Meeting | None, subject: str):
        if _norm(subject) in ("", UNTITLED_REPORT):
            return None  # a placeholder names no report
        reports = Report.objects.filter(
            document__council=self.document.council_id, subject__iexact=subject.strip()
        ).exclude(document=self.document)
        match = next(
            (
                r
                for r in reports.defer(*NO_VECTOR)
                if ("Report", r.pk) not in self.claimed
                and (meeting is None or r.meeting_id is None or r.meeting_id == meeting.pk)
            ),
            None,
        )
        return self.claim(match)

    # -- one more source ------------------------------------------------------------------------
    def _owner(self, pk: int) -> Document:
        if pk not in self._owners:
            self._owners[pk] = Document.objects.get(pk=pk)
        return self._owners[pk]

    def confirm(self, record, values: dict, pages=(None, None), *, where: str = "") -> None:
        """This document prints `record` too (with these values, on these pages): a RecordSource,
        the record's text from the more authoritative of the two, a problem where they differ."""
        model = type(record)
        current = values_of(record)
        row = RecordSource(
            document=self.document,
            page_start=pages[0],
            page_end=pages[1],
            version=version_of(values, current),
            **{SOURCE_FIELD[model]: record},
        )
        owner = self._owner(record.document_id)
        self.confirmed[PLURAL[SOURCE_FIELD[model]]] += 1
        ours = {**current, **values}
        if not getattr(record, "edited", False) and authority(self.document) > authority(owner):
            row = take_over(record, row)
            lines, used, other = differences(model, ours, current), self.document, owner
        else:
            lines, used, other = differences(model, current, ours), owner, self.document
        self.rows.append(row)
        if lines:
            kept = (
                "an officer's correction"
                if getattr(record, "edited", False)
                else f"the text of {used}"
            )
            self.problems.append(
                {
                    "kind": "version_differs",
                    "page": pages[0],
                    "message": (
                        f"{where or record}: {used} / {other} differ: {'; '.join(lines)}. "
                        f"Kept {kept}."
                    )[:1000],
                    "where": where,
                }
            )

    def save(self) -> None:
        RecordSource.objects.bulk_create(self.rows)
        self.rows = []
