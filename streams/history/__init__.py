"""History layer: PostgreSQL / TimescaleDB tables, batched idempotent writes, reads.

- `migrations.migrate` creates or upgrades the schema at start (Timescale or plain).
- `writer.write_batch` stores a batch of contract events, each once despite replays.
- `reads` holds what screens and the live-state rebuild ask of history.

`docs/storage.md` describes the tables, the 1-minute rollups and both paths.
"""
