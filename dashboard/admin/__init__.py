"""The admin page (/admin) and what it does."""
