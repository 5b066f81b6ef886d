"""Resolutions inside one minute item: every form the sample papers print, no prose false hits.

Forms seen: "RESOLVED that …", "(3) RESOLVED that;" + "(a) … (b) …", "It was RESOLVED that …",
"(4) Resolved that:" + lettered parts, "RESOLVED: (A) That …", "**RESOLVED:**" (markdown seeds),
"It was APPROVED that;" + "1. … 2. …" (Bristol), "It was AGREED that …" (Bristol), and Kent
Cabinet decision tables (numbered decisions, then REASON / ALTERNATIVE OPTIONS CONSIDERED /
CONFLICTS OF INTEREST / DISPENSATIONS GRANTED columns that pdfminer reads out column by column).
Lower-case "resolved" inside a sentence ("contacts resolved at first point of contact", "the matter
was resolved") is never a resolution: the upper-case forms may appear anywhere, the
sentence-case "Resolved" only at the start of a line.
"""

from __future__ import annotations

import re

from councilarchive.ingest.parse.model import Resolution
from councilarchive.ingest.parse.text import Line

# "(3) RESOLVED that the Cultural Strategy be adopted." / "It was RESOLVED:" /
# "The Policy Committee RESOLVED:" / "4.2.4 RESOLVED: That the Board …" / "**RESOLVED:**"
UPPER_TRIGGER = re.compile(
    r"\b(?P<form>(?:It\s+was\s+)?RESOLVED|(?:It\s+was\s+|^)(?:APPROVED|AGREED))\b[*:;,\s]*"
    r"(?P<that>(?:that|That)\b[:;,]?)?\s*"
)
# "Resolved that the minutes … be noted." / "(4) Resolved that:" — sentence case, line start only
SENTENCE_TRIGGER = re.compile(
    r"^(?:\(\d+\)\s+|[\d.]+\s+)?\**(?P<form>Resolved)\b[*:;,\s]*(?P<that>that\b[:;,]?)?\s*"
)
# "(3) " / "(12) " — the numbered paragraph a resolution sits in
PARAGRAPH_NUMBER = re.compile(r"^\((\d{1,2})\)\s+")
# "(a) the appointment …" / "(B) That the Audit Committee …" / "1. That the …" / "2) …"
# "a)   Notes the report;" — a letter closed by a bracket alone
# "1.That the Transport and Connectivity Committee approved …" — no space before a capital
PART = re.compile(
    r"^(?:\((?P<paren>[a-zA-Z]|\d{1,2})\)|(?P<dot>\d{1,2}|[a-z])[.)])(?:\s+|(?=[A-Z]))"
    r"(?P<rest>\S.*)$"
)
# "That the Transport and Connectivity Committee:" / "That the Committee for Transport and
# Connectivity: -" — a decision printed with no resolving word, its numbered parts below
STEM = re.compile(
    r"^That the (?:(?:[A-Z&][\w&]*|and|of|for)\s+)*?(?:Committee|Board|Cabinet|Council|Panel)\b[^.]*?[:;]\s*-?$"
)
# "Contractual:" — a short heading between the numbered parts of one decision
SUBHEADING = re.compile(r"^[A-Z][A-Za-z ]{0,30}:$")
# "Recommendation 3 was not approved:" / "Recommendations 3 was not approved (2 For, 7 Against
# …)" — what follows in the list was put and not decided
NOT_DECIDED = re.compile(
    r"^Recommendations?\b[^.]*?\b(?:was|were)\s+not\s+(?:approved|agreed|carried)\b", re.I
)
# "4.2.4 RESOLVED: That the Board …" / "8.3.1 That the Chair …" — decimal paragraph numbers
DECIMAL = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})+)\s")
# "That the Board notes …" starting a line, or a sentence after "… note the report. That the WK
# HWB encourage …": each "That …" under an unlettered RESOLVED is a decision of its own
THAT_LINE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})+\s+)?That\s")
THAT_SENTENCE = re.compile(r"(?<=\.)\s+(?=That\s)")
# "[A Cabinet Member decision will be taken …]" — an editorial note after the decision
EDITORIAL = re.compile(r"^\[")
# Bristol: "On being put to the vote …" starts the next vote, ending the previous decision
VOTE_LINE = re.compile(
    r"^(?:On being put to the vote|Following the discussion|On the recommendation)"
)

