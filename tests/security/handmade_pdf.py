"""A minimal text PDF written by hand (Helvetica, one Tj per line), for tests that need a real
PDF with chosen text: pdfminer reads each line back as a line."""

from __future__ import annotations


def _escape(line: str) -> bytes:
    raw = line.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


# A ToUnicode map sending each byte to the code point of the same number: a font that maps the
# glyph of byte 0x07 to U+0007 (BEL), as some real PDFs' fonts do with their odd glyphs.
IDENTITY_CMAP = (
    b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
    b"/CMapName /Identity-Bytes def /CMapType 2 def\n"
    b"1 begincodespacerange <00> <FF> endcodespacerange\n"
    b"1 beginbfrange <00> <FF> <0000> endbfrange\n"
    b"endcmap CMapName currentdict /CMap defineresource pop end end"
)


def text_pdf(pages: list[list[str]], *, identity_to_unicode: bool = False) -> bytes:
    objects: list[bytes] = [b"", b""]  # 1: catalogue, 2: page tree (filled in below)
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding"
    if identity_to_unicode:
        objects.append(
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(IDENTITY_CMAP), IDENTITY_CMAP)
        )
        font += b" /ToUnicode %d 0 R" % len(objects)
    objects.append(font + b" >>")
    font_ref = len(objects)
    kids = []
    for lines in pages:
        body = (
            b"BT /F1 8 Tf 30 810 Td 10 TL\n"
            + b"".join(b"(" + _escape(line) + b") Tj T*\n" for line in lines)
            + b"ET"
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (len(objects), font_ref)
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    return assemble(objects)


def assemble(objects: list[bytes]) -> bytes:
    """Objects numbered from 1 (1 the catalogue), a cross-reference table and the trailer."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
