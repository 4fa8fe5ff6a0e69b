"""A durable local spool of batches the servers could not take yet.

When PostgreSQL (or Redis, for dead letters) is down, the consumer writes the decoded
batch here (one file per batch, written to a temporary name, fsynced, then renamed)
and only then acknowledges it to the broker. A drainer writes spooled batches to the
servers oldest first and deletes each file once done, so nothing is lost across an
outage, a consumer crash or a restart; idempotent writes absorb a batch written twice.
The spool is bounded; when full, the consumer stops acknowledging (back-pressure).
A file that cannot be read back (damaged, or written by a version whose contracts
differ) is set aside as `<seq>.bad` with an error in the log, never retried forever.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from streams.wire.contracts import EVENT_MODELS, Event
from streams.wire.decoding import DecodeError

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SpooledBatch:
    """A batch waiting for the servers: `needs_history` / `needs_live` say which."""

    path: Path
    events: list[Event]
    errors: list[DecodeError]
    received_at: datetime
    needs_history: bool
    needs_live: bool


def _encode(
    events: Sequence[Event],
    errors: Sequence[DecodeError],
    received_at: datetime,
    needs_history: bool,
    needs_live: bool,
) -> bytes:
    document = {
        "received_at": received_at.isoformat(),
        "needs_history": needs_history,
        "needs_live": needs_live,
        "events": [[e.stream, e.model_dump_json()] for e in events],
        "errors": [
            [e.topic, e.reason, e.raw.decode("utf-8", "surrogateescape")]
            for e in errors
        ],
    }
    return json.dumps(document, ensure_ascii=False).encode("utf-8", "surrogateescape")


def _decode(path: Path) -> SpooledBatch:
    document = json.loads(path.read_bytes().decode("utf-8", "surrogateescape"))
    events: list[Event] = [
        EVENT_MODELS[stream].model_validate_json(body)
        for stream, body in document["events"]
    ]
    errors = [
        DecodeError(topic, reason, raw.encode("utf-8", "surrogateescape"))
        for topic, reason, raw in document["errors"]
    ]
    return SpooledBatch(
        path=path,
        events=events,
        errors=errors,
        received_at=datetime.fromisoformat(document["received_at"]),
        needs_history=document["needs_history"],
        needs_live=document["needs_live"],
    )


class Spool:
    """Batches as files `<seq>.batch` in `directory`, at most `max_bytes` in all."""

    def __init__(self, directory: Path, max_bytes: int) -> None:
        self._dir = directory
        self._max_bytes = max_bytes
        directory.mkdir(parents=True, exist_ok=True)
        for leftover in directory.glob("*.tmp"):  # a crash mid-write: never acked
            leftover.unlink()
        files = self._files()
        self._next = int(files[-1].stem) + 1 if files else 1
        self._bytes = sum(f.stat().st_size for f in files)

    def _files(self) -> list[Path]:
        return sorted(self._dir.glob("*.batch"))

    @property
    def batches(self) -> int:
        return len(self._files())

    @property
    def bytes(self) -> int:
        return self._bytes

    def is_empty(self) -> bool:
        return not self._files()

    def append(
        self,
        events: Sequence[Event],
        errors: Sequence[DecodeError],
        received_at: datetime,
        *,
        needs_history: bool,
        needs_live: bool,
    ) -> bool:
        """Durably store a batch; False (nothing stored) when the spool is full."""
        data = _encode(events, errors, received_at, needs_history, needs_live)
        if self._bytes + len(data) > self._max_bytes:
            return False
        final = self._dir / f"{self._next:012d}.batch"
        temporary = final.with_suffix(".tmp")
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.rename(final)
        self._fsync_directory()
        self._next += 1
        self._bytes += len(data)
        return True

    def oldest(self) -> SpooledBatch | None:
        for path in self._files():
            try:
                return _decode(path)
            except (ValueError, KeyError, TypeError) as exc:  # JSON, contract, shape
                self._set_aside(path, exc)
        return None

    def _set_aside(self, path: Path, error: Exception) -> None:
        target = path.with_suffix(".bad")
        path.rename(target)
        self._fsync_directory()
        self._bytes = sum(f.stat().st_size for f in self._files())  # it may have shrunk
        logger.error(
            "spool file %s unreadable (%s): set aside as %s, later batches go on",
            path.name,
            str(error)[:200],
            target.name,
        )

    def remove(self, batch: SpooledBatch) -> None:
        size = batch.path.stat().st_size
        batch.path.unlink()
        self._fsync_directory()
        self._bytes -= size

    def _fsync_directory(self) -> None:
        descriptor = os.open(self._dir, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
