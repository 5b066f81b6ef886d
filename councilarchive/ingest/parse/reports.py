"""Officers' reports in a pack: header fields, summary, recommendations, page range.

Kent reports open with "From:"/"By:" … "To:" … "Subject:" …; Bristol committee reports with
"Committee Report" and "TITLE:"/"COMMITTEE:"; West of England CA reports with "REPORT TO:".
A report runs until the next report or set of minutes (trailing blank pages dropped). An agenda
item whose report has no header block is found by its title at the top of a page; a document with
no agenda, minutes or headers is one standalone report (Kent 002, the KSCB annual report).
"""

from __future__ import annotations

import re

from councilarchive.ingest.parse.minutes import find_minutes_starts
from councilarchive.ingest.parse.model import Agenda, AgendaItem, Report
from councilarchive.ingest.parse.text import Line, join

# "By: Cabinet Member for Finance, John Simmonds" / "From: Paul Carter, Leader of the Council"
# (or "From:" alone, the name on the next line: today's template sets the labels in a column)
KENT_START = re.compile(r"^(?:By|From)\s*:(?:\s*\S|\s*$)")
KENT_SUBJECT = re.compile(r"^Subject\s*:")
# "Committee Report" — Bristol's first line, "TITLE:   Workplace Parking Levy" below it
BRISTOL_START = re.compile(r"^Committee Report$")
# "REPORT TO:" — West of England Combined Authority
WECA_START = re.compile(r"^REPORT TO\s*:?$")
# "Subject: Autumn Budget Statement" / "Past Pathway of Paper: N/A" / "Recommendations –" /
# "Recommendation(s):" / "Electoral Divisions: All"
FIELD = re.compile(
    r"^(?P<label>From|By|To|Subject|Classification|Date|Decision\s+No\.?|Decision\s+Number|"
    r"(?:Past|Previous)\s+Pathway(?:\s+of\s+Paper)?|Future\s+Pathway(?:\s+of\s+Paper)?|"
    r"Electoral\s+Divisions?|Summary|Recommendations?|Recommendation\(s\))\s*(?::|–|-(?=\s|$))"
    r"\s*(?P<value>.*)$",
    re.IGNORECASE,
)
# "1. Introduction" / "2. RECOMMENDATIONS" / "INTRODUCTION" / "FOR INFORMATION" — a section
SECTION = re.compile(r"^\d{1,2}\.\s+[A-Z]|^[A-Z][A-Z &/-]{5,}$")
# "1. SUMMARY" / "2. RECOMMENDATIONS" — numbered sections that stand in for the header fields
SUMMARY_SECTION = re.compile(r"^\d{1,2}\.\s+Summary$", re.IGNORECASE)
RECS_SECTION = re.compile(r"^\d{1,2}\.\s+Recommendations?(?:\(s\))?:?$", re.IGNORECASE)
# "Report Author" / "Contact details" / "Background Documents" — the end of a report's sections
TAIL = re.compile(
    r"^(?:\d{1,2}\.\s+)?(?:Report Authors?|Contact details|Background (?:Documents|papers)|"
    r"Appendix|Appendices)\b",
    re.IGNORECASE,
)
BLANK_PAGE = re.compile(r"^This page is intentionally (?:left )?blank", re.IGNORECASE)
# Words ending a line that carry the text on to the next line ("Independent Chair of Kent")
CONNECTORS = {"of", "and", "for", "the", "to", "in", "on", "&", "with"}

# Bristol: "TITLE:   Workplace Parking Levy" / "COMMITTEE: Transport and Connectivity Committee" /
# "Officer presenting the report: Adam Crowther    Job title: Head of City Transport" /
# "Purpose of Report: This report sets out …" / "Officer Recommendations:"
BRISTOL_FIELD = re.compile(
    r"^(?P<label>TITLE|COMMITTEE|DATE|Ward\(s\)|Officer presenting the report|"
    r"Executive Director lead|Committee Chair|Proposal origin|Purpose of Report|"
    r"Officer Recommendations|Evidence Base(?: / Options to consider)?|PURPOSE|"
    r"KEY OR NON-KEY DECISION|KEY DECISION OR FOR INFORMATION|Corporate Strategy alignment|"
    r"Background)\s*:?\s*(?P<value>.*)$"
)
# WECA: "Purpose of Report" / "Recommendation" / "Reasons for recommendations"
WECA_FIELD = re.compile(
    r"^(?P<label>REPORT TO|DATE|REPORT|TITLE|RESPONSIBLE|OFFICER|Key Decision|Purpose of Report|"
    r"Recommendation|Reasons for recommendations|Voting arrangements)\s*:?\s*(?P<value>.*)$"
)
# "Welcome to the annual report of Kent Safeguarding Children Board (KSCB)."
ANNUAL_REPORT_OF = re.compile(
    r"annual report of (?:the )?(?P<body>(?:[A-Z][\w'’]+ ){1,6}?"
    r"(?:Board|Council|Partnership|Committee|Authority|Trust))\b"
)
STOPWORDS = {"and", "of", "the", "for", "in", "on", "to", "a", "an", "report", "s"}


