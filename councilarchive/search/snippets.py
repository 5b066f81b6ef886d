"""Highlighted snippets that document text can never turn into HTML.

ts_headline marks matches with control characters, not tags; the one `highlight` template filter
escapes the whole snippet first and only then turns the markers into <mark>. `<` is swapped for a
placeholder before ts_headline, whose parser would otherwise drop "<b>"-like text as markup.
"""

from __future__ import annotations

import re

from django.db.models import Value
from django.db.models.functions import Left, Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from councilarchive.archive.models import split_slashes

START = "\x02"
STOP = "\x03"
LT = "\x04"  # stands in for "<" while PostgreSQL builds the headline
# stands in for a "/" between letters ("capital/reserve"), which the parser would read as one
# file path: ts_headline then sees two words side by side, as the stored vectors do (models.py)
SLASH = "\x05"
# "\x02budget\x03": one marked match
MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")
HEADLINE_OPTIONS = dict(
    start_sel=START,
    stop_sel=STOP,
    max_words=40,
    min_words=15,
    max_fragments=2,
    fragment_delimiter=" … ",
)


# ts_headline parses all the text it is given: a 135,000-character annual report cost ~25 ms a
# row. A page (2,600 characters on average) is read to 8,000; a report's snippet comes from its
# summary and recommendations, which open its text (in the sample reports: up to 3,600
# characters), so 4,000 do; a hit deeper in a report's body is also found, with its own
# snippet, as a page.
HEADLINE_MAX_CHARS = 8_000
REPORT_HEADLINE_CHARS = 4_000
# A whole record shown with every match marked (a resolution, a PDF page's text).
WHOLE_TEXT_CHARS = 100_000


def protect(expression, limit: int = HEADLINE_MAX_CHARS):
    """The text expression, cut to `limit` characters, with "<" hidden from ts_headline's tag
    parser and a "/" between letters read as a space (restore() puts both back)."""
    return split_slashes(Replace(Left(expression, limit), Value("<"), Value(LT)), SLASH)


def restore(headline: str) -> str:
    return (headline or "").replace(LT, "<").replace(SLASH, "/")


def plain(snippet: str) -> str:
    """The snippet as plain text (CSV, JSON): markers removed."""
    return (snippet or "").replace(START, "").replace(STOP, "")


def highlight(snippet: str) -> SafeString:
    """Escape first, mark second: the only way a snippet becomes HTML."""
    escaped = escape(snippet or "")
    return mark_safe(plain(MARKED.sub(r"<mark>\1</mark>", escaped)))


def excerpt(text: str, words: int = 40) -> str:
    """The opening words of a record, for listings without a query."""
    parts = (text or "").split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
