"""The web app: app factory, pages, callbacks and the read model (DESIGN.md §2)."""
