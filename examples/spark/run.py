"""Score and evaluate a JSON Lines deal book with PySpark.

    python examples/spark/run.py PLAYBOOK DEALS.jsonl OUT_DIR --at 2026-11-27
        [--master local[2]] [--lang en] [--by FIELD]

Writes OUT_DIR/score.jsonl, OUT_DIR/eval.jsonl (each in the book's order, line for line what
`stagegate score --format jsonl` and `stagegate eval --format jsonl` print) and
OUT_DIR/metrics.json (what `stagegate metrics --format json [--by FIELD]` prints).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import sys
import time

import stagegate_spark
from pyspark.sql import SparkSession


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("playbook")
    parser.add_argument("deals")
    parser.add_argument("out")
    parser.add_argument("--at", required=True)
    parser.add_argument("--lang")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--by", help="break the metrics down by this field")
    args = parser.parse_args()

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(args.master)
        .appName("stagegate")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    with open(args.playbook, encoding="utf-8") as file:
        playbook = spark.sparkContext.broadcast((file.read(), args.lang))
    book = stagegate_spark.read_book(spark, args.deals).cache()
    os.makedirs(args.out, exist_ok=True)
    for call, name in (("score", "score.jsonl"), ("evaluate", "eval.jsonl")):
        start = time.perf_counter()
        parts = os.path.join(args.out, f"{name}.parts")
        stagegate_spark.write_in_order(
            stagegate_spark.answers(book, playbook, call, args.at), parts
        )
        (part,) = glob.glob(os.path.join(parts, "part-*"))
        shutil.move(part, os.path.join(args.out, name))
        shutil.rmtree(parts)
        print(f"{name}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    start = time.perf_counter()
    figures = stagegate_spark.metrics(book, playbook, args.at, args.by)
    with open(os.path.join(args.out, "metrics.json"), "w", encoding="utf-8") as file:
        json.dump(figures, file, ensure_ascii=False, indent=2)
    print(f"metrics.json: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    main()
