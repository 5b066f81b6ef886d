"""`make eval-parse`: score the parser against tests/ingest/expected/ (see ingest/evaluate.py).

One line per file (ok / flagged: wrong but a problem was reported / SILENT: wrong and no problem),
then precision, recall and F1 per field. `-v` lists each file's wrong facts.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilarchive.settings")

from councilarchive.ingest.evaluate import REPO, run, table  # noqa: E402
from councilarchive.ingest.parse import parse  # noqa: E402
from councilarchive.ingest.parse.text import pages_from_text  # noqa: E402


def parse_file(path: Path):
    """The Kent packs from their pdfminer page dumps (the same text, no PDF reading); others
    extracted."""
    dump = REPO / "fixtures" / "text" / f"{path.stem}.pages.txt"
    if dump.exists():
        return parse(pages_from_text(dump.read_text(encoding="utf-8")))
    from councilarchive.ingest.extract import extract

    return parse(extract(path, workers=1))


if __name__ == "__main__":
    print(table(run(parse_file, verbose="-v" in sys.argv)))
