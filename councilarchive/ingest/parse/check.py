"""The self-check after every parse: each doubt about the result, as a problem an officer can act on.

A problem is a dict `{"kind": short code, "page": PDF page or None, "message": one line a person
understands, "where": the record, e.g. "minute 23, second vote"}` (the shape `Document.problems`
stores). The checks are structural, not one council's wording: a parse that is right on every
file with expectations reports nothing here, and one that is wrong somewhere should report at
least one of these. Kinds:

* `no_text` / `nothing_found` — no text layer, or text in which no agenda, minutes or report was found
* `minutes_without_date`, `minutes_without_items`, `minute_number_skip`, `minute_number_repeat`
* `items_unnumbered` — no minute is numbered: the items came from headings in capitals
* `fewer_items_than_agenda` — a meeting's own minutes with fewer items than its agenda lists
* `heading_unused` — a line that looks like a minute heading ("(Item 4)" under a title, an
  upper-case numbered title) that no item was made from
* `minute_title_unsure` — a minute title with a sentence in it (the heading ran on into text)
* `attendee_unsure` — an attendance entry that reads as two names run together
* `vote_count_mismatch`, `vote_outcome_missing`, `vote_kind_unknown`, `vote_name_not_a_person`,
  `voter_not_present`, `vote_same_name_both_sides`, `attendance_missing` (also for minutes
  with no list of those present at all)
* `vote_motion_unclear` — a vote whose motion or amendment text (quoted, after "X moved and Y
  seconded") was not found: the sentence announcing the vote stands in for it
* `resolution_unfinished` — ends in a colon, a comma or a word that carries a sentence on
* `report_without_subject`, `report_subject_guessed` (no "Subject:" header: the first line taken)
* `agenda_title_unsure` — short text under an item that is not a description (a title the
  layout split: two columns read across)
* `agenda_without_items`, `agenda_number_skip`, `agenda_pages_outside` (a printed page range
  that cannot be linked to a page of this PDF)
* `section_unreadable` — a section the parser failed on (the rest of the pack is kept)
"""

from __future__ import annotations

import re

from councilarchive.ingest.parse.dates import MONTHS
from councilarchive.ingest.parse.model import Agenda, Minutes, Pack, RecordedVote
from councilarchive.ingest.parse.text import Line

ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]
# "Mr", "Mrs" … — the printed title; a vote's "Mrs Cole" is not the PRESENT list's "Mr P Cole"
TITLES = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "cllr", "councillor", "professor", "rev"}
HONOURS = re.compile(r",?\s*\b(?:MBE|CBE|OBE|TD|KBE|DBE|QC|KC|JP)\b\.?")
# "be noted:" / "the Cabinet Member for" — a resolution cut off mid-sentence
UNFINISHED = re.compile(
    r"(?:[:,–-]|\b(?:and|or|of|the|to|that|for|with|by|in|on|a|an|be|from|as|is|are))$", re.I
)
# "To receive …" / "This report …" / "Proposed by …" — an item's description, not its title
DESCRIPTION = re.compile(r"^(?:To |This |Proposed by |- To follow)")
# "…by either April 2027 or April 2028; and" — one part of a list, the next part follows
LIST_JOIN = re.compile(r";\s*(?:and|or)$")
# "24 SEPTEMBER 2009" — a date under a header, not minute 24
DATE_HEADING = re.compile(r"^\d{1,2}\s+(?:" + "|".join(MONTHS) + r")\b", re.IGNORECASE)
# "(Item 4)" / "(Agenda item 4)" — printed under a minute's heading
ITEM_REF = re.compile(r"^\((?:Agenda\s+)?Item\s+\d+[a-z]?\)$", re.IGNORECASE)
# "9. PLANNING" / "3. DECLARATIONS OF INTEREST" — an upper-case numbered title
UPPER_HEADING = re.compile(r"^(?P<num>\d{1,3})\.?\s+(?P<title>[A-Z][A-Z0-9 ,.'’&/()-]{2,80})$")
# a word of a person's name: "Mr", "Barrington-King", "McInroy", "O'Brien", an initial "J"
NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|de|van|von|la|le|du|da|MBE|OBE|CBE|TD|,)$")
# "NEET Strategy (Sue Dunn) SD introduced the NEET Strategy. Aim is …" / "Minutes of the last
# meeting and Matters Arising: Accuracy of minutes agreed." — a sentence inside a title
RUN_ON_TITLE = re.compile(r"[a-z)]\.\s+[A-Z][a-z]|:\s+[A-Z][a-z]+\s[^:]*[a-z]\.$")
OUTCOME_WORDS = re.compile(r"\b(?:carried|lost|agreed|resolved|motion|amendment|fell)\b", re.I)


