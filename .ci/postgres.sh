#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, from Debian's `postgresql` package.
#
#   url=$(.ci/postgres.sh start DIR)   # initdb into DIR (created, owned by `postgres`), start on a
#                                      # free port of 127.0.0.1, print the URL of a superuser
#   .ci/postgres.sh stop DIR           # stop it and remove DIR
#
# PostgreSQL refuses to run as root, so the server runs as the package's `postgres` user
# (`runuser`). Local connections are trusted (no password): the server listens on 127.0.0.1 only
# and lives as long as the test run.
set -euo pipefail

bin_dir() {
    local initdb
    initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z $initdb ]]; then
        echo "installing postgresql (Debian's package)" >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        # The package's own cluster is not needed: the tests start theirs.
        service postgresql stop >/dev/null 2>&1 || true
        initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
    fi
    dirname "$initdb"
}

as_postgres() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# A port nobody listens on, from a random start in the dynamic range.
free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    echo "no free port found" >&2
    return 1
}

start() {
    local dir=$1 bin port
    bin=$(bin_dir)
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres: "$dir"
    fi
    chmod 700 "$dir"
    if ! as_postgres test -w "$dir"; then
        echo "the postgres user cannot write $dir: give a directory under /tmp" >&2
        return 1
    fi
    as_postgres "$bin/initdb" --pgdata="$dir/data" --username=postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; return 1; }
    for _ in 1 2 3; do
        port=$(free_port)
        if as_postgres "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait \
            --options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=300 -c fsync=on" \
            start >&2; then
            echo "postgres://postgres@127.0.0.1:$port/postgres"
            return 0
        fi
    done
    cat "$dir/server.log" >&2
    return 1
}

stop() {
    local dir=$1 bin
    if [[ -d $dir/data ]]; then
        bin=$(bin_dir)
        as_postgres "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --wait stop >&2 || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
start) start "${2:?give the directory}" ;;
stop) stop "${2:?give the directory}" ;;
*)
    echo "usage: $0 start DIR | stop DIR" >&2
    exit 2
    ;;
esac
