"""Alarm system performance per console (ISA-18.2 §16, IEC 62682, EEMUA 191), pure.

Input: journal rows (``at``, ``alarm_id``, ``action``, ``to_state``, ``data`` with
``console``, ``kind``, ``source``, ``severity``), flood periods and the open alarms,
over a window [start, end). Every figure comes with its target and a verdict.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from streams.alarms.state import Alarm

ACTIVATIONS = frozenset({"raise", "reactivate"})
CHATTER_WINDOW = timedelta(minutes=1)
CHATTER_COUNT = 3
STALE_AFTER = timedelta(hours=24)
Verdict = Literal["ok", "warn", "bad"]
PRIORITY_OF = {"critical": "high", "major": "medium", "minor": "low", "notice": "low"}
PRIORITY_TARGET = {"low": 80.0, "medium": 15.0, "high": 5.0}


@dataclass(frozen=True, slots=True)
class Figure:
    key: str  # i18n key of the metric's name
    value: float | None
    text: str  # the value as shown
    target: str  # the target as shown
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class AlarmMetrics:
    console: str
    start: datetime
    end: datetime
    activations: int
    figures: tuple[Figure, ...]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def _activations(
    rows: Iterable[Mapping[str, Any]], console: str
) -> list[Mapping[str, Any]]:
    return [
        r
        for r in rows
        if r["action"] in ACTIVATIONS
        and r["to_state"] != "suppressed"
        and r["data"].get("console") == console
        and not r["data"].get("summary")
    ]


def chattering_sources(activations: Sequence[Mapping[str, Any]]) -> set[str]:
    """(kind@source) with at least 3 activations within one minute."""
    times: dict[str, list[datetime]] = defaultdict(list)
    for row in activations:
        times[f"{row['data'].get('kind')}@{row['data'].get('source')}"].append(
            row["at"]
        )
    found = set()
    for key, stamps in times.items():
        stamps.sort()
        for i in range(len(stamps) - CHATTER_COUNT + 1):
            if stamps[i + CHATTER_COUNT - 1] - stamps[i] <= CHATTER_WINDOW:
                found.add(key)
                break
    return found


def flood_seconds(
    floods: Iterable[tuple[str, datetime, datetime | None]],
    console: str,
    start: datetime,
    end: datetime,
) -> float:
    total = 0.0
    for name, began, ended in floods:
        if name != console:
            continue
        lo, hi = max(began, start), min(ended or end, end)
        total += max(0.0, (hi - lo).total_seconds())
    return total


def _mean_minutes(pairs: Iterable[tuple[datetime, datetime]]) -> float | None:
    spans = [(b - a).total_seconds() / 60 for a, b in pairs if b >= a]
    return sum(spans) / len(spans) if spans else None


def response_times(
    rows: Sequence[Mapping[str, Any]],
) -> tuple[float | None, float | None]:
    """MTTA and MTTR in minutes: activation → acknowledge, activation → return to
    normal (the alarm closed)."""
    raised: dict[str, datetime] = {}
    acks, closes = [], []
    for row in rows:
        alarm_id, at = row["alarm_id"], row["at"]
        if row["action"] in ACTIVATIONS:
            raised[alarm_id] = at
        elif row["action"] == "acknowledge" and alarm_id in raised:
            acks.append((raised[alarm_id], at))
        if row["to_state"] == "normal" and alarm_id in raised:
            closes.append((raised.pop(alarm_id), at))
    return _mean_minutes(acks), _mean_minutes(closes)


def _verdict(value: float | None, ok: float, warn: float) -> Verdict:
    if value is None or value <= ok:
        return "ok"
    return "warn" if value <= warn else "bad"


def _fmt(value: float | None, digits: int = 1, unit: str = "") -> str:
    return "—" if value is None else f"{value:.{digits}f}{unit}"


def compute(
    rows: Sequence[Mapping[str, Any]],
    floods: Iterable[tuple[str, datetime, datetime | None]],
    open_alarms: Iterable[Alarm],
    console: str,
    start: datetime,
    end: datetime,
) -> AlarmMetrics:
    acts = _activations(rows, console)
    hours = max((end - start).total_seconds() / 3600, 1e-9)
    per_10 = len(acts) / (hours * 6)
    per_day = len(acts) / hours * 24
    flood_pct = 100 * flood_seconds(floods, console, start, end) / (hours * 3600)
    chatter = len(chattering_sources(acts))
    stale = sum(
        1
        for a in open_alarms
        if a.console == console and a.active and a.raised_at <= end - STALE_AFTER
    )
    by_source = Counter(
        f"{r['data'].get('kind')}@{r['data'].get('source')}" for r in acts
    )
    top10 = sum(n for _, n in by_source.most_common(10))
    top_share = 100 * top10 / len(acts) if acts else None
    split = Counter(PRIORITY_OF.get(r["data"].get("severity"), "low") for r in acts)
    shares = {p: 100 * split[p] / len(acts) if acts else 0.0 for p in PRIORITY_TARGET}
    off = max(abs(shares[p] - PRIORITY_TARGET[p]) for p in PRIORITY_TARGET)
    mtta, mttr = response_times(rows)
    split_text = " / ".join(f"{shares[p]:.0f}" for p in ("low", "medium", "high"))
    figures = (
        Figure("m_per_10min", per_10, _fmt(per_10, 2), "≈1 / ≤2",
               _verdict(per_10, 1, 2)),
        Figure("m_per_day", per_day, _fmt(per_day, 0), "≈144 / ≤288",
               _verdict(per_day, 144, 288)),
        Figure("m_flood_pct", flood_pct, _fmt(flood_pct, 2, " %"), "< 1 %",
               _verdict(flood_pct, 0.999, 5)),
        Figure("m_chattering", chatter, str(chatter), "0", _verdict(chatter, 0, 2)),
        Figure("m_stale", stale, str(stale), "< 5", _verdict(stale, 4, 9)),
        Figure("m_top10", top_share, _fmt(top_share, 0, " %"), "≤ 5 %",
               _verdict(top_share, 5, 20) if len(acts) >= 50 else "ok"),
        Figure("m_priority", off, split_text + " %", "80 / 15 / 5 %",
               _verdict(off if acts else None, 10, 25)),
        Figure("m_mtta", mtta, _fmt(mtta, 1, " min"), "—", "ok"),
        Figure("m_mttr", mttr, _fmt(mttr, 1, " min"), "—", "ok"),
    )  # fmt: skip
    return AlarmMetrics(console, start, end, len(acts), figures)


def eemua_level(per_10min: float) -> str:
    """EEMUA 191 operator performance level by average alarms per 10 minutes."""
    if per_10min > 100:
        return "overloaded"
    if per_10min >= 10:
        return "reactive"
    if per_10min >= 1:
        return "stable"
    return "predictive"
