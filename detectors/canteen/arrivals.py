"""Canteen arrival profiles: diners arriving per minute at the same time of past
weeks, per canteen and day group (workday incl. 调休 make-up workdays / offday incl.
holidays), from history (meals settled + queue growth).

Each profile also carries how today's deviation from it carries over into the
forecast horizon (`fit_level`: a shrinkage and a weight), learnt from the same days by
leaving each one out in turn: how much a busier (or calmer) last few minutes told
about the next quarter of an hour on those days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

import numpy as np
import pandas as pd

from detectors.canteen.forecast import ArrivalProfile, todays_level
from detectors.canteen.params import CongestionParams
from detectors.core.calendar import WorkCalendar, minute_of_day

MINUTES = 1440
MIN_DAYS = 3  # fewer past days of a group: no profile (cold start)
SERVING_PER_MIN = 1.0  # minutes whose profile expects fewer arrivals are not fitted
PRIORS = (5.0, 10.0, 25.0, 50.0, 100.0, 200.0, 400.0)  # pseudo-arrivals tried


@dataclass(frozen=True, slots=True)
class CanteenProfile:
    """Mean arrivals per minute of the local day (1,440 values) over `days` days."""

    curve: np.ndarray
    days: int
    weight: float = 1.0
    prior: float | None = None


Profiles = dict[tuple[str, str], CanteenProfile]  # (canteen, day group) -> profile


def _daily(
    frame: pd.DataFrame, column: str, tz: tzinfo
) -> dict[tuple[str, date], np.ndarray]:
    """(canteen, local date) -> per-minute values of `column` (0 where absent)."""
    out: dict[tuple[str, date], np.ndarray] = {}
    if frame.empty:
        return out
    local = pd.to_datetime(frame["bucket"], utc=True).dt.tz_convert(tz)
    minutes = (local.dt.hour * 60 + local.dt.minute).to_numpy()
    for (canteen, day), rows in frame.assign(day=local.dt.date, m=minutes).groupby(
        ["canteen", "day"]
    ):
        values = np.zeros(MINUTES)
        np.add.at(values, rows["m"].to_numpy(), rows[column].to_numpy(dtype=float))
        out[(str(canteen), day)] = values  # type: ignore[index]  # pandas: keys are Hashable
    return out


def daily_arrivals(
    served: pd.DataFrame, queue: pd.DataFrame, tz: tzinfo
) -> dict[tuple[str, date], np.ndarray]:
    """Arrivals per minute per (canteen, local date) = meals served + queue growth.

    `served`: bucket (1 minute), canteen, meals. `queue`: bucket, canteen, count (the
    queue camera's largest count that minute)."""
    meals, counts = _daily(served, "meals", tz), _daily(queue, "count", tz)
    out = {}
    for (canteen, day), eaten in meals.items():
        waiting = counts.get((canteen, day), np.zeros(MINUTES))
        growth = np.diff(waiting, prepend=waiting[0])
        out[(str(canteen), day)] = np.clip(eaten + growth, 0.0, None)
    return out


def arrival_profiles(
    served: pd.DataFrame,
    queue: pd.DataFrame,
    calendar: WorkCalendar,
    tz: tzinfo,
    params: CongestionParams | None = None,
) -> Profiles:
    """Mean arrivals per minute per (canteen, day group), with the fitted weight; a
    group with fewer than `MIN_DAYS` days gets no profile."""
    params = params or CongestionParams()
    groups: dict[tuple[str, str], list[np.ndarray]] = {}
    for (canteen, day), arrived in sorted(daily_arrivals(served, queue, tz).items()):
        groups.setdefault((canteen, calendar.baseline_group(day)), []).append(arrived)
    out = {}
    for key, days in groups.items():
        if len(days) >= MIN_DAYS:
            fit = fit_level(days, params)
            out[key] = CanteenProfile(
                np.mean(days, axis=0), len(days), fit.weight, fit.prior
            )
    return out


def _window_sums(values: np.ndarray, first: int, width: int) -> np.ndarray:
    """Sums of `values[t - first : t - first + width]` for every minute t."""
    padded = np.concatenate([np.zeros(width + first), values, np.zeros(width)])
    total = np.cumsum(padded)
    t = np.arange(MINUTES) + width
    sums: np.ndarray = total[t + width - 1] - total[t - 1]
    return sums


@dataclass(frozen=True, slots=True)
class LevelFit:
    """How today's level enters the forecast: shrinkage and weight, and the squared
    error of the horizon arrivals they left on the past days."""

    prior: float
    weight: float
    error: float


def _leave_one_out(
    days: Sequence[np.ndarray], params: CongestionParams
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Per past day, over its serving minutes: (its recent arrivals, the other
    days' recent, the other days' ahead, what it got ahead), per minute."""
    stack = np.asarray(days, dtype=float)
    total = stack.sum(axis=0)
    r, h = params.recent_min, params.horizon_min
    out = []
    for day in stack:
        others = (total - day) / (len(stack) - 1)
        ahead = _window_sums(others, 0, h) / h
        serving = ahead >= SERVING_PER_MIN
        out.append(
            (
                _window_sums(day, r, r)[serving] / r,
                _window_sums(others, r, r)[serving] / r,
                ahead[serving],
                _window_sums(day, 0, h)[serving] / h,
            )
        )
    return out


def _fit_weight(
    samples: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]],
    span: int,
    prior: float,
) -> LevelFit:
    xy = xx = yy = 0.0
    for recent, profile_recent, ahead, got in samples:
        x = (todays_level(recent, profile_recent, span, prior) - 1.0) * ahead
        y = got - ahead
        xy, xx, yy = xy + float(x @ y), xx + float(x @ x), yy + float(y @ y)
    weight = float(np.clip(xy / xx, 0.0, 1.0)) if xx > 0 else 0.0
    return LevelFit(prior, weight, yy - 2 * weight * xy + weight * weight * xx)


def fit_level(days: Sequence[np.ndarray], params: CongestionParams) -> LevelFit:
    """The shrinkage (from `PRIORS`) and weight (0..1) of today's level that best
    forecast the past days' horizon arrivals, each day judged against the profile
    of the others: least squares of `ahead * (1 + weight * (level - 1))` against
    what arrived over the next `horizon_min`, at every serving minute."""
    if len(days) < 2:
        return LevelFit(params.profile_prior, 1.0, 0.0)
    samples = _leave_one_out(days, params)
    fits = [_fit_weight(samples, params.recent_min, prior) for prior in PRIORS]
    return min(fits, key=lambda fit: fit.error)


def profile_at(
    profile: CanteenProfile, at: datetime, tz: tzinfo, params: CongestionParams
) -> ArrivalProfile:
    """The profile around `at`: the last `recent_min` and the next `horizon_min`."""
    minute = minute_of_day(at, tz)
    curve = profile.curve
    recent = curve[max(0, minute - params.recent_min) : minute]
    ahead = curve[minute : minute + params.horizon_min]
    return ArrivalProfile(
        float(recent.sum()) / params.recent_min,
        float(ahead.sum()) / params.horizon_min,
        profile.weight,
        profile.prior,
    )
