"""Which committee a printed body names: "CABINET" is the Cabinet, "Kent County Council" meeting as
a whole is the County Council. Used by the load, the ingest command and related.py."""

from __future__ import annotations

from django.utils.text import slugify

from councilarchive.archive.models import Committee, Council

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
    committee, _ = Committee.objects.get_or_create(
        council=council, slug=slugify(name)[:200], defaults={"name": name}
    )
    return committee
