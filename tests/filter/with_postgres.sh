#!/usr/bin/env bash
# with_postgres.sh BINDIR COMMAND... - runs COMMAND against a private PostgreSQL server: a fresh
# data folder in a temporary directory, reachable only by its Unix socket there (no TCP), on a
# private port number; the server is stopped and the folder removed however COMMAND ends (exit,
# failure, signal). COMMAND gets PGHOST, PGPORT, PGUSER and PGDATABASE. Run as root (containers,
# CI), the server runs as the `postgres` user: PostgreSQL refuses to run as root.
set -euo pipefail
bindir=$1
shift
dir=$(mktemp -d "${TMPDIR:-/tmp}/lattice-pg.XXXXXX")
as=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
  # setpriv execs (runuser would fork and not pass signals on): $! below is the server itself.
  as=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill -INT "$server" 2>/dev/null || true # fast shutdown
    for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  # Whatever started it, the server's own pid file names the postmaster.
  if [ -f "$dir/data/postmaster.pid" ]; then
    pid=$(head -n 1 "$dir/data/postmaster.pid")
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$((20000 + RANDOM % 20000))
if ! "${as[@]}" "$bindir/initdb" -D "$dir/data" -U lattice --auth=trust -E UTF8 --no-locale \
  > "$dir/initdb.log" 2>&1; then
  cat "$dir/initdb.log" >&2
  exit 1
fi
# Durability is not wanted here: fsync off keeps the 1,000,000-row table quick to fill.
"${as[@]}" "$bindir/postgres" -D "$dir/data" -p "$port" -k "$dir" -c listen_addresses= \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off > "$dir/server.log" 2>&1 &
server=$!
# A watchdog: if this script is killed outright (SIGKILL, where no trap runs), the server stops.
( while kill -0 $$ 2>/dev/null; do sleep 1; done; kill -INT "$server" 2>/dev/null ) &
ready=""
for _ in $(seq 300); do
  if "$bindir/pg_isready" -q -h "$dir" -p "$port" 2>/dev/null; then
    ready=1
    break
  fi
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$ready" ]; then
  echo "with_postgres.sh: the server did not start:" >&2
  cat "$dir/server.log" >&2
  exit 1
fi
echo "with_postgres.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on socket $dir, port $port"
PGHOST=$dir PGPORT=$port PGUSER=lattice PGDATABASE=postgres timeout 500 "$@"
