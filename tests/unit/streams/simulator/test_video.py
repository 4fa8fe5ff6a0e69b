"""The simulator's `--camera-video CAMERA=FILE`: that camera leaves the simulated
site (its counts come from the real analytics of the file instead)."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.config.site import Site
from streams.simulator.__main__ import build_parser
from streams.simulator.cameras import parse_camera_video, without_cameras


def test_parse_camera_video(tmp_path: Path) -> None:
    video = tmp_path / "v.avi"
    video.write_bytes(b"x")
    assert parse_camera_video(f"cam-parking={video}") == ("cam-parking", str(video))
    with pytest.raises(ValueError, match="CAMERA=FILE"):
        parse_camera_video("cam-parking")
    with pytest.raises(ValueError, match="no such video file"):
        parse_camera_video(f"cam-parking={tmp_path / 'missing.avi'}")


def test_option_is_validated_by_the_parser(tmp_path: Path) -> None:
    video = tmp_path / "v.avi"
    video.write_bytes(b"x")
    args = build_parser().parse_args(["--camera-video", f"cam-parking={video}"])
    assert args.camera_video == [("cam-parking", str(video))]
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--camera-video", "cam-parking=/nope.avi"])


def test_played_cameras_leave_the_simulated_site(sample_site: Site) -> None:
    rest = without_cameras(sample_site, ["cam-parking"])
    assert "cam-parking" not in rest.cameras_by_id
    assert len(rest.cameras) == len(sample_site.cameras) - 1
    with pytest.raises(ValueError, match="unknown camera"):
        without_cameras(sample_site, ["cam-nope"])
