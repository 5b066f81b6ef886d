"""Follow an item across meetings: link the occurrences of one matter (`Item.related`, both ways).

A matter is seen at several meetings when
- the same subject comes back: "Local Transport Plan 4: Delivering Growth without Gridlock" at
  Cabinet (27 March 2017) and at County Council (13 July 2017); "Draft Cultural Strategy" at
  Cabinet and "Cultural Strategy" at County Council (titles compared without "draft", "report",
  punctuation and small words; dates, years and numbers must agree, so "Quarterly Performance
  Report, Quarter 4, 2016/17" and "… 2017/18 - Quarter 2" stay apart);
- a report's "Future Pathway of Paper: County Council" or "Past Pathway: … Cabinet Committee -
  30 March 2017" names the committee (and date) where it goes next or came from;
- a resolution says "be recommended to County Council for adoption";
- two reports carry the same decision number ("17/00123").
Procedural items that every meeting has (apologies, minutes of the last meeting, questions, the
work programme…) are never linked. `link_related(document)` compares the document's items with the
council's items at other meetings, so a document loaded later links back to earlier ones.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from councilarchive.archive.models import Committee, Document, Item, Report
from councilarchive.ingest.committees import committee_name
from councilarchive.ingest.parse.dates import find_date

# Items every meeting has: "Apologies for Absence", "Minutes of the Meeting held on 27 March 2017",
# "Report by Leader of the Council (Oral)", "Date of Next Meeting - 27 January 2016", "AOB:"
PROCEDURAL = re.compile(
    r"^\W*(?:apolog|declarations?\b|minutes?\b|chairman'?s|welcome|introduction|questions?\b"
    r"|report by (?:the )?leader|date of (?:the )?next|dates? of meetings|meeting dates"
    r"|any other business|aob\b|urgent (?:items|business)|matters arising|items outstanding"
    r"|motion (?:to exclude|for time limited)|exclusion of|exempt|information exchange"
    r"|petitions?\b|election of|appointment of (?:the )?(?:vice|chair))"
    r"|\bwork programme\b",
    re.IGNORECASE,
)
WORD = re.compile(r"[a-z0-9]+")  # "2016/17" -> "2016", "17"
SMALL = {"a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "the", "to", "s"}
GENERIC = {"draft", "report", "update", "final", "paper", "item", "proposed"}
MONTHS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "quarter",
}
# "That the Local Transport Plan 4 be recommended to County Council for adoption."
RECOMMENDED_TO = re.compile(
    r"\brecommend(?:s|ed)?\s+(?:it\s+)?to\s+(?:the\s+)?(?P<body>(?:[A-Z][\w'&]*\s?)+)"
)
# "Growth and Economic Development Cabinet Committee 22 March 2017" / "… – 25th Jan 2018"
PATHWAY_DATE = re.compile(r"[\s,–—-]*\d.*$")
NO_DECISION = re.compile(r"^\W*(?:n\W*a|none|tbc|not applicable)?\W*$", re.IGNORECASE)
MAX_PATHWAY_DAYS = 400  # an undated "Future Pathway: County Council" means a meeting within a year


def title_words(title: str) -> frozenset[str]:
    words = WORD.findall(title.lower().replace("’", "'").replace("'s", ""))
    return frozenset(w for w in words if w not in SMALL and w not in GENERIC)


def _particular(words: frozenset[str]) -> frozenset[str]:
    """The words that make a title one occurrence of a series: numbers, months, quarters."""
    return frozenset(w for w in words if w.isdigit() or w in MONTHS)


def same_subject(a: frozenset[str], b: frozenset[str]) -> bool:
    """Titles naming the same matter: the same words, or one title all of the other's (at least
    three words) plus only general words; numbers and months must agree."""
    if len(a) < 2 or len(b) < 2 or _particular(a) != _particular(b):
        return False
    if a == b:
        return True
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small) >= 3 and small < large


def similar_subject(a: frozenset[str], b: frozenset[str]) -> bool:
    """Looser, for a named destination (pathway, recommendation): most words shared."""
    shared = a & b
    smaller = min(len(a), len(b))
    return smaller > 0 and len(shared) >= max(1, (smaller + 1) // 2) and bool(shared - MONTHS)


@dataclass
class Occurrence:
    item_id: int
    meeting_id: int
    committee_id: int
    date: dt.date
    words: frozenset[str]
    # (committee id, date or None, "future"/"past"): where the papers say the matter goes/came from
    destinations: list[tuple[int, dt.date | None, str]] = field(default_factory=list)
    decisions: set[str] = field(default_factory=set)


def _committee_ids(council_id: int) -> dict[str, int]:
    names = {}
    for pk, name in Committee.objects.filter(council_id=council_id).values_list("pk", "name"):
        names[committee_name(name).lower()] = pk
    return names


def _named_committee(text: str, committees: dict[str, int]) -> int | None:
    name = committee_name(PATHWAY_DATE.sub("", text)).lower()
    name = name.removeprefix("the ").strip()
    return committees.get(name)


def _destinations(text: str, direction: str, committees: dict[str, int]):
    for part in re.split(r"[;\n]|\band then\b", text or ""):
        part = part.strip(" .")
        if not part:
            continue
        committee = _named_committee(part, committees)
        if committee is not None:
            yield committee, find_date(part), direction


def occurrences(items, committees: dict[str, int]) -> dict[int, Occurrence]:
    """Occurrence records for these Items (with meeting__committee), their reports' pathways and
    decision numbers, and their resolutions' "recommended to" bodies: three queries."""
    found: dict[int, Occurrence] = {}
    for pk, meeting_id, committee_id, date, title in items.values_list(
        "pk", "meeting_id", "meeting__committee_id", "meeting__date", "title"
    ):
        if PROCEDURAL.search(title or ""):
            continue
        found[pk] = Occurrence(pk, meeting_id, committee_id, date, title_words(title))
    if not found:
        return found
    reports = Report.objects.filter(item_id__in=found).values_list(
        "item_id", "future_pathway", "past_pathway", "decision_number"
    )
    for item_id, future, past, decision in reports:
        occurrence = found[item_id]
        occurrence.destinations += _destinations(future, "future", committees)
        occurrence.destinations += _destinations(past, "past", committees)
        if decision and not NO_DECISION.match(decision):
            occurrence.decisions.add(" ".join(decision.split()).lower())
    from councilarchive.archive.models import Resolution

    for item_id, text in Resolution.objects.filter(item_id__in=found).values_list(
        "item_id", "text"
    ):
        for match in RECOMMENDED_TO.finditer(text):
            committee = _named_committee(match.group("body"), committees)
            if committee is not None:
                found[item_id].destinations.append((committee, None, "future"))
    return found


