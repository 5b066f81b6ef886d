"""Template filters of the public pages."""

from __future__ import annotations

import re

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()

# A numbered sub-paragraph opening after the end of a sentence, in minutes whose lines were
# joined into one: "... the following motion: (2) RESOLVED that ..." / "... noted. (b) The ..."
SUB_PARAGRAPH = re.compile(r"(?<=[.:;])\s+(?=\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)\s)")
BLANK_LINE = re.compile(r"\n\s*\n")


@register.filter
def paragraphs(text: str) -> SafeString:
    """Minute text as paragraphs, escaped: one per blank-line block and per numbered
    sub-paragraph ("(1)", "(a)", "(iv)"), single line breaks kept as <br>."""
    parts = [
        part.strip()
        for block in BLANK_LINE.split(text or "")
        for part in SUB_PARAGRAPH.split(block)
        if part.strip()
    ]
    return format_html_join("\n", "<p>{}</p>", ((linebreaksbr(part),) for part in parts))


# A meeting page on a phone: the County Council's was 27,800 px of names and minutes. Longer
# lists of names fold under their count ("For (62)") and longer minutes under a "Full minute
# text" line, their resolutions and votes left in view; a browser's find-in-page opens them.
NAMES_SHOWN = 12  # names; a vote's For (62) and a Present (73) fold, a committee's eight do not
MINUTE_SHOWN = 700  # characters: about a phone screen of text


@register.filter
def folds(names) -> bool:
    """A list of names too long to show open on the meeting page."""
    return len(names) > NAMES_SHOWN


@register.filter
def folds_text(text: str) -> bool:
    """A minute's text too long to show open on the meeting page."""
    return len(text or "") > MINUTE_SHOWN


@register.filter
def word_count(text: str) -> int:
    return len((text or "").split())
