"""Fuzzing helpers: small seed PDFs cut from the sample packs, mutations of their bytes, and a
runner that feeds one input to extract (which runs pdfminer in its own limited child processes)
and then parse (in a forked child) under a time and memory limit.

Every input must end in one of two ways: pages and a Pack, or an IngestError with a one-line
message. Anything else is a finding: another exception (a crash of the worker), a child killed
by the memory limit or a signal, or a child still running at the time limit (a hang).
"""

from __future__ import annotations

import io
import multiprocessing
import os
import re
import resource
import traceback
import zlib
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKS = REPO / "fixtures" / "packs"

# (pack prefix, 0-based pages): the agenda front sheet and minutes with recorded votes (000),
# an officer's report (002, no headers), Cabinet minutes and a report (003), a board agenda (004).
SEED_PAGES = {
    "000": [0, 2, 6],
    "002": [0, 1],
    "003": [1, 4],
    "004": [0],
}
# extract's own limits for one input (it must stop a bad file itself, with a TooLarge) ...
EXTRACT_TIME_LIMIT = float(os.environ.get("FUZZ_EXTRACT_SECONDS", "6"))
EXTRACT_MEMORY_MB = int(os.environ.get("FUZZ_EXTRACT_MEMORY_MB", "512"))
# ... and the harness's, a safety net over the whole of extract + parse: reaching it is a finding.
TIME_LIMIT = float(os.environ.get("FUZZ_TIME_LIMIT", "30"))  # seconds per input
MEMORY_LIMIT_MB = int(os.environ.get("FUZZ_MEMORY_MB", "1024"))  # over the child's start size


@cache
def seeds() -> dict[str, bytes]:
    """Small real PDFs (classic xref tables, as pypdf writes) made of sample-pack pages."""
    from pypdf import PdfReader, PdfWriter

    out = {}
    for prefix, numbers in SEED_PAGES.items():
        (path,) = PACKS.glob(f"{prefix}_*.pdf")
        reader = PdfReader(str(path))
        writer = PdfWriter()
        for n in numbers:
            writer.add_page(reader.pages[n])
        buf = io.BytesIO()
        writer.write(buf)
        out[prefix] = buf.getvalue()
    return out


# -- mutations ---------------------------------------------------------------------------------
# "startxref\n123456\n%%EOF" — the pointer to the last cross-reference section
STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
# "0000012345 00000 n" — one entry of a classic cross-reference table
XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")


def truncate(data: bytes, fraction: float) -> bytes:
    return data[: int(len(data) * fraction)]


def flip_bytes(data: bytes, edits: list[tuple[float, int]]) -> bytes:
    buf = bytearray(data)
    if not buf:  # an earlier op (truncate at 0) left nothing to flip
        return data
    for where, value in edits:
        buf[min(int(where * len(buf)), len(buf) - 1)] = value
    return bytes(buf)


def break_xref(data: bytes, how: str, number: int) -> bytes:
    """Damage the cross-reference data: point startxref elsewhere, scramble or remove entries."""
    if how == "startxref":
        return STARTXREF.sub(b"startxref\n%d\n%%%%EOF\n" % number, data)
    if how == "entries":
        return XREF_ENTRY.sub(lambda m: b"%010d %s %s" % (number, m[2], m[3]), data)
    if how == "remove":
        return data.replace(b"xref", b"xxxx").replace(b"trailer", b"tttttt!")
    if how == "count":
        # "0 25" -> "0 <number>": the subsection claims more entries than it has
        return re.sub(rb"xref\s+0 \d+", b"xref\n0 %d" % number, data, count=1)
    raise ValueError(how)


