"""Migration DDL for access control (#8): users, kiosk and API tokens, and the
append-only audit log (a trigger refuses UPDATE, DELETE and TRUNCATE, like the
alarm journal)."""

from __future__ import annotations

COMMON: tuple[str, ...] = (
    """CREATE TABLE users (
        username text PRIMARY KEY CHECK (username ~ '^[a-z0-9_.-]{2,32}$'),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
        role text NOT NULL CHECK (role IN ('duty', 'security', 'leader', 'admin')),
        password_hash text NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        failed_logins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        password_changed_at timestamptz NOT NULL DEFAULT now())""",
    """CREATE TABLE access_tokens (
        id bigserial PRIMARY KEY,
        token_hash text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('kiosk', 'api')),
        scope text NOT NULL CHECK (length(scope) BETWEEN 1 AND 64),
        label text NOT NULL DEFAULT '',
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz)""",
    "CREATE INDEX access_tokens_scope ON access_tokens (kind, scope)",
    """CREATE TABLE audit_log (
        seq bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        role text NOT NULL,
        action text NOT NULL,
        target text NOT NULL DEFAULT '',
        outcome text NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
        client text NOT NULL DEFAULT '',
        detail jsonb NOT NULL DEFAULT '{}'::jsonb)""",
    "CREATE INDEX audit_log_at ON audit_log (at DESC)",
    "CREATE INDEX audit_log_actor ON audit_log (actor, at DESC)",
    "CREATE INDEX audit_log_action ON audit_log (action, at DESC)",
    """CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
        END
        $$""",
    """CREATE TRIGGER audit_log_append_only
        BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()""",
    """CREATE TRIGGER audit_log_no_truncate
        BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()""",
)
