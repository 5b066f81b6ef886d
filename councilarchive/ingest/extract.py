"""Stage 1 of ingest: PDF -> list of page texts (pdfminer.six), nothing else.

Small files are extracted in this process. Larger ones (over PARALLEL_MIN_PAGES) are cut into
page-number chunks extracted by worker processes, one per core, each opening the file itself;
the pages come back in order and `progress(done, total)` is called as each chunk completes.
The page count is read first (cheap: the page tree only), so `max_pages` is enforced before any
layout analysis. Every failure becomes an IngestError with a one-line message, whichever path.

Every pdfminer call runs in a child process with a memory limit (RLIMIT_AS) and under a
wall-clock limit, so a hostile or broken file (a decompression bomb, an object that refers to
itself, which sends pdfminer round in circles) ends in TooLarge instead of a hung or killed worker.
The limits were found by fuzzing (tests/fuzz).

Dump the page text of a PDF (pages joined by form feeds, with a trailing one), as used for the
parser fixtures in fixtures/text/:

    python -m councilarchive.ingest.extract --dump PDF > fixtures/text/NAME.pages.txt
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import re
import resource
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from pdfminer.high_level import extract_pages
from pdfminer.layout import (
    LAParams,
    LTChar,
    LTFigure,
    LTLayoutContainer,
    LTText,
    LTTextContainer,
    LTTextLine,
)
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from councilarchive.archive.files import sha256_of
from councilarchive.ingest.errors import (
    CorruptPDF,
    EmptyPDF,
    EncryptedPDF,
    IngestError,
    NotAPDF,
    TooLarge,
)
from councilarchive.ingest.parse.model import PageText

# LAParams measured on the five Kent packs (480 pages), one process, 2-core machine, pages/s and
# pages whose text differs from the defaults' (= the fixtures/text dumps):
#   defaults 6.9 | boxes_flow=None 7.4, 192 pages differ | line_margin=0.3 7.0, 7 differ
#   | detect_vertical=True 6.4, 6 differ | all_texts=True 5.7, 0 differ | char_margin=1.0 4.7, 74.
# Only boxes_flow=None is faster (+7%), and although the parser tests still pass on its dumps it
# reads Cabinet decision tables out of order (003 p3: "None." moves above "ALTERNATIVE OPTIONS
# CONSIDERED", a decision's "2." below its text) and splits table columns; line_margin=0.3 gains
# nothing. So: the defaults. Parallel chunks (below) are where the speed comes from.
LAPARAMS = LAParams()
FIGURE_LAPARAMS = LAParams(all_texts=True)
PDF_MAGIC = b"%PDF-"
PARALLEL_MIN_PAGES = 20  # below this, starting worker processes costs more than it saves
CHUNKS_PER_WORKER = 4  # several chunks per worker: balances uneven pages, more progress calls
MIN_CHUNK_PAGES = 4
# Children start from a forkserver (a clean process with pdfminer preloaded), not as forks of the
# caller: a forked child would inherit the caller's open database connection and its threads.
CHILD_CONTEXT = multiprocessing.get_context("forkserver")
CHILD_CONTEXT.set_forkserver_preload(["__main__", __name__])


def _own_forkserver_after_fork() -> None:
    """A process forked after the forkserver started (a forking worker, a test harness) must
    start its own: the inherited one is not its child (waitpid on it raises ChildProcessError)."""
    from multiprocessing import forkserver

    server = forkserver._forkserver
    server._forkserver_address = server._forkserver_alive_fd = server._forkserver_pid = None


os.register_at_fork(after_in_child=_own_forkserver_after_fork)

Progress = Callable[[int, int], None]

ENCRYPTED_MESSAGE = "The PDF is password-protected; upload an unprotected copy."

# Limits for each child process. A real page takes ~0.15 s and well under 100 MB; the limits only
# stop files built (or broken) to consume the machine. Callers may pass tighter ones.
MEMORY_LIMIT_MB = 2048  # address space a child may add to what it starts with
COUNT_TIME_LIMIT = 60.0  # seconds to read the page tree
TIME_LIMIT_BASE = 60.0  # seconds for the text of a file ...
TIME_LIMIT_PER_PAGE = 5.0  # ... plus this per page


def check_file(path: str | Path, max_bytes: int | None = None) -> None:
    """Cheap checks before any parsing: size, and the content really is a PDF."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise EmptyPDF("The file is empty.")
    if max_bytes is not None and size > max_bytes:
        raise TooLarge(
            f"The file is {size / 1e6:.1f} MB, over the limit of {max_bytes / 1e6:.1f} MB."
        )
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if PDF_MAGIC not in head:
        raise NotAPDF("This file is not a PDF (its content does not start like one).")


