"""Print how many fuzz inputs were tried and how they ended, whatever the tests' result."""

from tests.fuzz.harness import TALLY


def pytest_terminal_summary(terminalreporter):
    if TALLY:
        total = sum(TALLY.values())
        detail = ", ".join(f"{kind} {n}" for kind, n in sorted(TALLY.items()))
        terminalreporter.write_line(
            f"fuzz: {total} inputs tried ({detail}); crashes {TALLY['crash'] + TALLY['died']}, "
            f"timeouts {TALLY['timeout']}"
        )