def _goes_to(a: Occurrence, b: Occurrence) -> bool:
    """Does one of `a`'s pathways or recommendations lead to `b`'s meeting?"""
    for committee, date, direction in a.destinations:
        if committee != b.committee_id:
            continue
        if date is not None:
            if date == b.date:
                return similar_subject(a.words, b.words)
            continue
        gap = (b.date - a.date).days * (1 if direction == "future" else -1)
        if 0 < gap <= MAX_PATHWAY_DAYS and similar_subject(a.words, b.words):
            return True
    return False


def related(a: Occurrence, b: Occurrence) -> bool:
    if a.meeting_id == b.meeting_id:
        return False
    return (
        bool(a.decisions & b.decisions)
        or same_subject(a.words, b.words)
        or _goes_to(a, b)
        or _goes_to(b, a)
    )


def link_related(document: Document) -> int:
    """Link the document's items with the same matter at the council's other meetings (both
    ways). Returns the number of links added."""
    committees = _committee_ids(document.council_id)
    mine = list(occurrences(Item.objects.filter(document=document), committees).values())
    if not mine:
        return 0
    others = occurrences(
        Item.objects.filter(meeting__committee__council_id=document.council_id), committees
    )
    through = Item.related.through
    existing = set(
        through.objects.filter(from_item_id__in=[o.item_id for o in mine]).values_list(
            "from_item_id", "to_item_id"
        )
    )
    rows = []
    for a in mine:
        for b in others.values():
            if a.item_id == b.item_id or (a.item_id, b.item_id) in existing:
                continue
            if related(a, b):
                for pair in ((a.item_id, b.item_id), (b.item_id, a.item_id)):
                    if pair not in existing:
                        existing.add(pair)
                        rows.append(through(from_item_id=pair[0], to_item_id=pair[1]))
    through.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows) // 2
