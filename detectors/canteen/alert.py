"""Canteen congestion for operators: advice per canteen and the warning with
hysteresis (`CongestionAlert`): it starts when the forecast wait passes the threshold
on consecutive evaluations and clears only when both the current and the forecast
wait are back under a lower threshold. `adopt()` takes over a warning that is already
open (raised before a restart) so that it is neither raised twice nor left open.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from detectors.canteen.congestion import KIND, CongestionState
from detectors.canteen.params import CanteenSpec, CongestionParams
from detectors.core.signals import AlarmSignal, SignalState


def advise(
    states: Mapping[str, CongestionState],
    specs: Mapping[str, CanteenSpec],
    params: CongestionParams,
) -> dict[str, CongestionState]:
    """Advice per canteen: open a closed window, or send diners to a calmer canteen."""
    out = {}
    for cid, state in states.items():
        worst = max(state.wait_min, state.forecast_wait_min)
        tips: list[str] = []
        if state.open and worst >= params.busy_wait_min:
            closed = [w for w in specs[cid].windows if w.id not in _open_ids(state)]
            if closed:
                tips.append(f"开放 {closed[0].number} 号窗口")
            calm = [
                s
                for other, s in states.items()
                if other != cid
                and s.open
                and max(s.wait_min, s.forecast_wait_min) < params.busy_wait_min
            ]
            if calm and worst >= params.warn_wait_min:
                tips.append(f"建议前往{calm[0].name}")
            if not tips and worst >= params.warn_wait_min:
                tips.append("增派人手加快出餐")
        out[cid] = replace(state, advice="；".join(tips))
    return out


def _open_ids(state: CongestionState) -> set[str]:
    return {w.source for w in state.windows if w.open}


@dataclass(slots=True)
class CongestionAlert:
    """Hysteresis on one canteen's forecast wait: active / cleared signals."""

    source: str
    area: str
    params: CongestionParams = field(default_factory=CongestionParams)
    active: bool = False
    above: int = 0
    below: int = 0

    def adopt(self) -> None:
        """The warning is already open (raised before a restart): clear it by the
        usual hysteresis, never raise it again while it lasts."""
        self.active, self.above, self.below = True, 0, 0

    def update(self, state: CongestionState) -> AlarmSignal | None:
        p = self.params
        worst = max(state.wait_min, state.forecast_wait_min)
        rising = (
            state.open and state.forecast_wait_min >= p.warn_wait_min - p.margin_min
        )
        self.above = self.above + 1 if rising else 0
        self.below = (
            self.below + 1 if (worst < p.clear_wait_min or not state.open) else 0
        )
        if not self.active and self.above >= p.confirm_evaluations:
            self.active = True
            return self._signal(state, "active")
        if self.active and self.below >= p.clear_evaluations:
            self.active = False
            return self._signal(state, "cleared")
        return None

    def _signal(self, state: CongestionState, kind_state: SignalState) -> AlarmSignal:
        if kind_state == "active":
            message = (
                f"{state.name}预计{self.params.horizon_min}分钟内排队等候约"
                f"{state.forecast_wait_min:.0f}分钟（当前排队{state.queue:.0f}人）"
            )
            if state.advice:
                message += f"，{state.advice}"
        else:
            message = f"{state.name}排队已缓解（当前等候约{state.wait_min:.0f}分钟）"
        return AlarmSignal(
            kind=KIND,
            source=self.source,
            area=self.area,
            severity="major" if kind_state == "active" else "notice",
            state=kind_state,
            observed_at=state.at,
            message=message,
            details={
                "queue": round(state.queue, 1),
                "wait_min": round(state.wait_min, 1),
                "forecast_wait_min": round(min(state.forecast_wait_min, 999.0), 1),
                "threshold_min": self.params.warn_wait_min,
                "arrival_per_min": round(state.arrival_per_min, 2),
                "capacity_per_min": round(state.capacity_per_min, 2),
            },
            evidence={"stream": "canteen,camera", "canteen": self.source},
        )