# The trailer names the encryption dictionary: "trailer << /Size 12 /Root 1 0 R /Encrypt 11 0 R"
# (or the cross-reference stream's dictionary does). A linearized file repeats it near the start.
ENCRYPT_KEY = re.compile(rb"/Encrypt\s*\d+\s+\d+\s+R|/Encrypt\s*<<")
TRAILER_BYTES = 64 * 1024


def check_not_encrypted(path: str | Path) -> None:
    """Refuse a password-protected PDF by its bytes alone (the first and last TRAILER_BYTES,
    where trailers are), without parsing: for the web process, which must not run pdfminer.
    A file this misses is still refused by the worker (EncryptedPDF from pdfminer)."""
    with open(path, "rb") as fh:
        head = fh.read(TRAILER_BYTES)
        fh.seek(max(0, Path(path).stat().st_size - TRAILER_BYTES))
        tail = fh.read(TRAILER_BYTES)
    if ENCRYPT_KEY.search(head) or ENCRYPT_KEY.search(tail):
        raise EncryptedPDF(ENCRYPTED_MESSAGE)


@contextmanager
def pdf_errors() -> Iterator[None]:
    """Turn whatever pdfminer raises into an IngestError with a one-line message."""
    try:
        yield
    except IngestError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise EncryptedPDF(ENCRYPTED_MESSAGE) from exc
    except MemoryError as exc:
        raise TooLarge("The PDF needs more memory to read than this server allows.") from exc
    except Exception as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise EncryptedPDF(ENCRYPTED_MESSAGE) from exc
        raise CorruptPDF(
            f"The PDF is damaged or truncated and cannot be read ({type(exc).__name__})."
        ) from exc


def page_count(path: str | Path) -> int:
    """The number of pages in the PDF's page tree, without laying any page out."""
    with pdf_errors(), open(path, "rb") as fh:
        document = PDFDocument(PDFParser(fh))
        return sum(1 for _ in PDFPage.create_pages(document))


# "3 " / "155 " / "5. " — one cell of a column of page numbers beside an agenda, or of a margin of
# item numbers, that pdfminer lays out as a text box of its own
NUMBER_CELL = re.compile(r"^\s*\d{1,4}\.?\s*$")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _page_text(layout) -> str:
    """The page's text boxes, in pdfminer's reading order, with two repairs from the layout
    (positions and font sizes) that plain text loses (see `_text_boxes`). A page whose only
    content is a figure (Word's "Save as PDF" puts a whole page in one Form XObject: the Manordeilo
    minutes) gets that figure's characters laid out as text too, as LAParams(all_texts=True) would,
    but only there: all_texts on every page costs 17% (see LAPARAMS)."""
    text = _text_boxes([el for el in layout if isinstance(el, LTTextContainer)])
    if text.strip():
        return text
    parts = []
    for el in layout:
        if isinstance(el, LTFigure):
            LTLayoutContainer.analyze(el, FIGURE_LAPARAMS)
            parts += [box.get_text() for box in el if isinstance(box, LTTextContainer)]
    return "".join(parts) or text


