"""Stage 1 for saved ModernGov meeting pages (HTML): the readable main-content text, as lines.

`extract_html(path)` returns one PageText (number 1), like a one-page PDF: the text of the page's
main content (`role="main"` or `<main>`; the whole body when there is none), one line per block
(paragraph, heading, list item, table row, `<br>`), whitespace inside a block collapsed. Scripts,
styles, navigation, the site header/footer, forms' buttons and hidden elements are dropped.
Standard library only (html.parser).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from councilarchive.ingest.errors import EmptyPDF
from councilarchive.ingest.parse.model import PageText

# Never shown to a reader: their text is dropped with everything inside them.
SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "nav",
    "header",
    "footer",
    "button",
    "select",
    "svg",
    "iframe",
    "object",
}
# Each starts and ends a line.
BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "ul",
}
# Table cells on one row are kept on one line, separated by a space.
CELL_TAGS = {"td", "th"}
VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
# style="display: none;" — ModernGov hides its duplicate <h1> this way
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# "1." alone in ModernGov's <td class="mgItemNumberCell"><p>1.</p></td>, or "12a." / "(3)"
ITEM_NUMBER = re.compile(r"\(?\d{1,3}[a-z]?[.)]")
# <meta charset="utf-8"> / content="text/html; charset=windows-1252"
META_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipped, is main)
        self.skip_depth = 0
        self.main_depth = 0
        self.lines: list[tuple[bool, str]] = []  # (inside main content, line)
        self.current: list[str] = []
        self.saw_main = False
        self.row_depth = 0  # open <tr>s
        self.carry = ""  # an item number waiting to start the next line of its table row

    # -- lines ---------------------------------------------------------------------------------
    def _break(self) -> None:
        text = " ".join("".join(self.current).split())
        self.current = []
        if self.row_depth and not self.carry and ITEM_NUMBER.fullmatch(text):
            self.carry = text  # "1." then, in the next cell, "Apologies for Absence": one line
            return
        if self.carry and text:
            text, self.carry = f"{self.carry} {text}", ""
        if text:
            self.lines.append((self.main_depth > 0, text))

    def _end_row(self) -> None:
        self._break()
        if self.carry:  # the number was the row's last text: a line of its own
            self.lines.append((self.main_depth > 0, self.carry))
            self.carry = ""

    def close(self) -> None:
        super().close()
        self._end_row()

    def main_text(self) -> str:
        if self.saw_main:
            return "\n".join(line for in_main, line in self.lines if in_main)
        return "\n".join(line for _, line in self.lines)

    # -- tags ----------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in BLOCK_TAGS and not self.skip_depth:
            self._break()
        elif tag in CELL_TAGS and not self.skip_depth:
            self.current.append(" ")
        if tag in VOID_TAGS:
            return
        skipped = (
            tag in SKIP_TAGS
            or "hidden" in attributes
            or attributes.get("aria-hidden") == "true"
            or bool(HIDDEN_STYLE.search(attributes.get("style") or ""))
        )
        is_main = tag == "main" or attributes.get("role") == "main"
        self.stack.append((tag, skipped, is_main))
        self.skip_depth += skipped
        self.main_depth += is_main
        self.row_depth += tag == "tr"
        self.saw_main = self.saw_main or is_main

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not any(open_tag == tag for open_tag, _, _ in self.stack):
            return  # a stray end tag: ignore it rather than close unrelated elements
        if tag in BLOCK_TAGS and not self.skip_depth:
            self._break()
        while self.stack:  # close any unclosed elements inside it (<p>, <li> left open)
            open_tag, skipped, is_main = self.stack.pop()
            if open_tag in BLOCK_TAGS and not self.skip_depth:
                self._break()
            if open_tag == "tr":
                self._end_row()
                self.row_depth -= 1
            self.skip_depth -= skipped
            if is_main:
                self._break()
            self.main_depth -= is_main
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.current.append(data)


def decode_html(data: bytes) -> str:
    match = META_CHARSET.search(data[:4096])
    encoding = match.group(1).decode("ascii") if match else "utf-8"
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:  # an unknown charset name
        return data.decode("utf-8", errors="replace")


def html_text(html: str) -> str:
    """The main-content text of an HTML page, one line per block."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return parser.main_text()


def extract_html(path: str | Path) -> list[PageText]:
    """The readable text of a saved meeting page, as a single page."""
    data = Path(path).read_bytes()
    if not data.strip():
        raise EmptyPDF("The file is empty.")
    return [PageText(number=1, text=html_text(decode_html(data)) + "\n")]
