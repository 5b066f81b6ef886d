"""Text every output can carry: the code points XML 1.0 forbids (and the other control characters)
removed, so that a feed, an iCalendar file or an export is well-formed whatever a PDF, a query or
an officer's edit put in the text.

XML 1.0 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]: a
glyph a PDF font maps to U+0007 (BEL) in "Budget\\x07 2019" makes Django's feed writer raise, and
the feed answer 500. We also drop DEL and the C1 controls (U+007F-U+009F), which XML tolerates but
iCalendar TEXT does not, and which no council paper means. Tab, line feed and carriage return stay.

`clean()` runs at each boundary: where page text leaves the extractors (`PageText`), on every text
field an archive model saves (an officer's edit), on the search query, and again on output (feeds,
exports, iCalendar) for text stored before this existed. No Django here: the parser uses it.
"""

from __future__ import annotations

import re

# Anything but tab, LF, CR, the printable BMP outside the surrogates, and the astral planes.
UNCARRIABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    """`text` without the code points no output may carry."""
    return UNCARRIABLE.sub("", text)


def clean_all(value):
    """`clean` applied to every string in `value`, inside lists, tuples and dicts too."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list | tuple):
        return type(value)(clean_all(v) for v in value)
    if isinstance(value, dict):
        return {k: clean_all(v) for k, v in value.items()}
    return value
