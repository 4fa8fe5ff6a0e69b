#!/usr/bin/env bash
# Installs what the tests need and runs them all: the README's second command.
# Python packages (requirements-dev.txt), Debian chromium + chromium-driver + CJK fonts,
# the node packages of the TimescaleDB harness; checks that PostgreSQL, Redis and
# Mosquitto answer on this machine (starting them if they are installed but stopped).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_debian_packages() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v pdftoppm >/dev/null || missing+=(poppler-utils)
  # the production broker's durability tests run their own RabbitMQ MQTT node
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "== apt-get install ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

ensure_services() {
  pg_isready -q -h 127.0.0.1 -p 5432 || \
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || \
    as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no
  (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null || as_root mosquitto -d -c /etc/mosquitto/mosquitto.conf
  for _ in $(seq 50); do
    pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli ping >/dev/null 2>&1 && \
      (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null && return 0
    sleep 0.2
  done
  echo "PostgreSQL, Redis or Mosquitto did not come up" >&2
  return 1
}

# Real camera footage for the vision tests and bench.vision (#6): Debian opencv-doc's
# vtest.avi, fetched once with apt-get download + dpkg -x into the test cache.
fetch_vtest() {
  local cache="${JIGUAN_TEST_CACHE:-$HOME/.cache/jiguan}"
  [ -f "$cache/vtest.avi" ] && return 0
  local tmp; tmp="$(mktemp -d)"
  if (cd "$tmp" && apt-get download opencv-doc >/dev/null 2>&1); then
    dpkg -x "$tmp"/opencv-doc_*.deb "$tmp/x"
    mkdir -p "$cache"
    cp "$tmp/x/usr/share/doc/opencv-doc/examples/data/vtest.avi" "$cache/vtest.avi"
    echo "== vtest.avi cached in $cache"
  else
    echo "== apt-get download opencv-doc failed: the vtest.avi tests will be skipped" >&2
  fi
  rm -rf "$tmp"
}

# What this run uses, printed first so a failure after Debian moves a package says
# at once what moved (Chromium 156.0.8078.73 -> .129 once broke a print test).
print_versions() {
  local pg redis_version
  pg=$(psql -h 127.0.0.1 -U postgres -d postgres -tAc 'SHOW server_version' 2>/dev/null)
  redis_version=$(redis-cli -h 127.0.0.1 -p 6379 info server 2>/dev/null |
    tr -d '\r' | sed -n 's/^redis_version://p')
  echo "== versions"
  echo "python: $(python3 --version 2>&1)"
  echo "chromium: $(chromium --version 2>/dev/null || echo 'not found')"
  echo "chromedriver: $(chromedriver --version 2>/dev/null || echo 'not found')"
  echo "postgresql server: ${pg:-not reachable}"
  echo "redis server: ${redis_version:-not reachable}"
  echo "mosquitto: $( (mosquitto -h 2>/dev/null || true) | head -n 1)"
  echo "rabbitmq: $(dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null || echo 'not found')"
  echo "node: $(node --version 2>/dev/null || echo 'not found')"
}

install_debian_packages
fetch_vtest
echo "== pip install -r requirements-dev.txt"
python3 -m pip install -q --disable-pip-version-check -r requirements-dev.txt
echo "== npm ci (TimescaleDB harness)"
(cd tests/timescale && npm ci --no-audit --no-fund --loglevel=error)
ensure_services
print_versions
echo "== ruff"
python3 -m ruff check .
python3 -m ruff format --check .
python3 -m mypy
echo "== pytest"
set +e
python3 -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
exit "$status"
