"""Sets of minutes: where each starts, its header, attendance, apologies, declarations, items.

A pack may hold several sets (Kent 004 appends other boards' minutes), each in its own layout:
Kent "MINUTES of a meeting of the Cabinet held in …", Canterbury "Minutes of a meeting held on …",
a bare "MINUTES" under a header block (Children's HWB), Bristol "Minutes of the Transport &
Connectivity Policy Committee", Merton's "AUDIT COMMITTEE / 24 SEPTEMBER 2009 / PRESENT:" and
Bristol's "Decision Recording Form".
"""

from __future__ import annotations

import re

from councilarchive.ingest.parse.dates import MONTHS, meeting_header
from councilarchive.ingest.parse.model import (
    Attendee,
    Declaration,
    MinuteItem,
    Minutes,
    Resolution,
    replace,
)
from councilarchive.ingest.parse.names import parse_attendee, split_names
from councilarchive.ingest.parse.resolutions import find_resolutions, split_parts
from councilarchive.ingest.parse.text import Line, join
from councilarchive.ingest.parse.votes import find_votes

HEADER_WINDOW = 6  # a set of minutes announces itself within the first lines of a page

# "MINUTES of a meeting of the Cabinet held in …" / "MINUTES" / "DRAFT MINUTES OF THE MEETING HELD
# ON 17 NOVEMBER 2015" / "Minutes of a meeting held on Thursday, 12th November, 2015" /
# "Minutes of the Transport & Connectivity" (Bristol)
MINUTES_ANCHOR = re.compile(
    r"^(?:DRAFT\s+)?MINUTES$|^(?:DRAFT\s+)?MINUTES\s+of\s+(?:a|the)\s+meeting\b|"
    r"^Minutes of the (?!meeting\b)[A-Z]",
    re.IGNORECASE,
)
# "Decision Recording Form" — Bristol's decision notice
DECISION_ANCHOR = re.compile(r"^Decision Recording Form\b")
# "PRESENT:" opening a page with no MINUTES line above it (Merton)
PRESENT_ANCHOR = re.compile(r"^PRESENT\b")
# "PRESENT" / "PRESENT:" alone on its line, the names below (Manordeilo's community council);
# "PRESENNOL" in the Welsh version of the same minutes
LONE_PRESENT = re.compile(r"^(?:PRESENT|PRESENNOL):?$")
# "By: Cabinet Member for Finance, John Simmonds" / "From: Paul Carter, Leader of the Council"
REPORT_START = re.compile(r"^(?:By|From):(?:\s*\S|\s*$)")
REPORT_SUBJECT = re.compile(r"^Subject:")
BLANK_PAGE = re.compile(r"^This page is intentionally (?:left )?blank", re.IGNORECASE)

# "PRESENT: Mr D L Brazier (Chairman) …" / "IN ATTENDANCE:" / "ALSO PRESENT Tristan Godfrey - …" /
# "Members Present:-" / "Officers in Attendance:-" / "In attendance:" / "Apologies:" /
# "Committee Members present:"
LABEL = re.compile(
    r"^(?P<label>(?:Committee\s+)?Members\s+present|Officers\s+in\s+attendance|ALSO\s+PRESENT|"
    r"PRESENT|PRESENNOL|IN\s+ATTENDANCE|Apologies|YMDDIHEURIADAU)\s*(?::-?|$)\s*(?P<rest>.*)$|"
    r"^(?P<bare>ALSO PRESENT|PRESENT|IN ATTENDANCE)\s+(?P<bare_rest>[A-Z].*)$",
    re.IGNORECASE,
)
# "In attendance:" alone, not "Officers in attendance:" — who came, when nothing says "present"
MEMBERS_IN_ATTENDANCE = re.compile(r"^In\s+attendance\s*:", re.IGNORECASE)
# "This note forms part of the minutes …" — prose after an attendance list
LIST_END = re.compile(r"^(?:This|The|These|Members|It|In|Following)\s+[a-z]")
# "UNRESTRICTED ITEMS" / "EXEMPT ITEMS" — section headings between attendance and minute items
ITEMS_HEADING = re.compile(r"^(?:UN)?RESTRICTED ITEMS$|^EXEMPT ITEMS$")
# "16. Apologies for Absence" / "1 Welcome, Introductions …" / "2" (title on the next line)
MINUTE_HEADING = re.compile(r"^(?P<num>[1-9]\d{0,2})\.?(?:\s+(?P<title>\S.*))?$")
# "Apologies" / "‘Good’ …" / "2016/17 NHS PLANNING ROUND" / "0-25 Transformation Animation"
TITLE_START = re.compile(r"^[A-Z‘'\"“]|^[\d/-]+\s+\S")
# "(Item 2)" / "(Agenda item 4)" / "(Items 7 & 9 Report of …)" — the agenda item a minute answers
ITEM_REF_LINE = re.compile(r"^\((?:Agenda\s+)?Items?\s+\d", re.IGNORECASE)
TITLE_ITEM_REF = re.compile(r"\s*\((?:Agenda\s+)?Item\s+\d+[a-z]?\)\s*$", re.IGNORECASE)
CONTINUES = re.compile(r"(?:,|–|-|\b(?:and|or|of|the|to|for|in|on|with|by|a|an|from))$")
# "23 October 2025 at 5.00 pm" / "24 SEPTEMBER 2009" — a date, not minute 23 or 24
DATE_LINE = re.compile(r"^\d{1,2}(?:st|nd|rd|th)?\s+(?:" + "|".join(MONTHS) + r")\b", re.I)


HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor|Professor|Sir|Dame|Rev|Revd)"
# "Mr T Bond. Mr A H T Bowles" — a full stop pdfminer reads where the paper printed a comma
STOP_AS_COMMA = re.compile(r"(?<=[A-Za-z]{2})\.\s+(?=[A-Z])")
# "Mr D L Brazier (Chairman) Mr M J Angell (Vice-Chairman)" — a missing comma after a role
ROLE_THEN_NAME = re.compile(r"\)\s+(?=" + HONORIFIC + r"\b)")
ROLE_WORDS = set(
    "kcc nhs council director officer board police health chief head manager consultant member "
    "members cabinet commissioning group adviser advisor representative services service "
    "executive ccg ccgs public strategic deputy portfolio lead commission committee borough "
    "district county team support operating accountable corporate finance policy healthwatch gp "
    "twbc sdc mbc t&mbc minutes behalf programme on of for and the with in action update next "
    "meeting chair chairman vice".split()
)
HONOURS = {"MBE", "CBE", "OBE", "TD", "KBE", "DBE", "QC", "KC", "JP"}

# "The General Counsel reported apologies from Mrs Beresford, Mr Balfour, … and Miss Rankin."
# "Apologies were received from Mr Gibbens, Cabinet Member for Adult Social Care and Mr …"
APOLOGIES_FROM = re.compile(
    r"apologies\s+(?:for\s+absence\s+)?(?:(?:were|was|had\s+been)\s+)?(?:received\s+|reported\s+)?"
    r"from\s+(?P<names>(?:(?:Cllrs?|Councillors?)\.?\s+)?.+?)(?=\.\s|\.$|\s+who\s|$)",
    re.IGNORECASE,
)
# "Mr Gary Cooke submitted his apologies for the meeting."
# (A name starts a word: without the look-behind a long capitalised word is tried from each of
# its letters, quadratic time on a giant line, found by tests/fuzz/test_text_fuzz.py.)
SUBMITTED = re.compile(
    r"(?<![\w'’-])(?P<name>(?:[A-Z][\w'’-]*\s+){1,4}[A-Z][\w'’-]+)(?:\s+\([^)]*\))?\s+"
    r"(?:submitted|sent|gave)\s+(?:his|her|their)\s+apologies"
)
# "who were substituted by Mrs Marsh, Deputy Cabinet Member for Social Care and Mrs Crabtree, …"
SUBSTITUTED_BY = re.compile(r"substituted\s+by\s+(?P<names>.+?)(?=\.\s|\.$|$)")
# "Faiza Khan – Sam Bennett attending" (Canterbury)
ATTENDING_FOR = re.compile(  # (a name starts a word: see SUBMITTED)
    r"(?<![\w'’-])(?P<absent>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,3})\s+[–-]\s+"
    r"(?P<sub>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,3})\s+attending\b"
)
APOLOGY_TITLE = re.compile(r"apolog|ymddiheur", re.IGNORECASE)  # Welsh "YMDDIHEURIADAU"
# The same attendance words in Welsh minutes (Manordeilo's "PRESENNOL" / "Cynghorwyr Alun Davies,
# … Owen Williams a'r Cynghorydd Sir Joseph Davies." / "Derbyniwyd ymddiheuriadau gan y Cyng.
# Arwel Davies ac Andrew Thomas."), read as their English: the lists have the same structure.
WELSH_WORDS = (
    (re.compile(r"\bymddiheuriadau\s+gan\b", re.IGNORECASE), "apologies from"),
    (re.compile(r"\bCynghorwyr\b"), "Councillors"),
    (re.compile(r"\bCynghorydd Sir\b"), "County Councillor"),
    (re.compile(r"\bCynghorydd\b"), "Councillor"),
    # "y Cyng." ("the Cllr."): one abbreviation before a whole list, as the English "Cllrs."
    (re.compile(r"\by Cyng\.?(?=\s)"), "Cllrs"),
    (re.compile(r"\bCyng\.?(?=\s)"), "Cllr"),
    # "a" / "ac" / "a'r" ("and" / "and the") before the last name of a list
    (
        re.compile(r"\s+(?:ac|a|a['’]r)\s+(?=(?:Cllr|Councillor|County|[A-Z][a-z]+\s+[A-Z]))"),
        " and ",
    ),
)


def in_english(text: str) -> str:
    """A Welsh attendance line with its attendance words in English (WELSH_WORDS)."""
    for pattern, english in WELSH_WORDS:
        text = pattern.sub(english, text)
    return text


DECLARATION_TITLE = re.compile(r"declaration", re.IGNORECASE)

# "(1) Dr Sullivan declared an interest in item 7 (Ofsted …) as her husband was employed …"
# "Danny Connellan indicated a personal interest as a leaseholder of a Merton property."
DECLARED = re.compile(
    r"(?P<member>" + HONORIFIC + r"\s+(?:[A-Z][\w'’-]*\s+){0,3}[A-Z][\w'’-]+|"
    r"The Chair(?:man)?|[A-Z][a-z]+\s+[A-Z][\w'’-]+)\s+(?:declared|indicated)\s+"
    r"(?:an?\s+)?(?:[\w-]+\s+)?interests?\b"
)
# "item 7" / "agenda item 4" / "minute 23"
DECLARED_ITEM = re.compile(r"\b((?:agenda\s+)?item\s+\d+[a-z]?|minute\s+\d+)", re.IGNORECASE)
SENTENCE_END = re.compile(r"\.(?=\s+(?:\(\d+\)\s+)?[A-Z])|\.$")


# --- where sets of minutes start and end -------------------------------------------------------


