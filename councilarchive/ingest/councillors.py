"""Councillor identity: the many printed forms of one person become one record with aliases, and
only members of the council count as councillors.

Every record is made here (`new_councillor`, with its slug from `councillor_slug`): by ingest,
by an officer splitting an alias off, by the members register.

Three ways a printed name finds its record:

- `CouncillorIndex.resolve` (attendance lists): `Mr P B Carter, CBE (Chairman)`, `Mr P Carter`
  and `Paul Carter, Leader of the Council` are one person within a council. A form that could be
  more than one known person gets a record of its own rather than being merged wrongly.
- `MeetingNames.resolve` (votes and declarations): the short forms a meeting's own votes print
  ("Mr Thomas", "Mr T Hills") are read against that meeting's attendance first. At the County
  Council of 19 December 2024 "Mr Thomas" is the one Thomas present, "Mr R J Thomas"; at that of
  14 December 2017 "Mr T Hills" is the one Hills present, "Mr A R Hills". Two candidates or none
  are never guessed: the name is kept apart (a record of its own) and a problem is put on the
  document for an officer, who may merge it (`likely_matches` offers spelling slips such as
  `Miss S J Carev` for `Miss Carey`). With no attendance list, the members serving that day and
  then the council's aliases decide, as `CouncillorIndex` does.
- `classify_members`: who is a member. A record in the members register (added, edited or
  imported by an officer: `in_register`) is what the officer says. Any other, by the papers'
  structure: whoever voted in a recorded vote, is listed as present or substituting at a meeting of
  one of the council's own bodies, or sent apologies to the full council. People listed only "in attendance" (officers) or only at
  partnership boards (NHS, police, district councillors at a Health and Wellbeing Board) are
  attendees: kept and searchable, not in the councillors index.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection

from councilarchive.archive.models import Alias, Attendance, Council, Councillor, FormerSlug
from councilarchive.archive.slugs import slug_for
from councilarchive.ingest.parse.names import (
    NameParts,
    _norm_surname,
    _title_groups,
    compatible,
    name_parts,
)

# Non-people that appear in attendance lists and vote tables: "Officers", "Clerk to the Board"
NOT_A_PERSON = re.compile(r"^(officers?|clerk|the chairman|chairman|all members|members?)\b", re.I)

# Bodies whose lists mix the council's members with people from other bodies: "Health and
# Wellbeing Board", "Kent Safeguarding Children Board", "Police and Crime Panel", "Joint ...".
PARTNERSHIP_BODY = r"\m(board|partnership|panel|forum|joint)\M"

# An officer's post in a list of apologies or present: "Andrew Ireland (Corporate Director,
# Social Care, Health and Wellbeing) submitted his apologies"
OFFICER_POST = r"director|officer|head of|manager|counsel|clerk|adviser|consultant|commissioner"

# Attendance that shows a seat on the body (officers are IN_ATTENDANCE).
SEATED = (Attendance.Role.PRESENT, Attendance.Role.SUBSTITUTE)
# The meeting of all members, whose apologies are members' apologies (a Cabinet's apologies name
# officers too): "County Council", "Full Council" (ingest/committees.py names it).
ALL_MEMBERS_BODY = r"^(full|county|city|borough|district|town|parish) council$"


# -- records --------------------------------------------------------------------------------------


def councillor_slug(council: Council, name: str, taken: set[str] | None = None) -> str:
    """A URL slug for `name`, unused by any councillor (live or former) of any council. `taken`: slugs known in
    memory (the ingest's index); None to ask the database."""
    base = slug_for(name, "councillor") or "councillor"
    if taken is None:
        # /councillors/<slug>/ names no council: a slug is unique across all of them.
        taken = set(
            Councillor.objects.filter(slug__startswith=base).values_list("slug", flat=True)
        ) | set(FormerSlug.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def canonical_name(parts: NameParts) -> str:
    return " ".join(p for p in (parts.title, parts.forenames, parts.surname) if p)


def new_councillor(
    council: Council,
    printed: str,
    *,
    name: str = "",
    taken: set[str] | None = None,
    alias: bool = True,
    **fields,
) -> Councillor:
    """A new record for a printed name (its first alias unless `alias` is false), named `name`
    or canonically ('Mr P B Carter, CBE (Chairman)' -> 'Mr P B Carter', honours 'CBE')."""
    parts = name_parts(name or printed)
    display = (name or canonical_name(parts) or printed)[:200]
    councillor = Councillor.objects.create(
        council=council,
        name=display,
        title=parts.title[:30],
        forenames=parts.forenames[:100],
        surname=(parts.surname or display)[:100],
        honours=parts.honours[:100],
        slug=councillor_slug(council, display.removeprefix(parts.title).strip() or display, taken),
        **fields,
    )
    if alias:
        Alias.objects.get_or_create(councillor=councillor, printed=printed[:300])
    return councillor


def keep_old_url(councillor: Councillor, old_slug: str) -> None:
    """`old_slug` (a record merged into `councillor`, or its name before a rename) redirects."""
    if old_slug == councillor.slug:
        return
    FormerSlug.objects.update_or_create(
        council_id=councillor.council_id, slug=old_slug, defaults={"councillor": councillor}
    )


def likely_matches(councillor: Councillor, limit: int = 5) -> list[Councillor]:
    """Other records of the council whose surname is spelt nearly alike ("Carev" ~ "Carey"), for
    an officer to merge: offered, never merged here."""
    return list(
        Councillor.objects.filter(council_id=councillor.council_id)
        .exclude(pk=councillor.pk)
        .annotate(similarity=TrigramSimilarity("surname", councillor.surname))
        .filter(similarity__gte=0.4)
        .order_by("-similarity", "surname", "forenames")[:limit]
    )


def likely_pairs(councillor_ids, limit: int = 50) -> list[tuple[Councillor, Councillor]]:
    """Pairs of records, one of them among `councillor_ids` (a document's people), that are
    perhaps one person: surnames spelt nearly alike ("Carev" / "Carey", trigram similarity 0.5)
    with titles and forenames not contradicting, or the same surname where one form was kept apart
    ("Mr Thomas" beside "Mr R J Thomas"). For the review page; never merged here. (`%` is
    pg_trgm's similarity operator, which the surname's trigram index serves.)"""
    ids = list(councillor_ids)
    if not ids:
        return []
    query = Councillor.objects.raw(
        """
        SELECT a.*, b.id AS other_id FROM archive_councillor a
        JOIN archive_councillor b ON b.council_id = a.council_id AND b.id <> a.id
         AND b.surname %% a.surname AND similarity(a.surname, b.surname) >= 0.4
        WHERE a.id = ANY(%s) AND (b.id <> ALL(%s) OR a.id < b.id)
        ORDER BY a.surname, a.forenames, a.id
        """,
        [ids, ids],
    )
    rows = list(query)
    others = Councillor.objects.in_bulk({r.other_id for r in rows})
    pairs = []
    for a in rows:
        b = others[a.other_id]
        pa, pb = name_parts(_display(a)), name_parts(_display(b))
        if compatible(pa, NameParts(pb.title, pb.forenames, pa.surname)):
            pairs.append((a, b))
    return pairs[:limit]


# -- members and attendees ------------------------------------------------------------------------

CLASSIFY_SQL = f"""
UPDATE archive_councillor c SET is_member =
  EXISTS (SELECT 1 FROM archive_councillorvote v WHERE v.councillor_id = c.id)
    OR EXISTS (SELECT 1 FROM archive_attendance a
               JOIN archive_meeting m ON m.id = a.meeting_id
               JOIN archive_committee b ON b.id = m.committee_id
               WHERE (a.councillor_id = c.id OR a.substitute_for_id = c.id)
                 AND (a.role IN ({", ".join(f"'{r}'" for r in SEATED)})
                      OR (a.role = '{Attendance.Role.APOLOGIES}' AND b.name ~* '{ALL_MEMBERS_BODY}'))
                 AND b.name !~* '{PARTNERSHIP_BODY}'
                 AND a.position !~* '{OFFICER_POST}')
WHERE c.council_id = %s AND NOT c.in_register
"""


def classify_members(council: Council | int) -> None:
    """Set `is_member` for every record of the council (see the module's docstring)."""
    with connection.cursor() as cursor:
        cursor.execute(CLASSIFY_SQL, [getattr(council, "pk", council)])


# -- resolution -----------------------------------------------------------------------------------


def _initials(parts: NameParts) -> str:
    return "".join(word[0] for word in parts.forenames.replace(".", " ").split()).upper()


def _fullness(parts: NameParts) -> tuple[int, int, int]:
    """How much of a name a printed form gives: full forenames beat initials beat none."""
    words = parts.forenames.replace(".", " ").split()
    return (len(words), sum(len(w) for w in words), int(bool(parts.title)))


def _display(councillor: Councillor) -> str:
    return f"{councillor.name}, {councillor.honours}" if councillor.honours else councillor.name


class CouncillorIndex:
    """Resolves printed names to Councillors of one council, creating them as needed.

    Loaded once per ingest: one query for the council's councillors and aliases, then in memory.
    """

    def __init__(self, council: Council):
        self.council = council
        self.by_alias: dict[str, Councillor] = {}
        self.by_surname: dict[str, list[tuple[Councillor, NameParts]]] = {}
        self.parts: dict[int, NameParts] = {}
        councillors = Councillor.objects.filter(council=council).prefetch_related("aliases")
        # Slugs taken in every council (live or former): /councillors/<slug>/ names no council.
        self.slugs: set[str] = set(Councillor.objects.values_list("slug", flat=True)) | set(
            FormerSlug.objects.values_list("slug", flat=True)
        )
        for councillor in councillors:
            self._remember(councillor, name_parts(_display(councillor)))
            for alias in councillor.aliases.all():
                self.by_alias[alias.printed] = councillor

    def _remember(self, councillor: Councillor, parts: NameParts) -> None:
        self.by_surname.setdefault(parts.surname.lower(), []).append((councillor, parts))
        self.parts[councillor.pk] = parts

    def compatible_with(
        self, parts: NameParts, exclude=frozenset()
    ) -> list[tuple[Councillor, NameParts]]:
        return [
            (councillor, cparts)
            for councillor, cparts in self.by_surname.get(parts.surname.lower(), [])
            if councillor.pk not in exclude and compatible(parts, cparts)
        ]

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
        candidates = self.compatible_with(parts, exclude)
        if len(candidates) > 1:
            # Prefer the one whose initials agree exactly; otherwise it is ambiguous.
            same = [c for c in candidates if _initials(c[1]) == _initials(parts)]
            candidates = same if len(same) == 1 else []
            if not candidates:
                return self.create(printed)
        if len(candidates) == 1:
            councillor, cparts = candidates[0]
            self.add_alias(councillor, printed)
            if _fullness(parts) > _fullness(cparts):
                self._improve(councillor, cparts, parts)
            return councillor
        return self.create(printed)

    def add_alias(self, councillor: Councillor, printed: str) -> None:
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
        self.parts[councillor.pk] = new

    def create(self, printed: str) -> Councillor:
        councillor = new_councillor(self.council, printed, taken=self.slugs)
        self._remember(councillor, name_parts(printed))
        self.by_alias.setdefault(printed, councillor)
        return councillor

    def kept_apart(self, printed: str, avoid: set[int]) -> Councillor:
        """The record of a name that could not be told apart: the one it was kept apart under
        before (same printed form), else a new one."""
        known = self.by_alias.get(printed)
        if known is not None and known.pk not in avoid:
            return known
        return self.create(printed)


@dataclass
class Resolved:
    councillor: Councillor | None
    problem: str = ""  # why it was kept apart, for the officer; "" when resolved


def _people(councillors) -> str:
    return ", ".join(sorted(_display(c) for c in councillors))


class MeetingNames:
    """Resolves the names a meeting's votes and declarations print against its own attendance,
    then the members serving that day, then the council's aliases (see the module docstring)."""

    def __init__(self, index: CouncillorIndex, day: dt.date | None, attendees: list[Councillor]):
        self.index = index
        self.day = day
        self.attendees = attendees

    def resolve(self, printed: str, *, exclude: set[int] | frozenset = frozenset()) -> Resolved:
        printed = " ".join(printed.split())
        if not printed or NOT_A_PERSON.match(printed):
            return Resolved(None)
        parts = name_parts(printed)
        if not parts.surname:
            return Resolved(None)
        if not self.attendees:
            return self._without_attendance(printed, parts, exclude)
        # The meeting's attendance: same surname, titles not contradicting ("Mr" vs "Mrs").
        groups = _title_groups(parts.title)
        same = [
            c
            for c in self.attendees
            if c.pk not in exclude
            and _norm_surname(self.index.parts[c.pk].surname) == _norm_surname(parts.surname)
            and not (
                groups and (g := _title_groups(self.index.parts[c.pk].title)) and not g & groups
            )
        ]
        if len(same) > 1:
            agree = [c for c in same if compatible(parts, self.index.parts[c.pk])]
            exact = [c for c in agree if _initials(self.index.parts[c.pk]) == _initials(parts)]
            same = agree if len(agree) == 1 else exact if len(exact) == 1 else same
        if len(same) == 1:
            self.index.add_alias(same[0], printed)
            return Resolved(same[0])
        avoid = {c.pk for c in same}
        kept = self.index.kept_apart(printed, avoid)
        if same:
            why = f"“{printed}” could be any of {_people(same)}, all present"
        else:
            why = f"“{printed}” is not in the meeting's attendance list"
        return Resolved(kept, f"{why}; kept apart as a record of its own for an officer to match.")

    def _without_attendance(self, printed: str, parts: NameParts, exclude) -> Resolved:
        day = self.day
        serving = [
            c
            for c, _ in self.index.compatible_with(parts, exclude)
            if c.is_member and (day is None or c.serving_on(day))
        ]
        if len(serving) == 1:
            self.index.add_alias(serving[0], printed)
            return Resolved(serving[0])
        if len(serving) > 1:
            exact = [c for c in serving if _initials(self.index.parts[c.pk]) == _initials(parts)]
            if len(exact) == 1:
                self.index.add_alias(exact[0], printed)
                return Resolved(exact[0])
            kept = self.index.kept_apart(printed, {c.pk for c in serving})
            return Resolved(
                kept,
                f"“{printed}” could be any of {_people(serving)}, members that day; kept apart "
                "as a record of its own for an officer to match.",
            )
        candidates = self.index.compatible_with(parts, exclude)
        exact = [c for c, cparts in candidates if _initials(cparts) == _initials(parts)]
        known = self.index.by_alias.get(printed)
        if len(candidates) > 1 and len(exact) != 1 and (known is None or known.pk in exclude):
            kept = self.index.kept_apart(printed, {c.pk for c, _ in candidates})
            return Resolved(
                kept,
                f"“{printed}” could be any of {_people(c for c, _ in candidates)}; kept apart "
                "as a record of its own for an officer to match.",
            )
        return Resolved(self.index.resolve(printed, exclude=exclude))
