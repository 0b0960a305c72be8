#!/usr/bin/env bash
# Server load: the old reference service and the new server, under the same load, in one run.
#
#   benches/load.sh OLD_BINARY [NEW_BINARY]
#   benches/load.sh --new NEW_BINARY [--old OLD_BINARY] [--pg postgres://USER@127.0.0.1/DB]
#
# OLD_BINARY is the reference service (`cargo build --release --example reference-service` at the
# commit it was replaced in), NEW_BINARY is `stagegate-server` (`cargo build --release -p
# stagegate-server`). Both take `add-user <id> --role admin --db <db>` and `--playbooks <dir> --db
# <db> --addr 127.0.0.1:0`, and print `listening on http://HOST:PORT` when ready. Each runs on a new
# SQLite database in a temporary directory; with --pg, the new server runs once more on that
# PostgreSQL database (an empty one: its first user must be the admin this script adds; if it has
# users already, export an admin's STAGEGATE_TOKEN for `add-user`).
#
# For each server: `read` and `move` at 8 and 64 keep-alive connections, then `idle` with 1,000 and
# 10,000 idle connections; a markdown table at the end. See benches/README.md, "Server load".
# Environment: DURATION (seconds measured, 10), WARMUP (1), DEALS (1000), PROBES (10),
# CONNECTIONS ("8 64"), IDLE ("1000 10000"), KEEP=1 to keep the databases and logs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

usage() {
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
old="" new="" pg=""
positional=()
while (($#)); do
    case $1 in
    --old) old=${2:?--old needs a binary}; shift 2 ;;
    --new) new=${2:?--new needs a binary}; shift 2 ;;
    --pg) pg=${2:?--pg needs a postgres:// URL}; shift 2 ;;
    -h | --help) usage ;;
    -*) echo "unknown option \`$1\`" >&2; usage ;;
    *) positional+=("$1"); shift ;;
    esac
