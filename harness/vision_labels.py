"""The vtest.avi labels and how detections are scored against them (tests, bench)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from detectors.vision.geometry import Point, Polygon, polygon_of

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
LABELS = FIXTURES / "vision" / "vtest_labels.yaml"
CACHE = Path(os.environ.get("JIGUAN_TEST_CACHE", Path.home() / ".cache" / "jiguan"))
VTEST_IN_DEB = "usr/share/doc/opencv-doc/examples/data/vtest.avi"


def vtest_path() -> Path | None:
    """vtest.avi from Debian's opencv-doc, fetched once into the cache (or None when
    apt cannot fetch it). `JIGUAN_TEST_VTEST` names a copy to use instead."""
    given = os.environ.get("JIGUAN_TEST_VTEST")
    if given:
        return Path(given) if Path(given).is_file() else None
    target = CACHE / "vtest.avi"
    if target.is_file():
        return target
    if shutil.which("apt-get") is None or shutil.which("dpkg") is None:
        return None
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fetched = subprocess.run(
            ["apt-get", "download", "opencv-doc"], cwd=tmp, capture_output=True
        )
        debs = list(Path(tmp).glob("opencv-doc_*.deb"))
        if fetched.returncode != 0 or not debs:
            return None
        subprocess.run(["dpkg", "-x", str(debs[0]), tmp + "/x"], check=True)
        shutil.copyfile(Path(tmp) / "x" / VTEST_IN_DEB, target)
    return target


@dataclass(frozen=True, slots=True)
class Labels:
    size: tuple[int, int]
    zone: Polygon
    line: tuple[Point, Point]
    frames: dict[int, list[Point]]


def load_labels() -> Labels:
    raw = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    line = raw["lines"]["crossing"]
    return Labels(
        size=(int(raw["size"][0]), int(raw["size"][1])),
        zone=polygon_of(raw["zones"]["crossing"]),
        line=((line[0][0], line[0][1]), (line[1][0], line[1][1])),
        frames={
            int(k): [(float(p[0]), float(p[1])) for p in v]
            for k, v in raw["frames"].items()
        },
    )


@dataclass(frozen=True, slots=True)
class Score:
    labelled: int
    detected: int
    matched: int

    @property
    def precision(self) -> float:
        return self.matched / self.detected if self.detected else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.labelled if self.labelled else 1.0


def match(truth: Sequence[Point], found: Sequence[Point], radius: float) -> Score:
    """Greedy nearest matching of detected feet to labelled feet within `radius`."""
    pairs = sorted(
        (((t[0] - f[0]) ** 2 + (t[1] - f[1]) ** 2) ** 0.5, i, j)
        for i, t in enumerate(truth)
        for j, f in enumerate(found)
    )
    used_t: set[int] = set()
    used_f: set[int] = set()
    for dist, i, j in pairs:
        if dist > radius:
            break
        if i not in used_t and j not in used_f:
            used_t.add(i)
            used_f.add(j)
    return Score(len(truth), len(found), len(used_t))
