"""The leadership briefing: its data model, the page, the narrative, tables and the
PDF."""
