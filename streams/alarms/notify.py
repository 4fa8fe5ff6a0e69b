"""Alarm notifications to DingTalk and WeCom group robots, off the engine's path.

`Notifier.notify` only puts the notice on a bounded queue (dropping, and counting,
when it is full); one worker thread sends, rate-limited per robot, retrying failures
with exponential backoff a bounded number of times. A failing or slow webhook never
blocks the engine. Robot URLs carry access tokens: they are never logged. Message
bodies come from `streams.alarms.robots`, every value escaped for the robot's markup.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import hmac
import json
import logging
import queue
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from detectors.core.signals import SEVERITY_LABELS_ZH
from streams.alarms.model import Alarm
from streams.alarms.robots import dingtalk_message, wecom_message

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Notice:
    """What to tell the robots, as plain text: each robot escapes it for its own
    markup (`streams.alarms.robots`)."""

    severity: str
    title: str
    facts: tuple[tuple[str, str], ...] = ()  # (our name, the alarm's value)


def notice_for(alarm: Alarm, what: str = "") -> Notice:
    title = f"{what}{alarm.message}" if what else alarm.message
    facts = (("来源", alarm.source), ("区域", alarm.area or "—"), ("类型", alarm.kind))
    return Notice(alarm.severity, title, facts)


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk robot signature: base64(HMAC-SHA256(secret, "ts\\nsecret")),
    URL-encoded."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


@dataclass(frozen=True, slots=True)
class Robot:
    """One webhook: DingTalk (signed when a secret is set) or WeCom."""

    name: str
    url: str
    severities: frozenset[str]
    secret: str = ""

    def request(self, notice: Notice, now_ms: int) -> tuple[str, bytes]:
        label = SEVERITY_LABELS_ZH.get(notice.severity, notice.severity)
        if self.name == "wecom":
            payload = wecom_message(label, notice.title, notice.facts)
            return self.url, json.dumps(payload, ensure_ascii=False).encode()
        url = self.url
        if self.secret:
            joiner = "&" if "?" in url else "?"
            url += (
                f"{joiner}timestamp={now_ms}&sign={dingtalk_sign(self.secret, now_ms)}"
            )
        payload = dingtalk_message(label, notice.title, notice.facts)
        return url, json.dumps(payload, ensure_ascii=False).encode()


@dataclass(slots=True)
class NotifierStats:
    sent: int = 0
    failed: int = 0  # attempts that failed
    gave_up: int = 0
    dropped: int = 0  # queue full


@dataclass(order=True, slots=True)
class _Job:
    due: float
    seq: int
    robot: Robot = field(compare=False)
    notice: Notice = field(compare=False)
    attempt: int = field(default=0, compare=False)


def post_json(url: str, body: bytes, timeout_s: float) -> None:
    """POST; raises OSError on transport errors, HTTP >= 400 or a robot errcode."""
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        reply = response.read(65_536)
    try:
        errcode = json.loads(reply or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        errcode = 0
    if errcode:
        raise OSError(f"robot errcode {errcode}")


class Notifier:
    def __init__(
        self,
        robots: Sequence[Robot],
        *,
        rate_per_min: int = 20,
        retries: int = 3,
        backoff_s: float = 2.0,
        timeout_s: float = 5.0,
        queue_max: int = 1000,
        send: Callable[[str, bytes, float], None] = post_json,
    ) -> None:
        self.robots = tuple(robots)
        self.stats = NotifierStats()
        self._rate, self._retries = rate_per_min, retries
        self._backoff_s, self._timeout_s = backoff_s, timeout_s
        self._inbox: queue.Queue[_Job] = queue.Queue(maxsize=queue_max)
        self._queue_max = queue_max
        self._send = send
        self._stop = threading.Event()
        self._sent_at: dict[str, list[float]] = {r.name: [] for r in self.robots}
        self._seq = 0
        self._thread = threading.Thread(target=self._run, name="notifier", daemon=True)
        if self.robots:
            self._thread.start()

    def notify(self, notice: Notice) -> None:
        """Queue the notice for every robot routed its severity; never blocks."""
        for robot in self.robots:
            if notice.severity not in robot.severities:
                continue
            self._seq += 1
            try:
                if self._inbox.unfinished_tasks >= self._queue_max:
                    raise queue.Full  # queued plus waiting retries: bounded
                self._inbox.put_nowait(_Job(time.monotonic(), self._seq, robot, notice))
            except queue.Full:
                self.stats.dropped += 1
                if self.stats.dropped in (1, 100) or self.stats.dropped % 1000 == 0:
                    logger.warning(
                        "notification queue full: %d dropped", self.stats.dropped
                    )

    def idle(self) -> bool:
        return self._inbox.unfinished_tasks == 0

    def close(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    def _run(self) -> None:
        waiting: list[_Job] = []  # retries, by due time
        while not self._stop.is_set():
            try:
                job = self._inbox.get(timeout=0.1)
                heapq.heappush(waiting, job)
            except queue.Empty:
                pass
            while waiting and waiting[0].due <= time.monotonic():
                job = heapq.heappop(waiting)
                retry = self._attempt(job)
                if retry is not None:
                    heapq.heappush(waiting, retry)
                    continue
                self._inbox.task_done()
            if self._stop.is_set():
                break

    def _attempt(self, job: _Job) -> _Job | None:
        """Send once; a job to retry later, or None when done (sent or given up)."""
        wait = self._rate_wait(job.robot.name)
        if wait > 0:
            job.due = time.monotonic() + wait
            return job
        url, body = job.robot.request(job.notice, int(time.time() * 1000))
        try:
            self._send(url, body, self._timeout_s)
        except OSError as exc:  # URLError, HTTPError, timeouts, robot errcodes
            self.stats.failed += 1
            if job.attempt >= self._retries:
                self.stats.gave_up += 1
                logger.warning(
                    "%s robot: giving up after %d attempts (%s)",
                    job.robot.name,
                    job.attempt + 1,
                    type(exc).__name__,
                )
                return None
            job.attempt += 1
            job.due = time.monotonic() + self._backoff_s * 2 ** (job.attempt - 1)
            return job
        self.stats.sent += 1
        self._sent_at[job.robot.name].append(time.monotonic())
        return None

    def _rate_wait(self, name: str) -> float:
        """Seconds until the robot may send again (sliding one-minute window)."""
        now = time.monotonic()
        recent = [t for t in self._sent_at[name] if t > now - 60.0]
        self._sent_at[name] = recent
        return 0.0 if len(recent) < self._rate else recent[0] + 60.0 - now
