"""The members register from a CSV: `name, party, division, start, end` (a header row; other
columns ignored; dates as 2021-05-06, 06/05/2021 or 6 May 2021; `end` empty while serving).

`read_register(council, text)` plans the import without writing: for each row, the record it
updates (found as `CouncillorIndex` finds a printed name: "Mr P B Carter" finds the record the
papers made for "Mr P B Carter, CBE") or that it adds, with each field's old and new value, and a
one-line error per bad row. `apply_register(plan)` writes the good rows in one transaction; the
rows become `in_register` members, which the papers no longer reclassify. The admin's import page
shows the plan as its preview; `manage.py import_members file.csv [--dry-run]` prints it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.db import transaction

from councilarchive.archive.models import Alias, Council, Councillor
from councilarchive.ingest.councillors import (
    CouncillorIndex,
    classify_members,
    new_councillor,
)
from councilarchive.ingest.parse.dates import find_date
from councilarchive.ingest.parse.names import name_parts

COLUMNS = ("name", "party", "division", "start", "end")
FIELDS = {"party": "party", "division": "division", "start": "served_from", "end": "served_to"}
MAX_LENGTH = {"party": 100, "division": 200, "name": 200}
# "06/05/2021" (day first, as English councils print it)
SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass
class RowPlan:
    line: int  # line of the CSV file (the header is line 1)
    name: str
    councillor: Councillor | None  # None: a new record
    values: dict  # model field -> new value
    changes: dict = field(default_factory=dict)  # model field -> (old, new)

    def describe(self) -> str:
        """ "party: — → Conservative; served_to: — → 2021-05-06" (values, for a new record)."""
        if self.action == "add" or "added" in self.changes:
            return "new record; " + "; ".join(f"{k} {shown(v)}" for k, v in self.values.items())
        return "; ".join(
            f"{k}: {shown(old)} → {shown(new)}" for k, (old, new) in self.changes.items()
        )

    @property
    def action(self) -> str:
        if self.councillor is None:
            return "add"
        return "update" if self.changes else "unchanged"


@dataclass
class RegisterPlan:
    council: Council
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)

    def summary(self) -> str:
        count = {a: sum(r.action == a for r in self.rows) for a in ("add", "update", "unchanged")}
        return (
            f"{count['add']} to add, {count['update']} to update, {count['unchanged']} unchanged, "
            f"{len(self.errors)} row{'s' if len(self.errors) != 1 else ''} with errors"
        )


def parse_date(text: str) -> dt.date | None:
    """ "2021-05-06" / "06/05/2021" / "6 May 2021" -> a date; "" -> None; else ValueError."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    slashed = SLASHED.match(text)
    if slashed:
        day, month, year = (int(g) for g in slashed.groups())
        return dt.date(year, month, day)  # ValueError for 31/02/2021
    found = find_date(text)
    if found is None:
        raise ValueError(f"“{text}” is not a date (write 2021-05-06 or 06/05/2021)")
    return found


def read_register(council: Council, text: str) -> RegisterPlan:
    """Plan an import of the CSV `text` for `council` (nothing is written)."""
    plan = RegisterPlan(council)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
    if "name" not in headers:
        plan.errors.append((1, "The first row must name the columns, among them “name”."))
        return plan
    index = CouncillorIndex(council)
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        cells = {c: (row.get(headers[c]) or "").strip() for c in COLUMNS if c in headers}
        try:
            plan.rows.append(_plan_row(index, line, cells, seen))
        except ValueError as error:
            plan.errors.append((line, str(error)))
    return plan


def _plan_row(index: CouncillorIndex, line: int, cells: dict, seen: dict) -> RowPlan:
    name = " ".join(cells.get("name", "").split())
    if not name:
        raise ValueError("No name.")
    if not name_parts(name).surname:
        raise ValueError(f"“{name}” has no surname.")
    for column, limit in MAX_LENGTH.items():
        if len(cells.get(column, "")) > limit:
            raise ValueError(f"The {column} is longer than {limit} characters.")
    if name.casefold() in seen:
        raise ValueError(f"“{name}” is already on line {seen[name.casefold()]}.")
    values = {}
    for column, model_field in FIELDS.items():
        if column in cells:
            try:
                values[model_field] = (
                    parse_date(cells[column]) if column in ("start", "end") else cells[column]
                )
            except ValueError as error:
                raise ValueError(f"{column}: {error}") from None
    start, end = values.get("served_from"), values.get("served_to")
    if start and end and end < start:
        raise ValueError(f"The end ({end:%-d %B %Y}) is before the start ({start:%-d %B %Y}).")
    councillor = _existing(index, name)
    seen[name.casefold()] = line
    plan = RowPlan(line, name, councillor, values)
    if councillor is not None:
        wanted = {**values, "is_member": True, "in_register": True}
        plan.changes = {
            f: (getattr(councillor, f), v) for f, v in wanted.items() if getattr(councillor, f) != v
        }
    return plan


def _existing(index: CouncillorIndex, name: str) -> Councillor | None:
    """The one record `name` stands for; None for a new one; ValueError when it could be
    several (the officer writes the name as one of them is printed)."""
    known = index.by_alias.get(name)
    if known is not None:
        return known
    parts = name_parts(name)
    candidates = index.compatible_with(parts)
    if len(candidates) > 1:
        same = [c for c, p in candidates if p.forenames == parts.forenames]
        if len(same) == 1:
            return same[0]
        names = "; ".join(sorted(str(c) for c, _ in candidates))
        raise ValueError(
            f"“{name}” could be any of: {names}. Write the name as one of them is printed."
        )
    return candidates[0][0] if candidates else None


@transaction.atomic
def apply_register(plan: RegisterPlan) -> dict:
    """Write the plan's good rows; returns how many were added and updated."""
    done = {"added": 0, "updated": 0}
    for row in plan.rows:
        fields = {**row.values, "is_member": True, "in_register": True}
        if row.councillor is None:
            row.councillor = new_councillor(plan.council, row.name, **fields)
            row.changes = {"added": (None, True)}
            done["added"] += 1
        elif row.changes:
            for name, (_, new) in row.changes.items():
                setattr(row.councillor, name, new)
            row.councillor.save(update_fields=list(row.changes))
            Alias.objects.get_or_create(councillor=row.councillor, printed=row.name[:300])
            done["updated"] += 1
    classify_members(plan.council)
    return done


def shown(value) -> str:
    """A field's value for the preview: "—" for none, yes/no, dates as 2021-05-06."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def register_text(plan: RegisterPlan) -> str:
    """The plan as lines of text (the management command's output)."""
    lines = [
        f"line {row.line}: {row.action} {row.councillor or row.name}: {row.describe()}"
        for row in plan.rows
        if row.action != "unchanged"
    ]
    lines += [f"line {line}: error: {message}" for line, message in plan.errors]
    lines.append(plan.summary())
    return "\n".join(lines)
