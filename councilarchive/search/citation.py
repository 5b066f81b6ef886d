"""How a journalist cites a search result, and the vote that decided a resolution."""

from __future__ import annotations

from django.db.models import prefetch_related_objects

from councilarchive.archive.models import Resolution, Vote


def cite(record) -> str:
    """'Kent County Council, County Council, 13 July 2017, minute 23(3)': a resolution, minute,
    agenda item, report or PDF page, as its model spells it (`citation()`)."""
    return record.citation()


def cite_rows(rows) -> None:
    """Set `row.cite` on each search result, the councils fetched in one query for them all."""
    owners = [row.committee for row in rows if row.committee]
    owners += [row.record.document for row in rows if row.kind in ("page", "report")]
    prefetch_related_objects(owners, "council")
    for row in rows:
        row.cite = cite(row.record)


def votes_for(resolution: Resolution) -> list[Vote]:
    """The votes recorded on this resolution; failing that, on its minute."""
    own = list(resolution.votes.all())
    return own or list(resolution.item.votes.all())
