"""Second renderings of real PDFs, made in the test: the same text with other page furniture
(a different SHA-256), a pack assembled from separate PDFs, for the duplicate-source tests."""

from __future__ import annotations

from pathlib import Path

from pypdf import PageObject, PdfWriter
from pypdf.generic import ContentStream, DecodedStreamObject, NameObject


def restamp(source: Path, target: Path, label: str = "Re-issued copy") -> Path:
    """`source` with every page re-stamped: a rule drawn in the bottom margin (no text, so the
    extracted text is the same) and other document metadata: the same pack, other bytes."""
    writer = PdfWriter(clone_from=source)
    for page in writer.pages:
        stamp = DecodedStreamObject()
        stamp.set_data(b"q 0.5 w 0.6 G 20 12 m 200 12 l S Q")
        page.merge_page(_page_with(stamp, page))
    writer.add_metadata({"/Producer": label, "/Title": label})
    with open(target, "wb") as fh:
        writer.write(fh)
    return target


def _page_with(stream, like):
    blank = PageObject.create_blank_page(
        width=float(like.mediabox.width), height=float(like.mediabox.height)
    )
    blank[NameObject("/Contents")] = ContentStream(stream, None)
    return blank


def assemble(sources: list[Path], target: Path) -> Path:
    """One PDF of `sources`' pages in order (a pack assembled from separate papers)."""
    writer = PdfWriter()
    for source in sources:
        writer.append(str(source))
    with open(target, "wb") as fh:
        writer.write(fh)
    return target
