"""One record, several papers: which document a record's text comes from, and what happens when
papers that print it are loaded, disagree or are deleted (issue 18).

Councils publish the same minutes several times: as printed minutes, again in the next meeting's
agenda pack ("to be approved"), in a supplement, in a corrected re-issue. Each record (Item,
Resolution, Vote, Report, Attendance, Declaration) exists once. Its own `document` is its most
authoritative source; every further document that prints it is a `RecordSource` row with the
pages it is on and, in `version`, what it prints where it differs from the record.

Worked example. The County Council pack of 19 October 2017 (loaded first) carries the minutes of
13 July 2017; minute 23 becomes Item 23 with document = the pack. The printed minutes of 13 July
are loaded next: they outrank a copy inside a pack (`authority`), so Item 23 takes their text and
document, and the pack becomes a RecordSource of it (version {} when both print the same;
{"text": "…the pack's words…"} when not). Deleting the printed minutes hands Item 23 back to the
pack, with the pack's version (`release`); deleting the pack only drops its RecordSource row.

Authority, highest first: an officer's `preferred` document; printed minutes (a document that is
minutes, not a pack quoting them); the later papers by their own date (`issued`); the later upload.
Records an officer edited keep the officer's values whichever source owns them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Q

from councilarchive.archive.models import (
    Attendance,
    Councillor,
    CouncillorVote,
    Declaration,
    Document,
    Item,
    RecordSource,
    Report,
    Resolution,
    Vote,
)

# The RecordSource field that points at each kind of record, and how a person calls it.
SOURCE_FIELD = {
    Item: "item",
    Resolution: "resolution",
    Vote: "vote",
    Report: "report",
    Attendance: "attendance",
    Declaration: "declaration",
}
PLURAL = {
    "item": "items",
    "resolution": "resolutions",
    "vote": "votes",
    "report": "reports",
    "attendance": "attendance records",
    "declaration": "declarations",
}
# What a source prints of each record: compared between sources and kept as a version. A vote's
# "names" is {councillor id: option}.
VERSION_FIELDS = {
    Item: ("number", "minute_number", "title", "text", "pack_pages"),
    Resolution: ("number", "text", "reason", "alternatives", "conflicts", "dispensations"),
    Vote: (
        "question",
        "kind",
        "outcome",
        "count_for",
        "count_against",
        "count_abstain",
        "count_mismatch",
        "tally_only",
        "names",
    ),
    Report: (
        "subject",
        "author",
        "to",
        "classification",
        "decision_number",
        "past_pathway",
        "future_pathway",
        "electoral_division",
        "summary",
        "recommendations",
        "body",
    ),
    Attendance: ("role", "position", "substitute_for_id"),
    Declaration: ("member", "item_ref", "text"),
}
# Kept with a version but not worth an officer's attention when they differ: a pack's own page
# range, flags derived from other fields, a report's body (its end depends on the PDF's length).
QUIET = {"pack_pages", "count_mismatch", "tally_only", "body"}
# The record's fields for the first and last page it is on (None: the model has no such field).
PAGE_FIELDS = {
    Item: ("page_start", "page_end"),
    Resolution: ("page", None),
    Vote: ("page", None),
    Report: ("page_start", "page_end"),
    Attendance: (None, None),
    Declaration: ("page", None),
}


def authority(document: Document) -> tuple:
    """Sort key: the greatest is the source whose text a record carries."""
    return (
        document.preferred,
        document.kind == Document.Kind.MINUTES,
        document.issued or dt.date.min,
        document.created_at,
        document.pk,
    )


def _norm(value):
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    return value


def values_of(record) -> dict:
    fields = VERSION_FIELDS[type(record)]
    values = {name: getattr(record, name) for name in fields if name != "names"}
    if "names" in fields:
        values["names"] = {str(cv.councillor_id): cv.option for cv in record.councillor_votes.all()}
    return values


def version_of(values: dict, record_values: dict) -> dict:
    """`values` where they differ from the record's (what a RecordSource keeps)."""
    return {
        name: value
        for name, value in values.items()
        if name in record_values and _norm(value) != _norm(record_values[name])
    }


def pages_of(record) -> tuple[int | None, int | None]:
    start, end = PAGE_FIELDS[type(record)]
    return (getattr(record, start) if start else None, getattr(record, end) if end else None)


