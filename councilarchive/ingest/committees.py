"""Which committee a printed body names: "CABINET" is the Cabinet, "Kent County Council" meeting as
a whole is the County Council. Used by the load, the ingest command and related.py."""

from __future__ import annotations

from councilarchive.archive.models import Committee, Council
from councilarchive.archive.slugs import create_with_unique_slug, slug_for

SMALL_WORDS = {"and", "of", "for", "the", "to", "in", "on", "with"}


def committee_name(body: str) -> str:
    """'CABINET' -> 'Cabinet', 'HEALTH AND WELLBEING BOARD' -> 'Health and Wellbeing Board'."""
    body = " ".join(body.split()).strip(" .,:;-")
    if body.isupper() or body.islower():
        words = body.lower().split()
        body = " ".join(
            w if (i and w in SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words)
        )
    return body[:200]


def full_council_name(council: Council) -> str:
    """The body of all councillors: 'Kent County Council' meets as 'County Council'."""
    words = council.name.split()
    if len(words) >= 2 and words[-1] == "Council" and words[-2] in {"County", "City", "Borough"}:
        return " ".join(words[-2:])
    return "Full Council"


def committee_label(council: Council, body: str) -> str:
    """The committee name a printed body stands for ('' for none)."""
    name = committee_name(body or "")
    if name.lower() in {council.name.lower(), f"the {council.name.lower()}"}:
        name = full_council_name(council)
    return name


def get_committee(council: Council, body: str) -> Committee | None:
    name = committee_label(council, body)
    if not name:
        return None
    return committee_named(council, name)


def committee_slug(name: str) -> str:
    return slug_for(name, "committee")


def committee_named(council: Council, name: str) -> Committee:
    """The council's committee of this name (or slug), created with a unique slug when new."""
    base = committee_slug(name)
    mine = Committee.objects.filter(council=council)
    committee = mine.filter(slug=base).first() or mine.filter(name=name).first()
    if committee is not None:
        return committee
    return create_with_unique_slug(
        Committee, Committee.objects.all(), base, council=council, name=name
    )