# Cabinet decision table labels, as pdfminer splits them: "ALTERNATIVE OPTIONS" / "CONSIDERED"
TABLE_LABEL = re.compile(
    r"^(?:REASONS?|ALTERNATIVE(?: OPTIONS)?|OPTIONS|CONSIDERED|CONFLICTS(?: OF)?(?: INTEREST)?|"
    r"INTEREST|DISPENSATIONS(?: GRANTED)?|GRANTED)$"
)
# "1." alone on a line: the decision/reason numbering column of a Cabinet table
TABLE_NUMERAL = re.compile(r"^\d{1,2}\.$")
# A table cell paragraph starts "That the …", "The creation …", "In order …", "In addition, …", "None."
CELL_START = re.compile(r"^(?:That|The|In order|In addition|None|Agree|Note|To)\b")
# A line ending in a word that needs more words after it continues the same paragraph
CONTINUES = re.compile(r"(?:,|–|-|\b(?:and|or|of|the|to|for|in|with|by|a|an|as|be|that|on))$")


def _trigger(text: str) -> re.Match | None:
    m = UPPER_TRIGGER.search(text.replace("**", ""))
    if m:
        return m
    return SENTENCE_TRIGGER.match(text)


def _stem(lines: list[Line], i: int) -> re.Match | None:
    """A decision stem with its numbered parts below, not a motion or amendment quoted after
    "moved the following:" (that text was only proposed)."""
    m = STEM.match(lines[i].text)
    if not m or i + 1 >= len(lines) or not PART.match(lines[i + 1].text):
        return None
    before = lines[i - 1].text if i else ""
    if re.search(r"\b(?:the following|as follows)\b|:$", before, re.I):
        return None
    return re.match(r"(?P<form>)(?P<that>)", "")


def _form(m: re.Match) -> str:
    form = " ".join(m.group("form").split()) or "That"  # a bare decision stem
    if form in ("APPROVED", "AGREED"):  # "It was\nAPPROVED that;" split across lines
        form = f"It was {form}"
    return f"{form} that" if m.group("that") else form


def _is_table(lines: list[Line]) -> bool:
    return any(TABLE_LABEL.match(line.text) for line in lines) and any(
        TABLE_NUMERAL.match(line.text) for line in lines
    )


def find_resolutions(lines: list[Line]) -> list[Resolution]:
    """All resolutions in the lines of one minute item (heading excluded), in order."""
    out: list[Resolution] = []
    i = 0
    while i < len(lines):
        m = _trigger(lines[i].text) or _stem(lines, i)
        if not m:
            i += 1
            continue
        text = lines[i].text.replace("**", "")
        para = PARAGRAPH_NUMBER.match(text)
        number = f"({para.group(1)})" if para else None
        first = text[m.end() :].strip()
        # "8) RESOLVED that …:" runs to the paragraph "9)" (today's template numbers "N)")
        own = re.match(r"^\(?(\d{1,2})\)\s", text)
        after = re.compile(rf"^\(?{int(own.group(1)) + 1}\)\s") if own else None
        decimal = DECIMAL.match(text)
        j = i + 1
        while j < len(lines) and not _ends_block(lines[j].text):
            if after is not None and after.match(lines[j].text):
                break
            if decimal and _outside(decimal.group("n"), lines[j].text):
                break
            j += 1
        block = lines[i + 1 : j]
        if not first and _is_table(block):
            out.extend(_table(block, _form(m), lines[i].page))
        else:
            out.extend(split_parts(first, block, _form(m), number, lines[i].page))
        i = max(j, i + 1)
    return out


def _outside(number: str, text: str) -> bool:
    """ "4.3 Update on Alcohol Summit" after "4.2.4 RESOLVED: …" starts another paragraph;
    "8.3.1 That the Chair …" under "8.3 RESOLVED:" is one of its parts."""
    m = DECIMAL.match(text)
    return bool(m) and not m.group("n").startswith(f"{number}.")


def _ends_block(text: str) -> bool:
    return bool(
        PARAGRAPH_NUMBER.match(text)
        or EDITORIAL.match(text)
        or VOTE_LINE.match(text)
        or _trigger(text)
    )


