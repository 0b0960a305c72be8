#!/usr/bin/env python3
"""Independent cross-check of `stagegate metrics` and `stagegate score` on the real data sets.

Each check computes the figures straight from the CSV files with plain Python (no stagegate
code, no pandas), runs `stagegate import --playbook` (every deal checked against the example's
playbook; a refused row stops the check) and `stagegate metrics` / `score` on the same files, and
prints both side by side with OK or DIFF. It exits 1 if any figure disagrees.

    python3 examples/real-data/crosscheck.py maven  $DATA/maven
    python3 examples/real-data/crosscheck.py olist  $DATA/olist
    python3 examples/real-data/crosscheck.py xed    $DATA/x-education

The data is not in the repository; see docs/real-data.md. Set STAGEGATE to the binary to use
(default: ./target/release/stagegate). Run from the repository root.
"""

import csv
import json
import os
import tempfile
import statistics
import subprocess
import sys
from collections import defaultdict
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

# Imported deals go to a scratch directory of their own, removed by nobody but you.
SCRATCH = tempfile.mkdtemp(prefix="stagegate-crosscheck-")

HERE = os.path.dirname(os.path.abspath(__file__))
STAGEGATE = os.environ.get("STAGEGATE", "./target/release/stagegate")
AT = "2026-11-27"
problems = 0


def rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def run(*args):
    out = subprocess.run([STAGEGATE, *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"`stagegate {' '.join(args)}` failed ({out.returncode}):\n{out.stderr}")
    return out.stdout


def engine_metrics(example, deals_file, by=None):
    args = ["metrics", f"{HERE}/{example}/playbook.yaml", deals_file, "--at", AT, "--format", "json"]
    if by:
        args += ["--by", by]
    return json.loads(run(*args))


def same(a, b):
    if a is None or b is None:
        return a == b
    if isinstance(a, float) or isinstance(b, float):
        return abs(a - b) <= max(0.006, 1e-6 * abs(a))
    return a == b


def compare(label, python, engine):
    global problems
    ok = same(python, engine)
    problems += 0 if ok else 1
    print(f"  {label:<38} python {str(python):>14}  engine {str(engine):>14}  {'OK' if ok else 'DIFF'}")


def half_up(x, places):
    # stagegate rounds halves away from zero (36.625 -> 36.63); Python's round() would give 36.62.
    return None if x is None else float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def r2(x):
    return half_up(x, 2)


def r4(x):
    return half_up(x, 4)


def mean(xs):
    return r2(statistics.fmean(xs)) if xs else None


def median(xs):
    return float(statistics.median(xs)) if xs else None


def check_group(name, py, eng, stage_keys):
    print(f"{name}")
    for key in ["deals", "open", "won", "lost", "anomalous", "win_rate"]:
        compare(key, py[key], eng[key])
    compare("won_value.total", py["won_total"], eng["won_value"]["total"])
    compare("won_value.mean", py["won_mean"], eng["won_value"]["mean"])
    for kind in ["won", "lost"]:
        compare(f"cycle_days.{kind}.mean", mean(py[f"{kind}_cycle"]), eng["cycle_days"][kind]["mean"])
        compare(f"cycle_days.{kind}.median", median(py[f"{kind}_cycle"]), eng["cycle_days"][kind]["median"])
    for stage, (entered, converted, days) in py["stages"].items():
        if stage not in stage_keys:
            continue
        s = eng["stages"][stage]
        compare(f"stages.{stage}.entered", entered, s["entered"])
        compare(f"stages.{stage}.conversion", r4(converted / entered) if entered else None, s["conversion"])
        compare(f"stages.{stage}.days.mean", mean(days), s["days"]["mean"])
        compare(f"stages.{stage}.days.median", median(days), s["days"]["median"])


# --------------------------------------------------------------------------- Maven

def maven_figures(deals):
    d = lambda s: date.fromisoformat(s)
    won = [x for x in deals if x["deal_stage"] == "Won"]
    lost = [x for x in deals if x["deal_stage"] == "Lost"]
    engaged = [x for x in deals if x["engage_date"]]
    closed = [x for x in engaged if x["close_date"]]
    values = [float(x["close_value"]) for x in won if x["close_value"]]
    win_rate = len(won) / (len(won) + len(lost)) if won or lost else None
    return {
        "deals": len(deals),
        "open": len(deals) - len(won) - len(lost),
        "won": len(won),
        "lost": len(lost),
        "anomalous": 0,
        "win_rate": r4(win_rate),
        "won_total": r2(sum(values)),
        "won_mean": mean(values),
        "won_cycle": [(d(x["close_date"]) - d(x["engage_date"])).days for x in won],
        "lost_cycle": [(d(x["close_date"]) - d(x["engage_date"])).days for x in lost],
        "stages": {
            "engaging": (len(engaged), len(won),
                         [(d(x["close_date"]) - d(x["engage_date"])).days for x in closed]),
        },
    }


def maven(data):
    deals = rows(f"{data}/sales_pipeline.csv")
    files = [f"{data}/{f}" for f in ["sales_pipeline.csv", "products.csv", "sales_teams.csv", "accounts.csv"]]
    jsonl = os.path.join(SCRATCH, "maven.jsonl")
    with open(jsonl, "w") as f:
        f.write(run("import", f"{HERE}/maven/mapping.yaml", *files,
                    "--playbook", f"{HERE}/maven/playbook.yaml"))
    py = maven_figures(deals)
    eng = engine_metrics("maven", jsonl)
    check_group("Maven: all deals", py, eng, ["engaging"])
    compare("pipeline_velocity_per_day",
            r2(py["open"] * py["won_mean"] * py["win_rate"] / mean(py["won_cycle"])),
            eng["pipeline_velocity_per_day"])
    for by, column in [("product", "product"), ("agent", "sales_agent")]:
        eng = engine_metrics("maven", jsonl, by)["by"]["groups"]
        groups = defaultdict(list)
        for x in deals:
            groups[x[column] or "(none)"].append(x)
        compare(f"--by {by}: groups", sorted(groups), sorted(eng))
        for value in sorted(groups):
            check_group(f"Maven: {by} = {value}", maven_figures(groups[value]), eng[value], ["engaging"])


# --------------------------------------------------------------------------- Olist

def olist_figures(leads, closed):
    first = {x["mql_id"]: datetime.strptime(x["first_contact_date"], "%d-%m-%Y") for x in leads}
    won_cycle, anomalous = [], 0
    for x in leads:
        deal = closed.get(x["mql_id"])
        if deal is None:
            continue
        won_at = datetime.strptime(deal["won_date"], "%d-%m-%Y %H:%M")
        if won_at < first[x["mql_id"]]:
            anomalous += 1  # won before the first contact
            continue
        won_cycle.append((won_at - first[x["mql_id"]]).days)
    consistent = len(leads) - anomalous
    won = len(won_cycle)
    return {
        "deals": len(leads),
        "open": consistent - won,
        "won": won,
        "lost": 0,
        "anomalous": anomalous,
        "win_rate": 1.0 if won else None,
        "won_total": 0.0,
        "won_mean": None,
        "won_cycle": won_cycle,
        "lost_cycle": [],
        "stages": {"mql": (consistent, won, won_cycle)},
    }


def olist(data):
    leads = rows(f"{data}/olist_marketing_qualified_leads_dataset.csv")
    closed = {x["mql_id"]: x for x in rows(f"{data}/olist_closed_deals_dataset.csv")}
    jsonl = os.path.join(SCRATCH, "olist.jsonl")
    with open(jsonl, "w") as f:
        f.write(run("import", f"{HERE}/olist/mapping.yaml",
                    f"{data}/olist_marketing_qualified_leads_dataset.csv",
                    f"{data}/olist_closed_deals_dataset.csv",
                    "--playbook", f"{HERE}/olist/playbook.yaml"))
    check_group("Olist: all MQLs", olist_figures(leads, closed), engine_metrics("olist", jsonl), ["mql"])
    eng = engine_metrics("olist", jsonl, "origin")["by"]["groups"]
    groups = defaultdict(list)
    for x in leads:
        groups[x["origin"] or "(none)"].append(x)
    compare("--by origin: groups", sorted(groups), sorted(eng))
    for value in sorted(groups):
        check_group(f"Olist: origin = {value}", olist_figures(groups[value], closed), eng[value], ["mql"])


# --------------------------------------------------------------------------- X Education

def xed_score(x):
    """The `lead` scorecard of x-education/playbook.yaml, written again by hand."""
    seconds = int(x["Total Time Spent on Website"])
    occupation = x["What is your current occupation"]
    last = x["Last Activity"]
    total = 0
    total += 40 if x["Lead Origin"] == "Lead Add Form" else 0
    total += -10 if x["Lead Source"] == "Olark Chat" else 0
    total += 30 if seconds >= 800 else 0
    total += 15 if 500 <= seconds < 800 else 0
    total += 10 if occupation not in ("", "Select") else 0
    total += 30 if occupation == "Working Professional" else 0
    total += 25 if last in ("SMS Sent", "Had a Phone Conversation") else 0
    total += -20 if last in ("Olark Chat Conversation", "Email Bounced", "Converted to Lead") else 0
    total += -15 if x["Do Not Email"] == "Yes" else 0
    total = min(max(total, 0), 100)
    band = "hot" if total >= 55 else "warm" if total >= 25 else "cold"
    return total, band


def xed(data):
    leads = rows(f"{data}/Leads.csv")
    converted = {x["Prospect ID"]: x["Converted"] == "1" for x in leads}
    jsonl = os.path.join(SCRATCH, "xed.jsonl")
    with open(jsonl, "w") as f:
        f.write(run("import", f"{HERE}/x-education/mapping.yaml", f"{data}/Leads.csv",
                    "--playbook", f"{HERE}/x-education/playbook.yaml"))
    scores = [json.loads(line) for line in run(
        "score", f"{HERE}/x-education/playbook.yaml", jsonl, "--card", "lead",
        "--format", "jsonl", "--at", AT).splitlines()]
    compare("leads scored", len(leads), len(scores))
    by_id = {x["Prospect ID"]: x for x in leads}
    mismatched = [s["deal"] for s in scores
                  if xed_score(by_id[s["deal"]]) != (s["scores"]["lead"]["total"], s["scores"]["lead"]["band"])]
    compare("leads whose total/band differ", 0, len(mismatched))
    # The score must not depend on the outcome: score again with `converted` flipped.
    flipped = os.path.join(SCRATCH, "xed-flipped.jsonl")
    with open(jsonl) as f, open(flipped, "w") as out:
        for line in f:
            deal = json.loads(line)
            deal["fields"]["converted"] = not deal["fields"]["converted"]
            out.write(json.dumps(deal) + "\n")
    again = [json.loads(line) for line in run(
        "score", f"{HERE}/x-education/playbook.yaml", flipped, "--card", "lead",
        "--format", "jsonl", "--at", AT).splitlines()]
    changed = [a["deal"] for a, b in zip(scores, again) if a["scores"] != b["scores"]]
    compare("scores changed by flipping converted", 0, len(changed))
    table = defaultdict(lambda: [0, 0])
    for s in scores:
        band = s["scores"]["lead"]["band"]
        table[band][0] += 1
        table[band][1] += converted[s["deal"]]
    all_leads, all_conv = len(scores), sum(converted.values())
    print()
    print(f"  {'band':<6} {'leads':>6} {'share':>6} {'converters':>11} {'conversion':>11} {'share of all converters':>24}")
    for band in ["cold", "warm", "hot"]:
        n, c = table[band]
        print(f"  {band:<6} {n:>6} {n / all_leads:>6.1%} {c:>11} {c / n:>11.1%} {c / all_conv:>24.1%}")
    print(f"  {'all':<6} {all_leads:>6} {1:>6.1%} {all_conv:>11} {all_conv / all_leads:>11.1%} {1:>24.1%}")


if __name__ == "__main__":
    checks = {"maven": maven, "olist": olist, "xed": xed}
    if len(sys.argv) != 3 or sys.argv[1] not in checks:
        sys.exit(__doc__)
    checks[sys.argv[1]](sys.argv[2])
    print(f"\n{problems} disagreement(s)")
    sys.exit(1 if problems else 0)