def _page_offsets(lines: list[Line]) -> list[int]:
    """For each line, its index within its page."""
    out, prev, n = [], None, 0
    for line in lines:
        n = n + 1 if line.page == prev else 0
        prev = line.page
        out.append(n)
    return out


def find_minutes_starts(lines: list[Line]) -> list[int]:
    """Indexes of the first header line of every set of minutes (or decision notice)."""
    offsets = _page_offsets(lines)
    starts: list[int] = []
    for i, line in enumerate(lines):
        if offsets[i] >= HEADER_WINDOW:
            continue
        text = line.text
        anchored = MINUTES_ANCHOR.match(text) or DECISION_ANCHOR.match(text)
        if not anchored and PRESENT_ANCHOR.match(text):
            anchored = not any(
                MINUTES_ANCHOR.match(lines[k].text) for k in range(i - offsets[i], i)
            )
        if anchored:
            start = i - offsets[i]  # the header block above the anchor, from the page top
            if not starts or starts[-1] < start:
                starts.append(start)
    if not starts:  # a short set under a preamble: "PRESENT" further down, then "1. WELCOME"
        for i, line in enumerate(lines):
            if LONE_PRESENT.match(line.text) and any(
                _is_heading(lines, k, None) for k in range(i + 1, min(i + 15, len(lines)))
            ):
                return [i - offsets[i]]
    return starts


def find_boundaries(lines: list[Line]) -> list[int]:
    """Lines where something other than minutes begins: reports, blank pages."""
    out = []
    for i, line in enumerate(lines):
        if BLANK_PAGE.match(line.text):
            out.append(i)
        elif REPORT_START.match(line.text) and any(
            REPORT_SUBJECT.match(x.text) for x in lines[i + 1 : i + 10]
        ):
            out.append(i)
    return out


# --- one set ----------------------------------------------------------------------------------


def parse_minutes(lines: list[Line]) -> Minutes:
    """One set of minutes, from its header block to its last line."""
    lines = _drop_running_heads(lines)
    if any(DECISION_ANCHOR.match(x.text) for x in lines[:HEADER_WINDOW]):
        return parse_decision_notice(lines)
    first_item = _first_item(lines)
    unnumbered = _capitals_heads(lines) if first_item == len(lines) else []
    if unnumbered:
        first_item = unnumbered[0]
    head = [x for x in lines[:first_item] if not x.text.isdigit()]  # "1": a page number
    label_at = next((i for i, x in enumerate(head) if LABEL.match(x.text)), len(head))
    header = head[:label_at]
    body, date, time, venue = meeting_header(header)
    lists = _attendance_lists(head[label_at:])
    present = [a for a in lists.get("present", [])]
    in_attendance = lists.get("in_attendance", [])
    if not present and any(MEMBERS_IN_ATTENDANCE.match(x.text) for x in head[label_at:]):
        # no PRESENT list: "In attendance:" lists the members who came (the Children's Health
        # and Wellbeing Board's table, its apologies beside it), not officers
        present, in_attendance = list(in_attendance), []
    apologies = list(lists.get("apologies", []))
    if unnumbered:
        bounds = [*unnumbered[1:], len(lines)]
        spans = [(_item(lines[x:y]), lines[x:y]) for x, y in zip(unnumbered, bounds, strict=True)]
    else:
        spans = _items(lines[first_item:]) if first_item < len(lines) else []
    items = [item for item, _ in spans]
    prose = [x for x in head[label_at:] if APOLOGIES_FROM.search(x.text)]
    listed: list[tuple[list[Attendee], list[Attendee]]] = []
    for item, span in spans:
        if APOLOGY_TITLE.search(item.title):
            following = next((k for k, x in enumerate(span) if FOLLOWING.search(x.text)), None)
            colon = next(
                (k for k in range(following or 0, len(span)) if span[k].text.endswith(":")), None
            )
            if following is not None and colon is not None and colon - following <= 1:
                listed.append(_following(span[colon + 1 :]))
            else:
                prose.append(Line(item.page_start or 0, item.text))
    for chunk in prose:
        listed.append(_apologies(chunk.text))
    for absent, subs in listed:
        apologies += [a for a in absent if a.name not in {x.name for x in apologies}]
        names = {a.name for a in present}
        present += [s for s in subs if s.name not in names]
    declarations = tuple(d for item in items for d in item.declarations)
    return Minutes(
        body=body,
        date=date,
        time=time,
        venue=venue,
        present=tuple(present),
        in_attendance=tuple(in_attendance),
        apologies=tuple(apologies),
        declarations=declarations,
        items=tuple(items),
        page_start=lines[0].page if lines else None,
        page_end=lines[-1].page if lines else None,
    )


