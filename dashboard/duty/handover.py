"""The shift handover, the one write of the duty console besides alarm actions:
hand over (outgoing) or take over (incoming), through the alarm engine."""

from __future__ import annotations

from dashboard.duty.context import DutyContext
from layouts import ids
from layouts.i18n import Lang, t
from streams.alarms import store


def handover_action(
    duty: DutyContext, trigger: str | None, note: str, lang: Lang
) -> str:
    engine = duty.engine
    assert engine is not None
    now = duty.clock()
    if trigger == ids.DUTY_HANDOVER_SUBMIT:
        engine.handover(duty.operator, duty.role, note, now)
        return t("handover_saved", lang)
    if trigger == ids.DUTY_HANDOVER_ACCEPT:
        waiting = [h for h in engine.read(store.handovers) if h["accepted_at"] is None]
        if not waiting:
            return t("handover_none", lang)
        engine.accept_handover(waiting[0]["id"], duty.operator, duty.role, note, now)
        return t("handover_accepted", lang)
    return ""
