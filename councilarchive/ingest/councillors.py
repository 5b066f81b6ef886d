"""Councillor resolution: the many printed forms of one person become one Councillor with aliases.

`Mr P B Carter, CBE (Chairman)`, `Mr P Carter`, `Mr Carter` and `Paul Carter, Leader of the Council`
are one person within a council. A form that could belong to more than one known councillor is
ambiguous: it gets a record of its own rather than being merged wrongly (officers merge in the admin).
"""

from __future__ import annotations

import re

from councilarchive.archive.models import Alias, Council, Councillor
from councilarchive.archive.slugs import create_with_unique_slug, slug_for
from councilarchive.ingest.parse.names import NameParts, compatible, name_parts

# Non-people that appear in attendance lists and vote tables: "Officers", "Clerk to the Board"
NOT_A_PERSON = re.compile(r"^(officers?|clerk|the chairman|chairman|all members|members?)\b", re.I)


def _initials(parts: NameParts) -> str:
    return "".join(word[0] for word in parts.forenames.replace(".", " ").split()).upper()


def _fullness(parts: NameParts) -> tuple[int, int, int]:
    """How much of a name a printed form gives: full forenames beat initials beat none."""
    words = parts.forenames.replace(".", " ").split()
    return (len(words), sum(len(w) for w in words), int(bool(parts.title)))


def canonical_name(parts: NameParts) -> str:
    return " ".join(p for p in (parts.title, parts.forenames, parts.surname) if p)


def councillor_slug(name: str, title: str = "") -> str:
    """'Mr P B Carter' -> 'p-b-carter' (the title left out)."""
    return slug_for(name.removeprefix(title).strip() or name, "councillor")


class CouncillorIndex:
    """Resolves printed names to Councillors of one council, creating them as needed.

    Loaded once per ingest: one query for the council's councillors and aliases, then in memory.
    """

    def __init__(self, council: Council):
        self.council = council
        self.by_alias: dict[str, Councillor] = {}
        self.by_surname: dict[str, list[tuple[Councillor, NameParts]]] = {}
        councillors = Councillor.objects.filter(council=council).prefetch_related("aliases")
        for councillor in councillors:
            self._remember(councillor, name_parts(self._display(councillor)))
            for alias in councillor.aliases.all():
                self.by_alias[alias.printed] = councillor

    @staticmethod
    def _display(councillor: Councillor) -> str:
        return f"{councillor.name}, {councillor.honours}" if councillor.honours else councillor.name

    def _remember(self, councillor: Councillor, parts: NameParts) -> None:
        self.by_surname.setdefault(parts.surname.lower(), []).append((councillor, parts))

    def resolve(
        self, printed: str, *, exclude: set[int] | frozenset = frozenset()
    ) -> Councillor | None:
        """The Councillor a printed name stands for (None for a non-person such as 'Officers').

        `exclude`: councillors already used in the same list (one vote per person per vote), so
        that two different people printed alike never collapse into one.
        """
        printed = " ".join(printed.split())
        if not printed or NOT_A_PERSON.match(printed):
            return None
        known = self.by_alias.get(printed)
        if known is not None and known.pk not in exclude:
            return known
        parts = name_parts(printed)
        if not parts.surname:
            return None
        candidates = [
            (councillor, cparts)
            for councillor, cparts in self.by_surname.get(parts.surname.lower(), [])
            if councillor.pk not in exclude and compatible(parts, cparts)
        ]
        if len(candidates) > 1:
            # Prefer the one whose initials agree exactly; otherwise it is ambiguous.
            same = [c for c in candidates if _initials(c[1]) == _initials(parts)]
            candidates = same if len(same) == 1 else []
            if not candidates:
                return self._create(parts, printed)
        if len(candidates) == 1:
            councillor, cparts = candidates[0]
            self._add_alias(councillor, printed)
            if _fullness(parts) > _fullness(cparts):
                self._improve(councillor, cparts, parts)
            return councillor
        return self._create(parts, printed)

    def _add_alias(self, councillor: Councillor, printed: str) -> None:
        if self.by_alias.get(printed) is councillor:
            return
        Alias.objects.get_or_create(councillor=councillor, printed=printed[:300])
        self.by_alias.setdefault(printed, councillor)

    def _improve(self, councillor: Councillor, old: NameParts, new: NameParts) -> None:
        """A fuller printed form ('Mr P B Carter' after 'Mr Carter') becomes the canonical name."""
        councillor.name = canonical_name(new)[:200]
        councillor.title = new.title or councillor.title
        councillor.forenames = new.forenames[:100]
        councillor.honours = new.honours or councillor.honours
        councillor.save(update_fields=["name", "title", "forenames", "honours"])
        bucket = self.by_surname[old.surname.lower()]
        bucket[:] = [(c, p) if c.pk != councillor.pk else (c, new) for c, p in bucket]

    def _create(self, parts: NameParts, printed: str) -> Councillor:
        name = canonical_name(parts)
        councillor = create_with_unique_slug(
            Councillor,
            Councillor.objects.all(),
            councillor_slug(name, parts.title),
            council=self.council,
            name=name[:200],
            title=parts.title[:30],
            forenames=parts.forenames[:100],
            surname=parts.surname[:100],
            honours=parts.honours[:100],
        )
        self._remember(councillor, parts)
        self._add_alias(councillor, printed)
        return councillor
