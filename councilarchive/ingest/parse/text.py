"""Line-level helpers shared by the parser modules: pages -> numbered lines."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from councilarchive.ingest.parse.model import PageText

# "Page 115" — the footer ModernGov prints on every pack page
PAGE_FOOTER = re.compile(r"^\s*Page\s+\d+\s*$")


@dataclass(frozen=True)
class Line:
    page: int  # 1-based PDF page
    text: str  # stripped of surrounding whitespace


def normalise(text: str) -> str:
    """NFC, non-breaking spaces to spaces, drop control characters other than newline/tab."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u200b", "")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def lines_of(pages: list[PageText]) -> list[Line]:
    """Every non-blank line of every page, with its page number; page footers dropped."""
    out: list[Line] = []
    for page in pages:
        for raw in normalise(page.text).splitlines():
            text = " ".join(raw.split())
            if text and not PAGE_FOOTER.match(text):
                out.append(Line(page.number, text))
    return out


def pages_from_text(text: str) -> list[PageText]:
    """Split a form-feed separated dump (or one undivided text, as one page) into PageTexts."""
    parts = text.split("\f")
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return [PageText(number=i, text=t) for i, t in enumerate(parts, start=1)]


# "UNRESTRICTED ITEMS35. Apologies" — pdfminer glues a section heading to the next minute number
GLUED_HEADING = re.compile(r"^((?:UN)?RESTRICTED ITEMS|EXEMPT ITEMS)\s*(\d+\.\s+\S.*)$")

SMALL_WORDS = {"and", "of", "the", "for", "in", "on", "to", "a", "an", "by", "with", "at", "or"}


def unglue(lines: list[Line]) -> list[Line]:
    """Split headings pdfminer glued onto the next line's text (see GLUED_HEADING)."""
    out: list[Line] = []
    for line in lines:
        m = GLUED_HEADING.match(line.text)
        if m:
            out.append(Line(line.page, m.group(1)))
            out.append(Line(line.page, m.group(2)))
        else:
            out.append(line)
    return out


def join(lines: list[Line]) -> str:
    """The lines' text as one string; a hyphen broken across lines ("re-\\nphasing") is kept."""
    return " ".join(line.text for line in lines).strip()


def title_case(text: str) -> str:
    """ "HEALTH AND WELLBEING BOARD" -> "Health and Wellbeing Board"; mixed case left alone."""
    if text != text.upper():
        return text
    words = text.lower().split()
    return " ".join(
        w if (i and w in SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )
