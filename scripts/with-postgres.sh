#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 cluster on 127.0.0.1.
# Installs Debian's postgresql-15 when it is missing; the cluster lives in a
# temporary folder and is stopped and removed when the command ends.
set -euo pipefail
PGBIN=/usr/lib/postgresql/15/bin
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
if [ ! -x "$PGBIN/initdb" ]; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql-15 >/dev/null
fi
PORT=${PGPORT_SANBAO:-55432}
DIR=$(mktemp -d /tmp/sanbao-pg.XXXXXX)
RUN=()
if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root.
    chown postgres "$DIR"
    RUN=(runuser -u postgres --)
fi
"${RUN[@]}" "$PGBIN/initdb" -D "$DIR/data" --no-locale -E UTF8 -A trust -U sanbao >/dev/null
"${RUN[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100" start >/dev/null
cleanup() { "${RUN[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null || true; rm -rf "$DIR"; }
trap cleanup EXIT
"${RUN[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U sanbao sanbao
export DATABASE_URL="postgres://sanbao@127.0.0.1:$PORT/sanbao"
"$@"
