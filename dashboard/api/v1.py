"""The read API for third parties (服务开放平台): current KPIs and open alarms as
JSON under ``/api/v1``, documented by OpenAPI at ``/api/v1/openapi.json``.

Every route needs ``Authorization: Bearer <token>`` (an API token issued on the
admin page or with ``python -m dashboard.auth api <client>``); the auth middleware
checks it before a route runs. Only aggregates and alarm summaries leave: no names,
credentials, plates or snapshots (GB/T 35273: minimum necessary).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import redis
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPBearer
from pydantic import BaseModel, Field

from dashboard.data import LiveReader, LiveSnapshot
from streams.alarms.mirror import AlarmMirror

API_PREFIX = "/api/v1"
Severity = Literal["critical", "major", "minor", "notice"]
_bearer = HTTPBearer(description="API token (admin page → Read API tokens)")


class Onsite(BaseModel):
    staff: int = Field(ge=0, description="Staff on site now")
    visitor: int = Field(ge=0, description="Visitors on site now")
    vehicle: int = Field(ge=0, description="Vehicles on site now")


class Kpis(BaseModel):
    site: str
    at: datetime = Field(description="When the figures were read (UTC)")
    day: str = Field(description="The site's local day the 'today' figures cover")
    onsite: Onsite
    entries_today: int = Field(ge=0)
    denied_today: int = Field(ge=0)
    meals_today: int = Field(ge=0)
    power_kw: float
    pv_kw: float
    water_today_m3: float
    electricity_today_kwh: float
    devices_online: int = Field(ge=0)
    devices_total: int = Field(ge=0)


class AlarmSummary(BaseModel):
    id: str
    kind: str
    source: str
    area: str
    severity: Severity
    state: str
    message: str
    raised_at: datetime
    count: int = Field(ge=1)
    acknowledged: bool


class Alarms(BaseModel):
    site: str
    alarms: list[AlarmSummary]


class Problem(BaseModel):
    detail: str


def kpis_of(site_id: str, snap: LiveSnapshot) -> Kpis:
    return Kpis(
        site=site_id,
        at=snap.at,
        day=snap.day,
        onsite=Onsite(
            **{k: max(0, snap.onsite.get(k, 0)) for k in Onsite.model_fields}
        ),
        entries_today=sum(v for k, v in snap.entries.items() if k != "denied"),
        denied_today=snap.denied,
        meals_today=sum(snap.meals_by_canteen.values()),
        power_kw=round(snap.power_kw, 3),
        pv_kw=round(snap.pv_kw, 3),
        water_today_m3=round(snap.water_today_m3, 3),
        electricity_today_kwh=round(snap.electricity_today_kwh, 3),
        devices_online=snap.devices.online,
        devices_total=snap.devices.total,
    )


def build_api(reader: LiveReader, mirror: AlarmMirror) -> FastAPI:
    site_id = reader.site.id
    api = FastAPI(
        title="Jiguan IOC read API",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        dependencies=[Depends(_bearer)],
        responses={401: {"model": Problem}, 503: {"model": Problem}},
    )

    @api.get("/kpis", response_model=Kpis, summary="Current KPIs of the compound")
    def kpis() -> Kpis:
        snap = reader.snapshot()
        if not isinstance(snap, LiveSnapshot):
            raise HTTPException(503, "live data unavailable")
        return kpis_of(site_id, snap)

    @api.get("/alarms", response_model=Alarms, summary="Open alarms, newest first")
    def alarms() -> Alarms:
        try:
            found = mirror.read_open()
        except redis.RedisError as exc:
            raise HTTPException(503, "alarms unavailable") from exc
        items = [
            AlarmSummary(
                id=a.id, kind=a.kind, source=a.source, area=a.area,
                severity=a.severity, state=a.state, message=a.message,
                raised_at=a.raised_at, count=max(1, a.count),
                acknowledged=a.acknowledged,
            )
            for a in sorted(found, key=lambda a: a.raised_at, reverse=True)
            if not a.is_summary
        ]  # fmt: skip
        return Alarms(site=site_id, alarms=items)

    return api


def mount_api(server: FastAPI, reader: LiveReader, redis_url: str) -> None:
    client = redis.Redis.from_url(
        redis_url or "redis://127.0.0.1:1/0",
        socket_connect_timeout=1.0,
        socket_timeout=2.0,
    )
    server.mount(API_PREFIX, build_api(reader, AlarmMirror(client, reader.site.id)))