def _fields(lines: list[Line], pattern: re.Pattern) -> list[tuple[str, list[str], int]]:
    """Labelled fields in order: (label, value lines, index of the label line)."""
    out: list[tuple[str, list[str], int]] = []
    for k, line in enumerate(lines):
        m = pattern.match(line.text)
        if m:
            value = m.group("value").strip()
            out.append((_label(m.group("label")), [value] if value else [], k))
        elif out:
            out[-1][1].append(line.text)
    return out


def _label(raw: str) -> str:
    words = raw.lower().replace("(s)", "s").split()
    key = words[0]
    if key in {"past", "previous"}:
        return "past_pathway"
    if key == "future":
        return "future_pathway"
    if key == "decision":
        return "decision_number"
    if key == "electoral":
        return "electoral_division"
    if key in {"recommendation", "recommendations"}:
        return "recommendations"
    if key == "by":
        return "from"
    return " ".join(words)


def _people(values: list[str]) -> str:
    """ "From:" lines -> one string, people separated by "; ", wrapped lines rejoined."""
    out: list[str] = []
    for text in values:
        prev = out[-1] if out else ""
        new_person = bool(re.search(r",| [–-] ", text))
        # pdfminer wraps only long lines: "… Gill Rigg, Independent Chair of Kent" / "Safeguarding
        # Children Board"; a short line ending "of Finance" is complete
        wrapped = (
            text[:1].islower()
            or prev.endswith((",", "-", "–"))
            or (len(prev) >= 60 and bool(set(prev.lower().split()[-2:]) & CONNECTORS))
        )
        if out and not new_person and wrapped:
            out[-1] = f"{prev} {text}"
        else:
            out.append(text)
    return "; ".join(out)


def _numbered_section(lines: list[Line], heading: re.Pattern) -> str:
    for k, line in enumerate(lines):
        if heading.match(line.text):
            body: list[str] = []
            for nxt in lines[k + 1 :]:
                if re.match(r"^\d{1,2}\.\s+[A-Z]", nxt.text) or TAIL.match(nxt.text):
                    break
                body.append(nxt.text)
            return " ".join(body).strip()
    return ""


def _kent_report(lines: list[Line]) -> Report:
    header_end = next(
        (k for k, line in enumerate(lines) if k > 2 and SECTION.match(line.text)), len(lines)
    )
    values: dict[str, list[str]] = {}
    for label, vals, _ in _fields(lines[:header_end], FIELD):
        values.setdefault(label, vals)
    # Summary / Recommendations run on to the next field or numbered section
    blocks: dict[str, str] = {}
    for k, line in enumerate(lines[: header_end + 1]):
        m = FIELD.match(line.text)
        if m and _label(m.group("label")) in {"summary", "recommendations"}:
            following = [m.group("value")] + [x.text for x in lines[k + 1 :]]
            blocks.setdefault(_label(m.group("label")), _first_field_block(following))
    summary = blocks.get("summary", "")
    recommendations = blocks.get("recommendations", "")
    if not summary:
        summary = _numbered_section(lines, SUMMARY_SECTION)
    if not recommendations:
        recommendations = _numbered_section(lines, RECS_SECTION)
    return Report(
        subject=" ".join(" ".join(values.get("subject", [])).split()),
        from_=_people(values.get("from", [])),
        to=" ".join(values.get("to", [])),
        classification=" ".join(values.get("classification", [])),
        decision_number=" ".join(values.get("decision_number", [])),
        past_pathway=" ".join(values.get("past_pathway", [])),
        future_pathway=" ".join(values.get("future_pathway", [])),
        electoral_division=" ".join(values.get("electoral_division", [])),
        summary=summary,
        recommendations=recommendations,
        body=join(lines[header_end:]),
    )


def _first_field_block(values: list[str]) -> str:
    """A Summary/Recommendations value: up to the next header field or numbered section."""
    kept: list[str] = []
    for k, text in enumerate(values):
        if k and (SECTION.match(text) or FIELD.match(text)):
            break
        kept.append(text)
    return " ".join(" ".join(kept).split())


