"""Printed names of people: lists split into names, attendees, and the parts of one name.

Names stay as printed (cleaned of split commas and stray whitespace); `name_parts` and
`compatible` let the loader decide whether two printed forms can be one person:
`Mr P B Carter, CBE (Chairman)`, `Mr P Carter`, `Mr Carter`, `Paul Carter, Leader of the Council`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from councilarchive.ingest.parse.model import Attendee

TITLES = (
    "Mr",
    "Mrs",
    "Miss",
    "Ms",
    "Mx",
    "Dr",
    "Cllr",
    "Councillor",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Professor",
    "Prof",
    "Rev",
    "Revd",
    "Reverend",
)
TITLE_SET = {t.lower() for t in TITLES}
# "Mr" / "Mrs." / "Cllr" at the start of a name
TITLE = r"(?:" + "|".join(sorted(TITLES, key=len, reverse=True)) + r")\.?"
HONOURS = {
    "CBE",
    "OBE",
    "MBE",
    "BEM",
    "KBE",
    "DBE",
    "JP",
    "DL",
    "TD",
    "QC",
    "KC",
    "MP",
    "MEP",
    "VC",
    "GC",
    "KG",
    "CB",
    "CMG",
    "RD",
}
# "CBE" / "OBE JP" / "C.B.E." — a piece of a list that is honours, not a person
HONOURS_PIECE = re.compile(
    r"^(?:(?:" + "|".join(sorted(HONOURS, key=len, reverse=True)) + r")\b\.?\s*)+$"
)
# "Mr P B CarterMrs S Chandler" — names pdfminer glued together without comma or space
GLUED_TITLE = re.compile(r"(?<=[a-z])(?=(?:Mrs|Mr|Miss|Ms|Dr|Cllr)\s+[A-Z])")
# "Mr A Marsh Mr J McInroy" — a second title inside one piece (a missing comma)
SECOND_TITLE = re.compile(r"(?<=[A-Za-z'’-]{2})\s+(?=(?:Mrs|Mr|Miss|Ms|Dr|Cllr)\s+[A-Z])")
# "Mr D L Brazier (Chairman) Mr M J Angell" — a role bracket then the next name, no comma
AFTER_ROLE = re.compile(r"\)\s+(?=" + TITLE + r"\s+[A-Z])")
# "Mr Balfour and Miss Rankin" — "and" before the last name
AND_TITLE = re.compile(r"\s+(?:and|&)\s+(?=" + TITLE + r"\s+[A-Z])")
# "Gill Rigg and Andrew Ireland" — "and" between two untitled names
AND_WORD = re.compile(r"\s+and\s+")
# Words that make "X and Y" a body or subject, not two people ("Health and Wellbeing Board")
NOT_NAME_WORDS = {
    "board",
    "council",
    "health",
    "wellbeing",
    "services",
    "service",
    "care",
    "group",
    "committee",
    "social",
    "children",
    "young",
    "people",
    "education",
    "finance",
    "member",
    "cabinet",
    "director",
    "officer",
    "public",
    "policy",
    "transport",
    "planning",
}
# "(Chairman)" / "(Substitute for Mr P J Oakford)" — a bracketed role, one nesting level allowed
ROLE_BRACKET = re.compile(r"\s*\((?P<role>[^()]*(?:\([^()]*\)[^()]*)*)\)")
# "Substitute for Mr P J Oakford" / "substitute" / "Substituting for Mr X"
SUBSTITUTE = re.compile(r"^substitut(?:e|ing)(?:\s+for\s+(?P<who>.+))?$", re.IGNORECASE)
# "P" / "P." / "PB" — an initial or a run of initials
INITIALS = re.compile(r"^(?:[A-Z]\.?){1,3}$")
SURNAME_PARTICLES = {"de", "du", "da", "di", "van", "von", "der", "den", "le", "la", "st", "st."}


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _split_top_level(text: str, sep: str = ",") -> list[str]:
    """Split on `sep` outside brackets."""
    out, depth, cur = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def _depth_at(text: str, pos: int) -> int:
    return text.count("(", 0, pos) - text.count(")", 0, pos)


def _split_outside_brackets(pattern: re.Pattern, text: str) -> list[str]:
    """`pattern.split(text)`, ignoring matches inside brackets ("(Substitute for Mr X)")."""
    out, start = [], 0
    for m in pattern.finditer(text):
        if _depth_at(text, m.start()) <= 0 and m.end() > start:
            out.append(text[start : m.start()])
            start = m.end()
    out.append(text[start:])
    return out


def _is_title(word: str) -> bool:
    return word.rstrip(".").lower() in TITLE_SET


def _ends_incomplete(piece: str) -> bool:
    """ "Mrs S" / "Mr M" / "Mr" — a name cut off before its surname by a stray comma."""
    if "(" in piece:
        return False
    words = piece.split()
    if not words or not _is_title(words[0]):
        return False
    return all(INITIALS.match(w) for w in words[1:])


def _starts_untitled(piece: str) -> bool:
    """ "Prendergast" / "B Carter" — the rest of a name, no title of its own."""
    words = piece.split()
    return bool(words) and not _is_title(words[0]) and words[0][:1].isupper()


def _split_ands(piece: str) -> list[str]:
    """ "Mr Balfour and Miss Rankin" / "Patsy Mellor (Director, …) and Adam Crowther (Head …)" /
    "Rod Scott and Diane Neil mills" -> two names; "Health and Wellbeing Board" stays whole."""
    parts = [p for p in _split_outside_brackets(AND_TITLE, piece) if p.strip()]
    out = []
    for part in parts:
        out += _split_plain_and(part)
    return out


def _split_plain_and(part: str) -> list[str]:
    for m in AND_WORD.finditer(part):
        if _depth_at(part, m.start()) > 0:
            continue
        left, right = part[: m.start()].strip(), part[m.end() :].strip()
        bare_left, bare_right = (
            ROLE_BRACKET.sub("", left).split(),
            ROLE_BRACKET.sub("", right).split(),
        )
        words = {w.lower().strip(".,") for w in bare_left + bare_right}
        if (
            bare_left
            and bare_right
            and right[:1].isupper()
            and len(bare_left) <= 4
            and len(bare_right) <= 4
            and not words & NOT_NAME_WORDS
        ):
            return [left, *_split_plain_and(right)]
    return [part]


def split_names(text: str) -> list[str]:
    """A printed list of people -> the names as printed, cleaned.

    "Mr A Marsh, , Mr J McInroy, Mrs S, Prendergast" -> ["Mr A Marsh", "Mr J McInroy",
    "Mrs S Prendergast"]; "Mr P B Carter, CBE, Mr M C Dance" -> ["Mr P B Carter, CBE",
    "Mr M C Dance"]; "Mr Balfour and Miss Rankin" -> two names; brackets stay with their name.
    """
    text = _clean(text)
    text = ", ".join(_split_outside_brackets(GLUED_TITLE, text))
    text = AFTER_ROLE.sub("), ", text)
    pieces: list[str] = []
    for raw in _split_top_level(text.replace(";", ",")):
        raw = raw.strip().strip(".").strip()
        if not raw:
            continue
        for part in _split_ands(raw):
            pieces += [p.strip() for p in _split_outside_brackets(SECOND_TITLE, part) if p.strip()]
    out: list[str] = []
    for piece in pieces:
        piece = re.sub(r"^(?:and|&)\s+", "", piece)
        if out and HONOURS_PIECE.match(ROLE_BRACKET.sub("", piece).strip()):
            out[-1] = f"{out[-1]}, {piece}"
        elif out and _ends_incomplete(out[-1]) and _starts_untitled(piece):
            out[-1] = f"{out[-1]} {piece}"
        elif out and piece.startswith("("):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return [n for n in out if n]


def parse_attendee(text: str) -> Attendee:
    """ "Mr D L Brazier (Chairman)" -> Attendee("Mr D L Brazier", role="Chairman");
    "Mr G Lymer (Substitute for Mr P J Oakford)" -> substitute_for="Mr P J Oakford";
    "Mr X (substitute)" -> role="Substitute", substitute_for="" (for whom not printed)."""
    text = _clean(text).strip(" ,;")
    roles = [m.group("role").strip() for m in ROLE_BRACKET.finditer(text)]
    name = ROLE_BRACKET.sub("", text).strip(" ,;")
    role = ""
    substitute_for: str | None = None
    for r in roles:
        sub = SUBSTITUTE.match(r)
        if sub:
            who = sub.group("who")
            substitute_for = _clean(who).strip(" .") if who else ""
            if not who:
                role = role or "Substitute"
        elif not role:
            role = r
    return Attendee(name=name, role=role, substitute_for=substitute_for)


@dataclass(frozen=True)
class NameParts:
    title: str = ""  # "Mr", "Mrs", "Dr", "Cllr" (several joined by a space: "Cllr Dr")
    forenames: str = ""  # "P B" / "Paul" / "" — as printed, initials without full stops
    surname: str = ""  # "Carter", "Barrington-King", "de Souza"
    honours: str = ""  # "CBE" / "OBE JP"
    role: str = ""  # "Chairman" / "Leader of the Council"


def name_parts(printed: str) -> NameParts:
    """ "Mr P B Carter, CBE (Chairman)" -> NameParts("Mr", "P B", "Carter", "CBE", "Chairman");
    "Paul Carter, Leader of the Council" -> NameParts("", "Paul", "Carter", "", "Leader of the
    Council"); "Councillor Ed Plowden" -> title "Cllr"."""
    text = _clean(printed)
    roles = [m.group("role").strip() for m in ROLE_BRACKET.finditer(text)]
    text = ROLE_BRACKET.sub("", text).strip(" ,;")
    pieces = [p.strip() for p in _split_top_level(text) if p.strip()]
    head = pieces[0] if pieces else ""
    honours: list[str] = []
    extra: list[str] = []
    for piece in pieces[1:]:
        if HONOURS_PIECE.match(piece):
            honours.append(" ".join(piece.replace(".", "").split()))
        else:
            extra.append(piece)
    # "Roger Gough – Cabinet Member for …" / "Ed Plowden - Chair"
    dash = re.match(r"^(.+?)\s+[–-]\s+(.+)$", head)
    if dash:
        head, extra = dash.group(1), [dash.group(2), *extra]
    words = head.split()
    # honours printed without a comma: "Mr P B Carter CBE"
    while len(words) > 2 and HONOURS_PIECE.match(words[-1]):
        honours.insert(0, words.pop().replace(".", ""))
    titles: list[str] = []
    while words and _is_title(words[0]):
        t = words.pop(0).rstrip(".")
        titles.append("Cllr" if t.lower() in {"cllr", "councillor"} else t)
    surname_words: list[str] = []
    if words:
        surname_words.append(words.pop())
        while words and words[-1].lower() in SURNAME_PARTICLES:
            surname_words.insert(0, words.pop())
    forenames = " ".join(w.replace(".", "") if INITIALS.match(w) else w for w in words)
    role = roles[0] if roles else ", ".join(extra)
    return NameParts(
        title=" ".join(titles),
        forenames=forenames,
        surname=" ".join(surname_words),
        honours=" ".join(honours),
        role=role,
    )


# Title groups: a form in one group cannot be the same person as a form in the other ("Mr" vs
# "Mrs"/"Miss"/"Ms"). "Dr", "Cllr", "Professor", "Rev" and no title say nothing about sex, so they
# agree with anything; "Sir" agrees with "Mr" (a knighthood), "Dame" with "Mrs"/"Miss"/"Ms".
_TITLE_GROUP = {
    "mr": "male",
    "sir": "male",
    "lord": "male",
    "mrs": "female",
    "miss": "female",
    "ms": "female",
    "dame": "female",
    "lady": "female",
}


def _title_groups(title: str) -> set[str]:
    return {_TITLE_GROUP[t.lower()] for t in title.split() if t.lower() in _TITLE_GROUP}


def _forename_tokens(forenames: str) -> list[str]:
    """ "P B" -> ["P", "B"]; "PB" -> ["P", "B"]; "Paul" -> ["Paul"]; "Mary-Jane" kept whole."""
    out: list[str] = []
    for word in forenames.replace(".", " ").split():
        if word.isupper() and len(word) <= 3:
            out += list(word)
        else:
            out.append(word)
    return out


def _norm_surname(surname: str) -> str:
    return re.sub(r"[\s'’-]", "", surname).casefold()


def _token_agrees(x: str, y: str) -> bool:
    """ "P" ~ "P" ~ "Paul"; "Paul" vs "Peter" and "P" vs "J" disagree."""
    if len(x) == 1 or len(y) == 1:
        return x[0].upper() == y[0].upper()
    return x.casefold() == y.casefold()


def _forenames_agree(ta: list[str], tb: list[str]) -> bool:
    if all(_token_agrees(x, y) for x, y in zip(ta, tb, strict=False)):
        return True
    # Known by a middle name: 000 lists "Mr P M Hill, OBE" as present and "Mr M Hill" in its
    # votes, "Mr R A Marsh" / "Mr A Marsh", "Mr S J G Koowaree" / "Mr G Koowaree". A lone initial
    # agrees with a later initial of a form that prints only initials.
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return (
        len(short) == 1
        and len(short[0]) == 1
        and len(long_) > 1
        and all(len(t) == 1 for t in long_)
        and short[0].upper() in {t.upper() for t in long_[1:]}
    )


def compatible(a: NameParts, b: NameParts) -> bool:
    """Can two printed forms be the same person? Conservative: same surname (case, spaces,
    hyphens and apostrophes ignored); titles not contradicting ("Mr" vs "Mrs"); forenames agreeing
    token by token where both are printed (an initial matches a name starting with it: "P" ~
    "P B" ~ "Paul"; "P" vs "J" and "Paul" vs "Peter" contradict), or a lone initial matching a
    middle initial ("Mr M Hill" ~ "Mr P M Hill")."""
    if not a.surname or not b.surname:
        return False
    if _norm_surname(a.surname) != _norm_surname(b.surname):
        return False
    ga, gb = _title_groups(a.title), _title_groups(b.title)
    if ga and gb and not ga & gb:
        return False
    return _forenames_agree(_forename_tokens(a.forenames), _forename_tokens(b.forenames))
