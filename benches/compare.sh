#!/usr/bin/env bash
# `stagegate score` on the X Education leads repeated 10 times (JSON Lines in and out) against
#   - a hand-written Rust program (examples/handwritten_scorer.rs), target: stagegate <= 3x its time;
#   - json-rules-engine on Node (benches/json-rules-engine/, only when its node_modules exists),
#     target: stagegate >= 20x faster.
#
# Usage:
#   benches/compare.sh path/to/Leads.csv
#   DATA=/path/to/data benches/compare.sh      # $DATA/x-education/Leads.csv, $DATA/Leads.csv or $DATA
#
# Environment: REPEAT (default 10) copies of the leads, RUNS (default 10) timed runs per program
# (hyperfine) or best of RUNS (default 5, /usr/bin/time), NODE_RUNS (default 3), KEEP=1 keeps the
# temporary directory, CARGO_TARGET_DIR as for cargo.
#
# The data is third party: it is only read from where you keep it, never copied into the repository
# (the imported and repeated files live in a temporary directory, removed at the end).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
REPEAT=${REPEAT:-10}
AT=2026-11-27
PLAYBOOK=examples/real-data/x-education/playbook.yaml
MAPPING=examples/real-data/x-education/mapping.yaml
JRE_DIR=benches/json-rules-engine

csv=${1:-}
if [[ -z $csv && -n ${DATA:-} ]]; then
    for candidate in "$DATA/x-education/Leads.csv" "$DATA/Leads.csv" "$DATA"; do
        if [[ -f $candidate ]]; then
            csv=$candidate
            break
        fi
    done
fi
if [[ -z $csv || ! -f $csv ]]; then
    echo "usage: $0 path/to/Leads.csv   (or set DATA; see docs/real-data.md)" >&2
    exit 2
fi
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 2; }

echo "== build (release)"
cargo build --release --quiet --bin stagegate --example handwritten_scorer
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SG=$TARGET/release/stagegate
HAND=$TARGET/release/examples/handwritten_scorer

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stagegate-compare.XXXXXX")
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

echo "== data"
"$SG" import "$MAPPING" "$csv" >"$tmp/leads.jsonl" || echo "(import reported bad rows, see above)"
for _ in $(seq "$REPEAT"); do cat "$tmp/leads.jsonl"; done >"$tmp/leads10.jsonl"
leads=$(wc -l <"$tmp/leads10.jsonl")
echo "$(wc -l <"$tmp/leads.jsonl") leads x $REPEAT = $leads leads, $(($(wc -c <"$tmp/leads10.jsonl") / 1000000)) MB of JSON Lines"

SG_CMD="'$SG' score '$PLAYBOOK' '$tmp/leads10.jsonl' --format jsonl --at $AT --color never > '$tmp/stagegate.jsonl'"
HAND_CMD="'$HAND' '$tmp/leads10.jsonl' > '$tmp/hand.jsonl'"
JRE_CMD="node '$JRE_DIR/score.js' '$tmp/leads10.jsonl' > '$tmp/jre.jsonl'"
with_node=0
if [[ -d $JRE_DIR/node_modules ]] && command -v node >/dev/null; then
    with_node=1
fi

echo "== outputs agree"
sh -c "$SG_CMD"
sh -c "$HAND_CMD"
python3 benches/agree.py "$tmp/stagegate.jsonl" "$tmp/hand.jsonl"
if cmp -s "$tmp/stagegate.jsonl" "$tmp/hand.jsonl"; then
    echo "stagegate and the hand-written scorer print byte-identical output ($(($(wc -c <"$tmp/stagegate.jsonl") / 1000000)) MB)"
else
    echo "note: same totals and bands, but the bytes differ (sizes $(wc -c <"$tmp/stagegate.jsonl") and $(wc -c <"$tmp/hand.jsonl"))"
fi
if [[ $with_node == 1 ]]; then
    sh -c "$JRE_CMD"
    python3 benches/agree.py "$tmp/stagegate.jsonl" "$tmp/jre.jsonl"
