from __future__ import annotations

from pathlib import Path

import pytest

from streams.config.settings import SettingsError, load_settings, redact_url


def test_defaults_need_no_environment() -> None:
    settings = load_settings({})
    assert settings.dashboard_port == 8050
    assert settings.site_file.name == "sample.yaml"


def test_values_come_from_ioc_variables() -> None:
    settings = load_settings({"IOC_BATCH_SIZE": "64", "IOC_REDIS_URL": "redis://h:1/2"})
    assert settings.batch_size == 64
    assert settings.url("redis") == "redis://h:1/2"


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"IOC_DASHBOARD_PORT": "70000"}, "IOC_DASHBOARD_PORT"),
        ({"IOC_DASHBOARD_PORT": "http"}, "IOC_DASHBOARD_PORT"),
        ({"IOC_BATCH_SIZE": "0"}, "IOC_BATCH_SIZE"),
        ({"IOC_DATABASE_URL": "mysql://x"}, "IOC_DATABASE_URL"),
        ({"IOC_MQTT_PROTOCOL": "4"}, "IOC_MQTT_PROTOCOL"),
        ({"IOC_DAY_RESET_HOUR": "24"}, "IOC_DAY_RESET_HOUR"),
        ({"IOC_BATCH_SIZ": "10"}, "IOC_BATCH_SIZ"),
        ({"IOC_DASHBOARD_TRUSTED_PROXIES": "*"}, "IOC_DASHBOARD_TRUSTED_PROXIES"),
        ({"IOC_DASHBOARD_TRUSTED_PROXIES": "10.0.0.1/8"}, "IOC_DASHBOARD_TRUSTED"),
        ({"IOC_DASHBOARD_TRUSTED_PROXIES": "::1,proxy"}, "IOC_DASHBOARD_TRUSTED"),
    ],
)
def test_bad_settings_name_the_variable(environ: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        load_settings(environ)


def test_trusted_proxies_default_to_none() -> None:
    assert load_settings({}).dashboard_trusted_proxies == ()
    given = {"IOC_DASHBOARD_TRUSTED_PROXIES": " 127.0.0.1, 10.0.0.0/8,::1 "}
    proxies = load_settings(given).dashboard_trusted_proxies
    assert [str(p) for p in proxies] == ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]


def test_secrets_stay_out_of_repr_and_errors() -> None:
    settings = load_settings({"IOC_MQTT_URL": "mqtt://user:hunter2@broker:1883"})
    assert "hunter2" not in repr(settings)
    with pytest.raises(SettingsError) as caught:
        load_settings({"IOC_MQTT_URL": "http://user:hunter2@broker"})
    assert "hunter2" not in str(caught.value)


def test_redact_url() -> None:
    assert redact_url("mqtt://u:secret@h:1883") == "mqtt://u:***@h:1883"
    assert redact_url("redis://h:6379/0") == "redis://h:6379/0"


def test_environment_is_left_untouched(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("IOC_SITE_FILE", str(tmp_path / "x.yaml"))
    assert load_settings().site_file == tmp_path / "x.yaml"
