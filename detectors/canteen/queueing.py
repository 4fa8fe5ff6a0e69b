"""Queueing arithmetic for serving windows: Erlang C (M/M/c) and a fluid forecast.

Rates are per minute, waits in minutes. Heterogeneous windows are treated as `c`
servers of their mean pace, which is what Erlang C can express; the fluid model uses
the total capacity, which is exact when the queue never empties.
"""

from __future__ import annotations

import math


def erlang_c(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Probability that an arriving diner has to wait (Erlang C); 1.0 when saturated."""
    if servers < 1 or service_rate <= 0:
        return 1.0
    offered = arrival_rate / service_rate
    if offered >= servers:
        return 1.0
    blocking = 1.0  # Erlang B by the stable recursion B(k) = aB / (k + aB)
    for k in range(1, servers + 1):
        blocking = offered * blocking / (k + offered * blocking)
    rho = offered / servers
    return blocking / (1.0 - rho * (1.0 - blocking))


def mmc_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean wait in queue (minutes) of an M/M/c system; inf when saturated."""
    capacity = service_rate * servers
    if servers < 1 or arrival_rate >= capacity:
        return math.inf
    if arrival_rate <= 0:
        return 0.0
    return erlang_c(arrival_rate, service_rate, servers) / (capacity - arrival_rate)


def fluid_queue(
    queue: float, arrival_rate: float, capacity: float, minutes: float
) -> float:
    """Queue length after `minutes` when arrivals and service are steady (never < 0)."""
    return max(0.0, queue + (arrival_rate - capacity) * minutes)


def forecast_wait(
    queue: float, arrival_rate: float, capacity: float, servers: int, minutes: float
) -> float:
    """Expected wait (minutes) of a diner arriving `minutes` from now.

    The larger of the deterministic backlog (queue carried forward, divided by the
    capacity) and the stochastic M/M/c wait at the same load, the latter capped at
    one standard deviation of the horizon's Poisson arrivals over the capacity
    (Erlang C diverges near saturation; a horizon this short never reaches its
    steady state). The backlog dominates a rush, the M/M/c wait a busy but stable
    service. The spread is not added on top of the backlog: measured against true
    waits that made the forecast run high (docs/detectors.md), and the warning
    already has its own margin.
    """
    if capacity <= 0 or servers < 1:
        return math.inf if queue > 0 or arrival_rate > 0 else 0.0
    backlog = fluid_queue(queue, arrival_rate, capacity, minutes) / capacity
    stochastic = mmc_wait(arrival_rate, capacity / servers, servers)
    spread = math.sqrt(max(arrival_rate, 0.0) * minutes) / capacity
    return max(backlog, min(stochastic, spread))
