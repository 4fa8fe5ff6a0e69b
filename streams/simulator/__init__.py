"""A realistic compound day, deterministic under a seed, published over MQTT.

Pure generation (`engine.Simulator`: day plans, loads, readings → sorted contract
events) is kept apart from the wire (`outputs`) and the pacing against the wall clock
(`clock`, `runner`). Run it with ``python -m streams.simulator`` (docs/simulator.md).
"""

from __future__ import annotations

from streams.simulator.engine import Notice, SimOptions, Simulator
from streams.simulator.incidents import Incident, IncidentSpec, parse_incident

__all__ = [
    "Incident",
    "IncidentSpec",
    "Notice",
    "SimOptions",
    "Simulator",
    "parse_incident",
]
