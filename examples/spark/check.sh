#!/usr/bin/env bash
# The Spark example against the command line: a generated book of COUNT deals (default 200,000)
# for the bundled playbook, run on Spark in local mode (local[2]), and every output line compared
# with what `stagegate score` and `eval` print for the same book, and every metric (broken down by
# industry) with what `stagegate metrics` prints.
#
# Needs: Java 17, the stagegate Python package and pyspark, pandas and pyarrow in the python3 on
# PATH (pip install "./bindings/python[spark]"), and a built `stagegate` (STAGEGATE_BIN, default
# target/release/stagegate, else target/debug/stagegate).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
COUNT=${COUNT:-200000}
AT=2026-11-27
PLAYBOOK=playbooks/b2b-sales.yaml
target=${CARGO_TARGET_DIR:-$ROOT/target}
SG=${STAGEGATE_BIN:-}
if [[ -z $SG ]]; then
    for build in release debug; do
        if [[ -x $target/$build/stagegate ]]; then SG=$target/$build/stagegate; break; fi
    done
fi
[[ -n $SG ]] || { echo "no stagegate binary: cargo build first, or set STAGEGATE_BIN" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stagegate-spark.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 benches/big_book.py generate "$COUNT" 2026 "$tmp/book.jsonl"
# A few deals the engine refuses, so refusals are compared too: each must be answered with its
# error in its place.
{
    head -n 1000 "$tmp/book.jsonl"
    echo '{"id": "BAD-1", "stage": "qualification", "fields": {"budjet": 1}}'
    echo '{"id": "BAD-2", "stage": "nowhere"}'
    tail -n +1001 "$tmp/book.jsonl"
} >"$tmp/deals.jsonl"
echo "book: $(wc -l <"$tmp/deals.jsonl") deals"

start=$(date +%s)
PYTHONPATH=examples/spark python3 examples/spark/run.py "$PLAYBOOK" "$tmp/deals.jsonl" "$tmp/spark" \
    --at "$AT" --by industry
echo "spark (local[2]): $(($(date +%s) - start)) s"

start=$(date +%s)
set +e
"$SG" score "$PLAYBOOK" "$tmp/deals.jsonl" --format jsonl --at "$AT" --color never >"$tmp/score.jsonl" 2>/dev/null
"$SG" eval "$PLAYBOOK" "$tmp/deals.jsonl" --format jsonl --at "$AT" --color never >"$tmp/eval.jsonl" 2>/dev/null
"$SG" metrics "$PLAYBOOK" "$tmp/deals.jsonl" --format json --at "$AT" --by industry --color never \
    >"$tmp/metrics.json" 2>/dev/null
set -e
echo "command line: $(($(date +%s) - start)) s"

python3 examples/spark/compare.py "$tmp/deals.jsonl" "$tmp" "$tmp/spark"