def _bristol_report(lines: list[Line]) -> Report:
    values: dict[str, list[str]] = {}
    for label, vals, _ in _fields(lines, BRISTOL_FIELD):
        values.setdefault(label, vals)
    officer = " ".join(values.get("officer presenting the report", []))
    officer = re.sub(r"\s+Job title:\s*", ", ", officer).strip()
    lead = " ".join(values.get("executive director lead", []))
    return Report(
        subject=" ".join(values.get("title", [])).strip(),
        from_="; ".join(x for x in (officer, lead) if x),
        to=" ".join(values.get("committee", [])).strip(),
        summary=" ".join(" ".join(values.get("purpose of report", [])).split()),
        recommendations=" ".join(" ".join(values.get("officer recommendations", [])).split()),
        body=join(lines),
    )


def _weca_report(lines: list[Line]) -> Report:
    values: dict[str, list[str]] = {}
    for label, vals, _ in _fields(lines[:80], WECA_FIELD):
        values.setdefault(label, vals)
    title = values.get("title", [])
    return Report(
        subject=title[0] if title else "",
        to=(values.get("report to") or [""])[0],
        # "RESPONSIBLE" / "OFFICER:" / "Key Decision Yes" / "EXECUTIVE DIRECTOR OF TRANSPORT" —
        # the two-column cells come out of order; the officer is the capitalised line
        from_=next(
            (
                v
                for key in ("officer", "responsible", "key decision")
                for v in values.get(key, [])
                if v.isupper() and len(v.split()) > 1
            ),
            "",
        ),
        summary=" ".join(" ".join(values.get("purpose of report", [])).split()),
        recommendations=" ".join(" ".join(values.get("recommendations", [])).split()),
        body=join(lines),
    )


# "24/00093" — a Kent decision number
DECISION_NO = re.compile(r"\b\d{2}/\d{5}\b")
# "Subject Matter / Title of Decision" — a record of decision's subject label, its value below
TITLE_LABEL = re.compile(r"^(?:Subject Matter\s*/\s*)?Title of (?:the )?Decision:?$", re.I)


def _standalone(lines: list[Line]) -> Report:
    title = lines[0].text
    label = next((k for k, x in enumerate(lines[:60]) if TITLE_LABEL.match(x.text)), None)
    if label is not None and label + 1 < len(lines):
        subject = lines[label + 1].text
        return Report(
            subject=subject,
            decision_number=next(
                (m.group() for x in lines[:15] for m in [DECISION_NO.search(x.text)] if m), ""
            ),
            body=join(lines[1:]),
            page_start=lines[0].page,
            page_end=lines[-1].page,
        )
    early = join(lines[:120])
    m = ANNUAL_REPORT_OF.search(early)
    if m and re.match(r"^Annual Report\b", title, re.IGNORECASE) and m.group("body") not in title:
        title = f"{m.group('body')} {title}"
    return Report(
        subject=title, body=join(lines[1:]), page_start=lines[0].page, page_end=lines[-1].page
    )


# --- where reports are -----------------------------------------------------------------------