def _apply(record, values: dict, pages: tuple[int | None, int | None]) -> None:
    """Give the record these values and pages (not saved; a vote's names are rewritten)."""
    for name, value in values.items():
        if name != "names":
            setattr(record, name, value)
    for field, page in zip(PAGE_FIELDS[type(record)], pages, strict=True):
        if field:
            setattr(record, field, page)
    if "names" in values and isinstance(record, Vote):
        printed = dict(record.councillor_votes.values_list("councillor_id", "printed_name"))
        record.councillor_votes.all().delete()
        CouncillorVote.objects.bulk_create(
            CouncillorVote(
                vote=record,
                councillor_id=int(pk),
                option=option,
                printed_name=printed.get(int(pk), ""),
            )
            for pk, option in values["names"].items()
        )
        if hasattr(record, "_prefetched_objects_cache"):
            record._prefetched_objects_cache.pop("councillor_votes", None)


def take_over(record, source: RecordSource) -> RecordSource:
    """Make `source.document` the record's own document, with its version (unless an officer
    edited the record); `source` becomes the row of the record's former document (saved when it
    already was). The other sources' versions are re-stated against the record's new values."""
    before = values_of(record)
    after = before if getattr(record, "edited", False) else {**before, **source.version}
    others = [s for s in record.sources.all() if s.pk != source.pk]
    former, former_pages = record.document_id, pages_of(record)
    _apply(record, after, (source.page_start, source.page_end))
    record.document_id = source.document_id
    record.save()
    source.document_id = former
    source.page_start, source.page_end = former_pages
    source.version = version_of(before, after)
    if source.pk:
        source.save(update_fields=["document", "page_start", "page_end", "version"])
    for other in others:
        version = version_of({**before, **other.version}, after)
        if version != other.version:
            other.version = version
            other.save(update_fields=["version"])
    return source


def release(documents, *, edited: bool = True) -> int:
    """Before `documents` go (deleted, or re-parsed), each record one of them owns that another
    document also prints passes to the most authoritative of those (with its version); what only
    they print is left to the cascade. `edited=False`: leave records officers edited where they
    are (a re-parse keeps them). Returns the number of records handed over."""
    doomed = {d.pk for d in documents if d.pk}
    if not doomed:
        return 0
    handed = 0
    for model, name in SOURCE_FIELD.items():
        elsewhere = RecordSource.objects.filter(**{name: OuterRef("pk")}).exclude(
            document_id__in=doomed
        )
        records = model.objects.filter(Exists(elsewhere), document_id__in=doomed)
        if not edited:
            records = records.filter(edited=False) if hasattr(model, "edited") else records
        for record in records.prefetch_related("sources__document"):
            candidates = [s for s in record.sources.all() if s.document_id not in doomed]
            best = max(candidates, key=lambda s: authority(s.document))
            take_over(record, best)
            handed += 1
    return handed


def record_of(source: RecordSource):
    return next(getattr(source, n) for n in SOURCE_FIELD.values() if getattr(source, f"{n}_id"))


def choose(source: RecordSource):
    """An officer's choice: the record takes this paper's version and keeps it (it is marked
    edited, so neither a re-parse nor a more authoritative paper changes it)."""
    record = record_of(source)
    if hasattr(record, "edited"):
        record.edited = False
    take_over(record, source)
    if hasattr(record, "edited"):
        record.edited = True
        record.save(update_fields=["edited"])
    return record


def settle(document: Document) -> int:
    """After an officer changed which document is preferred: each record this document prints
    is carried by its most authoritative source again. Returns the records that moved."""
    moved = 0
    for model, name in SOURCE_FIELD.items():
        pks = set(
            RecordSource.objects.filter(document=document).values_list(name, flat=True)
        ) | set(
            RecordSource.objects.filter(**{f"{name}__document": document}).values_list(
                name, flat=True
            )
        )
        records = model.objects.filter(pk__in=pks - {None}).select_related("document")
        for record in records.prefetch_related("sources__document"):
            best = max(record.sources.all(), key=lambda s: authority(s.document))
            edited = getattr(record, "edited", False)
            if not edited and authority(best.document) > authority(record.document):
                take_over(record, best)
                moved += 1
    return moved


# What str(document) reads.
DOCUMENT_NAME = ("document__title", "document__original_name", "document__sha256")


def other_sources(condition: Q) -> dict[tuple[str, int], list[RecordSource]]:
    """The further papers printing the records `condition` picks, by ("item" / "report" /
    "resolution", pk), each with its document's title for the "Also in" links: one query."""
    return sources_by_record(other_sources_query(condition))


