"""The settings schema: one pydantic-settings model, env prefix ``IOC_``, every field
with its bounds and description. Loading it from the environment (unknown names and
bad values refused with the field named) is `streams.config.settings.load_settings`.
Secrets are `SecretStr`: never in a repr or a log line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, IPvAnyNetwork, SecretStr, ValidationInfo, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from streams.config.urls import SERVER_URL_SCHEMES, require_scheme

SAMPLE_SITE_FILE = Path(__file__).resolve().parents[1] / "sites" / "sample.yaml"
ENV_PREFIX = "IOC_"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="forbid", frozen=True, validate_default=True
    )

    mqtt_url: SecretStr = Field(
        default=SecretStr(""),
        description="mqtt://[user:password@]host:port; empty = embedded (launcher)",
    )
    redis_url: SecretStr = Field(
        default=SecretStr(""), description="redis://host:port/db; empty = embedded"
    )
    database_url: SecretStr = Field(
        default=SecretStr(""),
        description="postgresql://user@host:port/db; empty = embedded PostgreSQL",
    )
    site_file: Path = Field(default=SAMPLE_SITE_FILE, description="The compound (YAML)")
    run_dir: Path = Field(default=Path("run"), description="Embedded servers' data")
    dashboard_host: str = "127.0.0.1"
    dashboard_port: int = Field(default=8050, ge=1, le=65535)
    dashboard_trusted_proxies: tuple[IPvAnyNetwork, ...] = Field(
        default=(),
        description="Comma-separated addresses/networks of the reverse proxies whose "
        "X-Forwarded-For/-Proto are believed; empty: none (the peer address counts)",
    )
    mqtt_client_id: str = Field(
        default="ioc-consumer",
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_.-]+$",
    )
    mqtt_shared_group: str = Field(
        default="",
        pattern=r"^[A-Za-z0-9_-]*$",
        description="Non-empty: subscribe through $share/<group>/ for scale-out",
    )
    mqtt_protocol: Literal["5", "3.1.1"] = Field(
        default="5",
        description="MQTT 5 lets the consumer hold many unacknowledged messages "
        "(Receive Maximum); 3.1.1 brokers cap that at their own in-flight limit",
    )
    mqtt_session_expiry_s: int = Field(
        default=7 * 86400, ge=0, le=2**32 - 1, description="Broker keeps our session"
    )
    mqtt_max_inflight: int = Field(default=1000, ge=1, le=65535)
    batch_size: int = Field(default=500, ge=1, le=50_000)
    batch_max_wait_ms: int = Field(
        default=25,
        ge=1,
        le=60_000,
        description="How long a batch waits to fill (latency vs per-batch cost)",
    )
    queue_max: int = Field(default=20_000, ge=100, le=1_000_000)
    max_payload_bytes: int = Field(default=65_536, ge=256, le=16_777_216)
    max_future_skew_s: int = Field(
        default=300, ge=0, le=86_400, description="Reject timestamps this far ahead"
    )
    max_event_age_days: int = Field(
        default=30,
        ge=1,
        le=3650,
        description="Reject event times older than this before receipt (a gateway's "
        "store-and-forward backlog must fit; devices with unset clocks do not)",
    )
    spool_max_mb: int = Field(
        default=512,
        ge=1,
        le=1_000_000,
        description="Local spool for batches a server could not take (per spool)",
    )
    metrics_port: int = Field(
        default=9108,
        ge=0,
        le=65535,
        description="Consumer /healthz, /readyz, /metrics on 127.0.0.1; 0 = off",
    )
    dead_letter_maxlen: int = Field(default=10_000, ge=100, le=10_000_000)
    day_reset_hour: int = Field(
        default=4, ge=0, le=23, description="Local hour when 'today' counters reset"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    wall_poll_ms: int = Field(
        default=10_000, ge=1000, le=600_000, description="Wall polling fallback period"
    )
    wall_push: bool = Field(
        default=True, description="Push wall updates over WebSocket callbacks"
    )
    wall_stale_factor: float = Field(
        default=1.0, gt=0, le=100, description="Scales every wall stale limit"
    )
    wall_lang: Literal["zh", "en"] = Field(
        default="zh", description="Wall language when the URL has no ?lang="
    )
    # Alarm lifecycle (ISA-18.2; streams/alarms).
    alarm_shelve_max_min: int = Field(
        default=480, ge=1, le=10_080, description="Longest shelve an operator may set"
    )
    alarm_late_s: int = Field(
        default=900,
        ge=1,
        le=86_400,
        description="Signals observed longer ago than this never raise an alarm",
    )
    alarm_tick_s: float = Field(
        default=5.0, gt=0, le=60, description="Escalation / unshelve / flood period"
    )
    alarm_latching_kinds: str = Field(
        default="",
        pattern=r"^[a-z0-9_,]*$",
        description="Comma-separated alarm kinds that latch until reset by hand",
    )
    escalation_critical_s: int = Field(default=300, ge=0, le=86_400)
    escalation_major_s: int = Field(default=900, ge=0, le=86_400)
    escalation_minor_s: int = Field(default=3600, ge=0, le=86_400)
    escalation_notice_s: int = Field(
        default=0, ge=0, le=86_400, description="0: never escalate this severity"
    )
    escalation_reminder_s: int = Field(
        default=600, ge=10, le=86_400, description="Repeat until acknowledged"
    )
    dingtalk_webhook: SecretStr = Field(
        default=SecretStr(""), description="DingTalk robot URL (with access_token)"
    )
    dingtalk_secret: SecretStr = Field(
        default=SecretStr(""), description="DingTalk robot signing secret (SEC…)"
    )
    wecom_webhook: SecretStr = Field(
        default=SecretStr(""), description="WeCom group robot URL (with key)"
    )
    notify_dingtalk_severities: str = Field(
        default="critical,major", pattern=r"^(critical|major|minor|notice|,)*$"
    )
    notify_wecom_severities: str = Field(
        default="critical", pattern=r"^(critical|major|minor|notice|,)*$"
    )
    notify_rate_per_min: int = Field(
        default=20, ge=1, le=600, description="Per robot (DingTalk allows 20/min)"
    )
    notify_timeout_s: float = Field(default=5.0, gt=0, le=60)
    notify_retries: int = Field(default=3, ge=0, le=10)
    notify_backoff_s: float = Field(
        default=2.0, gt=0, le=600, description="First retry delay; doubles each time"
    )
    detection_fresh_s: int = Field(
        default=900,
        ge=60,
        le=86_400,
        description="Detector signals observed longer ago than this are dropped "
        "(a backlog replayed after an outage raises nothing about the past)",
    )
    detection_tick_s: float = Field(
        default=60.0, ge=1, le=600, description="Windowed detectors' period"
    )
    detection_baseline_weeks: int = Field(
        default=6, ge=1, le=26, description="History behind the meter baselines"
    )

    # Camera analytics (#6; docs/cameras.md).
    camera_metrics_port: int = Field(
        default=9110,
        ge=0,
        le=65535,
        description="Camera worker /healthz, /readyz, /metrics on 127.0.0.1; 0 = off",
    )
    camera_offline_s: float = Field(
        default=20.0, ge=2, le=3600, description="No frame this long: camera offline"
    )
    snapshot_keep_days: int = Field(
        default=30, ge=1, le=3650, description="Event snapshots kept this long"
    )
    snapshot_periodic_keep_h: int = Field(
        default=6, ge=1, le=8760, description="Periodic camera views kept this long"
    )
    snapshot_max_bytes: int = Field(
        default=2_000_000, ge=10_000, le=50_000_000, description="Larger JPEGs refused"
    )

    # Access control and audit (#8; docs/security.md).
    admin_password: SecretStr = Field(
        default=SecretStr(""),
        description="Bootstrap admin's password when no user exists; empty: "
        "generated once and printed once",
    )
    auth_session_idle_min: int = Field(
        default=480, ge=5, le=1440, description="Sign-in session ends after idling"
    )
    auth_session_max_h: int = Field(
        default=12, ge=1, le=72, description="A session's longest life after sign-in"
    )
    auth_lockout_failures: int = Field(
        default=5, ge=2, le=100, description="Failed logins in a row that lock a user"
    )
    auth_lockout_min: int = Field(
        default=15, ge=1, le=1440, description="How long a locked user stays locked"
    )
    auth_login_per_min: int = Field(
        default=10, ge=1, le=1000, description="Login attempts per client address"
    )
    auth_cookie_secure: bool = Field(
        default=False, description="Set the Secure flag (true behind HTTPS)"
    )
    auth_kiosk_days: int = Field(
        default=400, ge=1, le=400, description="Kiosk cookie lifetime (browser cap 400)"
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # `load_settings` reads the environment itself, so that unknown IOC_* names
        # are refused and tests can pass an explicit mapping.
        return (init_settings,)

    @field_validator(*SERVER_URL_SCHEMES)
    @classmethod
    def _url_has_scheme(cls, value: SecretStr, info: ValidationInfo) -> SecretStr:
        name = info.field_name
        assert name is not None  # a field validator always knows its field
        require_scheme(value.get_secret_value(), SERVER_URL_SCHEMES[name])
        return value

    @field_validator("dashboard_trusted_proxies", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(item.strip() for item in value.split(",") if item.strip())
        return value

    @field_validator("dingtalk_webhook", "wecom_webhook")
    @classmethod
    def _webhook_is_http(cls, value: SecretStr) -> SecretStr:
        raw = value.get_secret_value()
        if raw and urlsplit(raw).scheme not in ("http", "https"):
            raise ValueError("scheme must be http or https")
        return value

    def url(self, name: Literal["mqtt", "redis", "database"]) -> str:
        """The secret URL's value, for opening a connection (never for logging)."""
        value: SecretStr = getattr(self, f"{name}_url")
        return value.get_secret_value()
