"""HTTP routes beside the pages: the read API (/api/v1) and the operations routes."""
