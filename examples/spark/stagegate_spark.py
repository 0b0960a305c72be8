"""A deal book scored, evaluated and measured with PySpark and the stagegate Python package.

The playbook travels to the executors as its YAML (a broadcast variable); each Python worker loads
it once and answers whole Arrow batches with ``score_many_json`` / ``evaluate_many_json``, which
run on the worker's cores without the GIL. Every answer is the line ``stagegate score`` or
``stagegate eval --format jsonl`` prints for that deal, and each keeps its deal's position in the
book, so the book's order can be restored. Metrics are computed as mergeable partials, one per
run of consecutive deals of an Arrow batch, merged and finished on the driver: the figures are
exactly those ``stagegate metrics`` gives for the whole book.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import stagegate
from pyspark import Broadcast
from pyspark.sql import DataFrame, SparkSession

ANSWER_SCHEMA = "position long, answer string"
PARTIAL_SCHEMA = "partial string"

# One engine per Python worker process and playbook, loaded on first use.
_ENGINES: dict[tuple[str, str | None], stagegate.Engine] = {}


def engine_of(yaml: str, lang: str | None) -> stagegate.Engine:
    """The worker's engine for a playbook's YAML, loaded once per process."""
    key = (yaml, lang)
    if key not in _ENGINES:
        _ENGINES[key] = stagegate.Engine(stagegate.Playbook.from_yaml(yaml), lang=lang)
    return _ENGINES[key]


def read_book(spark: SparkSession, path: str) -> DataFrame:
    """A JSON Lines deal book as rows ``(position, deal)``: the deal's JSON text and its 1-based
    position in the file (blank lines skipped, as the command line skips them)."""
    lines = spark.sparkContext.textFile(path).filter(lambda line: line.strip() != "")
    indexed = lines.zipWithIndex().map(lambda pair: (pair[1] + 1, pair[0]))
    return spark.createDataFrame(indexed, "position long, deal string")


def answers(
    book: DataFrame, playbook: Broadcast[tuple[str, str | None]], call: str, at: str
) -> DataFrame:
    """Every deal's answer, ``(position, answer)``: ``call`` is ``score`` or ``evaluate``."""

    def answer(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        yaml, lang = playbook.value
        engine = engine_of(yaml, lang)
        many = engine.score_many_json if call == "score" else engine.evaluate_many_json
        for batch in batches:
            texts = many(batch["deal"].tolist(), at, errors="return")
            yield pd.DataFrame({"position": batch["position"], "answer": texts})

    return book.mapInPandas(answer, ANSWER_SCHEMA)


def write_in_order(answers: DataFrame, path: str) -> None:
    """The answers as one JSON Lines file in the book's order (a single text part in ``path``)."""
    answers.orderBy("position").select("answer").coalesce(1).write.mode(
        "overwrite"
    ).text(path)


def runs(positions: list[int]) -> list[tuple[int, int]]:
    """The runs of consecutive positions, as ``(start, end)`` slices of ``positions`` (sorted)."""
    found = []
    start = 0
    for i in range(1, len(positions) + 1):
        if i == len(positions) or positions[i] != positions[i - 1] + 1:
            found.append((start, i))
            start = i
    return found


def metrics(
    book: DataFrame,
    playbook: Broadcast[tuple[str, str | None]],
    at: str,
    by: str | None = None,
) -> dict[str, object]:
    """The book's pipeline metrics, as ``stagegate metrics --format json`` gives them: a partial
    per run of consecutive deals on the executors, merged and finished on the driver."""

    def partials(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        yaml, lang = playbook.value
        engine = engine_of(yaml, lang)
        for batch in batches:
            batch = batch.sort_values("position")
            positions = batch["position"].tolist()
            deals = batch["deal"].tolist()
            found = [
                engine.metrics_partial(
                    deals[start:end], at, by=by, first_index=positions[start] - 1
                )
                for start, end in runs(positions)
            ]
            yield pd.DataFrame({"partial": found})

    found = [
        row.partial for row in book.mapInPandas(partials, PARTIAL_SCHEMA).collect()
    ]
    yaml, lang = playbook.value
    engine = engine_of(yaml, lang)
    return engine.metrics_finish(engine.metrics_merge(found))
