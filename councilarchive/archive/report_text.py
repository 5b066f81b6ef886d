"""A report's PDF text as blocks for accessible HTML: headings, paragraphs, lists, page markers.

pdfminer gives lines with no blank lines between paragraphs, so structure is recovered from the
shape of the lines (see `blocks_from_pages`):

- a bullet ("•  West Kent,") starts a list item; a lettered or numbered marker ("a. To co-ordinate",
  "iv) Investigation", "(2) ...") starts an item of a list that keeps its printed markers;
- a short line with no closing punctuation followed by running text is a heading
  ("7.0 Winter Response", "KSCB Objectives and Function"); "2.1 Title" is a sub-heading;
- several short lines in a row (table cells, addresses) stay as lines;
- otherwise lines join into a paragraph, which ends at a short line ending a sentence.

Blocks hold plain text only: the template escapes it. Nothing here produces HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# "•  West Kent," / "- item" / "▪ item"
BULLET = re.compile(r"^\s*[•·▪◦●‣\-–o]\s+(?=\S)")
# "a. To co-ordinate" / "iv) Investigation" / "(2) relates" / "1a) Developing" / "3. Item"
LIST_MARKER = re.compile(
    r"^\s*(?:\(?[a-z]\)|[a-z]\.|\(?[ivx]{1,5}\)|\(\d{1,2}\)|\d{1,2}[a-z]?\))\s+"
)
# "7.0 Winter Response" / "3 Background" (a numbered section heading)
NUMBERED_HEADING = re.compile(r"^\s*(?P<number>\d{1,2})(?:\.0)?\.?\s+[A-Z][^.;:]{1,80}$")
# "2.1 Surge plans" (a numbered sub-heading)
NUMBERED_SUBHEADING = re.compile(r"^\s*\d{1,2}\.[1-9]\d?\.?\s+[A-Z][^.;:]{1,80}$")
# "Page 12": the pack's printed page number in the footer
PAGE_FOOTER = re.compile(r"^\s*Page \d+\s*$")
SENTENCE_END = (".", "?", "!", ":", ";", "”", '"', ")")


@dataclass
class Block:
    kind: str  # "page" | "h3" | "h4" | "p" | "lines" | "ul" | "ol"
    text: str = ""
    items: list[str] = field(default_factory=list)
    page: int | None = None


def _typical_width(lines: list[str]) -> int:
    """The length of a full line of running text (the 90th percentile of line lengths)."""
    lengths = sorted(len(line) for line in lines if line.strip())
    if not lengths:
        return 80
    return max(40, lengths[int(0.9 * (len(lengths) - 1))])


def _is_heading_shape(line: str, width: int) -> bool:
    text = line.strip()
    if not text or len(text) > 0.7 * width or len(text.split()) > 12:
        return False
    if text.endswith(SENTENCE_END) or text.endswith(","):
        return False
    return text[0].isupper() or text[0].isdigit()


class _Builder:
    def __init__(self, width: int):
        self.width = width
        self.blocks: list[Block] = []
        self.paragraph: list[str] = []
        self.short_run: list[str] = []
        self.list_block: Block | None = None

    def flush(self) -> None:
        if self.paragraph:
            self.blocks.append(Block("p", " ".join(self.paragraph)))
            self.paragraph = []
        if self.short_run:
            if len(self.short_run) == 1:
                self.blocks.append(Block("p", self.short_run[0]))
            else:
                self.blocks.append(Block("lines", items=self.short_run))
            self.short_run = []
        self.list_block = None

    def add_list_item(self, kind: str, text: str) -> None:
        if self.list_block is None or self.list_block.kind != kind:
            self.flush()
            self.list_block = Block(kind)
            self.blocks.append(self.list_block)
        self.list_block.items.append(text)

    def continue_list_item(self, text: str) -> bool:
        """A wrapped list item continues while the item so far fills its line."""
        if self.list_block is None:
            return False
        last = self.list_block.items[-1]
        if last.endswith((".", ";")) and not _is_heading_shape(text, self.width):
            return False
        self.list_block.items[-1] = f"{last} {text}"
        return True


def blocks_from_lines(lines: list[str], builder: _Builder) -> None:
    """Append the blocks of these lines (one page, or a whole text) to the builder."""
    previous_full = False  # the previous line ran to (near) the full width: text continues
    previous_ended = True  # the previous line ended a sentence or introduced a list (":")
    for index, raw in enumerate(lines):
        line = " ".join(raw.split())
        if not line or PAGE_FOOTER.match(line):
            continue
        following = next((n.strip() for n in lines[index + 1 :] if n.strip()), "")
        full = len(line) >= 0.8 * builder.width
        if BULLET.match(line):
            builder.add_list_item("ul", BULLET.sub("", line))
        elif LIST_MARKER.match(line) and (not previous_full or previous_ended):
            builder.add_list_item("ol", line)
        elif builder.list_block is not None and previous_full and builder.continue_list_item(line):
            pass
        elif (
            not previous_full
            and not builder.paragraph
            and NUMBERED_SUBHEADING.match(line)
            and len(line) < 0.7 * builder.width
        ):
            builder.flush()
            builder.blocks.append(Block("h4", line))
        elif (
            not previous_full
            and not builder.paragraph
            and _is_heading_shape(line, builder.width)
            and (NUMBERED_HEADING.match(line) or len(following) >= 0.6 * builder.width)
            and not builder.short_run
        ):
            builder.flush()
            builder.blocks.append(Block("h3", line))
        elif not full and not builder.paragraph and not line.endswith(SENTENCE_END):
            if builder.list_block is not None:
                builder.flush()
            builder.short_run.append(line)
        else:
            if builder.short_run or builder.list_block is not None:
                builder.flush()
            builder.paragraph.append(line)
            if not full and line.endswith(SENTENCE_END):
                builder.flush()
        previous_full = full
        previous_ended = line.endswith(SENTENCE_END)


def blocks_from_pages(pages) -> list[Block]:
    """Blocks for a sequence of pages (objects with `.number` and `.text`), each page opened by a
    "page" block carrying its number (for the anchor and the link to the PDF page)."""
    all_lines = [line for page in pages for line in page.text.splitlines()]
    builder = _Builder(_typical_width(all_lines))
    for page in pages:
        builder.flush()
        builder.blocks.append(Block("page", page=page.number))
        blocks_from_lines(page.text.splitlines(), builder)
    builder.flush()
    return builder.blocks


def blocks_from_text(text: str) -> list[Block]:
    """Blocks for text with no pages (a corrected report body). Text flattened to one line is
    split before its numbered sections ("1.0 Purpose ... 2.0 Background ...")."""
    lines = text.splitlines()
    if len(lines) <= 1:
        # "... to winter. 2.0 Background Historically, ..." -> a paragraph from each "2.0"
        sections = re.split(r"(?<=[.:;])\s+(?=\d{1,2}\.\d\s+[A-Z])", text.strip())
        return [Block("p", section) for section in sections if section]
    builder = _Builder(_typical_width(lines))
    blocks_from_lines(lines, builder)
    builder.flush()
    return builder.blocks