def problem(kind: str, page: int | None, message: str, where: str = "") -> dict:
    return {"kind": kind, "page": page, "message": message, "where": where}


def check(pack: Pack, lines: list[Line]) -> list[dict]:
    """Every doubt about `pack`, parsed from `lines`, in page order."""
    out: list[dict] = []
    if not lines:
        return [problem("no_text", None, "No text could be read from the PDF (a scan?).")]
    if pack.agenda is None and not pack.minutes and not pack.reports:
        out.append(
            problem("nothing_found", lines[0].page, "No agenda, minutes or report was found.")
        )
    if pack.agenda is not None:
        out += _agenda(pack.agenda, pack.pages)
    for minutes in pack.minutes:
        out += _minutes(minutes, pack.agenda, lines)
    for report in pack.reports:
        where = f"report on page {report.page_start}"
        if not report.subject.strip():
            out.append(
                problem(
                    "report_without_subject", report.page_start, "A report has no subject.", where
                )
            )
        elif not (report.from_ or report.to or report.classification or report.decision_number):
            out.append(
                problem(
                    "report_subject_guessed",
                    report.page_start,
                    f"No Subject: line; the report's first line was taken as its subject: "
                    f"“{report.subject[:80]}”.",
                    where,
                )
            )
    return sorted(out, key=lambda p: p["page"] or 0)


# --- agenda ----------------------------------------------------------------------------------


def _agenda(agenda: Agenda, pages: int) -> list[dict]:
    out = []
    if not agenda.items:
        out.append(
            problem("agenda_without_items", agenda.page_start, "An agenda with no items was found.")
        )
    previous = 0
    for item in agenda.items:
        where = f"agenda item {item.number}"
        n = int(re.match(r"\d*", item.number).group() or 0)
        if previous and n not in (previous, previous + 1):
            out.append(
                problem(
                    "agenda_number_skip",
                    item.page,
                    f"Agenda item {item.number} follows item {previous}: an item may be missing.",
                    where,
                )
            )
        previous = n or previous
        words = item.description.split()
        if words and len(words) <= 12 and not DESCRIPTION.match(item.description):
            if not item.description.rstrip().endswith((".", ")", "”", '"')):
                out.append(
                    problem(
                        "agenda_title_unsure",
                        item.page,
                        f"Agenda item {item.number} “{item.title[:60]}” is followed by "
                        f"“{item.description[:60]}”, which may be the rest of its title.",
                        where,
                    )
                )
        front_sheet_alone = agenda.page_end is not None and agenda.page_end >= pages
        if item.pages and item.page_start is None and not front_sheet_alone:
            out.append(
                problem(
                    "agenda_pages_outside",
                    item.page,
                    f"Agenda item {item.number} is printed as "
                    f"{'pages' if '-' in item.pages else 'page'} {item.pages}, which could not "
                    f"be matched to a page of this {pages}-page PDF; it is not linked.",
                    where,
                )
            )
    return out


# --- minutes ---------------------------------------------------------------------------------


