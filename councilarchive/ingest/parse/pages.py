"""Page links: an agenda item's printed "(Pages 17 - 28)" turned into pages of this PDF.

The printed numbers are the pack's own: ModernGov prints "Page N" at the foot of each pack page,
and N is what the front sheet cites. So a printed number is looked up among the footers first
(`footers`: printed N -> PDF page); with no footers it is taken as the PDF page itself. Either
way the target is trusted only if that page really starts the item: the report matched to the
item, or the minutes the item approves, begin there, or the page's first lines carry the item's
title. Otherwise the item links to where the parser found its report or minutes itself, and failing
that it is not linked at all (the self-check says so). A link never passes the last page.

Worked example (Kent 000): item 7 "Autumn Budget Statement (Pages 17 - 28)"; the pack was cut from
a larger one, its footers say "Page 17" on PDF page 17, but the report "Subject: Autumn Budget
Statement" starts on PDF page 11 — so page 17 does not start the item and the item links to 11-22,
where its report is. Item 10 "(Pages 121 - 132)" in a 115-page PDF links to its report, 107-115.
"""

from __future__ import annotations

import re

from councilarchive.ingest.parse.dates import find_date
from councilarchive.ingest.parse.model import Agenda, AgendaItem, Minutes, PageText, Report, replace
from councilarchive.ingest.parse.text import PAGE_FOOTER, normalise

# "Minutes of the Meeting held on 9th January 2025" — an item whose papers are earlier minutes
MINUTES_ITEM = re.compile(r"^minutes\b", re.IGNORECASE)


def footers(pages: list[PageText]) -> dict[int, int]:
    """Printed page number -> PDF page, from the "Page N" lines pages carry."""
    out: dict[int, int] = {}
    for page in pages:
        for raw in normalise(page.text).splitlines():
            if PAGE_FOOTER.match(raw):
                out.setdefault(int(raw.split()[1]), page.number)
    return out


def link_pages(
    agenda: Agenda,
    reports: tuple[Report, ...],
    minutes: tuple[Minutes, ...],
    pages: list[PageText],
) -> Agenda:
    """The agenda with every item's `page_start`/`page_end` set to PDF pages, or left None."""
    count = len(pages)
    printed_to_pdf = footers(pages)
    first_lines = {p.number: " ".join(p.text.split()[:30]) for p in pages}
    items = []
    founds = _between_neighbours(
        agenda, minutes, [_found(item, agenda, reports, minutes) for item in agenda.items]
    )
    for item, found in zip(agenda.items, founds, strict=True):
        start = end = None
        span = _printed(item)
        if span:
            target = printed_to_pdf.get(span[0]) if printed_to_pdf else span[0]
            last = printed_to_pdf.get(span[1], None) if printed_to_pdf else span[1]
            own = agenda.page_end is not None and target is not None and target <= agenda.page_end
            if target is not None and not own and _starts_item(target, item, found, first_lines):
                start, end = target, last or (found[1] if found else target)
        if start is None and found:
            start, end = found
        if start is not None and 1 <= start <= count:
            end = min(max(end or start, start), count)
            items.append(replace(item, page_start=start, page_end=end))
        else:
            items.append(replace(item, page_start=None, page_end=None))
    return replace(agenda, items=tuple(items))


def _printed(item: AgendaItem) -> tuple[int, int] | None:
    nums = [int(n) for n in re.findall(r"\d+", item.pages or "")]
    return (nums[0], nums[-1]) if nums else None


def _found(
    item: AgendaItem, agenda: Agenda, reports: tuple[Report, ...], minutes: tuple[Minutes, ...]
) -> tuple[int, int] | None:
    """Where the parser itself found the item's papers: its report, or the minutes it approves."""
    for report in reports:
        if report.agenda_item == item.number and report.page_start:
            return report.page_start, report.page_end or report.page_start
    if MINUTES_ITEM.match(item.title):
        earlier = [
            m
            for m in minutes
            if m.page_start and (agenda.page_end is None or m.page_start > agenda.page_end)
        ]
        date = find_date(item.title)
        for m in earlier:
            if date is not None and m.date == date:
                return m.page_start, m.page_end or m.page_start
        if len(earlier) == 1 and date is None:
            return earlier[0].page_start, earlier[0].page_end or earlier[0].page_start
        # "Minutes of the Children's Health and Wellbeing Board": the sets of minutes of the body
        # the title names (the body's name is the rest of the title), one after another
        words = _words(item.title) - {"minute", "the"}
        named = [m for m in earlier if date is None and _words(m.body) - {"the"} == words]
        if named:
            return named[0].page_start, max(m.page_end or m.page_start for m in named)
    return None


def _between_neighbours(
    agenda: Agenda, minutes: tuple[Minutes, ...], founds: list[tuple[int, int] | None]
) -> list[tuple[int, int] | None]:
    """A pack sets out its papers in the agenda's order, so an undated "Minutes of the Local Health
    and Wellbeing Boards" (Kent 004's item 11) is the earlier minutes that lie between the papers
    of the items around it, when those boards' names share most of the title's words."""
    out = list(founds)
    for k, item in enumerate(agenda.items):
        if out[k] is not None or not MINUTES_ITEM.match(item.title) or find_date(item.title):
            continue
        after = max((f[1] for f in out[:k] if f), default=agenda.page_end or 0)
        before = min((f[0] for f in out[k + 1 :] if f), default=None)
        words = _words(item.title) - {"minute", "the"}
        sets = [
            m
            for m in minutes
            if m.page_start
            and m.page_start > after
            and (before is None or (m.page_end or m.page_start) < before)
        ]
        if sets and words and all(len(_words(m.body) & words) * 2 >= len(words) for m in sets):
            out[k] = sets[0].page_start, max(m.page_end or m.page_start for m in sets)
    return out


def _starts_item(
    page: int, item: AgendaItem, found: tuple[int, int] | None, first_lines: dict[int, str]
) -> bool:
    if found is not None:
        return found[0] == page
    words = _words(item.title)
    head = _words(first_lines.get(page, ""))
    return bool(words) and len(words & head) / len(words) >= 0.8


def _words(text: str) -> set[str]:
    """Words of three letters or more, a plural as its singular ("Boards" as "board")."""
    words = {w for w in re.split(r"[^a-z0-9]+", text.lower()) if len(w) > 2}
    return {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words}
