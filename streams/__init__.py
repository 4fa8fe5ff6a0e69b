"""The wire and the processes: settings, contracts, ingest, live state, history,
alarms, detection, cameras, simulator, embedded servers, launcher (DESIGN.md §2)."""