def _minutes(minutes: Minutes, agenda: Agenda | None, lines: list[Line]) -> list[dict]:
    out = []
    label = f"minutes of {minutes.date:%d %B %Y}" if minutes.date else "minutes"
    if minutes.date is None:
        out.append(
            problem(
                "minutes_without_date",
                minutes.page_start,
                "A set of minutes has no meeting date.",
                label,
            )
        )
    if not minutes.items:
        out.append(
            problem(
                "minutes_without_items", minutes.page_start, "No minute items were found.", label
            )
        )
    if (
        len(minutes.items) >= 2
        and not any(i.minute_number for i in minutes.items)
        and all(i.title == i.title.upper() for i in minutes.items)
    ):
        # no heading is numbered: the items were read from headings in capitals (Merton's note
        # of a joint session), a weaker sign than a minute number
        out.append(
            problem(
                "items_unnumbered",
                minutes.items[0].page_start,
                f"No minute is numbered: {len(minutes.items)} items were read from headings in "
                "capitals; check each is an item.",
                label,
            )
        )
    out += _numbering(minutes, label)
    if (
        agenda is not None
        and agenda.date is not None
        and agenda.date == minutes.date
        and len(minutes.items) < len(agenda.items)
    ):
        out.append(
            problem(
                "fewer_items_than_agenda",
                minutes.page_start,
                f"The minutes have {len(minutes.items)} items where the agenda lists "
                f"{len(agenda.items)}.",
                label,
            )
        )
    out += _unused_headings(minutes, lines, label)
    if not minutes.present and minutes.items:
        out.append(
            problem(
                "attendance_missing",
                minutes.page_start,
                "No list of those present was read from these minutes: check the attendance.",
                label,
            )
        )
    for key, people in (("attendance", minutes.present), ("apologies", minutes.apologies)):
        for person in people:
            if _two_people(person.name):
                out.append(
                    problem(
                        "attendee_unsure",
                        minutes.page_start,
                        f"“{person.name}” in the {key} may be two people (a comma missing?).",
                        label,
                    )
                )
    present = [a.name for a in minutes.present]
    for item in minutes.items:
        where = f"minute {item.minute_number}" if item.minute_number else f"“{item.title[:60]}”"
        if RUN_ON_TITLE.search(item.title):
            out.append(
                problem(
                    "minute_title_unsure",
                    item.page_start,
                    f"The title runs on into the minute's text: “{item.title[:100]}”.",
                    where,
                )
            )
        for k, vote in enumerate(item.votes):
            nth = ORDINALS[k] if k < len(ORDINALS) else f"{k + 1}th"
            out += _vote(vote, present, f"{where}, {nth} vote")
        for k, resolution in enumerate(item.resolutions):
            text = resolution.text.rstrip()
            if UNFINISHED.search(text) and not LIST_JOIN.search(text):
                out.append(
                    problem(
                        "resolution_unfinished",
                        resolution.page or item.page_start,
                        f"A resolution ends mid-sentence: “…{text[-60:]}”.",
                        f"{where}, resolution {resolution.number or k + 1}",
                    )
                )
    return out


def _numbering(minutes: Minutes, label: str) -> list[dict]:
    out = []
    previous = None
    seen: set[str] = set()
    for item in minutes.items:
        number = item.minute_number
        if not number:
            continue
        where = f"minute {number}"
        if number in seen:
            out.append(
                problem(
                    "minute_number_repeat",
                    item.page_start,
                    f"Minute {number} appears twice.",
                    where,
                )
            )
        elif previous is not None and number.isdigit() and int(number) != previous + 1:
            out.append(
                problem(
                    "minute_number_skip",
                    item.page_start,
                    f"Minute {number} follows minute {previous}: a minute may be missing.",
                    where,
                )
            )
        seen.add(number)
        previous = int(number) if number.isdigit() else previous
    return out


def _unused_headings(minutes: Minutes, lines: list[Line], label: str) -> list[dict]:
    """Lines in the minutes' pages that look like headings but started no item."""
    if minutes.page_start is None:
        return []
    section = [x for x in lines if minutes.page_start <= x.page <= (minutes.page_end or 0)]
    titles = " | ".join(_norm(i.title) for i in minutes.items)
    numbers = {i.minute_number for i in minutes.items}
    out = []
    for k, line in enumerate(section):
        heading = None
        if ITEM_REF.match(line.text) and k:
            heading = section[k - 1].text
            bare = re.sub(r"^\d{1,3}\.?\s*", "", heading)  # "17. Minutes of …": its title
            if not bare or _norm(bare) in titles:
                heading = None
        else:
            m = UPPER_HEADING.match(line.text)
            if DATE_HEADING.match(line.text):
                m = None
            if m and m.group("num") not in numbers and len(m.group("title").split()) >= 1:
                if any(c.isalpha() for c in m.group("title")) and len(m.group("title")) > 3:
                    heading = line.text
        if heading and _norm(re.sub(r"^\d{1,3}\.?\s*", "", heading)) not in titles:
            out.append(
                problem(
                    "heading_unused",
                    line.page,
                    f"“{heading[:80]}” looks like a minute heading but no item was made from it.",
                    label,
                )
            )
    return out


