"""The agenda front sheet: body, meeting date/time/venue, numbered items, membership."""

from __future__ import annotations

import re

from councilarchive.ingest.parse.dates import find_time, meeting_date_time
from councilarchive.ingest.parse.model import Agenda, AgendaItem
from councilarchive.ingest.parse.names import parse_attendee, split_names
from councilarchive.ingest.parse.text import Line, join, title_case

# "AGENDA" / "CABINET AGENDA" / "A G E N D A" / "Summons to and Agenda for a Meeting on …" /
# "Agenda Item No" (a supplement's cover letter) / "A meeting of the Audit Committee will be
# held:" (Merton). Never the word in prose: "an ambitious agenda to reshape", "Agenda Item 9,".
AGENDA_SIGNAL = re.compile(
    r"^(?=[A-Z ]+$).*\bAGENDA\b|^A G E N D A$|\bAgenda for\b|^Agenda Item No\.?$|"
    r"^A meeting of the .+ will be held"
)
# "3. Minutes of the meeting held on 13 July 2017 …" / "4 Minutes of the Meeting …" / "5." alone
# "5. 24/00108 - Revenue and Capital Budget Monitoring" — a decision number opens the title
ITEM = re.compile(
    r"^(?P<num>[1-9]\d?[a-z]?)\.?(?:\s+(?P<title>(?:[A-Z‘'\"“]|\d{2}/\d{4,5}\b).*))?$"
)
# "(Pages 7 - 16)" / "(Pages 7 16)" / "(Pages\n145 - 158)" / "(Page 7)"; "•" is a stray bullet
PAGES = re.compile(r"•?\s*\(Pages?\s*(?P<first>\d+)(?:\s*[-–]?\s*(?P<last>\d+))?\s*\)")
# "(Pages" left open at the end of a line, its numbers on the next
PAGES_OPEN = re.compile(r"\(Pages?\s*$")
# "Please attend the meeting of the County Council in the Council Chamber, … on Thursday, …"
BODY_MEETING_OF = re.compile(
    r"(?:attend the meeting|A meeting) of the (?P<body>.+?)\s+(?:in the|will be held)", re.I
)
VENUE_IN = re.compile(r"\bmeeting of the .+? in the (?P<venue>.+?) on (?:\w+day|\d)", re.I)
# "Venue: Cabinet Meeting Room, 1st Floor" (Merton)
VENUE_LABEL = re.compile(r"^Venue:\s*(?P<venue>.+)$")
# The contact details printed beside the venue: "County Telephone: Tel: 03000 416824,"
CONTACT = re.compile(r"\s*(?:Ask for:|Telephone|Tel:|e-mail:|Email:).*$", re.I)
VENUE_STOP = re.compile(
    r"^(?:Telephone|Tel\b|Tea/|Refreshments|Membership|Webcasting|Please|To:|UNRESTRICTED)|@", re.I
)
# The end of the item list: the officer's sign-off, the exempt section, the dispatch notes
ITEMS_END = re.compile(
    r"^(?:EXEMPT ITEMS|Head of Democratic Services|Please note that any background|"
    r"It is anticipated that|Yours sincerely)",
)
# "John Lynch," above "Head of Democratic Services": the officer's name ends the items too
SIGN_OFF = re.compile(r"^Head of Democratic Services")
# "To receive …" / "This report sets out …" — an item's description, not its title
DESCRIPTION = re.compile(r"^(?:To |This |Proposed by )")
WRAPPED = 80  # a title line at least this long was wrapped by the layout
# "Agenda Item No" — a supplement's cover letter, the items it encloses listed below
COVER_ITEMS = re.compile(r"^Agenda Item No\.?$")
# the title under a bare "5.": "Internal audit progress report" / "24/00108 - Revenue and …"
BARE_TITLE = re.compile(r"^(?:[A-Z‘'\"“]|\d{2}/\d{4,5}\b)")
# "4. Annual complaints report 9" — a page number printed in a column to the right of the title
# (extract puts each cell back on its row); a column only when several items end so, rising
# (lines_of leaves one space between words; searched, not matched with a leading ".*", which
# backtracks on a giant line)
COLUMN_PAGE = re.compile(r"(?<=\S) (?P<page>\d{1,4})$")
# "Declarations of interest¹" — a footnote marker (extract writes them as superscript digits)
FOOTNOTE_MARK = re.compile(r"\s*[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
# a title line that stops mid-phrase: "… and notes of" / "… held on 24" (then "September 2009") /
# "2. Declarations of Disclosable Pecuniary Interests or Other" (then "Significant Interests …")
TITLE_CONTINUES = re.compile(
    r"\b(?:and|or|of|the|to|for|in|on|with|by|a|an|from|other|\d{1,2})$", re.IGNORECASE
)
MEMBERSHIP = re.compile(r"^Membership:?$")
MEMBERSHIP_END = re.compile(r"^(?:Webcasting|Please|A meeting|UNRESTRICTED|AGENDA)", re.I)
COUNCILLORS_LABEL = re.compile(r"^(?:Councillors|Other Members|Members):$")
BODY_SKIP = re.compile(r"^(?:KENT COUNTY COUNCIL|AGENDA|[\w ]+ Council)$", re.I)


def is_agenda(lines: list[Line]) -> bool:
    first_page = [x for x in lines if x.page == lines[0].page] if lines else []
    return any(AGENDA_SIGNAL.search(x.text) for x in first_page)


def parse_agenda(lines: list[Line]) -> Agenda:
    text = join(lines[:20])
    date, time = meeting_date_time(text)
    if time is None:
        time_line = next((x.text for x in lines[:30] if x.text.startswith("Time:")), "")
        time = find_time(time_line) if time_line else None
    items = _items(lines)
    return Agenda(
        body=_body(lines),
        date=date,
        time=time,
        venue=_venue(lines),
        items=tuple(items),
        membership=tuple(_membership(lines)),
        page_start=lines[0].page,
        page_end=lines[-1].page,
    )


def _body(lines: list[Line]) -> str:
    m = BODY_MEETING_OF.search(join(lines[:20]))
    if m:
        return m.group("body").strip()
    for line in lines[:6]:
        t = re.sub(r"\s*\bAGENDA\b\s*", " ", line.text).strip()
        if t and not BODY_SKIP.match(t) and not re.search(r"\d", t):
            return title_case(t)
    return ""


def _venue(lines: list[Line]) -> str:
    m = VENUE_IN.search(join(lines[:20]))
    if m:
        return m.group("venue").strip()
    for i, line in enumerate(lines[:30]):
        label = VENUE_LABEL.match(line.text)
        if label:
            extra = lines[i + 1].text if i + 1 < len(lines) else ""
            more = [extra] if "," in extra and not VENUE_STOP.search(extra) else []
            return ", ".join([label.group("venue"), *more])
    # Kent: the lines under "Monday, 26th June, 2017, at 10.00 am", beside the contact details
    start = next((i for i, x in enumerate(lines[:10]) if meeting_date_time(x.text)[1]), None)
    if start is None:
        return ""
    parts = []
    for line in lines[start + 1 : start + 6]:
        if line.text.startswith("Ask for"):
            continue
        part = CONTACT.sub("", line.text).strip()
        if not part or VENUE_STOP.search(part):
            break
        if part:
            parts.append(part)
    return " ".join(parts)


def _items(lines: list[Line]) -> list[AgendaItem]:
    heads: list[int] = []
    expected = 1
    end = len(lines)
    cover = next((i for i, x in enumerate(lines) if COVER_ITEMS.match(x.text)), None)
    if cover is not None:  # a supplement's cover letter lists the items it brings, from any number
        first = next((ITEM.match(x.text) for x in lines[cover + 1 : cover + 3]), None)
        if first:
            expected = int(re.match(r"\d+", first.group("num")).group())
    for i, line in enumerate(lines):
        if cover is not None and i <= cover:
            continue
        if ITEMS_END.match(line.text) or (
            heads and i + 1 < len(lines) and SIGN_OFF.match(lines[i + 1].text)
        ):
            if heads:
                end = i
                break
            continue
        m = ITEM.match(line.text)
        if not m or int(re.match(r"\d+", m.group("num")).group()) != expected:
            continue
        nxt = lines[i + 1].text if i + 1 < len(lines) else ""
        if m.group("title") is None and not (
            BARE_TITLE.match(nxt) or nxt.rstrip(".") == str(expected + 1)
        ):
            continue
        heads.append(i)
        expected += 1
    lines = _page_column(lines, heads, end)
    out = []
    n = 0
    while n < len(heads):
        # "7." / "8." / "9." printed in a column, their titles after them in order (pdfminer
        # reads the number column first): each title runs to its "(Pages …)"
        run = 1
        while n + run < len(heads) and heads[n + run] == heads[n] + run and _bare(lines[heads[n]]):
            run += 1
        stop = heads[n + run] if n + run < len(heads) else end
        if run > 1 and _bare(lines[heads[n + run - 1]]):
            block = lines[heads[n + run - 1] + 1 : stop]
            titles = _split_titles(block, run)
            if titles is not None:
                for k, chunk in enumerate(titles):
                    number = ITEM.match(lines[heads[n + k]].text).group("num")
                    first = Line(chunk[0].page, f"{number}. {chunk[0].text}")
                    out.append(_item([first, *chunk[1:]]))
                n += run
                continue
        stop = heads[n + 1] if n + 1 < len(heads) else end
        out.append(_item(lines[heads[n] : stop]))
        n += 1
    return out


def _page_column(lines: list[Line], heads: list[int], end: int) -> list[Line]:
    """Merton's agenda prints each item's first page in a column on the right: "4. Annual
    complaints report 9", "5. Internal audit progress report 23". When at least three items end
    in a number and the numbers rise, those numbers are pages: each is rewritten as "(Page 9)"
    after the item's title, which may wrap onto the next lines ("3. Minutes of the meeting held
    on 24 September 2009 and notes of 3" / "the Joint session with …" / "September 2009")."""
    titled = [h + (_bare(lines[h]) and h + 1 < end) for h in heads]  # "5." / "Internal audit …"
    found = [(h, COLUMN_PAGE.search(lines[h].text)) for h in titled]
    found = [(h, m) for h, m in found if m]
    numbers = [int(m.group("page")) for _, m in found]
    if len(found) < 3 or numbers != sorted(set(numbers)):
        return lines
    out = list(lines)
    bounds = [*heads[1:], end]
    for h, m in found:
        last = h
        stop = next(b for b in bounds if b > h)
        while (
            last + 1 < stop
            and not DESCRIPTION.match(lines[last + 1].text)
            and (lines[last + 1].text[:1].islower() or TITLE_CONTINUES.search(out[last].text))
        ):
            last += 1
        out[h] = Line(lines[h].page, lines[h].text[: m.start()])
        page = f"(Page {m.group('page')})"
        out[last] = Line(lines[last].page, f"{out[last].text} {page}")
    return out


def _bare(line: Line) -> bool:
    m = ITEM.match(line.text)
    return bool(m) and m.group("title") is None


def _split_titles(block: list[Line], count: int) -> list[list[Line]] | None:
    """`count` titles from the lines after a column of bare numbers, each ending at its printed
    page range; None when the lines do not split that way."""
    chunks: list[list[Line]] = [[]]
    for line in block:
        if DESCRIPTION.match(line.text) and not chunks[-1]:
            return None
        chunks[-1].append(line)
        if PAGES.search(line.text) and len(chunks) < count:
            chunks.append([])
    chunks = [c for c in chunks if c]
    return chunks if len(chunks) == count else None


def _item(lines: list[Line]) -> AgendaItem:
    m = ITEM.match(lines[0].text)
    number = m.group("num")
    rest = lines[1:]
    first = m.group("title")
    if first is None and rest:  # Merton "5." with the title on the next line
        first, rest = rest[0].text, rest[1:]
    block = " ".join([first or "", *(x.text for x in rest)])
    pages = PAGES.search(block)
    pages_text = None
    if pages:
        last = pages.group("last")
        pages_text = f"{pages.group('first')}-{last}" if last else pages.group("first")
    title = first or ""
    k = 0
    wrapped = len(lines[0].text) >= WRAPPED and not title.rstrip().endswith(")")
    # a wrapped title ends where its printed page range does: "6. Draft Revenue Budget …" /
    # "and Treasury Management Strategy (Pages 85 - 276)"
    closes = next(
        (j for j, x in enumerate(rest[:2]) if PAGES.search(x.text) or PAGES_OPEN.search(x.text)),
        None,
    )
    if PAGES_OPEN.search(title):
        k = 1  # "(Pages" / "145 - 158)": the numbers line belongs to the title
    elif (
        not PAGES.search(title)
        and closes is not None
        and not any(DESCRIPTION.match(x.text) for x in rest[: closes + 1])
    ):
        title = " ".join([title, *(x.text for x in rest[: closes + 1])])
        k = closes + 1 + bool(PAGES_OPEN.search(rest[closes].text))
    elif (
        (wrapped or TITLE_CONTINUES.search(title))
        and rest
        and not DESCRIPTION.match(rest[0].text)
        and not PAGES.match(rest[0].text)
    ):
        title, k = f"{title} {rest[0].text}", 1
    title = " ".join(FOOTNOTE_MARK.sub("", PAGES_OPEN.sub("", PAGES.sub("", title))).split())
    description_lines = [
        x.text for x in rest[k:] if not PAGES.fullmatch(x.text.strip()) and not x.text.isdigit()
    ]
    description = PAGES.sub("", " ".join(description_lines)).strip()
    return AgendaItem(
        number=number,
        title=title,
        pages=pages_text,
        description=" ".join(description.split()),
        page=lines[0].page,
    )


def _membership(lines: list[Line]) -> list[str]:
    start = next((i for i, x in enumerate(lines[:40]) if MEMBERSHIP.match(x.text)), None)
    if start is None:
        return []
    chunk = []
    for line in lines[start + 1 :]:
        if MEMBERSHIP_END.match(line.text):
            break
        if not COUNCILLORS_LABEL.match(line.text):
            chunk.append(line.text)
    if sum("," in t for t in chunk) >= len(chunk) / 2:
        entries = split_names(" ".join(chunk))
    else:
        entries = chunk
    return [parse_attendee(e).name for e in entries if e.strip()]
