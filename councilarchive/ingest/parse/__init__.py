"""Stage 2 of ingest: page texts -> Pack (agenda, sets of minutes, reports).

`parse` splits the pack's lines into sections: every set of minutes starts at the header block
above its "MINUTES …" / "PRESENT:" / "Decision Recording Form" line and runs to the next set, the
next officer's report ("By:"/"From:" with a "Subject:" below) or a blank page; whatever comes
before the first of those is the agenda front sheet, when page 1 says it is an agenda. Reports are
found over the whole pack by `reports.find_reports`. A section that fails to parse is recorded in
`Pack.problems` and the rest of the pack is kept; then the self-check (`check.py`) adds every doubt
about what was parsed, so a pack with no problems is one an officer can publish unread.
"""

from __future__ import annotations

from councilarchive.ingest.parse.agenda import is_agenda, parse_agenda
from councilarchive.ingest.parse.check import check, problem
from councilarchive.ingest.parse.minutes import find_boundaries, find_minutes_starts, parse_minutes
from councilarchive.ingest.parse.model import Pack, PageText, replace
from councilarchive.ingest.parse.pages import link_pages
from councilarchive.ingest.parse.reports import find_reports
from councilarchive.ingest.parse.text import Line, lines_of, unglue

__all__ = ["parse"]


def parse(pages: list[PageText]) -> Pack:
    lines = unglue(lines_of(pages))
    problems: list[dict] = []
    starts = find_minutes_starts(lines)
    boundaries = sorted(set(starts) | set(find_boundaries(lines)) | {len(lines)})

    agenda = None
    front = lines[: boundaries[0]]
    if front and is_agenda(front):
        try:
            agenda = parse_agenda(front)
        except Exception as exc:  # noqa: BLE001 - one bad section must not lose the pack
            problems.append(_unreadable("agenda", front, exc))

    minutes = []
    for start in starts:
        end = next(b for b in boundaries if b > start)
        section = lines[start:end]
        try:
            minutes.append(parse_minutes(section))
        except Exception as exc:  # noqa: BLE001
            problems.append(_unreadable("minutes", section, exc))

    reports = []
    try:
        reports = find_reports(lines, agenda)
    except Exception as exc:  # noqa: BLE001
        problems.append(_unreadable("reports", lines, exc))

    if agenda is not None:
        agenda = link_pages(agenda, tuple(reports), tuple(minutes), pages)
    pack = Pack(pages=len(pages), agenda=agenda, minutes=tuple(minutes), reports=tuple(reports))
    return replace(pack, problems=(*problems, *check(pack, lines)))


def _unreadable(what: str, section: list[Line], exc: Exception) -> dict:
    first, last = (section[0].page, section[-1].page) if section else (None, None)
    return problem(
        "section_unreadable",
        first,
        f"The {what} on pages {first}-{last} could not be read ({type(exc).__name__}); "
        "the rest of the pack was kept.",
        what,
    )