def _objects(data: bytes) -> tuple[int, int, int]:
    """(root id, first page's contents id, size) of a seed, read with pypdf."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer.raw_get("/Root").idnum
    contents = reader.pages[0].raw_get("/Contents")
    contents_id = contents[0].idnum if isinstance(contents, list) else contents.idnum
    return root, contents_id, int(reader.trailer["/Size"])


def replace_object(data: bytes, number: int, body: bytes, size: int, root: int) -> bytes:
    """An incremental update that replaces object `number` with `body`, as an editor would."""
    prev = STARTXREF.search(data)
    offset = len(data) + 1
    obj = b"\n%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = offset - 1 + len(obj)
    xref = (
        b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n"
        b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
        % (number, offset, size, root, int(prev[1]) if prev else 0, xref_at)
    )
    return data + obj + xref


@cache
def _bomb(megabytes: int, kind: str) -> bytes:
    chunk = b"0 " * 512 if kind == "numbers" else b"BT /F1 9 Tf 10 10 Td (x) Tj ET\n" * 16
    unit = chunk * (1024 * 1024 // len(chunk))
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(unit) for _ in range(megabytes)]
    return b"".join(parts) + compressor.flush()


def huge_stream(data: bytes, kind: str, megabytes: int) -> bytes:
    """Replace page 1's content stream with one that inflates to `megabytes` MB, or an object
    stream that claims millions of objects, or a stream whose /Length is absurd."""
    root, contents, size = _objects(data)
    if kind in ("numbers", "operators"):
        packed = _bomb(megabytes, kind)
        body = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (
            len(packed),
            packed,
        )
    elif kind == "objstm":
        payload = b" ".join(b"%d 0" % i for i in range(50)) + b" " + b"<< >> " * 50
        body = b"<< /Type /ObjStm /N %d /First 5 /Length %d >>\nstream\n%s\nendstream" % (
            megabytes * 1_000_000,
            len(payload),
            payload,
        )
    elif kind == "length":
        body = b"<< /Length 99999999999999 >>\nstream\nBT ET\nendstream"
    else:
        raise ValueError(kind)
    return replace_object(data, contents, body, size, root)


def nested(data: bytes, kind: str, depth: int) -> bytes:
    """Replace page 1's contents (arrays, dictionaries) or the catalogue (a page tree that
    contains itself) with a deeply nested or self-referencing structure."""
    root, contents, size = _objects(data)
    if kind == "array":
        return replace_object(data, contents, b"[" * depth + b"]" * depth, size, root)
    if kind == "dict":
        body = b"<< /A " * depth + b"1" + b" >>" * depth
        return replace_object(data, contents, body, size, root)
    if kind == "unclosed":
        return replace_object(data, contents, b"[ << [ " * depth, size, root)
    if kind == "self_reference":
        return replace_object(data, contents, b"%d 0 R" % contents, size, root)
    if kind == "page_tree_loop":
        body = b"<< /Type /Catalog /Pages %d 0 R >>" % root
        return replace_object(data, root, body, size, root)
    raise ValueError(kind)


def splice(data: bytes, where: float, length: int, junk: bytes) -> bytes:
    """Cut `length` bytes at `where` and insert `junk` (lost or duplicated blocks)."""
    at = int(where * len(data))
    return data[:at] + junk + data[at + length :]


# Outcomes of every input run in this process, by kind (printed at the end of the pytest run).
TALLY: Counter[str] = Counter()


# -- running one input -------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    kind: str  # "pack" | "ingest_error" | "crash" | "timeout" | "died"
    detail: str = ""

    @property
    def acceptable(self) -> bool:
        return self.kind in ("pack", "ingest_error")


def _vm_size() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(conn, fn, args, memory_mb):
    limit = _vm_size() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        result = ("pack", fn(*args))
    except BaseException as exc:
        from councilarchive.ingest.errors import IngestError

        message = str(exc)
        if isinstance(exc, IngestError) and message and "\n" not in message:
            result = ("ingest_error", f"{type(exc).__name__}: {message}")
        else:
            result = ("crash", "".join(traceback.format_exception(exc))[-3000:])
    conn.send(result)
    conn.close()


def run_limited(
    fn: Callable, *args, time_limit: float = TIME_LIMIT, memory_mb: int = MEMORY_LIMIT_MB
) -> Outcome:
    """Run fn(*args) in a forked child with RLIMIT_AS and a wall-clock limit."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    # Not a daemon: extract starts child processes of its own.
    process = ctx.Process(target=_child, args=(child, fn, args, memory_mb))
    process.start()
    child.close()
    try:
        if parent.poll(time_limit):
            try:
                kind, detail = parent.recv()
            except EOFError:
                kind, detail = "died", ""
        else:
            kind, detail = "timeout", f"still running after {time_limit:.0f} s"
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        parent.close()
    if kind == "died":
        detail = f"exit code {process.exitcode}"
    TALLY[kind] += 1
    return Outcome(kind, str(detail))


