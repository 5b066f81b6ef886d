"""Extraction children start from a forkserver, never as forks of a process holding a database
connection; and a process forked later (a forking worker, a test harness) can still extract."""

import os

from councilarchive.ingest import extract as extract_module
from tests.conftest import PACKS

SMALL = PACKS / "002_f3da20a1edfad8fa.pdf"  # 36 pages: the parallel path on 2 cores


def test_children_come_from_a_forkserver_not_a_fork_of_the_caller():
    assert extract_module.CHILD_CONTEXT.get_start_method() == "forkserver"


def test_a_process_forked_after_the_forkserver_started_still_extracts():
    pages = extract_module.extract(SMALL)  # starts the forkserver in this process
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        try:
            result = str(len(extract_module.extract(SMALL)))
        except BaseException as exc:  # noqa: BLE001
            result = f"{type(exc).__name__}: {exc}"
        os.write(write, result.encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as fh:
        assert fh.read() == str(len(pages)) == "36"
