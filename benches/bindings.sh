#!/usr/bin/env bash
# `score_many` from the Python and JavaScript packages against `stagegate score`, on the X Education
# leads repeated 10 times (92,400 leads), in one run. Targets: Python within 1.5x of the command
# line's time, JavaScript within 3x (interpreter start excluded: the bindings' times are measured
# inside the program, around the call; the command line's is the whole run, reading and writing
# JSON Lines).
#
# Usage: benches/bindings.sh path/to/Leads.csv
# Needs: the Python package installed in the python3 on PATH (pip install ./bindings/python), and
# for JavaScript the built package (cd bindings/js && npm run build); missing ones are skipped.
# Environment: REPEAT (default 10), RUNS (default 5), CARGO_TARGET_DIR as for cargo.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
REPEAT=${REPEAT:-10}
RUNS=${RUNS:-5}
AT=2026-11-27
PLAYBOOK=examples/real-data/x-education/playbook.yaml
MAPPING=examples/real-data/x-education/mapping.yaml
csv=${1:-}
if [[ -z $csv || ! -f $csv ]]; then
    echo "usage: $0 path/to/Leads.csv   (see docs/real-data.md)" >&2
    exit 2
fi

cargo build --release --quiet --bin stagegate
SG=${CARGO_TARGET_DIR:-$ROOT/target}/release/stagegate
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stagegate-bindings.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
echo "nproc $(nproc) · cpu ${cpu:-unknown} · $(date -u +%Y-%m-%dT%H:%MZ) · commit $(git rev-parse --short HEAD)"
"$SG" import "$MAPPING" "$csv" >"$tmp/leads.jsonl" 2>/dev/null || true
for _ in $(seq "$REPEAT"); do cat "$tmp/leads.jsonl"; done >"$tmp/leads10.jsonl"
echo "$(wc -l <"$tmp/leads10.jsonl") leads"

best=
for _ in $(seq "$RUNS"); do
    start=$(date +%s.%N)
    "$SG" score "$PLAYBOOK" "$tmp/leads10.jsonl" --format jsonl --at "$AT" --color never >"$tmp/cli.jsonl"
    took=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$start" "$(date +%s.%N)")
    if [[ -z $best ]] || python3 -c "import sys; sys.exit(0 if $took < $best else 1)"; then best=$took; fi
done
echo "cli score $best $(wc -l <"$tmp/cli.jsonl")"

if python3 -c "import stagegate" 2>/dev/null; then
    python3 benches/bindings/score_many.py "$PLAYBOOK" "$tmp/leads10.jsonl" "$tmp/cli.jsonl" "$AT" "$RUNS"
else
    echo "python: skipped (pip install ./bindings/python)"
fi
if [[ -f bindings/js/bench/score_many.mjs && -d bindings/js/pkg ]]; then
    node bindings/js/bench/score_many.mjs "$PLAYBOOK" "$tmp/leads10.jsonl" "$tmp/cli.jsonl" "$AT" "$RUNS"
else
    echo "javascript: skipped (cd bindings/js && npm run build)"
fi