def _drop_running_heads(lines: list[Line]) -> list[Line]:
    """Drop what the page furniture repeats: the header at the top of later pages ("AUDIT
    COMMITTEE" / "24 SEPTEMBER 2009", "policycommittees@bristol.gov.uk"), footers repeated at page
    bottoms ("All minutes are draft until agreed …") and bare page numbers ending a page."""
    if not lines:
        return lines
    first_page = lines[0].page
    header = {x.text for x in lines[:HEADER_WINDOW] if x.page == first_page}
    offsets = _page_offsets(lines)
    last_on_page = [i + 1 == len(lines) or lines[i + 1].page != x.page for i, x in enumerate(lines)]
    from_bottom = [0] * len(lines)
    for i in range(len(lines) - 2, -1, -1):
        if not last_on_page[i]:
            from_bottom[i] = from_bottom[i + 1] + 1
    tops: dict[str, int] = {}
    bottoms: dict[str, int] = {}
    total: dict[str, int] = {}
    for i, line in enumerate(lines):
        total[line.text] = total.get(line.text, 0) + 1
        if offsets[i] < 2:
            tops[line.text] = tops.get(line.text, 0) + 1
        if from_bottom[i] < 4 and len(line.text) > 40:
            bottoms[line.text] = bottoms.get(line.text, 0) + 1
    multi_page = lines[-1].page != first_page

    def footer(i: int) -> bool:
        # a footer is at the foot of every page it is on; a motion quoted three times is not
        text = lines[i].text
        return from_bottom[i] < 4 and total[text] == bottoms.get(text, 0) >= 2

    def furniture(i: int, x: Line) -> bool:
        if offsets[i] < 2 and x.page != first_page:
            if x.text in header or tops[x.text] >= 3:
                return True
        if footer(i):
            return True
        # a page number: only footers after it ("5" / "Chair's Announcements" / "There were
        # none." at a page's foot is Bristol's minute 5, not page 5)
        after = range(i + 1, i + 1 + from_bottom[i])
        return (
            multi_page
            and from_bottom[i] < 3
            and x.text.isdigit()
            and all(lines[k].text.isdigit() or footer(k) for k in after)
        )

    return [x for i, x in enumerate(lines) if not furniture(i, x)]


def _is_heading(
    lines: list[Line],
    i: int,
    expected: int | None,
    dotted: bool | None = None,
    upper: bool | None = None,
) -> bool:
    """A minute heading; once the first is found, later ones number on from it and keep its
    style ("16." or "16"), so Bristol's "8. Delegates authority …" inside a decision is no
    heading where the minutes number "7" / "8"."""
    m = MINUTE_HEADING.match(lines[i].text)
    if not m:
        return False
    if dotted is not None and _dotted(lines[i].text) != dotted:
        return False
    if expected is not None and int(m.group("num")) not in (expected, expected + 1):
        return False
    title = m.group("title")
    if title is None:
        title = lines[i + 1].text if i + 1 < len(lines) else ""
        if re.fullmatch(r"\d+\.?", title):
            return False
    elif DATE_LINE.match(lines[i].text):
        return False
    if upper and not _upper(title):  # "6. Carmarthenshire County Council had confirmed …"
        return False
    return bool(TITLE_START.match(title)) and not title.startswith(("Page ",))


def _capitals_heads(lines: list[Line]) -> list[int]:
    """Headings in capitals where no heading is numbered, after the attendance and the first
    sentence of prose: Merton's note of a joint session prints "This note forms part of the
    minutes …" then "AUDITED FINAL ACCOUNTS 2008/09 AND USE OF RESOURCES JUDGEMENT" / "ANNUAL
    GOVERNANCE REPORT 2008/09" / "ANNUAL GOVERNANCE REPORT 2008/09 – PENSION FUND", one under
    the other, and one discussion of the three."""
    labels = [i for i, x in enumerate(lines) if LABEL.match(x.text)]
    if not labels:
        return []
    prose = next(
        (i for i in range(labels[-1] + 1, len(lines)) if LIST_END.match(lines[i].text)), None
    )
    if prose is None:
        return []
    return [
        i
        for i in range(prose + 1, len(lines))
        if _upper(lines[i].text)
        and len(lines[i].text) >= 8
        and not LABEL.match(lines[i].text)
        and not DATE_LINE.match(lines[i].text)
    ]


def _dotted(text: str) -> bool:
    return bool(re.match(r"^\d+\.", text))


def _first_item(lines: list[Line]) -> int:
    heads = _heads(lines, first=1)  # a header block comes first
    return heads[0] if heads else len(lines)


# --- attendance ------------------------------------------------------------------------------


def _label_key(label: str) -> str:
    label = label.lower()
    if APOLOGY_TITLE.match(label):
        return "apologies"
    if "also" in label or "attendance" in label or "officers" in label:
        return "in_attendance"
    return "present"


def _attendance_lists(lines: list[Line]) -> dict[str, list[Attendee]]:
    out: dict[str, list[Attendee]] = {}
    key, chunk = None, []
    for line in [*lines, Line(0, "PRESENT:")]:
        m = LABEL.match(line.text)
        stop = (
            ITEMS_HEADING.match(line.text)
            or APOLOGIES_FROM.search(line.text)
            or LIST_END.match(line.text)
        )
        if m or stop:
            if key:
                out.setdefault(key, []).extend(attendees(chunk))
            key, chunk = None, []
            if m:
                key = _label_key(m.group("label") or m.group("bare"))
                rest = m.group("rest") if m.group("label") else m.group("bare_rest")
                chunk = [rest] if rest else []
            continue
        if key:
            chunk.append(line.text)
    return out