def _starts(lines: list[Line]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        if KENT_START.match(line.text) and any(
            KENT_SUBJECT.match(x.text) for x in lines[i + 1 : i + 10]
        ):
            if not out or out[-1][1] != "kent" or i - out[-1][0] > 10:
                out.append((i, "kent"))
        elif BRISTOL_START.match(line.text) and any(
            x.text.startswith("TITLE") for x in lines[i + 1 : i + 12]
        ):
            out.append((i, "bristol"))
        elif WECA_START.match(line.text) and i < 5:
            out.append((i, "weca"))
    return out


def _words(text: str) -> set[str]:
    text = text.lower().replace("&", " and ").replace("’", "'").replace("'s", "")
    return {w for w in re.split(r"[^a-z0-9]+", text) if w and w not in STOPWORDS}


def _similar(a: str, b: str) -> float:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def _page_range(item: AgendaItem) -> tuple[int, int] | None:
    if not item.pages:
        return None
    nums = [int(n) for n in re.findall(r"\d+", item.pages)]
    return (nums[0], nums[-1]) if nums else None


def _report_items(agenda: Agenda | None) -> list[AgendaItem]:
    if agenda is None:
        return []
    return [i for i in agenda.items if not re.match(r"^minutes\b", i.title, re.IGNORECASE)]


def _headerless_starts(
    lines: list[Line], agenda: Agenda | None, taken: set[int], used_titles: list[str]
) -> list[tuple[int, str]]:
    """Agenda items with pages and no report yet: a page opening with the item's title."""
    out: list[tuple[int, str]] = []
    first_of_page = {}
    for i, line in enumerate(lines):
        first_of_page.setdefault(line.page, i)
    for item in _report_items(agenda):
        if not item.pages or any(_similar(item.title, t) >= 0.6 for t in used_titles):
            continue
        for page, i in first_of_page.items():
            if page in taken or (agenda and agenda.page_end and page <= agenda.page_end):
                continue
            head = " ".join(x.text for x in lines[i : i + 2] if x.page == page)
            if BLANK_PAGE.match(head):
                continue
            if _words(item.title) and _similar(item.title, head) >= 0.8:
                out.append((i, "headerless:" + item.title))
                break
    return out


def _page_offset(reports: list[Report], agenda: Agenda | None) -> int | None:
    """How far the agenda's printed "(Pages 17 - 28)" numbers are from this PDF's pages.

    ModernGov's "Page N" footers equal the agenda's numbers, so the offset is normally 0; a cover
    sheet added in front shifts them all alike. Reports whose subject names an item outright are
    the evidence: one shift for all of them is used; shifts that disagree (a pack assembled from
    parts: 000's "Autumn Budget Statement" prints (Pages 17 - 28) but is on pages 11-22, its
    Treasury Management report (Pages 121 - 132) on 107-115) mean the printed ranges say nothing
    about this PDF, and None is returned."""
    shifts = set()
    for report in reports:
        for item in _report_items(agenda):
            span = _page_range(item)
            if span and report.page_start and _similar(report.subject, item.title) >= 0.8:
                shifts.add(span[0] - report.page_start)
    if not shifts:
        return 0
    return shifts.pop() if len(shifts) == 1 else None


def _match_item(
    report: Report, agenda: Agenda | None, used: set[str], offset: int | None
) -> str | None:
    """The agenda item a report answers: by title, or by its first page falling in the item's
    printed page range (shifted by `offset`, when the ranges can be trusted)."""
    best, best_score = None, 0.0
    for item in _report_items(agenda):
        if item.number in used:
            continue
        score = _similar(report.subject, item.title)
        span = _page_range(item)
        if offset is not None and span and report.page_start is not None:
            if span[0] - offset <= report.page_start <= span[1] - offset:
                score += 1.0
        if score > best_score:
            best, best_score = item.number, score
    return best if best_score >= 0.6 else None


def find_reports(lines: list[Line], agenda: Agenda | None) -> list[Report]:
    """Every officer's report in the pack's lines, in page order."""
    if not lines:
        return []
    starts = _starts(lines)
    minutes = find_minutes_starts(lines)
    if not starts and not minutes and agenda is None:
        return [_standalone(_trim(lines))]
    bounds = sorted({s for s, _ in starts} | set(minutes) | {len(lines)})
    built: list[tuple[int, Report]] = []

    def build(start: int, kind: str) -> Report | None:
        end = next(b for b in bounds if b > start)
        section = _trim(lines[start:end])
        if not section:
            return None
        # the report's title repeated at the top of each page is a running header, not text
        first = {}
        for k, x in enumerate(section):
            first.setdefault(x.page, k)
        heads = [section[k].text for k in first.values()]
        running = {t for t in heads if heads.count(t) >= 3}
        section = [x for k, x in enumerate(section) if not k or x.text not in running]
        if kind == "bristol":
            report = _bristol_report(section)
        elif kind == "weca":
            report = _weca_report(section)
        elif kind.startswith("headerless:"):
            report = Report(subject=section[0].text, body=join(section[1:]))
        else:
            report = _kent_report(section)
        return Report(
            **{
                **report.__dict__,
                "page_start": section[0].page,
                "page_end": section[-1].page,
            }
        )

    for start, kind in starts:
        report = build(start, kind)
        if report is not None:
            built.append((start, report))
    taken = {p for _, r in built for p in range(r.page_start, r.page_end + 1)}
    for m in minutes:  # a set of minutes runs to the next section or blank page
        end = next(b for b in bounds if b > m)
        blank = next((k for k in range(m, end) if BLANK_PAGE.match(lines[k].text)), end)
        taken |= {x.page for x in lines[m:blank]}
    extra = _headerless_starts(lines, agenda, taken, [r.subject for _, r in built])
    bounds = sorted(set(bounds) | {s for s, _ in extra})
    for start, kind in extra:
        report = build(start, kind)
        if report is not None:
            built.append((start, report))
    built.sort(key=lambda x: x[0])
    out: list[Report] = []
    used: set[str] = set()
    offset = _page_offset([r for _, r in built], agenda)
    for _, report in built:
        number = _match_item(report, agenda, used, offset)
        if number:
            used.add(number)
        out.append(Report(**{**report.__dict__, "agenda_item": number}))
    return out


def _trim(section: list[Line]) -> list[Line]:
    """Drop trailing blank-page notices (and the pages they stand on)."""
    blank_pages = {x.page for x in section if BLANK_PAGE.match(x.text)}
    while section and section[-1].page in blank_pages:
        section = section[:-1]
    return section
