#!/usr/bin/env python3
"""Synthetic deal books for the bundled playbook (playbooks/b2b-sales.yaml), and an order check.

    python3 benches/big_book.py generate COUNT SEED OUT.jsonl
    python3 benches/big_book.py order DEALS.jsonl OUTPUT.jsonl

`generate` writes COUNT deals as JSON Lines, random but fixed by SEED: deals in every stage
(including lost, churned and a few forked into needs analysis from retention), with a history that
walks declared transitions in date order, the activities of the stages they went through, and
fields filled in more often the further the deal went. Every deal is valid for the playbook, so
`eval`, `score` and `metrics` should report no bad deal.

`order` checks that OUTPUT (`eval` or `score --format jsonl`) has one line per deal of DEALS, with
the same ids in the same order. Ids are read from the start of each line without parsing the rest,
so it checks gigabytes quickly.
"""

import json
import random
import sys
from datetime import date, timedelta

MAIN = [
    "lead_generation",
    "qualification",
    "needs_analysis",
    "proposal_negotiation",
    "closing",
    "onboarding",
    "retention_expansion",
]
ACTIVITIES = {
    "lead_generation": ["define_target_market", "build_prospect_list", "outbound_outreach",
                        "inbound_marketing", "networking"],
    "qualification": ["initial_contact", "needs_identification", "discovery_call", "lead_scoring",
                      "sql_conversion"],
    "needs_analysis": ["deep_needs_analysis", "stakeholder_mapping", "solution_design",
                       "value_proposition", "competitor_analysis", "demo_poc"],
    "proposal_negotiation": ["formal_proposal", "proposal_presentation", "objection_handling",
                             "price_negotiation", "share_references", "legal_finance_review",
                             "final_approval_support"],
    "closing": ["final_confirmation", "contract_signing", "confirm_payment_terms",
                "schedule_kickoff", "internal_handoff", "thank_customer"],
    "onboarding": ["onboarding_program", "assign_dedicated_team", "implementation_support",
                   "regular_checkins", "early_value_measurement"],
    "retention_expansion": ["business_review", "success_monitoring", "upsell_cross_sell",
                            "renewal_management", "relationship_building", "referral_request",
                            "feedback_collection"],
}
# Where deals end up: (kind, weight). kind is a main-path stage, "lost", "churned" or "fork".
SPREAD = [
    ("lead_generation", 14), ("qualification", 22), ("needs_analysis", 14),
    ("proposal_negotiation", 12), ("closing", 5), ("onboarding", 5),
    ("retention_expansion", 9), ("lost", 14), ("churned", 3), ("fork", 2),
]
TITLES = ["CEO", "CFO", "CTO", "VP", "IT manager", "Head of Sales", "대표이사", "팀장", ""]
INDUSTRIES = ["saas", "finance", "retail", "manufacturing", "healthcare", "other"]
NEEDS = ["pipeline visibility", "forecast accuracy", "data integration", "quote automation", ""]
PAINS = ["manual reconciliation", "lost opportunities", "churn blind spots", "slow approvals"]
PEOPLE = ["Kim (CFO)", "Lee (champion)", "Park (IT)", "Choi (users)", "Jung (procurement)"]
START = date(2025, 1, 1)


def iso(day):
    return day.isoformat()


