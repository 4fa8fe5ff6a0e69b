"""Arrivals over the forecast horizon: the same-time profile of past weeks scaled by
how busy today is, or the recent rate decaying when there is no profile.

`ArrivalProfile.weight` is how much of today's deviation from the profile carries
over into the horizon (0: the profile alone, 1: fully scaled by today's level). It is
learnt from history by `detectors.canteen.arrivals.fit_level`, not set by hand (with the
shrinkage `prior` of today's level).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from detectors.canteen.params import CongestionParams

Rate = TypeVar("Rate", float, np.ndarray)


@dataclass(frozen=True, slots=True)
class ArrivalProfile:
    """Arrivals per minute at the same time of past weeks (same day group): over the
    last `recent_min` minutes and over the next `horizon_min` minutes."""

    recent: float
    ahead: float
    weight: float = 1.0
    prior: float | None = None  # pseudo-arrivals; None: `params.profile_prior`

    def __post_init__(self) -> None:
        if not 0.0 <= self.weight <= 1.0:
            raise ValueError("weight must lie in [0, 1]")


def todays_level(recent: Rate, profile_recent: Rate, span: int, prior: float) -> Rate:
    """Today's arrivals over the last `span` minutes against the profile's, shrunk
    towards 1 by `prior` pseudo-arrivals so the first noisy minutes of a rush do not
    swing it (floats, or numpy arrays of them)."""
    return (recent * span + prior) / (profile_recent * span + prior)


def forecast_arrivals(
    recent: float, profile: ArrivalProfile | None, params: CongestionParams
) -> float:
    """Mean arrivals per minute over the horizon.

    With a profile: the profile's figure for the horizon, moved by `weight` of
    today's relative level against it. Without a profile: the recent rate, decaying
    (a rush does not last for ever)."""
    if profile is None:
        return recent * _decay_share(params.rush_decay_min, params.horizon_min)
    prior = params.profile_prior if profile.prior is None else profile.prior
    level = todays_level(recent, profile.recent, params.recent_min, prior)
    return profile.ahead * (1.0 + profile.weight * (level - 1.0))


def _decay_share(decay_min: float, horizon_min: float) -> float:
    """Mean over the horizon of exp(-t / decay): a rush does not last for ever."""
    if decay_min <= 0:
        return 1.0
    return decay_min / horizon_min * (1.0 - math.exp(-horizon_min / decay_min))