def attendees(texts: list[str]) -> list[Attendee]:
    """A printed attendance list: comma-separated prose, or one person a line among role lines."""
    texts = [in_english(t.strip()) for t in texts if t.strip()]
    if not texts:
        return []
    one_a_line = len(texts) >= 3 and sum("," not in t for t in texts) > len(texts) / 2
    if one_a_line:
        texts = _carry_titles(texts)
        # "Colin Thompson (CT)" / "Lee Russell (LR) T/Supt Kent Police": initials end the name
        entries = [re.sub(r"\s+\((?:[A-Z]{1,3}-?[A-Z]{0,3})\)(?:\s.*)?$", "", t) for t in texts]
        entries = [re.sub(r"^(?:Councillors?|Cllrs?)\s*:\s*", "", e) for e in entries]
    else:
        # a line that ends with a role's closing bracket ends that person: "…, Colin Millar
        # (Democratic Services)" / "Suresh Patel, Lindsay Mallors, …" (no comma printed)
        joined = texts[0]
        for prev, line in zip(texts, texts[1:], strict=False):
            joined += (", " if prev.endswith(")") and line[:1].isupper() else " ") + line
        text = re.sub(r"^(?:Councillors?|Cllrs?)\s*:\s*", "", joined)
        text = ROLE_THEN_NAME.sub("), ", STOP_AS_COMMA.sub(", ", text.replace(";", ",")))
        entries = split_names(text)
    out = []
    for entry in entries:
        entry = re.sub(r"^Councillors\s+", "Councillor ", entry.strip().rstrip(".,;"))
        entry = re.sub(r"^Councillor (?=[A-Z][a-z]+ [A-Z])", "", entry)
        # "County Councillor Joseph Davies": a member of another council, by name
        entry = re.sub(r"^(?:County|District|Borough|Town|City) Councillor\s+", "", entry)
        role = ""
        dash = re.match(r"^(.+?)\s+-\s+(.+)$", entry)
        if dash and looks_like_name(dash.group(1)):
            entry, role = dash.group(1), dash.group(2)
        # one a line, a role after a comma: "Councillor Emma Edwards, Leader of the Green Group"
        # (honours stay with the name: "Mr P B Carter, CBE")
        comma = re.match(r"^([^,]+),\s*(\S.*)$", entry) if one_a_line else None
        if comma and not set(comma.group(2).replace(",", " ").split()) <= HONOURS:
            if looks_like_name(comma.group(1)) and not looks_like_name(comma.group(2)):
                entry, role = comma.group(1), comma.group(2)
        person = parse_attendee(entry)
        if role and not person.role:
            person = Attendee(person.name, role, person.substitute_for)
        if looks_like_name(person.name):
            out.append(person)
    return out


# "Neil Fisher Mr" / "Gibbens": a title ending one line of a one-a-line list starts the next name
TRAILING_TITLE = re.compile(r"^(?P<rest>.+\S)\s+(?P<title>" + HONORIFIC + r")$")


def _carry_titles(texts: list[str]) -> list[str]:
    """A list set one name a line, where the layout put the next name's title at the end of the
    line above (Canterbury's "Neil Fisher Mr" / "Gibbens"): the title goes back to its name."""
    out = list(texts)
    for k in range(len(out) - 1):
        m = TRAILING_TITLE.match(out[k])
        if m and out[k + 1][:1].isupper() and not TRAILING_TITLE.match(out[k + 1]):
            out[k], out[k + 1] = m.group("rest"), f"{m.group('title')} {out[k + 1]}"
    return out


def looks_like_name(name: str) -> bool:
    """ "Mr P B Carter, CBE" / "Gill Rigg" yes; "KCC - Head of Strategic Commissioning" no."""
    if not name or re.search(r"[\d@:/()]", name):
        return False
    words = [w for w in re.split(r"[\s,]+", name) if w and w not in HONOURS]
    if re.match(HONORIFIC + r"\b", words[0] if words else ""):
        words = words[1:]
    if not 1 <= len(words) <= 5:
        return False
    if any(w.lower().strip(".'’") in ROLE_WORDS for w in words):
        return False
    if not words[0][:1].isupper():
        return False
    return sum(not w[:1].isupper() for w in words) <= 1


def _names_in(span: str) -> list[str]:
    span = re.sub(r"^(?:Councillors|Cllrs\.?)\s+", "", span.strip())
    span = re.sub(r"\s+respectively$", "", span)
    return [n for n in split_names(span) if looks_like_name(parse_attendee(n).name)]


# "Apologies had been received from the following" / "Board members:" — a table follows the colon
FOLLOWING = re.compile(r"apologies\b[^.:]{0,80}?\bfrom\s+the\s+following\b", re.IGNORECASE)
# "Chief Executive, Maidstone Borough Council – Substitute, Sarah Robson"
SUBSTITUTE_CELL = re.compile(r"\bSubstitute[:,]?\s+(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)$")


def _following(lines: list[Line]) -> tuple[list[Attendee], list[Attendee]]:
    """West Kent's apologies table, one name a line, each with a role line under it that may
    name a substitute: "Julie Beilby" / "Chief Executive, … (T&MBC) – Substitute, Jane" /
    "Heeley" / … / "Dr Caroline" / "Jessel" / "Clinical Transformation …". A lone word ends the
    name the line above left at one word ("Dr Caroline", "Jane")."""
    absent: list[list[str]] = []
    subs: list[tuple[list[str], int]] = []
    last: list[str] | None = None
    for line in lines:
        text = line.text.strip()
        words = text.split()
        sub = SUBSTITUTE_CELL.search(text)
        if len(words) == 1 and last is not None and _one_word_short(last) and text[:1].isupper():
            last.append(text)
            last = None
        elif sub:
            last = sub.group("name").split()
            subs.append((last, len(absent) - 1))
        elif looks_like_name(text) and len(words) >= 2:
            last = words
            absent.append(last)
        else:
            last = None
    names = [" ".join(a) for a in absent]
    return [Attendee(n) for n in names], [
        Attendee(" ".join(s), substitute_for=names[k] if 0 <= k < len(names) else None)
        for s, k in subs
    ]


def _one_word_short(words: list[str]) -> bool:
    """ "Dr Caroline" / "Jane": a forename whose surname went to the next line."""
    rest = words[1:] if re.fullmatch(HONORIFIC, words[0]) else words
    return len(rest) == 1


