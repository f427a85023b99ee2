"""Garbage-collector settings for bulk work (extraction, merging, loading).

A bulk run holds a large, long-lived structure (the gazetteer with its caches, or the growing
graph) while it allocates millions of short-lived tuples and dicts (tokens, mentions, rows). With
the default thresholds the collector runs a young collection every 700 allocations and, every so
often, a full one that walks everything alive, again and again. Measured on 2,000 corpus articles
in one process, freezing what exists and collecting less often cut extraction CPU time by about a
quarter (6.5 s to 4.8 s), as much as switching the collector off. Reference cycles are still
collected, only less often, so memory stays bounded.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BULK_THRESHOLDS = (10_000, 10, 10)


def tune_for_bulk() -> None:
    """Move everything alive out of the collector's view and collect less often (for worker processes,
    which do nothing else for the rest of their life)."""
    gc.freeze()
    gc.set_threshold(*BULK_THRESHOLDS)


@contextmanager
def bulk_gc() -> Iterator[None]:
    """:func:`tune_for_bulk` for the duration of a block, in a process that goes on afterwards."""
    before = gc.get_threshold()
    tune_for_bulk()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
