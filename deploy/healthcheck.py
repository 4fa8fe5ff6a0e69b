"""Container health probes for docker-compose (no curl in python:slim).

    python deploy/healthcheck.py http URL          # 2xx/3xx within 3 s
    python deploy/healthcheck.py connected PORT    # an ESTABLISHED TCP link to PORT

`connected 1883` says the consumer (or simulator) holds its broker connection.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from pathlib import Path

ESTABLISHED = "01"


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return 200 <= response.status < 400
    except (urllib.error.URLError, OSError):
        return False


def connected_to(port: int) -> bool:
    """True if this network namespace has an established TCP link to `port`."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port == port and fields[3] == ESTABLISHED:
                return True
    return False


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "http":
        return 0 if http_ok(argv[1]) else 1
    if len(argv) == 2 and argv[0] == "connected":
        return 0 if connected_to(int(argv[1])) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
