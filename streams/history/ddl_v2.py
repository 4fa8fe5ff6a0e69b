"""Schema version 2: the alarm engine's tables (DESIGN.md §5), the same on both paths.

``alarms`` holds every alarm, open or closed; at most one open alarm per (kind,
source) is enforced by a partial unique index. ``alarm_journal`` records every
transition and operator action and is append-only: a trigger refuses UPDATE, DELETE
and TRUNCATE. ``alarm_floods`` holds the flood periods per console;
``shift_handovers`` the duty officers' handover notes and their acceptance.
"""

from __future__ import annotations

ALARM_TABLES: tuple[str, ...] = (
    """CREATE TABLE alarms (
        id uuid PRIMARY KEY,
        console text NOT NULL,
        kind text NOT NULL,
        source text NOT NULL,
        area text NOT NULL,
        severity text NOT NULL
            CHECK (severity IN ('critical', 'major', 'minor', 'notice')),
        message text NOT NULL,
        first_seen timestamptz NOT NULL,
        last_seen timestamptz NOT NULL,
        raised_at timestamptz NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        evidence jsonb NOT NULL DEFAULT '{}',
        latching boolean NOT NULL,
        condition boolean NOT NULL,
        active boolean NOT NULL,
        acknowledged boolean NOT NULL,
        mode text NOT NULL
            CHECK (mode IN ('normal', 'shelved', 'suppressed', 'out_of_service')),
        mode_reason text NOT NULL,
        mode_by text NOT NULL,
        shelved_until timestamptz,
        count integer NOT NULL,
        activations integer NOT NULL,
        version integer NOT NULL,
        acked_at timestamptz,
        acked_by text NOT NULL,
        cleared_at timestamptz,
        closed_at timestamptz,
        assignee text NOT NULL,
        escalation_level integer NOT NULL,
        escalated_at timestamptz,
        summary_id uuid,
        is_summary boolean NOT NULL)""",
    "CREATE UNIQUE INDEX alarms_one_open_idx ON alarms (kind, source)"
    " WHERE closed_at IS NULL",
    "CREATE INDEX alarms_raised_idx ON alarms (raised_at DESC)",
    """CREATE TABLE alarm_journal (
        seq bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        alarm_id uuid NOT NULL,
        action text NOT NULL,
        operator text NOT NULL,
        role text NOT NULL,
        from_state text NOT NULL,
        to_state text NOT NULL,
        comment text NOT NULL DEFAULT '',
        data jsonb NOT NULL DEFAULT '{}',
        recorded_at timestamptz NOT NULL DEFAULT now())""",
    "CREATE INDEX alarm_journal_at_idx ON alarm_journal (at DESC)",
    "CREATE INDEX alarm_journal_alarm_idx ON alarm_journal (alarm_id, seq)",
    """CREATE FUNCTION alarm_journal_refuse_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'alarm_journal is append-only: % refused', TG_OP;
        END
        $$""",
    """CREATE TRIGGER alarm_journal_append_only
        BEFORE UPDATE OR DELETE ON alarm_journal
        FOR EACH ROW EXECUTE FUNCTION alarm_journal_refuse_change()""",
    """CREATE TRIGGER alarm_journal_no_truncate
        BEFORE TRUNCATE ON alarm_journal
        FOR EACH STATEMENT EXECUTE FUNCTION alarm_journal_refuse_change()""",
    """CREATE TABLE alarm_floods (
        id bigserial PRIMARY KEY,
        console text NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        peak integer NOT NULL DEFAULT 0)""",
    "CREATE UNIQUE INDEX alarm_floods_open_idx ON alarm_floods (console)"
    " WHERE ended_at IS NULL",
    """CREATE TABLE shift_handovers (
        id bigserial PRIMARY KEY,
        created_at timestamptz NOT NULL,
        outgoing text NOT NULL,
        outgoing_role text NOT NULL,
        note text NOT NULL,
        open_alarms jsonb NOT NULL,
        accepted_at timestamptz,
        incoming text,
        incoming_role text,
        incoming_note text NOT NULL DEFAULT '')""",
)

COMMON: tuple[str, ...] = ALARM_TABLES
