"""How each party voted in a recorded vote, and who voted against their party's majority.

A party's majority is the side most of its members who voted took (For, Against or Abstain); a tie
has no majority. A councillor voted with their party when they took that side, against it
("rebelled") when they took another. Councillors with no party known count for nothing: where no
party is known there is no table at all.

Worked example: Conservatives For 3, Against 1; Labour Against 2. The Conservative majority is
For, so the one Conservative Against rebelled; Labour voted Against as one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from councilarchive.archive.models import CouncillorVote

OPTIONS = (CouncillorVote.Option.FOR, CouncillorVote.Option.AGAINST, CouncillorVote.Option.ABSTAIN)


@dataclass
class PartyTally:
    party: str
    counts: Counter  # option -> number of the party's members who took it

    @property
    def majority(self) -> str | None:
        ranked = self.counts.most_common(2)
        if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]

    def cells(self) -> list[int]:
        """For, Against, Abstain: the table's row."""
        return [self.counts[o] for o in OPTIONS]


def majority_of(counts: Counter) -> str | None:
    return PartyTally("", counts).majority


def party_tallies(councillor_votes) -> list[PartyTally]:
    """One row per party (A–Z) from a vote's CouncillorVote rows (councillor selected)."""
    by_party: dict[str, Counter] = {}
    for cv in councillor_votes:
        if cv.councillor.party:
            by_party.setdefault(cv.councillor.party, Counter())[cv.option] += 1
    return [PartyTally(party, counts) for party, counts in sorted(by_party.items())]


def mark_party_line(councillor_votes, tallies: list[PartyTally]) -> None:
    """Set `cv.with_party` on each row: True / False, None where the party is unknown or tied."""
    majorities = {t.party: t.majority for t in tallies}
    for cv in councillor_votes:
        majority = majorities.get(cv.councillor.party)
        cv.with_party = None if majority is None else cv.option == majority


def party_majorities(vote_ids, party: str) -> dict[int, str | None]:
    """The majority side of `party` in each of these votes (one query)."""
    counts: dict[int, Counter] = {}
    rows = (
        CouncillorVote.objects.filter(vote_id__in=vote_ids, councillor__party=party)
        .values_list("vote_id", "option")
        .annotate(n=Count("id"))
        .order_by()
    )
    for vote_id, option, n in rows:
        counts.setdefault(vote_id, Counter())[option] = n
    return {vote_id: majority_of(c) for vote_id, c in counts.items()}
