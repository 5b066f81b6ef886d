"""Recorded votes in the lines of one minute item.

Two printed forms:

* named votes (Kent): "For (62)" / "Against (9)" / "Abstain (1)" headers, each followed by the
  names (flattened from a table, possibly across pages, with stray or doubled commas), then an
  optional outcome line ("Amendment lost", "Motion carried"). The names listed must number the
  printed count; when they do not, the vote keeps what was printed and says `count_mismatch`.
* tallies without names (Bristol): "CARRIED (5 voting FOR, 4 voting AGAINST)", "FELL with 2
  voting FOR and 7 AGAINST", "not approved (2 For, 7 Against with 0 Abstention.)",
  "CARRIED unanimously" -> `tally_only`.

"agreed without a formal vote" is not a vote, and prose ("Against this background", "for (a)")
is never a header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from councilarchive.ingest.parse.model import RecordedVote
from councilarchive.ingest.parse.names import split_names
from councilarchive.ingest.parse.text import Line

# "For (62)" / "Against (9)" / "Abstain (1)" / "Abstentions (3):" — a whole line, digits only
HEADER = re.compile(
    r"^(?P<side>For|Against|Abstain(?:ed|ing|s)?|Abstentions?)\s*\(\s*(?P<n>\d{1,3})\s*\)\s*[:.]?"
    r"\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# "Mrs A Allen, Mr M Angell" — names printed on the header's own line
TITLED_START = re.compile(r"^(?:Mrs|Mr|Miss|Ms|Dr|Cllr|Councillor|Sir|Dame)\.?\s+[A-Z]")
# "Amendment lost" / "Motion carried" / "Carried" / "The substantive motion was carried."
# "Agreed." / "Agreed unanimously." — carried without a count being disputed
OUTCOME_LINE = re.compile(
    r"^(?:the\s+)?(?P<what>substantive\s+motion|amendment|motion|recommendations?)?\s*"
    r"(?:was\s+|were\s+)?(?:declared\s+)?(?P<verdict>carried|lost|fell|defeated|agreed)"
    r"(?:\s+unanimously)?\.?$",
    re.IGNORECASE,
)
# "(3) RESOLVED that" / "RESOLVED that" / "24. Cultural Strategy" — the end of a names list
LIST_STOP = re.compile(r"^\(\d+\)|^\([a-z]\)\s|^RESOLVED\b|^\d{1,3}\.\s+[A-Z]", re.IGNORECASE)
# "(3) RESOLVED that the Local Transport Plan 4 … be adopted" — straight after an unannounced
# motion vote, the motion was carried
RESOLVED_NEXT = re.compile(r"^(?:\(\d+\)\s+)?RESOLVED\b")
# "the Chairman put the amendment set out in paragraph (2) above to the vote" /
# "The amendment was put to the vote" / "put the motion set out above to the vote"
ANNOUNCE_KIND = re.compile(r"\b(substantive\s+motion|amendment|motion)\b", re.IGNORECASE)
# "set out in paragraph (2) above"
# "set out in paragraph 1 to the vote" (today's template)
PARAGRAPH_REF = re.compile(r"paragraph\s+\(?(?P<n>\d+)\)?", re.IGNORECASE)
# "(1) Mr Gough moved and Mr Oakford seconded the following motion:" — the paragraph's number;
# "1)  Mr Baker proposed, and Mr Robey seconded the motion that" today
PARAGRAPH_START = re.compile(r"^\(?(?P<n>\d+)\)\s")
# "…seconded the following amendment:" / "…seconded the motion that" — the question follows, quoted
MOVED = re.compile(
    r"\b(?:the following|seconded,?\s+the) (?P<kind>substantive motion|amendment|motion)\b", re.I
)
# "Mr Bird proposed and Mrs Dean seconded the following amendment" / "Mr Gough moved and Mr
# Oakford seconded" / "Mr Baker proposed, and Mr Robey seconded the motion" / "Proposed by Mr Hook
# and seconded by Mr Bird" / "Jenni Hawkins proposed, and Mr Stepto seconded": who moved it and
# who seconded it, by name as printed
PERSON = (  # "Mr Bird" / "Jenni Hawkins" (a name starts a word: see minutes.SUBMITTED)
    r"(?<![\w'’-])(?:(?:Mrs|Mr|Miss|Ms|Dr|Cllr|Councillor|Sir|Dame)\.?\s+(?:[A-Z][\w'’-]*\s+){0,3}"
    r"|(?:[A-Z][\w'’-]+\s+){1,3})[A-Z][\w'’-]+"
)
MOVER_SECONDER = re.compile(
    rf"(?P<mover>{PERSON})\s+(?:moved|proposed),?\s+and\s+(?P<seconder>{PERSON})\s+seconded"
    rf"|(?:Moved|Proposed)\s+by\s+(?P<by>{PERSON})(?:,?\s+and\s+seconded\s+by\s+(?P<second>{PERSON}))?"
)
# "“…”" / "\"…\"" — the quoted motion or amendment
QUOTED = re.compile(r"[\"“](?P<q>.+?)(?:[\"”]|$)", re.DOTALL)

# Tallies ---------------------------------------------------------------------------------------

# "CARRIED (5 voting FOR" / "FELL with 2 voting" / "LOST (4 members" / "was not approved (2 For" /
# "CARRIED unanimously" — an outcome word in a sentence that gives numbers
VERDICT = re.compile(
    r"\b(?P<verdict>CARRIED|LOST|FELL|DEFEATED|not\s+approved|carried|lost|fell|defeated)\b"
)
NUMBER_WORDS = {
    "none": 0,
    "no": 0,
    "nil": 0,
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
NUM = r"(?P<n>\d{1,3}|" + "|".join(NUMBER_WORDS) + r")"
# "5 voting FOR" / "6 members voting in favour" / "2 For," — followed by the end of the count
FOR_COUNT = re.compile(
    NUM
    + r"\s+(?:members?\s+|councillors?\s+)?(?:voting\s+|votes?\s+)?(?:FOR|in\s+favour)\b"
    + r"(?=\s*(?:[,.;)]|and\b|with\b|$))",
    re.IGNORECASE,
)
# "4 voting AGAINST" / "none against" / "7 Against" — like FOR_COUNT, only where a count ends
# (",", ")", "and", "with"): "2 for each school" is prose
AGAINST_COUNT = re.compile(
    NUM
    + r"\s+(?:members?\s+|councillors?\s+)?(?:voting\s+|votes?\s+)?AGAINST\b"
    + r"(?=\s*(?:[,.;)]|and\b|with\b|$))",
    re.IGNORECASE,
)
# "4 ABSTAINING" / "with 3 abstentions" / "0 Abstention" / "no ABSTAINING"
ABSTAIN_COUNT = re.compile(
    NUM + r"\s+(?:members?\s+|councillors?\s+)?(?:ABSTAINING|abstentions?|abstained|abstain)\b",
    re.IGNORECASE,
)
# "CARRIED unanimously" / "CARRIED (unanimously)"
UNANIMOUS = re.compile(r"^\s*\(?\s*unanimously\b", re.IGNORECASE)
# "put to the vote" / "the amendment FELL" / "Recommendations 3 was not approved" — a tally
# sentence says it was a vote or names what was voted on
VOTED_ON = re.compile(
    r"\b(?:vote|voted|voting|motion|amendment|recommendations?|proposals?|resolution)\b",
    re.IGNORECASE,
)
# "On being put to the vote" — a unanimous verdict counts as a vote only in a vote sentence
VOTE_WORDS = re.compile(r"\b(?:vote|voted|voting)\b", re.IGNORECASE)
# A decision notice's record of a unanimous vote, "unanimously" bracketed onto the decision:
# "2. Approved (Unanimously) launching a six-week public engagement" /
# "That the Committee for Transport and Connectivity (Unanimously APPROVED):"
UNANIMOUS_DECISION = re.compile(
    r"\b(?:approved|agreed)\s*\(\s*unanimously\s*\)|\(\s*unanimously\s+(?:approved|agreed)\s*\)",
    re.IGNORECASE,
)


@dataclass
class _Named:
    first: int  # index of the first header line
    last: int
    counts: dict[str, int] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    outcome: str | None = None
    outcome_what: str = ""
    resolved_next: bool = False  # a RESOLVED paragraph follows the lists directly


def _side(word: str) -> str:
    word = word.lower()
    if word == "for":
        return "for"
    if word == "against":
        return "against"
    return "abstain"


def _verdict(word: str) -> str:
    return "carried" if word.lower() in ("carried", "agreed") else "lost"


def _names_like(text: str) -> bool:
    """ "Mrs A Allen, Mr M Angell, Mr P Barrington-King," yes; a sentence of prose no."""
    pieces = [p.strip(" .") for p in text.split(",") if p.strip(" .")]
    if not pieces:
        return True
    for piece in pieces:
        words = piece.split()
        if len(words) > 5:
            return False
        if any(not (w[:1].isupper() or w in {"and", "de", "van", "von"}) for w in words):
            return False
    return True


def _named_votes(lines: list[Line]) -> list[_Named]:
    votes: list[_Named] = []
    current: _Named | None = None
    i = 0
    while i < len(lines):
        m = HEADER.match(lines[i].text)
        rest = m.group("rest").strip() if m else ""
        if not m or (rest and not TITLED_START.match(rest)):
            i += 1
            continue
        side = _side(m.group("side"))
        if current is None or side in current.counts or (side == "for" and current.counts):
            current = _Named(first=i, last=i)
            votes.append(current)
        current.counts[side] = int(m.group("n"))
        chunk = [rest] if rest else []
        j = i + 1
        while j < len(lines):
            text = lines[j].text
            if HEADER.match(text) or OUTCOME_LINE.match(text) or LIST_STOP.match(text):
                break
            if not _names_like(text):
                break
            chunk.append(text)
            j += 1
        current.names[side] = split_names(" ".join(chunk))
        current.last = j - 1
        if j < len(lines):
            out = OUTCOME_LINE.match(lines[j].text)
            if out:
                current.outcome = _verdict(out.group("verdict"))
                current.outcome_what = (out.group("what") or "").lower()
                current.last = j
                current = None
                j += 1
            elif RESOLVED_NEXT.match(lines[j].text):
                current.resolved_next = True
        i = j
    return votes


@dataclass(frozen=True)
class _Moved:
    """A motion or amendment as the minutes print it: its quoted text and who moved it."""

    text: str = ""
    mover: str = ""
    seconder: str = ""


def _quoted_after(lines: list[Line], start: int, end: int) -> _Moved:
    text = " ".join(line.text for line in lines[start:end])
    m = QUOTED.search(text)
    if not m:
        return _Moved()
    who = MOVER_SECONDER.search(text[: m.start()])
    mover = seconder = ""
    if who:
        mover = who.group("mover") or who.group("by") or ""
        seconder = who.group("seconder") or who.group("second") or ""
    return _Moved(" ".join(m.group("q").split()).strip(), mover, seconder)


def _paragraph_text(lines: list[Line], number: str, before: int) -> _Moved:
    """The quoted text (and its mover) of paragraph (number) earlier in the item."""
    for k in range(before - 1, -1, -1):
        p = PARAGRAPH_START.match(lines[k].text)
        if p and p.group("n") == number:
            end = k + 1
            while end < before and not PARAGRAPH_START.match(lines[end].text):
                end += 1
            return _quoted_after(lines, k, end)
    return _Moved()


def _question(lines: list[Line], vote: _Named, floor: int) -> tuple[str, _Moved, bool]:
    """(kind, the motion/amendment moved, unclear) from the lines announcing the vote; when the
    printed motion is not found the announcing sentence stands in and `unclear` is True."""
    # the announcing paragraph: back to its "(n)" start, at most a few lines
    k = vote.first - 1
    while k > floor and not PARAGRAPH_START.match(lines[k].text) and vote.first - k < 6:
        k -= 1
    announce = " ".join(line.text for line in lines[max(k, floor) : vote.first])
    kinds = ANNOUNCE_KIND.findall(announce)
    # the outcome line names what was decided ("Amendment lost."); else the announcement does
    what = " ".join(vote.outcome_what.split()) or (kinds[-1].lower() if kinds else "")
    if "substantive" in what:
        kind = "substantive motion"
    else:
        kind = "amendment" if "amendment" in what else "motion" if "motion" in what else "other"
    moved = _Moved()
    ref = PARAGRAPH_REF.search(announce)
    if ref:
        moved = _paragraph_text(lines, ref.group("n"), vote.first)
    if not moved.text and kind != "other":
        for j in range(vote.first - 1, -1, -1):
            found = MOVED.search(lines[j].text)
            if found and (kind.split()[-1] in found.group("kind").lower()):
                end = j + 1
                while end < vote.first and not PARAGRAPH_START.match(lines[end].text):
                    end += 1
                moved = _quoted_after(lines, j, end)
                break
    if not moved.text:
        return kind, _Moved(" ".join(announce.split())), True
    return kind, moved, False


def _to_record(lines: list[Line], vote: _Named, floor: int) -> RecordedVote:
    kind, moved, unclear = _question(lines, vote, floor)
    names = {side: tuple(vote.names.get(side, ())) for side in ("for", "against", "abstain")}
    mismatch = any(len(names[side]) != n for side, n in vote.counts.items())
    outcome = vote.outcome
    if outcome is None and kind == "motion" and vote.resolved_next:
        outcome = "carried"
    return RecordedVote(
        kind=kind,
        question=moved.text,
        mover=moved.mover,
        seconder=moved.seconder,
        question_unclear=unclear,
        count_for=vote.counts.get("for"),
        count_against=vote.counts.get("against"),
        count_abstain=vote.counts.get("abstain"),
        names_for=names["for"],
        names_against=names["against"],
        names_abstain=names["abstain"],
        outcome=outcome,
        count_mismatch=mismatch,
        page=lines[vote.first].page,
    )


# --- tallies ----------------------------------------------------------------------------------


def _region(text: str, start: int) -> str:
    """The tally after a verdict: a bracket to its close (or, unclosed, to the first full stop),
    or a "with …" clause to the full stop; "" when neither follows."""
    rest = text[start : start + 220]
    m = re.match(r"\s*\(([^()]{0,160})\)", rest)
    if m:
        return m.group(0)
    m = re.match(r"\s*\([^.]*\.?", rest)
    if m:
        return m.group(0)
    m = re.match(r"\s*(?:with|by)\b.*?(?:\.(?=\s)|\.$|$)", rest, re.DOTALL)
    return m.group(0) if m else ""


def _count(pattern: re.Pattern, region: str) -> int | None:
    m = pattern.search(region)
    if not m:
        return None
    n = m.group("n").lower()
    return int(n) if n.isdigit() else NUMBER_WORDS[n]


def _sentence_start(text: str, pos: int) -> int:
    floor = max(0, pos - 400)
    stops = [m.end() for m in re.finditer(r"[.;:)]\s+(?=[A-Z])", text[floor:pos])]
    return floor + stops[-1] if stops else floor


def _tallies(lines: list[Line], skip: set[int]) -> list[tuple[int, RecordedVote]]:
    text_parts: list[str] = []
    owners: list[tuple[int, int]] = []  # (char offset where line starts, line index)
    offset = 0
    for idx, line in enumerate(lines):
        owners.append((offset, idx))
        text_parts.append(line.text)
        offset += len(line.text) + 1
    text = " ".join(text_parts)

    def line_at(pos: int) -> int:
        found = 0
        for start, idx in owners:
            if start > pos:
                break
            found = idx
        return found

    out: list[tuple[int, RecordedVote]] = []
    for m in VERDICT.finditer(text):
        idx = line_at(m.start())
        if idx in skip:
            continue
        region = _region(text, m.end())
        unanimous = bool(UNANIMOUS.match(text[m.end() : m.end() + 20]))
        counts = {
            "for": _count(FOR_COUNT, region),
            "against": _count(AGAINST_COUNT, region),
            "abstain": _count(ABSTAIN_COUNT, region),
        }
        start = _sentence_start(text, m.start())
        sentence = text[start : m.end()]
        if counts["for"] is None and counts["against"] is None:
            if not (unanimous and m.group("verdict") == "CARRIED" and VOTE_WORDS.search(sentence)):
                continue
            region = re.match(r"\s*\(?\s*unanimously\s*\)?", text[m.end() :]).group(0)
        question = " ".join(text[start : m.end() + len(region)].split()).strip()
        if not VOTED_ON.search(question):  # "Admissions fell by 5 for the third year" is prose
            continue
        lowered = sentence.lower()
        if "amendment" in lowered:
            kind = "amendment"
        elif re.search(r"recommendation|motion|proposal|report", lowered):
            kind = "motion"
        else:
            kind = "other"
        out.append(
            (
                idx,
                RecordedVote(
                    kind=kind,
                    question=question,
                    count_for=counts["for"],
                    count_against=counts["against"],
                    count_abstain=counts["abstain"],
                    outcome=_verdict(m.group("verdict")),
                    tally_only=True,
                    page=lines[idx].page,
                ),
            )
        )
    for m in UNANIMOUS_DECISION.finditer(text):
        idx = line_at(m.start())
        if idx in skip:
            continue
        question = " ".join(text[_sentence_start(text, m.start()) : m.end()].split())
        vote = RecordedVote(
            kind="motion",
            question=question,
            outcome="carried",
            tally_only=True,
            page=lines[idx].page,
        )
        out.append((idx, vote))
    return out


def find_votes(lines: list[Line]) -> list[RecordedVote]:
    """Every recorded vote in the lines of one minute item, in printed order."""
    named = _named_votes(lines)
    records: list[tuple[int, RecordedVote]] = []
    skip: set[int] = set()
    floor = 0
    for vote in named:
        records.append((vote.first, _to_record(lines, vote, floor)))
        skip.update(range(vote.first, vote.last + 1))
        floor = vote.last + 1
    records += _tallies(lines, skip)
    records.sort(key=lambda r: r[0])
    return [r for _, r in records]