def _text_boxes(boxes: list) -> str:
    """The boxes' text, with what the page's geometry says and plain text cannot:

    * a number standing alone in its own box, on the same row as and to the right of a line of
      another box, is that line's last cell: Merton's agenda prints each item's first page in a
      right-hand column ("4.  Annual complaints report ........ 9"), which pdfminer reads as a
      separate column of "9", "23", "53" after all the titles. The number is put back at the
      end of its row ("…report  9"), as printed; a table's figures likewise ("£1.8  41"). A
      number on the left of a row ("1." beside a Cabinet decision, "5." beside Merton's title)
      stays where pdfminer puts it: the parser reads those columns as they come.
    * a line's last words set in a box of their own, one word space to its right, where nothing
      else on the page is aligned with them: a justified line whose wide spaces pdfminer took for
      a column gap (Kent's "2.  Declarations  of  Disclosable  Pecuniary" … "Interests  or  Other"
      / "Significant Interests in items on the agenda", read as the title's first and second
      lines and then "Interests or Other"). They go back at the end of their line. A table's
      cell is one too, but a column's cells share an edge (Cabinet decision tables, Kent's
      budget tables, the contact details beside an agenda's venue), and a gap between columns
      is wider than a stretched word space (see `_rest_of_line`).
    * a digit set small and raised is a footnote marker, not text: "Declarations of interest¹"
      (8 pt beside 12 pt), which plain text reads as "Declarations of interest 1", item 1 on
      page 1. It is written as a superscript digit.

    A page with none of these comes out exactly as `box.get_text()` would give it."""
    rows = [[(x, x.get_text()) for x in box if isinstance(x, LTTextLine)] for box in boxes]
    singles = {b: own[0] for b, own in enumerate(rows) if len(own) == 1 and own[0][1].strip()}
    cells = {b: one for b, one in singles.items() if NUMBER_CELL.match(one[1])}
    beside: dict[int, list[str]] = {}  # id(line) -> what is printed on its right, with its space
    placed: set[int] = set()  # the boxes put back on their rows
    if len(singles) > len(cells):
        every = [x for own in rows for x, _ in own]
        for b, (cell, text) in singles.items():
            if b in cells:
                continue
            line = _rest_of_line(cell, [x for c, own in enumerate(rows) if c != b for x, _ in own])
            if line is not None and not _aligned(cell, every):
                beside.setdefault(id(line), []).append(" " + text.strip())
                placed.add(b)
    if cells:
        lines = [x for b, own in enumerate(rows) if b not in cells for x, _ in own]
        for b, (cell, text) in cells.items():
            # on the same row, the cell on the line's right; the nearest such line
            row = [x for x in lines if cell.x0 >= x.x1 and _same_row(cell, x)]
            if row:
                beside.setdefault(id(max(row, key=lambda x: x.x1)), []).append("  " + text.strip())
                placed.add(b)
    parts = []
    for b, own in enumerate(rows):
        if b in placed:
            continue
        for line, text in own:
            text = _line_text(line, text)
            for more in beside.get(id(line), []):
                text = f"{text.rstrip(chr(10)).rstrip()}{more}\n"
            parts.append(text)
    return "".join(parts)


WORD_SPACES = 2.0  # a justified word space, in the line's average character widths


def _rest_of_line(cell, lines: list):
    """The line `cell` (a one-line box) continues: on its row, ending at most WORD_SPACES
    characters to its left. The Kent title's gap is 9.7 pt after characters of 5.9 pt (1.6);
    table columns on the sample packs sit 2.2 or more apart, or share an edge (`_aligned`)."""
    row = [x for x in lines if cell.x0 >= x.x1 and _same_row(cell, x)]
    if not row:
        return None
    line = max(row, key=lambda x: x.x1)
    text = line.get_text().strip()
    if not text:
        return None
    char = (line.x1 - line.x0) / len(text)
    return line if cell.x0 - line.x1 <= WORD_SPACES * char else None


def _aligned(cell, lines: list, tolerance: float = 2.0) -> bool:
    """Another line on the page starts or ends where `cell` does: `cell` is in a column."""
    return any(
        x is not cell and (abs(x.x0 - cell.x0) <= tolerance or abs(x.x1 - cell.x1) <= tolerance)
        for x in lines
    )


def _same_row(a, b) -> bool:
    """Two text lines on one printed row: their heights overlap by most of the smaller."""
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap > 0.6 * min(a.height, b.height)


def _line_text(line, text: str) -> str:
    """A line's text (`text`, its get_text()) with footnote markers (digits under 3/4 of the
    line's usual size, raised off its baseline) as superscript digits."""
    if not any(ch.isdigit() for ch in text):  # most lines: nothing to look at
        return text
    chars = [c for c in line if isinstance(c, LTChar)]
    if not chars:
        return text
    sizes = [round(c.size, 1) for c in chars]
    usual = max(set(sizes), key=sizes.count)
    base = min(c.y0 for c in chars if round(c.size, 1) == usual)

    def marker(c) -> bool:
        return (
            isinstance(c, LTChar)
            and c.get_text().isdigit()
            and c.size < 0.75 * usual
            and c.y0 > base + 0.2 * usual
        )

    if not any(marker(c) for c in chars):
        return text
    return "".join(
        c.get_text().translate(SUPERSCRIPT) if marker(c) else c.get_text()
        for c in line
        if isinstance(c, LTText)
    )


def _vm_size() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _limit_memory(memory_mb: int | None) -> None:
    """In a child process: cap its address space (an allocation past it raises MemoryError)."""
    if memory_mb:
        limit = _vm_size() + memory_mb * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _too_slow(seconds: float) -> TooLarge:
    return TooLarge(
        f"Reading the PDF took longer than the limit of {seconds:.0f} s; "
        "it may be damaged or built to overload the server."
    )


