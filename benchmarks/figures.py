"""What the in-process benchmarks print their timings with."""

import statistics


def ms(seconds):
    return seconds * 1000


def percentiles(times):
    """(p50, p95) of ``times``, over every one of them."""
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, round(len(ordered) * 0.95) - 1)]
