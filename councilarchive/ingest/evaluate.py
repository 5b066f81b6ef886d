"""`make eval-parse`: the parser scored against hand-checked expectations.

Each `tests/ingest/expected/<file-stem>.json` was written by reading the paper (pdftotext, the
seed dumps), never from the parser's output. It names its file (`"file": "fixtures/packs/…"` or
`"external/<folder>/<name>"`) and lists only what was checked; a field left out is not scored:

    {"file": "external/kent-county-council-2024-25/cc-2024-12-19-minutes.pdf", "pages": 15,
     "agenda": [{"number": "3", "title": "Minutes of …", "pages": "7-16"}],
     "minutes": [{"date": "2024-12-19", "present": ["Mr B J Sweetland", …], "apologies": […],
                  "items": [{"number": "278", "title": "Local Transport Plan", "resolutions": 1,
                             "votes": [{"kind": "motion", "outcome": "carried",
                                        "counts": [51, 6, 2], "for": [...], "against": [...],
                                        "abstain": [...]}]}]}],
     "reports": ["Autumn Budget Statement"]}

A minute item may also give its PDF pages (`"pages": "5-10"`, from its heading's page to its last
line's) and a report may be `{"subject": …, "pages": "1-7"}`; those are scored as `minute_pages`
and `report_pages`.

Every field is scored as sets of facts, precision / recall / F1 over all files: `named_votes`
(a vote with names is one fact: counts, kind, outcome and every name, all exact), `tallies`
(kind, counts and outcome of a vote printed without names), `agenda_items` (number and title),
`agenda_pages` (number and printed range), `minute_items`, `resolutions` (how many per minute),
`present`, `apologies`, `reports` (subjects). A file is **silent** when any of its facts is wrong
or missing and the parser reported no problem for it. A record linked to a page past the PDF's
last page is counted in `past_end`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from councilarchive.ingest.parse.model import Pack

REPO = Path(__file__).resolve().parents[2]
EXPECTED = REPO / "tests" / "ingest" / "expected"
EXTERNAL = REPO.parent / "shared" / "external"
FIELDS = (
    "named_votes",
    "tallies",
    "agenda_items",
    "agenda_pages",
    "minute_items",
    "minute_pages",
    "resolutions",
    "present",
    "apologies",
    "reports",
    "report_pages",
)


def norm(text: str) -> str:
    """Compared as a reader would: case, quotes, dashes and spacing don't matter."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    text = re.sub(r"\s*-\s*", "-", text)
    return " ".join(text.split()).strip(" .:")


def page_range(start: int | None, end: int | None) -> str | None:
    """PDF pages as the expectations write them: "5-10", or "5" for one page."""
    if start is None:
        return None
    return str(start) if end in (None, start) else f"{start}-{end}"


def _names(names) -> tuple[str, ...]:
    return tuple(sorted(norm(n) for n in names))


def _vote(minute: str, kind, outcome, counts, names_for, against, abstain) -> tuple:
    return (
        minute,
        kind,
        outcome,
        tuple(counts),
        _names(names_for),
        _names(against),
        _names(abstain),
    )


def expected_facts(exp: dict) -> dict[str, Counter]:
    facts: dict[str, Counter] = {f: Counter() for f in FIELDS}
    if "agenda" in exp:
        for item in exp["agenda"] or []:
            facts["agenda_items"][(item["number"], norm(item["title"]))] += 1
            if "pages" in item:
                facts["agenda_pages"][(item["number"], item["pages"])] += 1
    for m, minutes in enumerate(exp.get("minutes", [])):
        for key in ("present", "apologies"):
            for name in minutes.get(key, []):
                facts[key][(m, norm(name))] += 1
        for item in minutes.get("items", []):
            if "title" in item:
                facts["minute_items"][(m, item["number"], norm(item["title"]))] += 1
            number = item["number"] or norm(item.get("title", ""))  # unnumbered: by title
            if "pages" in item:
                facts["minute_pages"][(m, number, item["pages"])] += 1
            if "resolutions" in item:
                for k in range(item["resolutions"]):
                    facts["resolutions"][(m, number, k)] += 1
            for v in item.get("votes", []):
                if "for" in v:
                    facts["named_votes"][
                        _vote(
                            number,
                            v["kind"],
                            v["outcome"],
                            v["counts"],
                            v["for"],
                            v["against"],
                            v["abstain"],
                        )
                    ] += 1
                else:
                    facts["tallies"][(number, v["kind"], v["outcome"], tuple(v["counts"]))] += 1
    for report in exp.get("reports", []):
        subject = report["subject"] if isinstance(report, dict) else report
        facts["reports"][norm(subject)] += 1
        if isinstance(report, dict) and "pages" in report:
            facts["report_pages"][(norm(subject), report["pages"])] += 1
    return facts