def _apologies(text: str) -> tuple[list[Attendee], list[Attendee]]:
    """Apologies in prose, and any substitutes named with them (as present Attendees)."""
    absent: list[str] = []
    subs: list[str] = []
    text = in_english(text)
    for m in APOLOGIES_FROM.finditer(text):
        absent += _names_in(m.group("names"))
    for m in SUBMITTED.finditer(text):
        absent.append(m.group("name"))
    for m in SUBSTITUTED_BY.finditer(text):
        subs += _names_in(m.group("names"))
    absent = list(dict.fromkeys(parse_attendee(a).name for a in absent))
    paired = len(subs) == len(absent)
    subs_out = [
        Attendee(parse_attendee(s).name, substitute_for=absent[k] if paired else None)
        for k, s in enumerate(subs)
    ]
    for m in ATTENDING_FOR.finditer(text):
        absent.append(m.group("absent"))
        subs_out.append(Attendee(m.group("sub"), substitute_for=m.group("absent")))
    return [Attendee(a) for a in absent], subs_out


# --- minute items ----------------------------------------------------------------------------


def _items(lines: list[Line]) -> list[tuple[MinuteItem, list[Line]]]:
    """Each minute item with the lines it was read from."""
    heads = _heads(lines)
    out = []
    for n, start in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        item = _item(lines[start:end])
        first = next(
            (m for x in lines[start + 1 : start + 4] if (m := FIRST_PARAGRAPH.match(x.text))), None
        )
        if not item.minute_number and first:  # its number lost, its paragraphs say it: "5.1 …"
            item = replace(item, minute_number=first.group("num"))
        out.append((item, lines[start:end]))
    return out


def _heads(lines: list[Line], first: int = 0) -> list[int]:
    """Where each minute item starts. Minutes that number no heading but print "(Item 4)" under
    each are read by those lines (a numbered paragraph inside an item is then never a heading);
    others by their numbers, each numbering on from the last in the first heading's style."""
    refs = [j for j, x in enumerate(lines) if ITEM_REF_LINE.match(x.text)]
    above = _heads_above_refs(lines, refs)
    if sum(not MINUTE_HEADING.match(lines[h].text) for h in above) >= 2:
        return [h for h in above if h >= first]
    heads: list[int] = []
    expected = dotted = upper = None
    for i in range(first, len(lines)):
        if LABEL.match(lines[i].text) or ITEMS_HEADING.match(lines[i].text):
            continue
        if _is_heading(lines, i, expected, dotted, upper):
            heads.append(i)
            m = MINUTE_HEADING.match(lines[i].text)
            expected = int(m.group("num")) + 1
            dotted = _dotted(lines[i].text)
            if upper is None:  # the first heading's style holds for all
                upper = _upper(m.group("title") or lines[i + 1].text)
    return _styled_heads(lines, _unnumbered_heads(lines, heads, bool(upper)), bool(upper))


# "5.1 Cllr Roger Gough provided …" — the first numbered paragraph of minute 5
FIRST_PARAGRAPH = re.compile(r"^(?P<num>\d{1,3})\.1\s+\S")


def _unnumbered_heads(lines: list[Line], heads: list[int], upper: bool) -> list[int]:
    """A minute whose number the text layer lost (West Kent's "KENT HEALTH & WELLBEING BOARD" /
    "Local Health and Wellbeing Boards, …" / "5.1 Cllr Roger Gough …" between minutes 4 and 6):
    where the numbering skips N and a paragraph "N.1" follows, the heading is the line or two
    above it set as headings are (in capitals when they are)."""
    out = list(heads)
    for a, b in zip(heads, heads[1:], strict=False):
        na = MINUTE_HEADING.match(lines[a].text)
        nb = MINUTE_HEADING.match(lines[b].text)
        if not (na and nb) or int(nb.group("num")) != int(na.group("num")) + 2:
            continue
        missing = str(int(na.group("num")) + 1)
        k = next(
            (
                j
                for j in range(a + 1, b)
                if (m := FIRST_PARAGRAPH.match(lines[j].text)) and m.group("num") == missing
            ),
            None,
        )
        if k is None or k - 1 <= a:
            continue
        above = [j for j in (k - 2, k - 1) if j > a and (not upper or _upper(lines[j].text))]
        if above and not lines[above[0]].text.endswith("."):
            out.append(above[0])
    return sorted(out)


# "(Sue Mullin)" / "(Andrew Ireland)" — a heading closed by its presenter's name
PRESENTER = re.compile(r"\((?:[A-Z][\w'’-]+\s+){1,2}[A-Z][\w'’-]+\)$")


def _styled_heads(lines: list[Line], heads: list[int], upper: bool) -> list[int]:
    """Unnumbered headings set as the numbered ones around them are: in capitals where they are
    in capitals, after a paragraph's last sentence and above prose (West Kent's closing "DATE OF
    NEXT MEETING" after "11. ANY OTHER BUSINESS" / "None."); closed by a presenter's name where
    they are (the Children's Board's "UASC: Verbal Update (Andrew Ireland)" between "2. Minutes
    of the last meeting …" and "3. NHS Transformation plans … (Sue Mullin)")."""
    numbered = [h for h in heads if MINUTE_HEADING.match(lines[h].text)]
    if len(numbered) < 3:
        return heads
    titles = [MINUTE_HEADING.match(lines[h].text).group("title") or "" for h in numbered]
    presenters = sum(bool(PRESENTER.search(t)) for t in titles) >= 2
    if not (upper or presenters):
        return heads
    out = set(heads)
    for i in range(numbered[0] + 1, len(lines) - 1):
        text, prev, nxt = lines[i].text, lines[i - 1].text, lines[i + 1].text
        if i in out or MINUTE_HEADING.match(text) or LABEL.match(text) or ":" in text[-1:]:
            continue
        if LIST_ITEM.match(text) or ITEMS_HEADING.match(text) or text.endswith("."):
            continue
        if upper:
            styled = (
                _upper(text)
                and len(text.split()) >= 2
                and ":" not in text
                and not re.search(r"\d", text)
                and prev.endswith(".")
                and not _upper(nxt)
            )
        else:
            title = PRESENTER.sub("", text).strip()
            styled = (
                bool(PRESENTER.search(text))
                and bool(TITLE_START.match(text))
                and 1 <= len(title.split()) <= 8
                and nxt[:1].isupper()
            )
        if styled:
            out.add(i)
    return sorted(out)


