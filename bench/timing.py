"""Timing figures shared by the benchmarks."""

from __future__ import annotations

import statistics


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank value at `fraction` (0.95: p95) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def median_p95(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), percentile(values, 0.95)
