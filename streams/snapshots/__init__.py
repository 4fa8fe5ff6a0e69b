"""Annotated camera snapshots: MQTT topic and names, PostgreSQL store, subscriber.

Camera workers publish JPEGs on `ioc/<site>/snapshot/<camera>/<name>` (they need no
database); the consumer process (`python -m streams`) stores them in
`camera_snapshots` with retention; the dashboard serves them (docs/cameras.md).
"""
