"""Hypothesis strategies for the fuzz tests: mutation ops over the seed PDFs, hostile page texts."""

from __future__ import annotations

import os

from hypothesis import strategies as st

from tests.fuzz.harness import HUGE_KINDS, HUGE_SIZES, NEST_KINDS, SEED_NAMES, XREF_WAYS

fraction = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
byte_op = st.one_of(
    st.tuples(st.just("truncate"), fraction),
    st.tuples(
        st.just("flip"),
        st.lists(st.tuples(fraction, st.integers(0, 255)), min_size=1, max_size=20),
    ),
    st.tuples(
        st.just("xref"),
        st.sampled_from(XREF_WAYS),
        st.one_of(st.sampled_from([0, 7, 10**9]), st.integers(0, 10**6)),
    ),
    st.tuples(
        st.just("splice"), fraction, st.integers(0, 4096), st.binary(min_size=0, max_size=64)
    ),
)
structural_op = st.one_of(
    st.tuples(st.just("huge"), st.sampled_from(HUGE_KINDS), st.sampled_from(HUGE_SIZES)),
    st.tuples(st.just("nest"), st.sampled_from(NEST_KINDS), st.sampled_from([10, 1000, 100_000])),
)
mutations = st.tuples(
    st.sampled_from(SEED_NAMES),
    st.builds(
        lambda first, rest: first + rest,
        st.lists(structural_op, max_size=1),
        st.lists(byte_op, min_size=0, max_size=2),
    ).filter(bool),
)

# The bounded runs in `make test` draw the same inputs every time (a CI result must not depend on
# luck); FUZZ_RANDOM=1 draws new ones, and `make fuzz` (tests/fuzz/run_fuzz.py) always does.
DERANDOMIZE = os.environ.get("FUZZ_RANDOM") != "1"
