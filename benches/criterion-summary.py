#!/usr/bin/env python3
"""Summarises the last `cargo bench --bench engine` run as a Markdown table.

    python3 benches/criterion-summary.py [target/criterion]

For each bench: criterion's median time per iteration with its 95% confidence interval, and,
when the bench declares how many deals one iteration handles, the median per deal. Then the
ratios the targets are about: `load/from_yaml/b2b-sales` against 5 ms, and each engine bench
against its hand-written Rust baseline.
"""

import json
import os
import sys


def human(seconds):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}" if seconds / scale < 100 else f"{seconds / scale:.0f} {unit}"
    return f"{seconds * 1e12:.0f} ps"


def load(root):
    benches = {}
    for directory, _, files in os.walk(root):
        if os.path.basename(directory) != "new" or "estimates.json" not in files:
            continue
        with open(os.path.join(directory, "benchmark.json"), encoding="utf-8") as f:
            meta = json.load(f)
        with open(os.path.join(directory, "estimates.json"), encoding="utf-8") as f:
            median = json.load(f)["median"]
        elements = (meta.get("throughput") or {}).get("Elements")
        benches[meta["full_id"]] = {
            "median": median["point_estimate"] * 1e-9,
            "low": median["confidence_interval"]["lower_bound"] * 1e-9,
            "high": median["confidence_interval"]["upper_bound"] * 1e-9,
            "elements": elements,
        }
    return benches


PAIRS = [
    ("b2b_native/engine_evaluate/qualification", "b2b_native/native/bant_gates_lead_score"),
    ("b2b_native/engine_score/qualification", "b2b_native/native/bant_gates_lead_score"),
    ("b2b_native/engine_evaluate/proposal", "b2b_native/native/closing_gates_meddic_score"),
    ("x_education/engine_score", "x_education/native_score"),
    ("x_education/engine_evaluate", "x_education/native_score"),
]


def main():
    default = os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "criterion")
    root = sys.argv[1] if len(sys.argv) > 1 else default
    benches = load(root)
    if not benches:
        sys.exit(f"no criterion results under {root}: run `cargo bench --bench engine` first")
    print("| bench | median per iteration (95% CI) | deals per iteration | median per deal |")
    print("|---|---:|---:|---:|")
    for name in sorted(benches):
        b = benches[name]
        per = human(b["median"] / b["elements"]) if b["elements"] else "-"
        print(f"| `{name}` | {human(b['median'])} ({human(b['low'])} – {human(b['high'])}) "
              f"| {b['elements'] or '-'} | {per} |")
    print()
    load_bench = benches.get("load/from_yaml/b2b-sales")
    if load_bench:
        verdict = "met" if load_bench["median"] <= 5e-3 else f"NOT met: {load_bench['median'] / 5e-3:.2f}x the budget"
        print(f"- `Playbook::from_yaml` on the bundled playbook: {human(load_bench['median'])} (target ≤ 5 ms: {verdict})")
    for engine, native in PAIRS:
        if engine in benches and native in benches:
            ratio = benches[engine]["median"] / benches[native]["median"]
            print(f"- `{engine}` / `{native}` = {ratio:.1f}x")


if __name__ == "__main__":
    main()