def _heads_above_refs(lines: list[Line], refs: list[int]) -> list[int]:
    """The heading above each "(Item N)" line: its minute number up to three lines above when no
    sentence ends between ("271." / "Declarations of … Significant" / "Interests in items on the
    agenda" / "(Item 2)"), else the title line, or two when the first ends mid-phrase (the
    Corporate Parenting Panel's "Apologies and Substitutes" / "(Item 1)")."""
    heads: list[int] = []
    floor = 0
    for j in refs:
        start = None
        for k in range(j - 1, max(floor, j - 4) - 1, -1):
            text = lines[k].text.strip()
            if k < j - 1 and text.endswith(".") and not re.fullmatch(r"\d{1,3}\.", text):
                break
            if MINUTE_HEADING.match(text) and _is_heading(lines, k, None):
                start = k
                break
        if start is None and j - 1 >= floor and TITLE_START.match(lines[j - 1].text):
            start = j - 1
            if start - 1 >= floor and CONTINUES.search(lines[start - 1].text):
                start -= 1
        if start is not None:
            heads.append(start)
            floor = j + 1
    return heads


def _upper(title: str) -> bool:
    """ "PLANNING" / "TO CONFIRM THE MINUTES" — headings set in capitals (then all of them are)."""
    letters = [c for c in re.sub(r"\([^)]*\)", "", title) if c.isalpha()]  # "(Agenda item 3)"
    return len(letters) >= 3 and all(c.isupper() for c in letters)


# a heading line this long filled the column: "6 IMPROVING ACCESS TO PSYCHOLOGICAL THERAPIES PILOT
# IN CANTERBURY JOB" / "CENTRE - JAYNE FAULKNER" (a short capitals line under a short heading is
# the first line of text, not more title)
WRAP_WIDTH = 55

# "i) Lloyds Bank …" / "a) Notes the report" / "1. Tackling …" — a list item, never a title line
LIST_ITEM = re.compile(r"^(?:[ivx]{1,4}|[a-z]|\d{1,2})[.)]\s")


# A heading line that runs on into the minute's first sentence, as the text layer joined them:
# "2. Minutes of the last meeting and Matters Arising: Accuracy of minutes agreed." (a whole
# sentence after the colon) / "7. NEET Strategy (Sue Dunn) SD introduced the NEET Strategy. Aim
# is …" (text with a sentence end after the presenter's bracket)
RUN_ON_HEADING = re.compile(
    r"^(?P<head>(?:[1-9]\d{0,2}\.?\s+)?[^:]+?):\s+(?P<rest>[A-Z][a-z]+\s[^:]*[a-z]\.)$|"
    r"^(?P<head2>(?:[1-9]\d{0,2}\.?\s+)?[^.()]+\([^.()]+\))\s+(?P<rest2>[A-Z]\S*\s.*?[a-z]\.(?:\s.*)?)$"
)


def _split_run_on(lines: list[Line]) -> list[Line]:
    """The heading line cut from the text run on after it (RUN_ON_HEADING); the text becomes the
    minute's first line."""
    m = RUN_ON_HEADING.match(lines[0].text)
    if not m:
        return lines
    head, rest = (
        (m.group("head"), m.group("rest")) if m.group("head") else m.group("head2", "rest2")
    )
    return [Line(lines[0].page, head), Line(lines[0].page, rest), *lines[1:]]


def _item(lines: list[Line]) -> MinuteItem:
    lines = _split_run_on(lines)
    m = MINUTE_HEADING.match(lines[0].text)
    number = m.group("num") if m else ""
    k = 1
    title = m.group("title") if m else lines[0].text
    if m and title is None:
        title, k = lines[1].text, 2
    # a heading wrapped onto more lines runs to its "(Item 2)" line when one follows closely
    ref = next(
        (j for j in range(k, min(k + 3, len(lines))) if ITEM_REF_LINE.match(lines[j].text)), None
    )
    if ref is not None:
        title, k = " ".join([title, *(x.text for x in lines[k:ref])]), ref
    last = lines[k - 1].text  # the line the title ends on so far
    while k < len(lines) and not ITEM_REF_LINE.match(lines[k].text):
        nxt = lines[k].text
        if LIST_ITEM.match(nxt) or (_upper(title) and not _upper(nxt)):
            break
        if nxt[:1].islower() or (CONTINUES.search(title) and not PARAGRAPH.match(nxt)):
            title, k, last = f"{title} {nxt}", k + 1, nxt
        elif _upper(title) and _upper(nxt) and TITLE_ITEM_REF.search(nxt):
            # a heading in capitals closed by its "(Agenda item 4)" on a later line, here over a
            # page break: "AUDITED FINAL ACCOUNTS 2008/09 AND USE OF RESOURCES" / running head /
            # "JUDGEMENT (Agenda item 4)"
            title, k = f"{title} {nxt}", k + 1
            break
        elif _upper(title) and len(last) >= WRAP_WIDTH and not MINUTE_HEADING.match(nxt):
            # a capitals heading that filled its line wraps onto the next capitals line
            title, k, last = f"{title} {nxt}", k + 1, nxt
        else:
            break
    title = TITLE_ITEM_REF.sub("", title).strip()
    body = lines[k:]
    declarations = _declarations(body)
    return MinuteItem(
        minute_number=number,
        title=title,
        text=join(body),
        resolutions=tuple(find_resolutions(body)),
        votes=tuple(find_votes(body)),
        declarations=tuple(declarations),
        page_start=lines[0].page,
        page_end=lines[-1].page,
    )


