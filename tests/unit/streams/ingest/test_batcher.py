from __future__ import annotations

import queue
import threading

from streams.ingest.batcher import next_batch


def test_closes_on_size() -> None:
    inbox: queue.Queue[int] = queue.Queue()
    for i in range(10):
        inbox.put(i)
    assert next_batch(inbox, 4, max_wait_s=5) == [0, 1, 2, 3]
    assert inbox.qsize() == 6


def test_closes_on_time_with_what_arrived() -> None:
    inbox: queue.Queue[int] = queue.Queue()
    inbox.put(1)
    assert next_batch(inbox, 100, max_wait_s=0.05) == [1]


def test_empty_when_nothing_arrives() -> None:
    assert next_batch(queue.Queue(), 10, max_wait_s=1, idle_wait_s=0.01) == []


def test_late_item_joins_the_batch_before_the_deadline() -> None:
    inbox: queue.Queue[int] = queue.Queue()
    inbox.put(1)
    threading.Timer(0.02, inbox.put, args=(2,)).start()
    assert next_batch(inbox, 2, max_wait_s=2) == [1, 2]
