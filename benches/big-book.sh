#!/usr/bin/env bash
# Throughput and memory on a big book: 1,000,000 synthetic deals for the bundled playbook
# (benches/big_book.py, random but seeded), through `eval --format jsonl`, `score --format jsonl`
# and `metrics --format json`, each under `/usr/bin/time -v`: wall time, peak RSS, CPU% (100% is
# one core busy; all cores of an N-core machine show as N x 100%). Checks that eval and score write
# one line per deal, in input order.
#
# Usage: benches/big-book.sh
# Environment: DEALS (default 1000000), SEED (default 42), KEEP=1 keeps the temporary directory
# (the book is about 1 GB, the eval output about 2 GB), CARGO_TARGET_DIR as for cargo.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DEALS=${DEALS:-1000000}
SEED=${SEED:-42}
AT=2026-11-27
PLAYBOOK=playbooks/b2b-sales.yaml
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is required (apt-get install time)" >&2; exit 2; }

echo "== build (release)"
cargo build --release --quiet --bin stagegate
SG=${CARGO_TARGET_DIR:-$ROOT/target}/release/stagegate

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stagegate-big-book.XXXXXX")
if [[ ${KEEP:-0} == 1 ]]; then
    echo "(keeping $tmp)"
else
    trap 'rm -rf "$tmp"' EXIT
fi

echo "== machine"
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
echo "nproc $(nproc) · cpu ${cpu:-unknown} · $(date -u +%Y-%m-%dT%H:%MZ) · load average $(cut -d' ' -f1-3 /proc/loadavg)"
if command -v git >/dev/null && git rev-parse --git-dir >/dev/null 2>&1; then
    dirty=$(git --no-optional-locks status --porcelain -- src Cargo.toml | wc -l)
    echo "commit $(git rev-parse --short HEAD)$([[ $dirty -gt 0 ]] && echo " + $dirty uncommitted change(s) in src/ or Cargo.toml")"
fi

echo "== generate $DEALS deals (seed $SEED)"
start=$(date +%s.%N)
python3 benches/big_book.py generate "$DEALS" "$SEED" "$tmp/book.jsonl"
echo "$(($(wc -c <"$tmp/book.jsonl") / 1000000)) MB in $(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s"

# run NAME ARGS...: runs stagegate under /usr/bin/time -v, output to $tmp/NAME.out.
run() {
    local name=$1
    shift
    local code=0
    /usr/bin/time -v -o "$tmp/$name.time" "$SG" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || code=$?
    python3 - "$tmp/$name.time" "$name" "$code" "$DEALS" "$(wc -c <"$tmp/$name.out")" <<'EOF'
import sys
path, name, code, deals, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
facts = {}
for line in open(path):
    key, _, value = line.strip().rpartition(": ")
    facts[key] = value
clock = facts["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")
wall = sum(float(part) * 60 ** i for i, part in enumerate(reversed(clock)))
rss = int(facts["Maximum resident set size (kbytes)"]) / 1024
cpu = facts["Percent of CPU this job got"]
user, system = float(facts["User time (seconds)"]), float(facts["System time (seconds)"])
print(f"{name:<8} exit {code}  wall {wall:7.2f} s  peak RSS {rss:7.1f} MiB  CPU {cpu:>5}"
      f"  (user {user:.1f} s, sys {system:.1f} s)  {deals / wall / 1000:6.1f} k deals/s"
      f"  {wall / deals * 1e6:6.2f} µs/deal  output {size / 1e6:.0f} MB")
EOF
    if [[ -s $tmp/$name.err ]]; then
        echo "  stderr ($(wc -l <"$tmp/$name.err") lines), first lines:"
        head -5 "$tmp/$name.err" | sed 's/^/    /'
    fi
}

echo "== runs"
run eval eval "$PLAYBOOK" "$tmp/book.jsonl" --format jsonl --at "$AT" --lang en --color never
python3 benches/big_book.py order "$tmp/book.jsonl" "$tmp/eval.out"
rm -f "$tmp/eval.out"
run score score "$PLAYBOOK" "$tmp/book.jsonl" --format jsonl --at "$AT" --color never
python3 benches/big_book.py order "$tmp/book.jsonl" "$tmp/score.out"
rm -f "$tmp/score.out"
run metrics metrics "$PLAYBOOK" "$tmp/book.jsonl" --format json --at "$AT" --color never
echo "(load average now $(cut -d' ' -f1-3 /proc/loadavg))"
python3 - "$tmp/metrics.out" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
print("metrics: " + ", ".join(f"{k} {m[k]}" for k in ("deals", "open", "won", "lost", "churned", "anomalous", "win_rate")))
EOF