def deal(number, rng):
    kinds, weights = zip(*SPREAD)
    kind = rng.choices(kinds, weights)[0]
    if kind in MAIN:
        path = MAIN[: MAIN.index(kind) + 1]
    elif kind == "lost":
        path = MAIN[: rng.randint(1, 5)] + ["lost"]
    elif kind == "churned":
        path = MAIN[: rng.randint(6, 7)] + ["churned"]
    else:  # fork: retention keeps going while a new needs analysis starts
        path = MAIN + ["needs_analysis"]
    day = START + timedelta(days=rng.randint(0, 540))
    history, activities, visited = [], {}, []
    previous = None
    for index, stage in enumerate(path):
        entry = {"at": f"{iso(day)}T{index % 24:02d}:00:00Z"}
        if previous is not None:
            entry["from"] = previous
        entry["to"] = stage
        if kind == "fork" and index == len(path) - 1:
            entry["from"] = "retention_expansion"
            entry["fork"] = True
        history.append(entry)
        if stage in ACTIVITIES:
            visited.append(stage)
            for activity in ACTIVITIES[stage]:
                # Activities of stages left behind were mostly done; of the current one, some.
                done_share = 0.85 if stage != path[-1] else 0.4
                if rng.random() < done_share:
                    activities[activity] = iso(day + timedelta(days=rng.randint(0, 5)))
        previous = stage
        day += timedelta(days=rng.randint(1, 40))
    if kind == "fork":
        stages = ["needs_analysis", "retention_expansion"]
    else:
        stages = [path[-1]]
    depth = len(visited)
    fields = {}

    def maybe(share, name, value):
        if rng.random() < share:
            fields[name] = value

    maybe(0.9, "industry", rng.choice(INDUSTRIES))
    maybe(0.85, "employees", rng.choice([5, 8, 20, 45, 80, 200, 1200, 5000]))
    maybe(0.6, "last_touch", iso(date(2026, 11, 27) - timedelta(days=rng.randint(0, 60))))
    if depth >= 2:
        maybe(0.9, "budget", rng.choice([5000, 8000, 15000, 30000, 60000, 120000, 250000]))
        maybe(0.85, "decision_maker", rng.choice(TITLES))
        maybe(0.8, "need", rng.choice(NEEDS))
        maybe(0.85, "timeline_days", rng.choice([14, 21, 30, 60, 90, 120, 200, 365]))
        maybe(0.5, "champion", rng.random() < 0.6)
    if depth >= 3:
        maybe(0.9, "amount", rng.choice([10000, 25000, 45000, 90000, 150000, 300000]))
        maybe(0.8, "pain", rng.choice(PAINS))
        maybe(0.8, "stakeholders", rng.sample(PEOPLE, rng.randint(1, 4)))
    if depth >= 4:
        maybe(0.7, "metrics_defined", rng.random() < 0.7)
        maybe(0.6, "economic_buyer", rng.choice(["CFO", "COO", "CEO"]))
        maybe(0.6, "decision_criteria", "security, TCO")
        maybe(0.6, "decision_process", "IT review then board")
        maybe(0.6, "requirements_changed", rng.random() < 0.2)
    if depth >= 6:
        maybe(0.9, "renewal_date", iso(date(2027, rng.randint(1, 12), 1)))
    if depth >= 7:
        maybe(0.9, "nps", rng.randint(0, 10))
        maybe(0.9, "churn_risk", rng.random() < 0.25)
        maybe(0.9, "expansion_opportunity", rng.random() < 0.4)
    return {
        "id": f"B-{number:07d}",
        "playbook": "b2b-sales@1",
        "stages": stages,
        "fields": fields,
        "activities": activities,
        "history": history,
    }


def generate(count, seed, out_path):
    rng = random.Random(seed)
    with open(out_path, "w", encoding="utf-8") as out:
        lines = []
        for number in range(1, count + 1):
            lines.append(json.dumps(deal(number, rng), ensure_ascii=False, separators=(",", ":")))
            if len(lines) == 10_000:
                out.write("\n".join(lines) + "\n")
                lines = []
        if lines:
            out.write("\n".join(lines) + "\n")


def ids(path, key):
    prefix = b'{"' + key + b'":"'
    with open(path, "rb") as lines:
        for number, line in enumerate(lines, 1):
            if not line.startswith(prefix):
                yield number, None
                continue
            end = line.index(b'"', len(prefix))
            yield number, line[len(prefix):end]


def order(deals_path, output_path):
    count = 0
    for (number, want), (_, got) in zip(ids(deals_path, b"id"), ids(output_path, b"deal")):
        if want != got:
            sys.exit(f"order: line {number}: expected deal {want!r}, got {got!r}")
        count += 1
    with open(deals_path, "rb") as a, open(output_path, "rb") as b:
        left, right = sum(1 for _ in a), sum(1 for _ in b)
    if left != right:
        sys.exit(f"order: {left} deals in, {right} lines out")
    print(f"order: {count} lines, same ids in the same order")


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "generate":
        generate(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) == 4 and sys.argv[1] == "order":
        order(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