def _child_main(conn, memory_mb: int | None, fn, args) -> None:
    """Run fn(*args, send) in the child: each send(x) goes to the parent as ("item", x), then
    ("done", result) or ("error", IngestError)."""
    try:
        _limit_memory(memory_mb)
        with pdf_errors():
            result = fn(*args, lambda item: conn.send(("item", item)))
        conn.send(("done", result))
    except IngestError as exc:
        conn.send(("error", type(exc), str(exc)))
    except BaseException as exc:  # noqa: BLE001 - the parent reports it as one line
        conn.send(("error", CorruptPDF, f"The PDF cannot be read ({type(exc).__name__})."))
    finally:
        conn.close()


def _in_child(fn, *args, time_limit: float, memory_mb: int | None, on_item=None):
    """fn(*args, send) in a forked child under the limits; items it sends go to on_item."""
    ctx = CHILD_CONTEXT
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child_main, args=(child, memory_mb, fn, args))
    process.start()
    child.close()
    deadline = time.monotonic() + time_limit
    try:
        while True:
            if not parent.poll(max(0.0, deadline - time.monotonic())):
                raise _too_slow(time_limit)
            try:
                message = parent.recv()
            except EOFError:
                raise TooLarge(
                    "Reading the PDF stopped unexpectedly (it ran out of memory or crashed the "
                    "reader); it may be damaged or built to overload the server."
                ) from None
            if message[0] == "item":
                if on_item:
                    on_item(message[1])
            elif message[0] == "done":
                return message[1]
            else:
                raise message[1](message[2])
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        parent.close()


def _count_in_child(path: str, send) -> int:
    return page_count(path)


def _serial_in_child(path: str, send) -> int:
    count = 0
    for layout in extract_pages(path, laparams=LAPARAMS):
        send(_page_text(layout))
        count += 1
    return count


def _extract_numbers(path: str, page_numbers: list[int]) -> list[str]:
    """The text of the given 0-based pages, in order (run in a worker process)."""
    with pdf_errors():
        texts = [
            _page_text(layout)
            for layout in extract_pages(path, page_numbers=page_numbers, laparams=LAPARAMS)
        ]
    if len(texts) != len(page_numbers):
        raise CorruptPDF("The PDF is damaged: some of its pages cannot be found.")
    return texts


def _chunks(total: int, workers: int) -> list[list[int]]:
    size = max(MIN_CHUNK_PAGES, math.ceil(total / (workers * CHUNKS_PER_WORKER)))
    return [list(range(start, min(start + size, total))) for start in range(0, total, size)]


def _extract_serial(
    path: str, total: int, progress: Progress | None, time_limit: float, memory_mb: int | None
) -> list[str]:
    """One child process, its pages streamed back (progress per page; the callback's errors
    propagate as they are)."""
    texts: list[str] = []

    def on_page(text: str) -> None:
        texts.append(text)
        if progress:
            progress(len(texts), total)

    _in_child(_serial_in_child, path, time_limit=time_limit, memory_mb=memory_mb, on_item=on_page)
    if len(texts) != total:
        raise CorruptPDF("The PDF is damaged: some of its pages cannot be read.")
    return texts


def _extract_parallel(
    path: str,
    total: int,
    workers: int,
    progress: Progress | None,
    time_limit: float,
    memory_mb: int | None,
) -> list[str]:
    chunks = _chunks(total, workers)
    results: dict[int, list[str]] = {}
    done = 0
    deadline = time.monotonic() + time_limit
    with ProcessPoolExecutor(
        max_workers=min(workers, len(chunks)),
        mp_context=CHILD_CONTEXT,
        initializer=_limit_memory,
        initargs=(memory_mb,),
    ) as pool:
        pending = {pool.submit(_extract_numbers, path, chunk): i for i, chunk in enumerate(chunks)}
        try:
            while pending:
                finished, _ = wait(
                    pending,
                    timeout=max(0.0, deadline - time.monotonic()),
                    return_when=FIRST_COMPLETED,
                )
                if not finished:
                    for process in list(getattr(pool, "_processes", {}).values()):
                        process.kill()  # a worker stuck in pdfminer does not see a cancel
                    raise _too_slow(time_limit)
                for future in finished:
                    index = pending.pop(future)
                    results[index] = future.result()  # re-raises the worker's IngestError
                    done += len(results[index])
                    if progress:
                        progress(done, total)
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    return [text for i in range(len(chunks)) for text in results[i]]