done
((${#positional[@]} > 0)) && old=${positional[0]}
((${#positional[@]} > 1)) && new=${positional[1]}
((${#positional[@]} > 2)) && usage
[[ -z $old && -z $new ]] && usage
if [[ -n $pg && -z $new ]]; then
    echo "--pg needs the new server (--new NEW_BINARY): the old one speaks only SQLite" >&2
    exit 2
fi
if [[ -n $pg && $pg != postgres://* && $pg != postgresql://* ]]; then
    echo "--pg \`$pg\`: expected a postgres:// URL" >&2
    exit 2
fi
for binary in "$old" "$new"; do
    if [[ -n $binary && ! -x $binary ]]; then
        echo "\`$binary\` is not an executable file" >&2
        exit 2
    fi
done

DURATION=${DURATION:-10} WARMUP=${WARMUP:-1} DEALS=${DEALS:-1000} PROBES=${PROBES:-10}
CONNECTIONS=${CONNECTIONS:-8 64} IDLE=${IDLE:-1000 10000}

echo "== building the load generator (release)" >&2
cargo build --release --quiet --manifest-path benches/load/Cargo.toml
target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path benches/load/Cargo.toml |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
load="$target_dir/release/stagegate-load"

# Thousands of idle connections need as many files, in the server as in the load generator.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
files=$(ulimit -n)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stagegate-load.XXXXXX")
server_pid=""
cleanup() {
    if [[ -n $server_pid ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [[ ${KEEP:-0} == 1 ]]; then echo "kept: $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

rows=()
notes=()

# start NAME BINARY DB: starts a server, sets server_pid and url.
start() {
    local name=$1 binary=$2 db=$3 log="$tmp/$1.log"
    (cd "$tmp" && exec "$binary" --playbooks "$root/playbooks" --db "$db" --addr 127.0.0.1:0) \
        >"$log.out" 2>"$log.err" &
    server_pid=$!
    url=""
    for _ in $(seq 300); do
        url=$(sed -n 's/^listening on \(http:\/\/[^ ]*\).*/\1/p' "$log.out" | head -1)
        [[ -n $url ]] && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "$name did not start:" >&2
    cat "$log.out" "$log.err" >&2
    return 1
}

# stop NAME: notes the server's peak memory and its threads a second after the last scenario, then
# stops it.
stop() {
    local status="/proc/$server_pid/status"
    sleep 1
    if [[ -r $status ]]; then
        notes+=("$1: peak RSS $(awk '/VmHWM/ {print $2, $3}' "$status"), threads a second after the last scenario: $(awk '/Threads/ {print $2}' "$status")")
    else
        notes+=("$1: the server was no longer running at the end (see its log)")
    fi
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

# scenario NAME ARGS...: runs the load generator, keeps its row (or the reason it has none). The
# token goes in the environment, where the generator reads it, so that no log shows it.
scenario() {
    local name=$1 row
    shift
    echo "== $name: $*" >&2
    if row=$(STAGEGATE_TOKEN=$token "$load" "$@" --url "$url" --row "$name" 2>"$tmp/load.err"); then
        rows+=("$row")
    else
        rows+=("| $name | $1 | | | | | | | | | did not run: $(tr '\n|' ' /' <"$tmp/load.err") |")
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        rows+=("| $name | | | | | | | | | | the server stopped after \`$*\` |")
        return 1
    fi
}

# measure NAME BINARY DB: one server through every scenario.
token=""
measure() {
    local name=$1 binary=$2 db=$3
    if ! token=$("$binary" add-user "load-$$-$RANDOM" --role admin --db "$db" 2>"$tmp/add-user.err"); then
        rows+=("| $name | | | | | | | | | | add-user failed: $(tr '\n|' ' /' <"$tmp/add-user.err") |")
        return 0
    fi
    start "$name" "$binary" "$db" || { rows+=("| $name | | | | | | | | | | did not start |"); return 0; }
    local work connections idle
    for work in read move; do
        for connections in $CONNECTIONS; do
            scenario "$name" "$work" --connections "$connections" \
                --duration "$DURATION" --warmup "$WARMUP" --deals "$DEALS" || { stop "$name"; return 0; }
        done
    done
    for idle in $IDLE; do
        scenario "$name" idle --idle "$idle" --probes "$PROBES" || { stop "$name"; return 0; }
    done
    stop "$name"
}

# The CPU time of the whole machine (/proc/stat: busy and total, in ticks, all CPUs) and of this
# script's finished children (the servers and the load generator, once waited for), so that the
# share other processes took during the run can be told.
cpu_ticks() {
    awk 'NR == 1 { for (i = 2; i <= NF; i++) total += $i; print total - $5 - $6, total }' /proc/stat
}
children_ticks() {
    # Fields 16 and 17 of /proc/PID/stat: the CPU time of waited-for children (and theirs).
    sed 's/.*) //' "/proc/$$/stat" | awk '{ print $14 + $15 }'
}
read -r busy_start total_start < <(cpu_ticks)
ours_start=$(children_ticks)
[[ -n $old ]] && measure "old (sqlite)" "$old" "$tmp/old.sqlite3"
[[ -n $new ]] && measure "new (sqlite)" "$new" "$tmp/new.sqlite3"
[[ -n $pg ]] && measure "new (postgres)" "$new" "$pg"

read -r busy_end total_end < <(cpu_ticks)
ours=$(($(children_ticks) - ours_start))
others=$(((busy_end - busy_start - ours) * 100 / (total_end - total_start)))
((others < 0)) && others=0
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
echo
echo "Server load, $(date -u +%Y-%m-%d), commit $commit; $(nproc) CPUs (${cpu:-unknown}), $(free -g | awk '/Mem:/ {print $2}') GiB;"
echo "${DURATION} s measured after ${WARMUP} s of warm-up; ${DEALS} deals per timed scenario; open files limit $files;"
echo "Processes other than the servers and the load generator took ${others}% of the CPUs' time during the run."
if ((others > 10)); then
    echo
    echo "Warning: other processes took ${others}% of the CPUs during the run: the figures are not reliable; run again on a quiet machine."
fi
echo
"$load" header
printf '%s\n' "${rows[@]}"
echo
printf -- '- %s\n' "${notes[@]}"