# --- votes -----------------------------------------------------------------------------------


def _vote(vote: RecordedVote, present: list[str], where: str) -> list[dict]:
    out = []
    page = vote.page
    sides = {"For": vote.names_for, "Against": vote.names_against, "Abstain": vote.names_abstain}
    named = any(sides.values())
    if vote.count_mismatch:
        printed = f"{vote.count_for}/{vote.count_against}/{vote.count_abstain}"
        listed = "/".join(str(len(v)) for v in sides.values())
        out.append(
            problem(
                "vote_count_mismatch",
                page,
                f"The printed counts (for/against/abstain {printed}) differ from the names "
                f"listed ({listed}).",
                where,
            )
        )
    if vote.outcome is None:
        out.append(
            problem(
                "vote_outcome_missing",
                page,
                "No outcome (carried or lost) was found for this vote.",
                where,
            )
        )
    if vote.question_unclear:
        out.append(
            problem(
                "vote_motion_unclear",
                page,
                "The motion or amendment voted on was not found as printed; the sentence "
                f"announcing the vote stands in: “{vote.question[:80]}”.",
                where,
            )
        )
    if named and vote.kind == "other":
        out.append(
            problem(
                "vote_kind_unknown",
                page,
                "Whether this vote was on a motion or an amendment is not known.",
                where,
            )
        )
    if not named:
        return out
    if not present:
        out.append(
            problem(
                "attendance_missing",
                page,
                "The voters cannot be checked: no attendance list was found.",
                where,
            )
        )
    keys = [_person_key(p) for p in present]
    seen: dict[tuple[str, str], str] = {}
    for side, names in sides.items():
        for name in names:
            if not _is_person(name):
                out.append(
                    problem(
                        "vote_name_not_a_person",
                        page,
                        f"“{name}” in the {side} list is not a person's name.",
                        where,
                    )
                )
                continue
            key = _person_key(name)
            if key in seen and seen[key] != side:
                out.append(
                    problem(
                        "vote_same_name_both_sides",
                        page,
                        f"{name} is listed both {seen[key]} and {side}.",
                        where,
                    )
                )
            seen[key] = side
            if present and not any(_same_person(key, k) for k in keys):
                out.append(
                    problem(
                        "voter_not_present",
                        page,
                        f"{name} ({side}) is not in the meeting's attendance list.",
                        where,
                    )
                )
    return out


def _two_people(name: str) -> bool:
    """ "Gwenfyl Evans Peter Harries": four or more capitalised words and no title."""
    words = HONOURS.sub("", name).split()
    return (
        len(words) >= 4
        and words[0].lower().rstrip(".") not in TITLES
        and all(w[:1].isupper() and len(w) > 1 for w in words)
    )


def _is_person(name: str) -> bool:
    words = name.replace(",", " , ").split()
    if not words or len(words) > 7 or OUTCOME_WORDS.search(name):
        return False
    if words[0].lower().rstrip(".") in TITLES:
        return len(words) >= 2
    return len(words) >= 2 and all(NAME_WORD.match(w) for w in words)


def _person_key(name: str) -> tuple[str, str]:
    """("mrs", "cole") for "Mrs P T Cole" and "Mrs Cole"; ("", "lehmann") for "Rich Lehmann"."""
    name = re.sub(r"\([^)]*\)", "", HONOURS.sub("", name))
    name = re.sub(r"\s*-\s*", "-", name)
    words = name.replace(".", " ").split()
    title = words[0].lower() if words and words[0].lower() in TITLES else ""
    return title, (words[-1].lower() if words else "")


def _same_person(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return a[1] == b[1] and (not a[0] or not b[0] or a[0] == b[0])


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())
