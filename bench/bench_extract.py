"""Extraction benchmark (issue #3, Performance): `python bench/bench_extract.py [PDF...]`.

On the sample packs (fixtures/packs/*.pdf by default) prints pages/s of
  - raw pdfminer.six extraction in one process (extract_pages with our LAPARAMS, text only),
  - `councilarchive.ingest.extract.extract` using all cores (parallel page chunks),
  - poppler `pdftotext` (one process), when installed: the reference limit,
with the peak memory (RSS of this process and its children, sampled) of each, as a table and
one JSON line. The helpers here are shared with bench_ingest.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from pdfminer.high_level import extract_pages  # noqa: E402
from pdfminer.layout import LTTextContainer  # noqa: E402

from councilarchive.ingest.extract import LAPARAMS, extract, page_count  # noqa: E402

PACKS = sorted((REPO / "fixtures" / "packs").glob("*.pdf"))


# -- memory ---------------------------------------------------------------------------------------
def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(c) for c in fh.read().split())
    except OSError:
        pass
    return out


def _name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def tree_rss_mb(root: int | None = None) -> float:
    """RSS of a process and all its descendants (a database server among them not counted)."""
    root = root or os.getpid()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid != root and _name(pid).startswith(("postgres", "postmaster")):
            continue
        total += _rss_kb(pid)
        todo.extend(_children(pid))
    return total / 1024


def _sample(root: int, interval: float, stop, conn) -> None:
    """In a separate process (a thread would slow the measured process by taking the GIL)."""
    me, peak = os.getpid(), 0.0
    while not stop.is_set():
        peak = max(peak, tree_rss_mb(root) - tree_rss_mb(me))
        stop.wait(interval)
    conn.send(peak)


class PeakMemory:
    """Peak RSS of this process and its children, sampled every `interval` s by a sampler
    process (its own memory subtracted)."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak_mb = 0.0

    def __enter__(self) -> PeakMemory:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._stop = context.Event()
        self._recv, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_sample, args=(os.getpid(), self.interval, self._stop, send), daemon=True
        )
        self._process.start()
        self.peak_mb = tree_rss_mb() - tree_rss_mb(self._process.pid)
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.peak_mb = max(self.peak_mb, self._recv.recv())
        self._process.join()


# -- measurements ---------------------------------------------------------------------------------
def measure(label: str, paths: list[Path], run: Callable[[Path], int]) -> dict:
    """Run `run(path) -> pages` on every path; pages/s overall and the peak memory."""
    pages = 0
    with PeakMemory() as memory:
        started = time.perf_counter()
        for path in paths:
            pages += run(path)
        seconds = time.perf_counter() - started
    return {
        "label": label,
        "pages": pages,
        "seconds": round(seconds, 2),
        "pages_per_s": round(pages / seconds, 2),
        "peak_rss_mb": round(memory.peak_mb, 1),
    }


def raw_pdfminer(path: Path) -> int:
    """Single-process pdfminer.six: every page laid out and its text joined, nothing else."""
    n = 0
    for layout in extract_pages(str(path), laparams=LAPARAMS):
        "".join(el.get_text() for el in layout if isinstance(el, LTTextContainer))
        n += 1
    return n


def parallel_extract(path: Path) -> int:
    return len(extract(path))


def pdftotext(path: Path) -> int:
    subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, stdout=subprocess.DEVNULL)
    return page_count(path)


def table(rows: list[dict], baseline: dict | None = None) -> str:
    head = f"{'measurement':<46} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'x raw':>6} {'peak MB':>8}"
    lines = [head, "-" * len(head)]
    for r in rows:
        ratio = f"{r['pages_per_s'] / baseline['pages_per_s']:.2f}" if baseline else ""
        lines.append(
            f"{r['label']:<46} {r['pages']:>6} {r['seconds']:>8.2f} {r['pages_per_s']:>8.2f} "
            f"{ratio:>6} {r['peak_rss_mb']:>8.1f}"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    paths = [Path(p) for p in argv] or PACKS
    print(f"{len(paths)} files, {os.cpu_count()} cores", file=sys.stderr)
    raw = measure("raw pdfminer.six, 1 process", paths, raw_pdfminer)
    rows = [raw, measure(f"extract(), {os.cpu_count()} processes", paths, parallel_extract)]
    if shutil.which("pdftotext"):
        rows.append(measure("poppler pdftotext -layout (reference)", paths, pdftotext))
    print(table(rows, raw))
    print(
        json.dumps(
            {
                "bench": "extract",
                "cores": os.cpu_count(),
                "raw_pages_per_s": raw["pages_per_s"],
                "extract_pages_per_s": rows[1]["pages_per_s"],
                "extract_ratio": round(rows[1]["pages_per_s"] / raw["pages_per_s"], 2),
                "pdftotext_pages_per_s": rows[2]["pages_per_s"] if len(rows) > 2 else None,
                "rows": rows,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
