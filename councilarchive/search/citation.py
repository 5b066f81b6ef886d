"""How a journalist cites a resolution, and the vote that decided it."""

from __future__ import annotations

from councilarchive.archive.models import Resolution, Vote


def cite(resolution: Resolution) -> str:
    """'Kent County Council, County Council, 13 July 2017, minute 23(3)'."""
    item = resolution.item
    meeting = item.meeting
    committee = meeting.committee
    if item.minute_number:
        where = f"minute {item.minute_number}{resolution.number}"
    elif item.number:
        where = f"item {item.number}{resolution.number}"
    else:
        where = f"resolution {resolution.number}".strip()
    return f"{committee.council}, {committee}, {meeting.date:%-d %B %Y}, {where}"


def votes_for(resolution: Resolution) -> list[Vote]:
    """The votes recorded on this resolution; failing that, on its minute."""
    own = list(resolution.votes.all())
    return own or list(resolution.item.votes.all())
