"""What an anomaly costs: kWh or m³, yuan and kg CO₂ (prices passed in, never read)."""

from __future__ import annotations

from dataclasses import dataclass

WATER = "water_m3"


@dataclass(frozen=True, slots=True)
class Prices:
    electricity_yuan_per_kwh: float = 0.75
    water_yuan_per_m3: float = 4.1
    grid_kg_co2_per_kwh: float = 0.5703
    water_kg_co2_per_m3: float = 0.168  # supply and treatment of tap water


def waste_of(quantity: str, excess: float, minutes: float, readings: int) -> float:
    """Amount above normal over a span: a power excess (kW) integrates over the span's
    hours; an interval quantity (m³, kWh per reading) adds up per reading."""
    if quantity.endswith("_kw"):
        return max(excess, 0.0) * minutes / 60.0
    return max(excess, 0.0) * readings


@dataclass(frozen=True, slots=True)
class Waste:
    amount: float
    unit: str
    yuan: float
    kg_co2: float

    @classmethod
    def of(cls, quantity: str, amount: float, prices: Prices) -> Waste:
        if quantity == WATER:
            return cls(
                amount,
                "m³",
                amount * prices.water_yuan_per_m3,
                amount * prices.water_kg_co2_per_m3,
            )
        return cls(
            amount,
            "kWh",
            amount * prices.electricity_yuan_per_kwh,
            amount * prices.grid_kg_co2_per_kwh,
        )

    def describe(self) -> str:
        amount = f"{self.amount:.1f} {self.unit}"
        return f"{amount}、{self.yuan:.1f} 元、{self.kg_co2:.1f} kg CO₂"

    def details(self) -> dict[str, float | str]:
        key = "waste_m3" if self.unit == "m³" else "waste_kwh"
        return {
            key: round(self.amount, 3),
            "waste_yuan": round(self.yuan, 2),
            "waste_kg_co2": round(self.kg_co2, 2),
        }