def extract_only(path: str):
    from councilarchive.ingest.extract import extract

    return extract(
        path,
        workers=1,
        max_pages=3000,
        max_bytes=200 * 1024 * 1024,
        time_limit=EXTRACT_TIME_LIMIT,
        memory_mb=EXTRACT_MEMORY_MB,
    )


def run_input(path: str, time_limit: float = TIME_LIMIT) -> Outcome:
    """What the worker does before loading. extract runs here, as in the worker: its pdfminer
    work happens in its own child processes under its own time and memory limits (the harness
    only adds a deadline, in a thread, in case those fail); parse runs in a limited child."""
    from councilarchive.ingest.errors import IngestError

    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(extract_only, path)
    try:
        pages = future.result(timeout=time_limit)
    except FutureTimeout:
        TALLY["timeout"] += 1
        return Outcome("timeout", f"extract still running after {time_limit:.0f} s")
    except IngestError as exc:
        kind = "ingest_error" if str(exc) and "\n" not in str(exc) else "crash"
        TALLY[kind] += 1
        return Outcome(kind, f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # noqa: BLE001 - a crash is what we are looking for
        TALLY["crash"] += 1
        return Outcome("crash", "".join(traceback.format_exception(exc))[-3000:])
    finally:
        pool.shutdown(wait=False)
    outcome = run_limited(parse_only, pages, time_limit=time_limit)
    if outcome.kind == "pack":
        return Outcome("pack", f"{len(pages)} pages, {outcome.detail}")
    return outcome


def parse_only(pages) -> str:
    from councilarchive.ingest.parse import parse
    from councilarchive.ingest.parse.model import to_json

    pack = parse(pages)
    to_json(pack)
    return f"{len(pack.minutes)} minutes, {len(pack.reports)} reports"


# -- mutation specs: drawn by hypothesis (tests) or by random.Random (make fuzz) ------------------
SEED_NAMES = ("000", "002", "003", "004")
XREF_WAYS = ("startxref", "entries", "remove", "count")
HUGE_KINDS = ("numbers", "operators", "objstm", "length")
HUGE_SIZES = (1, 40, 300)
NEST_KINDS = ("array", "dict", "unclosed", "self_reference", "page_tree_loop")


def mutate(data: bytes, ops: list[tuple]) -> bytes:
    """Apply mutation ops in order; a structural op needs a parseable file (else it is skipped)."""
    for op, *args in ops:
        if op in ("huge", "nest"):
            try:
                data = (huge_stream if op == "huge" else nested)(data, *args)
            except Exception:  # noqa: BLE001 - pypdf could not read an already-damaged file
                continue
        else:
            data = {"truncate": truncate, "flip": flip_bytes, "xref": break_xref, "splice": splice}[
                op
            ](data, *args)
    return data


def random_ops(rng) -> tuple[str, list[tuple]]:
    """A seed name and 1-3 mutation ops, for the long `make fuzz` run."""
    ops: list[tuple] = []
    if rng.random() < 0.3:
        if rng.random() < 0.5:
            ops.append(("huge", rng.choice(HUGE_KINDS), rng.choice(HUGE_SIZES)))
        else:
            ops.append(("nest", rng.choice(NEST_KINDS), rng.choice((10, 1000, 100_000))))
    for _ in range(rng.randint(0 if ops else 1, 2)):
        kind = rng.choice(("truncate", "flip", "xref", "splice"))
        if kind == "truncate":
            ops.append(("truncate", rng.random()))
        elif kind == "flip":
            ops.append(
                ("flip", [(rng.random(), rng.randrange(256)) for _ in range(rng.randint(1, 20))])
            )
        elif kind == "xref":
            ops.append(
                ("xref", rng.choice(XREF_WAYS), rng.choice((0, 7, 10**9, rng.randrange(10**6))))
            )
        else:
            junk = bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))
            ops.append(("splice", rng.random(), rng.randint(0, 4096), junk))
    return rng.choice(SEED_NAMES), ops
