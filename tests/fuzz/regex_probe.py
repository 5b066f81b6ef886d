"""Catastrophic-backtracking probes for the parser's regular expressions.

Every compiled pattern at module level in councilarchive/ingest/parse/*.py is searched over
strings built from its own literal characters: long runs of one character or of a pair, with a
character that cannot match at the end (the classic way to force a backtracking blow-up).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time

import councilarchive.ingest.parse as parse_package

PROBE_LENGTH = 8000  # a giant line (pdfminer gives a few hundred characters at most)
BASE_ALPHABET = "aA1.,()-:'"


def patterns() -> list[tuple[str, re.Pattern]]:
    found = []
    for info in pkgutil.iter_modules(parse_package.__path__):
        module = importlib.import_module(f"{parse_package.__name__}.{info.name}")
        for name, value in sorted(vars(module).items()):
            if isinstance(value, re.Pattern):
                found.append((f"{info.name}.{name}", value))
    return found


def alphabet(pattern: re.Pattern) -> str:
    literal = re.sub(r"\\[dswbDSWBAZ]|\\.|[\[\]{}()*+?|^$\s]", "", pattern.pattern)
    return "".join(sorted(set(BASE_ALPHABET + literal)))[:20]


def probes(pattern: re.Pattern, length: int = PROBE_LENGTH) -> list[str]:
    """Lines as the parser sees them: `lines_of` collapses every run of white space to one
    space, so runs of one character other than white space, and pairs including a space."""
    chars = alphabet(pattern)
    out = [c * length + "\x00" for c in chars if not c.isspace()]
    out += [(a + b) * (length // 2) + "\x00" for a in chars + " " for b in chars + " " if a < b]
    # a word, a space and a run of the pattern's own start, as in "For For For …"
    words = re.findall(r"[A-Za-z]{2,}", pattern.pattern)[:8]
    out += [(w + " ") * (length // (len(w) + 1)) + "\x00" for w in words]
    out += [(w + " 1. ") * (length // (len(w) + 4)) + "\x00" for w in words]
    return out


def slowest(pattern_name: str) -> tuple[float, str]:
    """(seconds, probe start) of the slowest search over all probes of one pattern."""
    pattern = dict(patterns())[pattern_name]
    worst = (0.0, "")
    for text in probes(pattern):
        started = time.perf_counter()
        pattern.search(text)
        pattern.match(text)
        elapsed = time.perf_counter() - started
        if elapsed > worst[0]:
            worst = (elapsed, text[:30])
    return worst
