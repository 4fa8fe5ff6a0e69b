"""The security page (/security)."""
