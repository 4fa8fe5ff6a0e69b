"""The security page (/security) and the annotated snapshots it serves."""