def extract(
    path: str | Path,
    *,
    max_pages: int | None = None,
    max_bytes: int | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    time_limit: float | None = None,
    memory_mb: int | None = MEMORY_LIMIT_MB,
) -> list[PageText]:
    """The text of every page, numbered from 1. `workers` defaults to the number of cores;
    files of fewer than PARALLEL_MIN_PAGES pages (or workers=1) are extracted by one child.
    `time_limit` (seconds, after the page count) defaults to TIME_LIMIT_BASE plus
    TIME_LIMIT_PER_PAGE per page; `memory_mb` caps each child (None: no cap).
    When the same content was handed to `prefetch`, its result (or its error) is returned."""
    if _PREFETCHED:
        with _PREFETCH_LOCK:
            ahead = _PREFETCHED.pop(sha256_of(path), None)
        if ahead is not None:
            pages = ahead.result()  # re-raises the prefetch's IngestError
            if progress:
                progress(len(pages), len(pages))
            return pages
    return _extract_now(
        path,
        max_pages=max_pages,
        max_bytes=max_bytes,
        progress=progress,
        workers=workers,
        time_limit=time_limit,
        memory_mb=memory_mb,
    )


# -- extraction ahead of time (used by councilarchive.ingest.batch) ----------------------------
# content key -> the extraction under way, taken by the next extract() of the same content
_PREFETCHED: dict[str, Future] = {}
_PREFETCH_LOCK = threading.Lock()


def prefetch(path: str | Path, *, executor: Executor, **options) -> str:
    """Start extracting `path` on `executor` (a thread pool) now; the next `extract()` of a file
    with the same content returns that result instead of extracting again. `options` are
    extract's keyword arguments (use the same limits). Returns the key for `discard`."""
    key = sha256_of(path)
    future = executor.submit(_extract_now, path, **options)
    with _PREFETCH_LOCK:
        _PREFETCHED[key] = future
    return key


def discard(key: str | None) -> None:
    """Forget a prefetch nobody took (cancelled if it has not started)."""
    with _PREFETCH_LOCK:
        future = _PREFETCHED.pop(key, None) if key else None
    if future is not None:
        future.cancel()


def _extract_now(
    path: str | Path,
    *,
    max_pages: int | None = None,
    max_bytes: int | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    time_limit: float | None = None,
    memory_mb: int | None = MEMORY_LIMIT_MB,
) -> list[PageText]:
    check_file(path, max_bytes)
    total = _in_child(
        _count_in_child,
        str(path),
        time_limit=min(COUNT_TIME_LIMIT, time_limit or COUNT_TIME_LIMIT),
        memory_mb=memory_mb,
    )
    if total == 0:
        raise EmptyPDF("The PDF has no pages.")
    if max_pages is not None and total > max_pages:
        raise TooLarge(f"The PDF has {total} pages, over the limit of {max_pages}.")
    workers = workers or os.cpu_count() or 1
    if time_limit is None:
        time_limit = TIME_LIMIT_BASE + TIME_LIMIT_PER_PAGE * total
    if workers > 1 and total > PARALLEL_MIN_PAGES:
        try:
            texts = _extract_parallel(str(path), total, workers, progress, time_limit, memory_mb)
        except BrokenProcessPool as exc:
            raise IngestError(
                "Extracting the PDF stopped unexpectedly (a worker process died); try again."
            ) from exc
    else:
        texts = _extract_serial(str(path), total, progress, time_limit, memory_mb)
    return [PageText(number=n, text=t) for n, t in enumerate(texts, start=1)]


def has_text_layer(pages: list[PageText]) -> bool:
    """False for a scanned PDF: no page has any text."""
    return any(p.text.strip() for p in pages)


def dump_text(pages: list[PageText]) -> str:
    """The fixtures/text format: every page's text followed by a form feed."""
    return "".join(page.text + "\f" for page in pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m councilarchive.ingest.extract")
    parser.add_argument("--dump", metavar="PDF", required=True, help="print the page texts")
    args = parser.parse_args(argv)
    # Through the imported module, so worker processes find the functions by their real name.
    from councilarchive.ingest import extract as module

    try:
        pages = module.extract(args.dump)
    except IngestError as exc:
        print(f"{args.dump}: {exc}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(module.dump_text(pages).encode("utf-8"))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