def split_parts(
    first: str, block: list[Line], form: str, number: str | None, page: int
) -> list[Resolution]:
    """One resolution, or one per lettered/numbered part ("(a) … (b) …", "1. … 2. …").
    A stem before the parts ("That the Committee for Transport and Connectivity:") is dropped."""
    pieces: list[tuple[str | None, list[str], int]] = [(None, [], page)]
    expected: str | None = None
    for text, pg in [(first, page)] * bool(first) + [(ln.text, ln.page) for ln in block]:
        if NOT_DECIDED.match(text):
            break  # the rest of the list was put and not decided
        if expected is not None and SUBHEADING.match(text):
            continue  # "Contractual:" between decisions 4 and 5 heads the next ones
        pm = PART.match(text)
        label = pm and (pm.group("paren") or pm.group("dot"))
        if label and _follows(label, expected, " ".join(pieces[0][1]) if expected is None else ""):
            pieces.append((label, [pm.group("rest")], pg))
            expected = _next_label(label)
        else:
            pieces[-1][1].append(text)
    if len(pieces) == 1:
        thats = _that_clauses(first, block, page)
        if len(thats) > 1:
            return [Resolution(text=t, number=number, form=form, page=pg) for t, pg in thats]
        stem = " ".join(pieces[0][1]).strip()
        return [Resolution(text=stem, number=number, form=form, page=page)] if stem else []
    out = []
    for label, texts, pg in pieces[1:]:
        num = f"{number or ''}({label})"
        out.append(Resolution(text=" ".join(texts).strip(), number=num, form=form, page=pg))
    return out


def _that_clauses(first: str, block: list[Line], page: int) -> list[tuple[str, int]]:
    """West Kent's "6.2.6 RESOLVED: That the Swale approach be applied …" / "That the Board notes
    the joint work …": one decision per "That …", at a line start (a decimal number before it, or
    none) or after a full stop; a line carrying on the one before ("… and" / "That …") does not
    start one."""
    out: list[tuple[list[str], int]] = []
    previous = ""
    for text, pg in [(first, page)] * bool(first) + [(ln.text, ln.page) for ln in block]:
        starts = THAT_LINE.match(text) and not CONTINUES.search(previous)
        for n, sentence in enumerate(THAT_SENTENCE.split(text)):
            if out and not (n or starts):
                out[-1][0].append(sentence)
            else:
                out.append(([DECIMAL.sub("", sentence)], pg))
        previous = text
    clauses = [(" ".join(words).strip(), pg) for words, pg in out]
    # "RESOLVED: That …" took the first "That" into its form; the others lose it the same way
    return clauses[:1] + [(re.sub(r"^That\s+", "", t), pg) for t, pg in clauses[1:]]


def _follows(label: str, expected: str | None, stem: str) -> bool:
    """The next part of a decision's list: the label expected, or a number a little past it
    (Bristol numbers decisions as the report's recommendations: "4." then "6." when 5 was lost);
    the first part is "1" / "a", or any number straight after a stem ("That the Committee …"
    then "3. Approved …": the minutes carried on the report's numbering)."""
    if expected is None:
        return label.lower() in ("a", "1") or (label.isdigit() and not stem.endswith("."))
    if label == expected:
        return True
    return label.isdigit() and expected.isdigit() and 0 < int(label) - int(expected) <= 2


def _next_label(label: str) -> str:
    if label.isdigit():
        return str(int(label) + 1)
    return chr(ord(label) + 1)


def _table(block: list[Line], form: str, page: int) -> list[Resolution]:
    """A Cabinet decision table read column by column: decisions, reasons, then the three
    None-ish cells (alternatives, conflicts, dispensations)."""
    decisions = reasons = 0
    seen_reason = seen_numeral = False
    cells: list[list[str]] = []
    for line in block:
        text = line.text
        if TABLE_NUMERAL.match(text):
            seen_numeral = True
            if seen_reason:
                reasons += 1
            else:
                decisions += 1
            continue
        if TABLE_LABEL.match(text):
            seen_reason = seen_reason or text.startswith("REASON")
            continue
        if not seen_numeral:
            continue  # the table's title cell: "CABINET Revenue", "and Budget Monitoring", …
        if cells and not _new_cell(cells[-1][-1], text):
            cells[-1].append(text)
        else:
            cells.append([text])
    paras = [" ".join(c) for c in cells]
    if len(paras) < decisions or decisions == 0:
        return [Resolution(text=" ".join(paras), form=form, page=page)] if paras else []
    dec, rest = paras[:decisions], paras[decisions:]
    rsn, rest = rest[:reasons], rest[reasons:]
    alternatives, conflicts, dispensations = (rest + ["", "", ""])[:3]
    out = []
    for n, text in enumerate(dec, start=1):
        reason = rsn[n - 1] if len(rsn) == len(dec) else " ".join(rsn)
        out.append(
            Resolution(
                text=text,
                number=str(n),
                reason=reason,
                alternatives=alternatives,
                conflicts=conflicts,
                dispensations=" ".join(rest[2:]) if len(rest) > 3 else dispensations,
                form=form,
                page=page,
            )
        )
    return out


def _new_cell(previous: str, text: str) -> bool:
    if not CELL_START.match(text):
        return False
    if previous.endswith((".", ";")) or previous.startswith("None"):
        return True
    return not CONTINUES.search(previous)
