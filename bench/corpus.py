"""A synthetic corpus for the search benchmark: pages recombined from real council paragraphs.

Each synthetic page draws paragraphs at random from the pool of real paragraphs of the sample
packs (fixtures/text/*.pages.txt), with the page lengths of the real pages, so term frequencies
(how many pages say "council", how many "dispensation") stay close to the real papers.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DUMPS = REPO / "fixtures" / "text"
PAGES_PER_DOCUMENT = 100


def real_pages() -> list[str]:
    pages = []
    for dump in sorted(DUMPS.glob("*.pages.txt")):
        pages.extend(p for p in dump.read_text().split("\f") if p.strip())
    return pages


CHUNK = 6  # lines: a synthetic page is made of runs of about this many real lines


def paragraphs_of(page: str) -> list[str]:
    """Runs of CHUNK consecutive non-blank lines (pdfminer's text has few blank lines)."""
    lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
    return ["\n".join(lines[i : i + CHUNK]) for i in range(0, len(lines), CHUNK)]


class Corpus:
    """Deterministic: the same seed and page number always give the same text."""

    def __init__(self, seed: int = 20171019):
        self.by_page = [paragraphs_of(page) for page in real_pages()]
        self.by_page = [chunks for chunks in self.by_page if chunks]
        self.paragraphs = [chunk for chunks in self.by_page for chunk in chunks]
        self.seed = seed

    def page(self, n: int) -> str:
        """A real page's length, mostly its own runs of lines (pages are about one subject),
        one run in four swapped for a run from anywhere in the papers."""
        rnd = random.Random(self.seed * 1_000_003 + n)
        home = rnd.choice(self.by_page)
        chunks = [c if rnd.random() < 0.75 else rnd.choice(self.paragraphs) for c in home]
        rnd.shuffle(chunks)
        return "\n".join(chunks)

    def pages(self, start: int, stop: int) -> Iterator[tuple[int, str]]:
        for n in range(start, stop):
            yield n, self.page(n)


def copy_pages(conn, corpus: Corpus, start: int, stop: int, document_ids: list[int]) -> None:
    """COPY pages start..stop-1 into archive_page (the search vector is a generated column)."""
    with (
        conn.cursor() as cur,
        cur.copy("COPY archive_page (document_id, number, text) FROM STDIN") as copy,
    ):
        for n, text in corpus.pages(start, stop):
            document = document_ids[n // PAGES_PER_DOCUMENT]
            copy.write_row((document, n % PAGES_PER_DOCUMENT + 1, text.replace("\x00", "")))


def share_containing(texts: list[str], word: str) -> float:
    word = word.lower()
    return sum(word in t.lower() for t in texts) / max(1, len(texts))


if __name__ == "__main__":  # a quick look at what a synthetic page reads like
    print(Corpus().page(1)[:1500])
