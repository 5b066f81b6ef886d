"""Parser fuzzing on text: hostile page texts through `parse` in a child process with a time and
memory limit, and backtracking probes for every regular expression the parser uses."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from councilarchive.ingest.parse.model import PageText
from tests.fuzz import harness, regex_probe
from tests.fuzz.strategies import DERANDOMIZE

EXAMPLES = int(os.environ.get("FUZZ_TEXT_EXAMPLES", "60"))
REAL_LINES = [
    line
    for path in sorted(harness.REPO.glob("fixtures/text/00[03]_*.pages.txt"))
    for line in path.read_text(encoding="utf-8").splitlines()
    if line.strip()
][:3000]


def pages(*texts: str) -> list[PageText]:
    return [PageText(number=i, text=t) for i, t in enumerate(texts, start=1)]


def parses(page_list, time_limit: float = 30) -> harness.Outcome:
    outcome = harness.run_limited(harness.parse_only, page_list, time_limit=time_limit)
    assert outcome.kind == "pack", outcome
    return outcome


MINUTES_HEAD = (
    "KENT COUNTY COUNCIL\nMINUTES of a meeting of the County Council held on 13 July 2017\n"
)
ADVERSARIAL = {
    "giant-line": "For " * 50_000,
    "giant-name-line": "Mr Gary Cooke " * 20_000 + "submitted",
    "thousands-of-for-lines": MINUTES_HEAD + "".join(f"For ({n})\n" for n in range(5000)),
    "for-against-names": MINUTES_HEAD
    + "For (3)\n"
    + ", ".join(f"Mr A{n}" for n in range(20_000))
    + "\nAgainst (2)\n",
    "confusables": MINUTES_HEAD
    + "Ϝor (62)\nАgainst (9)\nＦｏｒ (６２)\nMr Ｓmith, Mrs Ｊones\n" * 200,
    "control-characters": "".join(chr(c) for c in range(32)) * 500 + "\nRESOLVED\x00 that\x07",
    "only-numbers": "1.\n" * 20_000,
    "nested-parens": "(" * 20_000 + ")" * 20_000,
    "surrogates-and-rtl": "\u202eRESOLVED\u202c that \ud800 \U0001f600 " * 1000,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_page_text_parses_within_the_limit(name):
    text = ADVERSARIAL[name]
    parses(pages(text, text[: len(text) // 2]))


def test_real_pack_with_a_giant_line_still_parses():
    text = "\n".join(REAL_LINES[:400])
    parses(pages(text, "x" * 200_000, text))


page_text = st.one_of(
    st.text(max_size=2000),
    st.lists(st.sampled_from(REAL_LINES), max_size=300).map("\n".join),
    st.lists(
        st.one_of(
            st.sampled_from(REAL_LINES),
            st.text(
                alphabet="For()Against0123456789 ,.MrsDCllrRESOLVED\n\t\x0c\x00–-", max_size=80
            ),
            st.integers(0, 10**6).map(lambda n: f"For ({n})"),
        ),
        max_size=400,
    ).map("\n".join),
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=DERANDOMIZE,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(texts=st.lists(page_text, min_size=1, max_size=4))
def test_random_page_texts_parse_into_a_pack(texts):
    parses(pages(*texts), time_limit=20)


@pytest.mark.parametrize("name", [name for name, _ in regex_probe.patterns()])
def test_regex_does_not_backtrack_badly_on_a_giant_line(name):
    # a linear search of an 8,000-character line takes a few ms; a quadratic one about a second
    seconds, probe = regex_probe.slowest(name)
    assert seconds < 0.3, f"{name} took {seconds:.2f} s on {probe!r}…"