PARAGRAPH = re.compile(r"^\(\d+\)|^\([a-z]\)")


def _declarations(body: list[Line]) -> list[Declaration]:
    out = []
    for line_no, line in enumerate(body):
        for m in DECLARED.finditer(line.text):
            if m.start() > 0 and line.text[m.start() - 1] not in " (":
                continue
            rest = join(body[line_no:])[m.start() :]
            end = SENTENCE_END.search(rest)
            text = rest[: end.start() + 1] if end else rest
            ref = DECLARED_ITEM.search(text)
            out.append(
                Declaration(
                    member=m.group("member"),
                    item_ref=ref.group(1) if ref else "",
                    text=text,
                    page=line.page,
                )
            )
    return out


# --- Bristol decision notices -----------------------------------------------------------------

# "(a)" / "Subject:" — each decision on a notice starts with its subject
SUBJECT = re.compile(r"^(?:\(a\)\s*)?Subject:\s*(?P<rest>.*)$")
# "(agenda item 7)" / "Annual Business Report (agenda item 7)"
AGENDA_ITEM = re.compile(r"\s*\(agenda item (?P<num>\d+[a-z]?)\)$", re.IGNORECASE)
SUBJECT_OR_WARD = re.compile(r"^(?:\(a\)\s*)?Subject:|^\(b\)\s*Ward:|^\(a\)$")
EMAIL_LINE = re.compile(r"^\S+@\S+$")
# "(d) Decision taken" / "(h) Reason for decision:" / "(c) Declarations of interest:"
FIELD = re.compile(r"^\((?P<letter>[a-z])\)\s*(?P<name>[A-Z][^:]*):?\s*(?P<rest>.*)$")


def parse_decision_notice(lines: list[Line]) -> Minutes:
    lines = [x for x in lines if not EMAIL_LINE.match(x.text)]
    subjects = [i for i, x in enumerate(lines) if SUBJECT.match(x.text)]
    head = lines[: subjects[0] if subjects else len(lines)]
    body, date, time, venue = meeting_header(head)
    lists = _attendance_lists(head)
    items = []
    for n, start in enumerate(subjects):
        end = subjects[n + 1] if n + 1 < len(subjects) else len(lines)
        items.append(_decision(lines[start:end]))
    return Minutes(
        body=body,
        date=date,
        time=time,
        venue=venue,
        present=tuple(lists.get("present", [])),
        apologies=tuple(lists.get("apologies", [])),
        items=tuple(items),
        page_start=lines[0].page if lines else None,
        page_end=lines[-1].page if lines else None,
    )


def _decision(lines: list[Line]) -> MinuteItem:
    fields: dict[str, list[Line]] = {"subject": []}
    key = "subject"
    first = SUBJECT.match(lines[0].text).group("rest")
    if first:
        fields["subject"].append(Line(lines[0].page, first))
    for line in lines[1:]:
        m = FIELD.match(line.text)
        if m or re.fullmatch(r"\([a-h]\)", line.text):
            key = (m.group("name") if m else line.text).lower()
            fields[key] = [Line(line.page, m.group("rest"))] if m and m.group("rest") else []
        elif line.text.startswith("Deadline for Escalation"):
            key = "deadline"
        else:
            fields.setdefault(key, []).append(line)
    number, subject = "", []
    for k, line in enumerate(lines):
        m = AGENDA_ITEM.search(line.text)
        if m:
            number = m.group("num")
            # the title runs back from "(agenda item 7)" to "Subject:" or "(b) Ward:"
            j = k
            while j > 0 and not SUBJECT_OR_WARD.match(lines[j - 1].text):
                j -= 1
            subject = [x.text for x in lines[j:k]] + [AGENDA_ITEM.sub("", line.text)]
            break
    decided = next((v for k, v in fields.items() if k.startswith("decision taken")), [])
    reason = join(next((v for k, v in fields.items() if k.startswith("reason")), []))
    declared = join(next((v for k, v in fields.items() if k.startswith("declarations")), []))
    resolutions = [
        Resolution(r.text, r.number, reason=reason, form="Decision taken", page=r.page)
        for r in split_parts("", decided, "Decision taken", None, lines[0].page)
    ]
    declarations = []
    if declared and not re.match(r"^(?:None|N/A|There were none)", declared, re.I):
        declarations.append(Declaration(member="", item_ref=number, text=declared))
    # the next form's "Deadline for Escalation Panel referral" and "(a)" lines open its page
    own = list(lines)
    while len(own) > 1 and (
        own[-1].text.startswith("Deadline for Escalation") or own[-1].text == "(a)"
    ):
        own.pop()
    return MinuteItem(
        minute_number=number,
        title=" ".join(subject).strip(),
        text=join(lines),
        resolutions=tuple(resolutions),
        votes=tuple(find_votes(lines)),
        declarations=tuple(declarations),
        page_start=lines[0].page,
        page_end=own[-1].page,
    )
