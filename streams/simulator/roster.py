"""Who works at the compound: staff with stable face ids, cards, buildings and cars.

The roster depends on the site, the seed and the rate only, so every simulated day sees
the same people with the same credentials, and in/out passes of a person match.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from streams.config.site import Site
from streams.simulator.draft import py_rng

PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O on Chinese plates
VISITOR_PREFIXES = (
    "浙A",
    "浙C",
    "浙C",
    "浙C",
    "浙D",
    "浙B",
    "沪A",
    "苏E",
    "闽C",
    "浙J",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国文斌宇浩凯晨欣怡"
UNITS = (
    "市政府办公室",
    "市委办公室",
    "市发改委",
    "市财政局",
    "市自然资源局",
    "市住建局",
    "市交通运输局",
    "市教育局",
    "市卫健委",
    "市生态环境局",
    "市人大常委会办公室",
    "市政协办公室",
    "市行政服务中心",
)
CAR_SHARE_OF_PARKING = 0.4


@dataclass(frozen=True, slots=True)
class Person:
    index: int
    face_id: str
    card: str
    uses_face: bool
    building: str
    gate: str
    plate: str | None
    car_gate: str | None

    @property
    def credential(self) -> tuple[str, str]:
        """The (kind, value) this person normally shows at a pedestrian gate."""
        return ("face", self.face_id) if self.uses_face else ("card", self.card)


def local_plate(rng: random.Random, prefix: str = "浙C") -> str:
    """A plate like 浙C·A1234, or a new-energy plate like 浙C·D12345."""
    if rng.random() < 0.2:
        return f"{prefix}·{rng.choice('DF')}{rng.randrange(100000):05d}"
    return f"{prefix}·{rng.choice(PLATE_LETTERS)}{rng.randrange(10000):04d}"


def visitor_plate(rng: random.Random) -> str:
    return local_plate(rng, rng.choice(VISITOR_PREFIXES))


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def pedestrian_gates(site: Site) -> list[str]:
    gates = [g.id for g in site.gates if g.kind == "pedestrian"]
    return gates or [g.id for g in site.gates]


def vehicle_gates(site: Site) -> list[str]:
    return [g.id for g in site.gates if g.kind == "vehicle"]


def gate_weights(site: Site, gate_ids: list[str]) -> list[float]:
    return [float(site.gates_by_id[g].lanes) for g in gate_ids]


def staff_count(site: Site, rate: float) -> int:
    return max(0, round(site.staff * rate))


def build_roster(site: Site, seed: int, rate: float) -> list[Person]:
    """Every staff member, scaled by `rate`, with stable credentials."""
    rng = py_rng(seed, site.id, "roster")
    count = staff_count(site, rate)
    buildings = [b.id for b in site.buildings]
    weights = [float(b.occupants) for b in site.buildings]
    if sum(weights) <= 0:
        weights = [1.0] * len(buildings)
    walk_gates = pedestrian_gates(site)
    car_gates = vehicle_gates(site)
    cars = (
        round(CAR_SHARE_OF_PARKING * site.parking.capacity * rate) if car_gates else 0
    )
    drivers = set(rng.sample(range(count), min(count, cars)))
    card_numbers = rng.sample(range(10_000_000, 99_999_999), count)
    plates: set[str] = set()
    roster = []
    for index in range(count):
        plate = None
        if index in drivers:
            plate = local_plate(rng)
            while plate in plates:
                plate = local_plate(rng)
            plates.add(plate)
        roster.append(
            Person(
                index=index,
                face_id=f"F{index + 1:07d}",
                card=f"33{card_numbers[index]:08d}",
                uses_face=rng.random() < 0.75,
                building=rng.choices(buildings, weights)[0],
                gate=rng.choices(walk_gates, gate_weights(site, walk_gates))[0],
                plate=plate,
                car_gate=rng.choices(car_gates, gate_weights(site, car_gates))[0]
                if plate
                else None,
            )
        )
    return roster
