from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from streams.config.settings import SAMPLE_SITE_FILE
from streams.config.site import SiteFileError, load_site


def test_sample_compound_is_what_the_brief_describes() -> None:
    site = load_site(SAMPLE_SITE_FILE)
    assert len(site.gates) == 4
    assert len(site.canteens) == 2
    assert sum(len(c.windows) for c in site.canteens) == 8
    assert len(site.buildings) == 6
    assert len(site.cameras) == 12
    assert sum(m.quantity == "pv_kw" for m in site.meters) == 2


def _write(tmp_path: Path, mutate: object) -> Path:
    data = yaml.safe_load(SAMPLE_SITE_FILE.read_text(encoding="utf-8"))
    mutate(data)  # type: ignore[operator]
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("mutate", "named"),
    [
        (lambda d: d["gates"][0].update(kind="tunnel"), "gates.0.kind"),
        (lambda d: d["meters"][0].update(building="b99"), "meters.m-b1-kw.building"),
        (lambda d: d["gates"].append(dict(d["gates"][0])), "duplicate device id"),
        (
            lambda d: d["cameras"][0]["zones"][0].update(polygon=[[0, 0], [1, 1]]),
            "polygon",
        ),
        (lambda d: d.update(colour="red"), "colour"),
        (lambda d: d["canteens"][0]["meals"][0].update(end="06:00"), "not after"),
        (
            lambda d: d["canteens"][0]["windows"][0].update(service_rate_per_min=0),
            "service_rate",
        ),
        (lambda d: d.pop("gates"), "gates"),
        (lambda d: d.update(timezone="Mars/Olympus"), "timezone"),
        (
            lambda d: d["meters"][0].update(parent="m-water-main"),
            "not a meter of quantity",
        ),
        (lambda d: d["meters"][0].update(parent="nope"), "m-b1-kw.parent"),
    ],
)
def test_invalid_site_file_names_the_field(
    tmp_path: Path, mutate: object, named: str
) -> None:
    with pytest.raises(SiteFileError, match=named):
        load_site(_write(tmp_path, mutate))


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(SiteFileError, match="cannot read"):
        load_site(tmp_path / "absent.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(SiteFileError, match="not valid YAML"):
        load_site(bad)
