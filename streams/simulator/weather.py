"""Outdoor conditions for a compound at about 30°N: temperature and sunshine per minute.

Temperature follows monthly means of a subtropical East-China city with a daily swing;
sunshine is the clear-sky solar elevation for the date (sunrise and sunset move with the
season) times the day's haze and passing clouds (random multiplicative dips).
"""

from __future__ import annotations

import numpy as np

from streams.simulator.draft import MINUTES_PER_DAY, Day, np_rng

LATITUDE_DEG = 30.0
MONTHLY_MEAN_C = (5, 7, 11, 17, 22, 26, 29, 29, 25, 19, 13, 7)
DAILY_SWING_C = 4.0
MINUTES = np.arange(MINUTES_PER_DAY, dtype=float)


def outdoor_temperature(day: Day, seed: int, site_id: str) -> np.ndarray:
    """°C per minute: seasonal mean, a daily offset, coldest at 02:30, warmest 14:30."""
    rng = np_rng(seed, site_id, day.date, "weather")
    month = day.date.month - 1
    frac = (day.date.day - 1) / 30.0
    mean = (1 - frac) * MONTHLY_MEAN_C[month] + frac * MONTHLY_MEAN_C[(month + 1) % 12]
    mean += float(rng.normal(0, 2))
    hours = MINUTES / 60.0
    return mean + DAILY_SWING_C * np.cos(2 * np.pi * (hours - 14.5) / 24.0)


def clear_sky(day: Day) -> np.ndarray:
    """Sine of the sun's elevation per minute (0 at night), solar noon near 12:00."""
    doy = day.date.timetuple().tm_yday
    decl = np.radians(23.44) * np.sin(2 * np.pi * (284 + doy) / 365.0)
    lat = np.radians(LATITUDE_DEG)
    hour_angle = np.radians(15.0 * (MINUTES / 60.0 - 12.0))
    sine = np.sin(lat) * np.sin(decl) + np.cos(lat) * np.cos(decl) * np.cos(hour_angle)
    return np.asarray(np.clip(sine, 0.0, None))


def _passing_clouds(rng: np.random.Generator) -> np.ndarray:
    """Per-minute transmission: 1 in the clear, 0.3-0.7 while a cloud passes."""
    out = np.ones(MINUTES_PER_DAY)
    cloudy, depth = False, 1.0
    for minute in range(MINUTES_PER_DAY):
        if cloudy and rng.random() < 0.15:
            cloudy = False
        elif not cloudy and rng.random() < 0.03:
            cloudy, depth = True, float(rng.uniform(0.3, 0.7))
        out[minute] = depth if cloudy else 1.0
    return out


def sunshine(day: Day, seed: int, site_id: str) -> np.ndarray:
    """PV output as a fraction of rated power, per minute."""
    rng = np_rng(seed, site_id, day.date, "clouds")
    haze = float(rng.uniform(0.55, 1.0))
    return np.asarray(
        np.clip(clear_sky(day) ** 1.15 * haze * _passing_clouds(rng), 0.0, 1.0)
    )
