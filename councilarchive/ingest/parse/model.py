"""The parser's output: plain frozen dataclasses, no Django, no database.

`parse(pages) -> Pack` fills these; `load(pack, document)` turns them into models.
Every record keeps the (1-based) page numbers of the PDF it came from.
Names are kept as printed (cleaned of split commas and stray whitespace);
councillor resolution happens at load time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from councilarchive.archive.plaintext import clean


@dataclass(frozen=True)
class PageText:
    number: int  # 1-based page number in the PDF
    text: str

    def __post_init__(self):
        # Every extractor's text passes here: a control character a PDF font maps a glyph to
        # (U+0007) is dropped before anything stores or parses it.
        object.__setattr__(self, "text", clean(self.text))


@dataclass(frozen=True)
class AgendaItem:
    number: str  # "3", "7a"
    title: str
    pages: str | None = None  # pack page range as printed, normalised: "7-16" or "7"
    description: str = ""  # the "To receive ..." line(s) under the title
    page: int | None = None  # PDF page the item is listed on
    # the PDF pages the printed range stands for (see agenda.link_pages); None when unknown
    page_start: int | None = None
    page_end: int | None = None


@dataclass(frozen=True)
class Agenda:
    body: str  # "County Council", "Cabinet", "Health and Wellbeing Board"
    date: dt.date | None
    time: dt.time | None
    venue: str
    items: tuple[AgendaItem, ...] = ()
    membership: tuple[str, ...] = ()
    page_start: int | None = None
    page_end: int | None = None


@dataclass(frozen=True)
class Attendee:
    name: str  # as printed, e.g. "Mr P B Carter, CBE" (honours stay with the name)
    role: str = ""  # bracketed role, e.g. "Chairman", "Vice-Chairman"
    substitute_for: str | None = None  # "Mr X (Substitute for Mr Y)"


@dataclass(frozen=True)
class Declaration:
    member: str
    item_ref: str  # the minute/agenda item it relates to, as printed ("Minute 5", "Item 7") or ""
    text: str
    page: int | None = None


@dataclass(frozen=True)
class Resolution:
    text: str
    number: str | None = None  # "(3)" within its minute, when numbered
    reason: str = ""  # Cabinet decision tables: REASON
    alternatives: str = ""  # ALTERNATIVE OPTIONS CONSIDERED
    conflicts: str = ""  # CONFLICTS OF INTEREST
    dispensations: str = ""  # DISPENSATIONS GRANTED
    form: str = ""  # how it was introduced: "RESOLVED that", "It was APPROVED that", ...
    page: int | None = None


@dataclass(frozen=True)
class RecordedVote:
    kind: str  # "motion" | "amendment" | "substantive motion" | "other"
    question: str = ""  # what was voted on, as the minutes put it
    count_for: int | None = None
    count_against: int | None = None
    count_abstain: int | None = None
    names_for: tuple[str, ...] = ()
    names_against: tuple[str, ...] = ()
    names_abstain: tuple[str, ...] = ()
    outcome: str | None = None  # "carried" | "lost" | None
    count_mismatch: bool = False  # a printed count differs from the names listed
    tally_only: bool = False  # counts without names ("CARRIED (5 voting FOR, 4 voting AGAINST)")
    page: int | None = None
    # "(2) Mr Bird proposed and Mrs Dean seconded the following amendment:" — as printed
    mover: str = ""
    seconder: str = ""
    # the motion or amendment as printed was not found: `question` is the announcing sentence
    question_unclear: bool = False


@dataclass(frozen=True)
class MinuteItem:
    minute_number: str  # "23", "23." cleaned to "23"; "" when unnumbered
    title: str
    text: str = ""
    resolutions: tuple[Resolution, ...] = ()
    votes: tuple[RecordedVote, ...] = ()
    declarations: tuple[Declaration, ...] = ()
    page_start: int | None = None
    page_end: int | None = None


@dataclass(frozen=True)
class Minutes:
    body: str
    date: dt.date | None
    time: dt.time | None = None
    venue: str = ""
    present: tuple[Attendee, ...] = ()
    in_attendance: tuple[Attendee, ...] = ()  # officers / others "ALSO PRESENT", "IN ATTENDANCE"
    apologies: tuple[Attendee, ...] = ()
    declarations: tuple[Declaration, ...] = ()  # all declarations, meeting-wide
    items: tuple[MinuteItem, ...] = ()
    page_start: int | None = None
    page_end: int | None = None


@dataclass(frozen=True)
class Report:
    subject: str
    from_: str = ""  # "From:" / "By:"
    to: str = ""
    classification: str = ""
    decision_number: str = ""
    past_pathway: str = ""
    future_pathway: str = ""
    electoral_division: str = ""
    summary: str = ""
    recommendations: str = ""
    body: str = ""
    agenda_item: str | None = None  # agenda item number the report belongs to, when known
    page_start: int | None = None
    page_end: int | None = None


@dataclass(frozen=True)
class Pack:
    pages: int
    agenda: Agenda | None = None
    minutes: tuple[Minutes, ...] = ()
    reports: tuple[Report, ...] = ()
    # every doubt about the parse: {"kind", "page", "message", "where"} (see parse/check.py)
    problems: tuple[dict, ...] = field(default=())


def _iso(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value


def to_json(pack: Pack) -> dict:
    """The `parse_pack --json` shape (issue #3); extra keys are allowed and kept."""

    def names(people):
        return [p.name for p in people]

    def vote(v: RecordedVote) -> dict:
        return {
            "kind": v.kind,
            "question": v.question,
            "counts": {"for": v.count_for, "against": v.count_against, "abstain": v.count_abstain},
            "for": list(v.names_for),
            "against": list(v.names_against),
            "abstain": list(v.names_abstain),
            "outcome": v.outcome,
            "count_mismatch": v.count_mismatch,
            "tally_only": v.tally_only,
            "page": v.page,
            "mover": v.mover,
            "seconder": v.seconder,
            "question_unclear": v.question_unclear,
        }

    def declaration(d: Declaration) -> dict:
        return {"member": d.member, "item_ref": d.item_ref, "text": d.text, "page": d.page}

    agenda = None
    if pack.agenda is not None:
        a = pack.agenda
        agenda = {
            "body": a.body,
            "date": _iso(a.date),
            "time": _iso(a.time),
            "venue": a.venue,
            "items": [{"number": i.number, "title": i.title, "pages": i.pages} for i in a.items],
            "page_start": a.page_start,
            "page_end": a.page_end,
        }
    minutes = [
        {
            "body": m.body,
            "date": _iso(m.date),
            "time": _iso(m.time),
            "venue": m.venue,
            "present": names(m.present),
            "in_attendance": names(m.in_attendance),
            "apologies": names(m.apologies),
            "declarations": [declaration(d) for d in m.declarations],
            "page_start": m.page_start,
            "page_end": m.page_end,
            "items": [
                {
                    "minute_number": i.minute_number,
                    "title": i.title,
                    "resolutions": [r.text for r in i.resolutions],
                    "votes": [vote(v) for v in i.votes],
                    "declarations": [declaration(d) for d in i.declarations],
                    "page_start": i.page_start,
                    "page_end": i.page_end,
                }
                for i in m.items
            ],
        }
        for m in pack.minutes
    ]
    reports = [
        {
            "subject": r.subject,
            "from": r.from_,
            "to": r.to,
            "classification": r.classification,
            "decision_number": r.decision_number,
            "summary": r.summary,
            "recommendations": r.recommendations,
            "page_start": r.page_start,
            "page_end": r.page_end,
        }
        for r in pack.reports
    ]
    return {
        "pages": pack.pages,
        "agenda": agenda,
        "minutes": minutes,
        "reports": reports,
        "problems": list(pack.problems),
    }


def replace(obj, **changes):
    """dataclasses.replace, re-exported so parser modules need one import."""
    return dataclasses.replace(obj, **changes)
