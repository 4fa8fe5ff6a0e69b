"""Collect queued items into batches, closed by size or by time, whichever first."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def next_batch(
    inbox: queue.Queue[T],
    max_items: int,
    max_wait_s: float,
    idle_wait_s: float = 0.5,
    clock: Callable[[], float] = time.monotonic,
) -> list[T]:
    """Up to `max_items` items. Waits up to `idle_wait_s` for the first one (empty list
    if
    none came), then at most `max_wait_s` more for the batch to fill."""
    try:
        first = inbox.get(timeout=idle_wait_s)
    except queue.Empty:
        return []
    batch = [first]
    deadline = clock() + max_wait_s
    while len(batch) < max_items:
        remaining = deadline - clock()
        if remaining <= 0:
            break
        try:
            batch.append(inbox.get(timeout=remaining))
        except queue.Empty:
            break
    return batch
