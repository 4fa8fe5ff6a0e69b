"""The alarm signal every energy detector raises about one meter: the meter's building
as its area, its readings as the evidence, the meter named in the details, and a
cleared signal always of notice severity."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from detectors.core.signals import AlarmSignal, Severity, SignalState
from detectors.energy.params import MeterSpec


def meter_signal(
    kind: str,
    spec: MeterSpec,
    state: SignalState,
    at: datetime,
    message: str,
    *,
    severity: Severity,
    details: Mapping[str, float | int | str],
    source: str | None = None,
) -> AlarmSignal:
    """`severity` while active; `source` defaults to the meter."""
    return AlarmSignal(
        kind=kind,
        source=spec.id if source is None else source,
        area=spec.building,
        severity=severity if state == "active" else "notice",
        state=state,
        observed_at=at,
        message=message,
        details={"meter": spec.id, **details},
        evidence={"stream": "energy", "device": spec.id},
    )
