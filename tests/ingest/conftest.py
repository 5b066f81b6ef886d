"""Parser fixtures: the Kent pdfminer page dumps (fast) and the external PDFs, extracted once."""

from functools import cache
from pathlib import Path

import pytest

from councilarchive.ingest.parse import parse
from councilarchive.ingest.parse.model import Pack, PageText
from councilarchive.ingest.parse.text import lines_of, pages_from_text

REPO = Path(__file__).resolve().parents[2]
PAGE_DUMPS = REPO / "fixtures" / "text"
EXTERNAL = REPO.parent / "shared" / "external"


@cache
def dump_pages(prefix: str) -> list[PageText]:
    """The pdfminer page dump of Kent pack `prefix` ("000" … "004")."""
    (path,) = PAGE_DUMPS.glob(f"{prefix}_*.pages.txt")
    return pages_from_text(path.read_text(encoding="utf-8"))


@cache
def kent_pack(prefix: str) -> Pack:
    return parse(dump_pages(prefix))


def kent_lines(prefix: str, first_page: int, last_page: int):
    return [x for x in lines_of(dump_pages(prefix)) if first_page <= x.page <= last_page]


@pytest.fixture(scope="session")
def external_pack():
    """parse(extract(pdf)) for a file under ../shared/external, each PDF extracted once."""
    if not EXTERNAL.is_dir():
        pytest.skip("../shared/external not present (a user's own clone)")
    from councilarchive.ingest.extract import extract

    done: dict[str, Pack] = {}

    def get(name_part: str) -> Pack:
        if name_part not in done:
            (path,) = [p for p in EXTERNAL.glob("*/*.pdf") if name_part in p.name]
            done[name_part] = parse(extract(path))
        return done[name_part]

    return get
