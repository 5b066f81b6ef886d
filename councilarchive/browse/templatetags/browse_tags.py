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
