"""`python -m bench.vision [--quick]`: camera analytics throughput per core and
accuracy on real footage (Debian opencv-doc's vtest.avi, 768x576, 10 fps).

Throughput: frames per CPU second of one thread (OpenCV limited to one thread) for
- the baseline: decode + MOG2 at full resolution, nothing else;
- the whole path: decode → people detection → tracking → zones and lines → events
  (contract models, JSON payloads) → annotated JPEG snapshots, as `CameraWorker`
  runs it, publishing into memory.
Both in the same run, so the ratio holds on a busy machine; CPU time (not wall time)
is what a core gives. Accuracy: detections against the hand labels of
tests/fixtures/vision/vtest_labels.yaml (precision, recall, mean count and zone
errors). Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import cv2
import numpy as np
import yaml

from detectors.vision.analytics import CameraAnalytics
from detectors.vision.scene import ZoneSpec
from harness.vision_labels import Score, load_labels, match, vtest_path
from streams.cameras.worker import CameraWorker
from streams.config.site import Camera

CAMERA_FILE = (
    Path(__file__).resolve().parents[1] / "tests/fixtures/vision/vtest_camera.yaml"
)
T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
GOAL_FPS = 75.0


class MemoryPublisher:
    connected = True
    dropped = 0

    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0

    def offer(self, topic: str, payload: bytes) -> bool:
        self.messages += 1
        self.bytes += len(payload)
        return True


def timed_pass(path: Path, frame_step: Callable[[np.ndarray, int], object]) -> float:
    """Frames per CPU second over one pass of the video (decode included)."""
    capture = cv2.VideoCapture(str(path))
    n = 0
    started = time.process_time()
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frame_step(frame, n)
        n += 1
    used = time.process_time() - started
    capture.release()
    return n / used


def baseline(path: Path, scale: float = 1.0) -> float:
    """Decode + MOG2 (at `scale` × the frame: the path analyses at 0.5)."""
    model = cv2.createBackgroundSubtractorMOG2()

    def step(frame: np.ndarray, _n: int) -> None:
        if scale != 1.0:
            frame = cv2.resize(
                frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA
            )
        model.apply(frame)

    return timed_pass(path, step)


def whole_path(path: Path) -> tuple[float, MemoryPublisher]:
    camera = Camera.model_validate(yaml.safe_load(CAMERA_FILE.read_text("utf-8")))
    publisher = MemoryPublisher()
    worker = CameraWorker(
        "bench",
        camera,
        source=None,  # type: ignore[arg-type]  # fed frame by frame below
        publisher=publisher,  # type: ignore[arg-type]  # offer() is all it uses
        tz=ZoneInfo("Asia/Shanghai"),
    )

    def step(frame: np.ndarray, n: int) -> None:
        worker.analyse(frame, T0 + timedelta(seconds=n / 10))

    return timed_pass(path, step), publisher


def accuracy(path: Path) -> dict[str, float]:
    labels = load_labels()
    cam = CameraAnalytics(
        [ZoneSpec("crossing", "restricted", labels.zone)], labels.size
    )
    capture = cv2.VideoCapture(str(path))
    scores, zone_errors, i = [], [], 0
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        result = cam.process(frame, T0 + timedelta(seconds=i / 10))
        if i in labels.frames:
            truth, found = labels.frames[i], [b.feet for b in result.boxes]
            scores.append(match(truth, found, 40.0))
            in_zone = sum(labels.zone.contains(p) for p in truth)
            zone_errors.append(
                abs(in_zone - sum(labels.zone.contains(p) for p in found))
            )
        i += 1
    total = Score(
        *(
            sum(getattr(s, f) for s in scores)
            for f in ("labelled", "detected", "matched")
        )
    )
    return {
        "labelled_frames": len(scores),
        "labelled_people": total.labelled,
        "precision": round(total.precision, 3),
        "recall": round(total.recall, 3),
        "count_mae": round(float(np.mean([abs(s.detected - s.labelled)
                                          for s in scores])), 3),
        "zone_mae": round(float(np.mean(zone_errors)), 3),
        "zone_max_error": int(max(zone_errors)),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.vision")
    parser.add_argument("--quick", action="store_true", help="one pass instead of 3")
    args = parser.parse_args(argv)
    path = vtest_path()
    if path is None:
        print("bench.vision: vtest.avi unavailable (apt-get download opencv-doc)")
        return 2
    cv2.setNumThreads(1)
    passes = 1 if args.quick else 3
    base = [baseline(path) for _ in range(passes)]
    half = [baseline(path, 0.5) for _ in range(passes)]
    decode = [timed_pass(path, lambda _f, _n: None) for _ in range(passes)]
    runs = [whole_path(path) for _ in range(passes)]
    path_fps = statistics.median(fps for fps, _ in runs)
    base_fps = statistics.median(base)
    half_fps = statistics.median(half)
    decode_fps = statistics.median(decode)
    published = runs[-1][1]
    figures = {
        "frames": 795,
        "resolution": "768x576",
        "passes": passes,
        "baseline_fps_per_core": round(base_fps, 1),
        "path_fps_per_core": round(path_fps, 1),
        "path_vs_baseline": round(path_fps / base_fps, 3),
        "baseline_half_res_fps_per_core": round(half_fps, 1),
        "path_vs_half_res_baseline": round(path_fps / half_fps, 3),
        "cameras_at_5fps_per_core": round(path_fps / 5, 1),
        "decode_only_fps_per_core": round(decode_fps, 1),
        "goal_met": path_fps >= GOAL_FPS,
        "messages_per_pass": published.messages,
        "bytes_per_pass": published.bytes,
        **accuracy(path),
    }
    print(f"baseline decode + MOG2 (full res): {base_fps:7.1f} frames/CPU-s")
    print(f"decode + resize + MOG2 at half res: {half_fps:6.1f} frames/CPU-s")
    print(
        f"whole path (decode→event+JPEG):    {path_fps:7.1f} frames/CPU-s "
        f"= {path_fps / base_fps:.2f} × baseline; goal ≥ {GOAL_FPS:.0f}"
    )
    print(f"= {path_fps / 5:.1f} cameras at 5 fps per core")
    print(f"decode only: {decode_fps:.1f} frames/CPU-s (a stream is decoded whole)")
    print(
        f"labels: precision {figures['precision']}, recall {figures['recall']}, "
        f"count MAE {figures['count_mae']}, zone MAE {figures['zone_mae']}"
    )
    print(json.dumps({"bench": "vision", **figures}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
