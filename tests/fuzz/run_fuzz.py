"""The long PDF fuzz run (`make fuzz`): FUZZ_COUNT random mutations of the seed PDFs through
extract + parse, FUZZ_JOBS at a time, each in a child under the time and memory limits.
Prints the inputs tried, crashes and timeouts; any bad input is kept in var/fuzz-findings/ with its
mutation ops, and the exit status is 1. FUZZ_SEED makes a run repeatable.

    FUZZ_COUNT=2000 make fuzz
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.fuzz import harness

FINDINGS = harness.REPO / "var" / "fuzz-findings"


def one(index: int, seed: int, workdir: Path) -> tuple[int, str, str, harness.Outcome, bytes]:
    rng = random.Random(seed * 1_000_003 + index)
    name, ops = harness.random_ops(rng)
    data = harness.mutate(harness.seeds()[name], ops)
    path = workdir / f"input-{index}.pdf"
    path.write_bytes(data)
    try:
        outcome = harness.run_input(str(path))
    finally:
        path.unlink()
    return index, name, repr(ops), outcome, data


def main() -> int:
    count = int(os.environ.get("FUZZ_COUNT", "1000"))
    jobs = int(os.environ.get("FUZZ_JOBS", str(os.cpu_count() or 1)))
    seed = int(os.environ.get("FUZZ_SEED", str(int(time.time()))))
    harness.seeds()  # made once, before the threads start
    started = time.monotonic()
    bad = 0
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(jobs) as pool:
        futures = [pool.submit(one, i, seed, Path(tmp)) for i in range(count)]
        for done, future in enumerate(futures, start=1):
            index, name, ops, outcome, data = future.result()
            if not outcome.acceptable:
                bad += 1
                FINDINGS.mkdir(parents=True, exist_ok=True)
                stem = FINDINGS / f"{seed}-{index}-{outcome.kind}"
                stem.with_suffix(".pdf").write_bytes(data)
                stem.with_suffix(".txt").write_text(f"{name} {ops}\n\n{outcome.detail}\n")
                print(f"#{index} {outcome.kind}: {name} {ops}", file=sys.stderr)
            if done % 50 == 0:
                print(f"{done}/{count} …", file=sys.stderr)
    tally = harness.TALLY
    print(
        f"fuzz (seed {seed}): {sum(tally.values())} inputs tried in "
        f"{time.monotonic() - started:.0f} s: {tally['pack']} parsed, "
        f"{tally['ingest_error']} clear errors, crashes {tally['crash'] + tally['died']}, "
        f"timeouts {tally['timeout']}"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