def parsed_facts(pack: Pack, exp: dict) -> dict[str, Counter]:
    """The same facts from the parse, for the fields the expectation checks."""
    facts: dict[str, Counter] = {f: Counter() for f in FIELDS}
    if pack.agenda is not None:
        for item in pack.agenda.items:
            facts["agenda_items"][(item.number, norm(item.title))] += 1
            if item.pages:
                facts["agenda_pages"][(item.number, item.pages)] += 1
    checked = exp.get("minutes", [])
    # an item listed without "resolutions" had them left unchecked (see its file's _note)
    unchecked = {
        (m, i["number"] or norm(i.get("title", "")))
        for m, minutes in enumerate(checked)
        for i in minutes.get("items", [])
        if "resolutions" not in i
    }
    for m, minutes in enumerate(pack.minutes):
        for key in ("present", "apologies"):
            for person in getattr(minutes, key):
                facts[key][(m, norm(person.name))] += 1
        for item in minutes.items:
            facts["minute_items"][(m, item.minute_number, norm(item.title))] += 1
            number = item.minute_number or norm(item.title)
            facts["minute_pages"][(m, number, page_range(item.page_start, item.page_end))] += 1
            for k in range(len(item.resolutions) * ((m, number) not in unchecked)):
                facts["resolutions"][(m, number, k)] += 1
            for v in item.votes:
                counts = (v.count_for, v.count_against, v.count_abstain)
                if v.names_for or v.names_against or v.names_abstain:
                    facts["named_votes"][
                        _vote(
                            number,
                            v.kind,
                            v.outcome,
                            counts,
                            v.names_for,
                            v.names_against,
                            v.names_abstain,
                        )
                    ] += 1
                else:
                    facts["tallies"][(number, v.kind, v.outcome, counts)] += 1
    for report in pack.reports:
        facts["reports"][norm(report.subject)] += 1
        pages = page_range(report.page_start, report.page_end)
        facts["report_pages"][(norm(report.subject), pages)] += 1
    # a field the expectation leaves out is not scored; minutes sets past those checked neither
    for key in ("present", "apologies"):
        if not any(key in m for m in checked):
            facts[key].clear()
    scored = {f for f, c in expected_facts(exp).items() if c}
    if "agenda" in exp:
        scored |= {"agenda_items"} | (
            {"agenda_pages"} if any("pages" in i for i in exp["agenda"] or []) else set()
        )
    expected_items = [i for m in exp.get("minutes", []) for i in m.get("items", [])]
    if "minutes" in exp and (not expected_items or any("title" in i for i in expected_items)):
        scored.add("minute_items")
    if "minutes" in exp and (not expected_items or any("votes" in i for i in expected_items)):
        scored |= {"named_votes", "tallies"}
    if "reports" in exp:
        scored.add("reports")
    return {f: (c if f in scored else Counter()) for f, c in facts.items()}


@dataclass
class FileScore:
    name: str
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    problems: int = 0
    past_end: int = 0
    wrong: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # the kinds of problem reported

    @property
    def exact(self) -> bool:
        return not (sum(self.fp.values()) or sum(self.fn.values()))

    @property
    def silent(self) -> bool:
        return not self.exact and self.problems == 0


def past_end(pack: Pack) -> int:
    """Records that point at a page the PDF doesn't have."""
    pages: list[int | None] = []
    if pack.agenda is not None:
        pages += [p for i in pack.agenda.items for p in (i.page, i.page_start, i.page_end)]
    for m in pack.minutes:
        pages += [m.page_start, m.page_end]
        for i in m.items:
            pages += [i.page_start, i.page_end, *(v.page for v in i.votes)]
            pages += [r.page for r in i.resolutions]
    pages += [p for r in pack.reports for p in (r.page_start, r.page_end)]
    return sum(1 for p in pages if p is not None and not 1 <= p <= pack.pages)


def score(name: str, pack: Pack, exp: dict) -> FileScore:
    want, got = expected_facts(exp), parsed_facts(pack, exp)
    out = FileScore(name=name, problems=len(pack.problems), past_end=past_end(pack))
    out.kinds = sorted({p["kind"] for p in pack.problems})
    for f in FIELDS:
        tp = sum((want[f] & got[f]).values())
        out.tp[f], out.fp[f], out.fn[f] = tp, sum(got[f].values()) - tp, sum(want[f].values()) - tp
        for fact in list((want[f] - got[f]).elements())[:3]:
            out.wrong.append(f"{f} missing {str(fact)[:140]}")
        for fact in list((got[f] - want[f]).elements())[:3]:
            out.wrong.append(f"{f} extra {str(fact)[:140]}")
    if "pages" in exp and exp["pages"] != pack.pages:
        out.wrong.append(f"pages {pack.pages} != {exp['pages']}")
    return out


def source_of(exp: dict) -> Path:
    file = exp["file"]
    if file.startswith("external/"):
        return EXTERNAL / file.removeprefix("external/")
    return REPO / file


def expectations() -> list[tuple[str, dict]]:
    return [
        (p.stem, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(EXPECTED.glob("*.json"))
    ]


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def table(scores: list[FileScore]) -> str:
    rows = [f"{'field':<14}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}"]
    for f in FIELDS:
        tp, fp, fn = (sum(getattr(s, k)[f] for s in scores) for k in ("tp", "fp", "fn"))
        if tp + fp + fn == 0:
            continue
        p, r, f_1 = f1(tp, fp, fn)
        rows.append(f"{f:<14}{tp:>6}{fp:>6}{fn:>6}{p:>8.3f}{r:>8.3f}{f_1:>8.3f}")
    silent = [s.name for s in scores if s.silent]
    rows.append(
        f"files {len(scores)}, exact {sum(s.exact for s in scores)}, "
        f"silent {len(silent)}, links past the end {sum(s.past_end for s in scores)}"
    )
    return "\n".join(rows)


def run(parse_file, verbose: bool = False) -> list[FileScore]:
    """Score every expectation whose file is present; `parse_file(path) -> Pack`."""
    scores = []
    for stem, exp in expectations():
        path = source_of(exp)
        if not path.exists():
            print(f"{stem[:60]:<62} SKIPPED ({path} absent)")
            continue
        s = score(stem, parse_file(path), exp)
        scores.append(s)
        state = "ok" if s.exact else ("SILENT" if s.silent else "flagged")
        print(f"{stem[:60]:<62} {state:<8} problems {s.problems:>3}  wrong {len(s.wrong)}")
        if verbose:
            for line in s.wrong:
                print(f"    {line}")
    return scores
