"""PDFs built to overload a reader, written by hand: the probe's two upload attacks.

- `objstm_bomb(mb)`: the page tree's root lives in a FlateDecode object stream that inflates to
  `mb` MB of empty dictionaries; pdfminer inflates and parses all of it to find the page tree, so
  merely counting the pages takes the memory and the time.
- `many_pages(n)`: a valid PDF whose page tree has `n` page objects (the probe's 10 MB file had
  100,000).
"""

from __future__ import annotations

import zlib

from tests.security.handmade_pdf import assemble


def many_pages(n: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (i + 3) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * n
    return assemble(objects)


def objstm_bomb(megabytes: int) -> bytes:
    """1 catalogue, 2 the page tree (inside object stream 4), 3 a page, 5 the xref stream."""
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    header = b"2 0 "
    compressor = zlib.compressobj(9)
    unit = b"<<>>" * (1 << 18)  # 1 MB
    packed = compressor.compress(header + pages + b" ")
    packed += b"".join(compressor.compress(unit) for _ in range(megabytes))
    packed += compressor.flush()
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in [
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"),
        (
            4,
            b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (len(header), len(packed))
            + packed
            + b"\nendstream",
        ),
    ]:
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets[5] = len(out)
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    for number in (1, 2, 3, 4, 5):
        if number == 2:  # in object stream 4, at index 0
            rows.append(b"\x02" + (4).to_bytes(4, "big") + b"\x00\x00")
        else:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
    data = b"".join(rows)
    out += (
        b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(data)
        + data
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[5]
    return bytes(out)
