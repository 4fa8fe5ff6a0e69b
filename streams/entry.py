"""The start every `python -m streams…` entry point shares: a setting, option or site
file it cannot use stops it with one line on stderr and status 2; once it can run, it
logs to stderr at the configured level, in one format."""

from __future__ import annotations

import logging
import sys

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def refuse(prog: str, problem: object) -> int:
    """Say on stderr why `prog` cannot start; the exit status for it (2)."""
    print(f"{prog}: {problem}", file=sys.stderr)
    return 2


def log_to_stderr(level: str) -> None:
    """Log records at `level` and above to stderr in `LOG_FORMAT`."""
    logging.basicConfig(level=level, stream=sys.stderr, format=LOG_FORMAT)