else
    echo "(json-rules-engine skipped: run 'npm install' in $JRE_DIR first)"
fi

echo "== peak memory and CPU (one run each, /usr/bin/time)"
if [[ -x /usr/bin/time ]]; then
    for name in stagegate hand jre; do
        case $name in
            stagegate) cmd=$SG_CMD ;;
            hand) cmd=$HAND_CMD ;;
            jre) [[ $with_node == 1 ]] || continue; cmd=$JRE_CMD ;;
        esac
        /usr/bin/time -f "$name: %e s wall, %M KB peak RSS, %P CPU" sh -c "$cmd"
    done
fi

echo "== timing"
# Writes "median mean stddev min runs" for each named command into $tmp/<name>.time.
if command -v hyperfine >/dev/null; then
    runs=${RUNS:-10}
    hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$tmp/rust.json" \
        -n stagegate "$SG_CMD" -n handwritten "$HAND_CMD"
    if [[ $with_node == 1 ]]; then
        hyperfine --style basic --warmup 1 --runs "${NODE_RUNS:-3}" --export-json "$tmp/node.json" \
            -n json-rules-engine "$JRE_CMD"
    fi
    python3 - "$tmp" <<'EOF'
import json, os, sys
tmp = sys.argv[1]
for name in ("rust.json", "node.json"):
    path = os.path.join(tmp, name)
    if not os.path.exists(path):
        continue
    for result in json.load(open(path))["results"]:
        times = result["times"]
        with open(os.path.join(tmp, result["command"] + ".time"), "w") as out:
            out.write(f'{result["median"]} {result["mean"]} {result["stddev"] or 0} {result["min"]} {len(times)}\n')
EOF
    how="hyperfine, median of ${RUNS:-10} runs after 1 warm-up (json-rules-engine: ${NODE_RUNS:-3})"
else
    runs=${RUNS:-5}
    best_of() { # name command
        local best="" t
        for _ in $(seq "$runs"); do
            t=$( { /usr/bin/time -f %e sh -c "$2" ; } 2>&1 | tail -1)
            if [[ -z $best ]] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then best=$t; fi
        done
        echo "$best $best 0 $best $runs" >"$tmp/$1.time"
    }
    best_of stagegate "$SG_CMD"
    best_of handwritten "$HAND_CMD"
    [[ $with_node == 1 ]] && best_of json-rules-engine "$JRE_CMD"
    how="/usr/bin/time, best of $runs runs"
fi

echo "== results ($how; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
python3 - "$tmp" "$leads" <<'EOF'
import os, sys
tmp, leads = sys.argv[1], int(sys.argv[2])
def read(name):
    path = os.path.join(tmp, name + ".time")
    if not os.path.exists(path):
        return None
    median, mean, sd, low, runs = open(path).read().split()
    return float(median), float(mean), float(sd), float(low), int(runs)
sg, hand, jre = read("stagegate"), read("handwritten"), read("json-rules-engine")
def line(label, t):
    median, mean, sd, low, runs = t
    print(f"{label:<28} median {median:8.3f} s   mean {mean:8.3f} ± {sd:.3f} s   min {low:8.3f} s"
          f"   {leads / median / 1000:8.1f} k leads/s   {median / leads * 1e6:7.2f} µs/lead")
line("stagegate score", sg)
line("hand-written Rust", hand)
if jre:
    line("json-rules-engine (Node)", jre)
ratio = sg[0] / hand[0]
verdict = "met" if ratio <= 3 else f"NOT met: {ratio / 3:.2f}x over the 3x budget"
print(f"stagegate / hand-written      = {ratio:.2f}x   (target <= 3x: {verdict}; fastest runs: {sg[3] / hand[3]:.2f}x)")
if jre:
    speedup = jre[0] / sg[0]
    verdict = "met" if speedup >= 20 else f"NOT met: {20 / speedup:.2f}x short of 20x"
    print(f"json-rules-engine / stagegate = {speedup:.2f}x   (target >= 20x: {verdict}; fastest runs: {jre[3] / sg[3]:.2f}x)")
EOF
