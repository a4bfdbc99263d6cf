#!/usr/bin/env bash
# The servers the test suite talks to: installed when missing, started on loopback for the run,
# stopped afterwards whatever happens. Used by `make test` (and so by .ci/run).
#   scripts/test-env.sh install        install missing Debian packages
#   scripts/test-env.sh run CMD...     start the servers, run CMD with their addresses, stop them
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STATE="$ROOT/.services"


as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

install() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v chromium >/dev/null || missing+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  [ -x /usr/lib/dovecot/imap ] || missing+=(dovecot-imapd)
  [ -x /usr/lib/dovecot/pop3 ] || missing+=(dovecot-pop3d)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} (Debian packages)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

free_port() { "$ROOT/.venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

PIDS=()
stop_all() {
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
}

wait_port() {  # host port seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "server on $1:$2 did not start" >&2
  return 1
}

start_redis() {
  local port; port=$(free_port)
  mkdir -p "$STATE/redis"
  (cd "$STATE/redis"; exec redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
     --loglevel warning --logfile "$STATE/redis/redis.log") &
  PIDS+=($!)
  wait_port 127.0.0.1 "$port" 10
  export MAILASSIST_TEST_REDIS_URL="redis://127.0.0.1:$port/0"
}

start_postgres() {
  local bin port dir
  bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
  port=$(free_port)
  dir=$(mktemp -d /tmp/mailassist-pg.XXXXXX)
  # PostgreSQL refuses to run as root: the cluster belongs to the unprivileged postgres user.
  local as_pg=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; as_pg=(setpriv --reuid=postgres --regid=postgres --init-groups); fi
  "${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U mailassist --auth=trust -E UTF8 >/dev/null
  ("${as_pg[@]}" "$bin/postgres" -D "$dir/data" -p "$port" -k "$dir" -c listen_addresses=127.0.0.1 \
     -c fsync=off -c full_page_writes=off >"$STATE/postgres.log" 2>&1) &
  PIDS+=($!)
  PG_DIR=$dir
  wait_port 127.0.0.1 "$port" 30
  export MAILASSIST_TEST_POSTGRES_URL="postgresql+psycopg://mailassist@127.0.0.1:$port/postgres"
}

cleanup() {
  stop_all
  [ -n "${PG_DIR:-}" ] && rm -rf "$PG_DIR"
  return 0
}

run() {
  trap cleanup EXIT INT TERM
  rm -rf "$STATE"; mkdir -p "$STATE"
  start_redis
  start_postgres
  export MAILASSIST_TEST_CHROMIUM="$(command -v chromium || true)"
  set +e
  "$@"
  local rc=$?
  set -e
  if [ "$rc" = 5 ]; then
    echo "pytest collected no tests: treated as a failure (a test command that tests nothing is broken)" >&2
    rc=1
  fi
  return "$rc"
}

case "${1:-}" in
  install) install ;;
  run) shift; run "$@" ;;
  *) echo "usage: $0 install | run CMD..." >&2; exit 2 ;;
esac