def other_sources_query(condition: Q):
    """other_sources()'s query, for a caller that runs it with others (sources_by_record())."""
    return (
        RecordSource.objects.filter(condition)
        .select_related("document")
        .only("item_id", "report_id", "resolution_id", "page_start", "page_end", *DOCUMENT_NAME)
        .order_by("document__issued", "document_id")
    )


def sources_by_record(rows) -> dict[tuple[str, int], list[RecordSource]]:
    """RecordSource rows, in their order, by ("item" / "report" / "resolution", pk)."""
    found = defaultdict(list)
    for source in rows:
        for kind in ("item", "report", "resolution"):
            if getattr(source, f"{kind}_id"):
                found[kind, getattr(source, f"{kind}_id")].append(source)
    return found


# -- for people: differences, and what a document added or confirmed ----------------------------


def _short(value, limit: int = 60) -> str:
    text = " ".join(str(value if value not in (None, "") else "none").split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def differences(model, chosen: dict, other: dict) -> list[str]:
    """Field by field, what `other` prints against the `chosen` values ("count for “61” / “62”",
    "Mr A Booth's vote “against” / “for”"); quiet fields left out."""
    lines = []
    for name in VERSION_FIELDS[model]:
        if name in QUIET or name not in other or _norm(other[name]) == _norm(chosen.get(name)):
            continue
        if name == "names":
            lines += _name_differences(chosen.get("names") or {}, other["names"] or {})
            continue
        label = model._meta.get_field(name.removesuffix("_id")).verbose_name
        lines.append(f"{label} {_short(chosen.get(name))} / {_short(other[name])}")
    return lines


def _name_differences(chosen: dict, other: dict) -> list[str]:
    changed = sorted(pk for pk in set(chosen) | set(other) if chosen.get(pk) != other.get(pk))
    names = dict(
        Councillor.objects.filter(pk__in=[int(pk) for pk in changed]).values_list("pk", "name")
    )
    return [
        f"{names.get(int(pk), pk)}'s vote {_short(chosen.get(pk))} / {_short(other.get(pk))}"
        for pk in changed
    ]


def document_sources(document: Document) -> dict:
    """What a document added and what it only confirmed, for the admin: {"added": {plural: n},
    "confirmed": [(owner document, {plural: n}, differences)], "also_in": [(document, {plural:
    n}, differences)]}: three small queries per kind of record."""
    added, confirmed, also_in = {}, defaultdict(dict), defaultdict(dict)
    differ: dict[int, int] = defaultdict(int)
    differ_also: dict[int, int] = defaultdict(int)
    for model, name in SOURCE_FIELD.items():
        n = model.objects.filter(document=document).count()
        if n:
            added[PLURAL[name]] = n
        rows = (
            RecordSource.objects.filter(document=document, **{f"{name}__isnull": False})
            .values(owner=F(f"{name}__document_id"))
            .annotate(n=Count("id"), differ=Count("id", filter=~Q(version={})))
        )
        for row in rows:
            confirmed[row["owner"]][PLURAL[name]] = row["n"]
            differ[row["owner"]] += row["differ"]
        rows = (
            RecordSource.objects.filter(**{f"{name}__document": document})
            .values("document_id")
            .annotate(n=Count("id"), differ=Count("id", filter=~Q(version={})))
        )
        for row in rows:
            also_in[row["document_id"]][PLURAL[name]] = row["n"]
            differ_also[row["document_id"]] += row["differ"]
    titles = Document.objects.in_bulk([*confirmed, *also_in])
    return {
        "added": added,
        "confirmed": [(titles[pk], n, differ[pk]) for pk, n in confirmed.items() if pk in titles],
        "also_in": [(titles[pk], n, differ_also[pk]) for pk, n in also_in.items() if pk in titles],
    }


def describe_counts(counts: dict) -> str:
    return ", ".join(f"{n} {what}" for what, n in counts.items()) or "nothing"


def source_lines(document: Document) -> list[str]:
    """The admin's lines: "11 items, 11 resolutions, 3 votes already known from County Council
    minutes, 13 July 2017; 0 differences"."""
    summary = document_sources(document)
    lines = [f"Added {describe_counts(summary['added'])}."]
    for owner, counts, differ in summary["confirmed"]:
        lines.append(
            f"{describe_counts(counts)} already known from {owner}; {_differences(differ)}"
            f" (that document's text is used)."
        )
    for other, counts, differ in summary["also_in"]:
        lines.append(
            f"{describe_counts(counts)} of these also printed in {other}; {_differences(differ)}"
            f" (this document's text is used)."
        )
    return lines


def _differences(n: int) -> str:
    return f"{n} difference" if n == 1 else f"{n} differences"
