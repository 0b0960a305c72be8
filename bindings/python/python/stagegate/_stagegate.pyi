"""The native half of stagegate: the JSON contract, JSON text in and out."""

from collections.abc import Callable, Iterable
from typing import Any, Literal, overload

CONTRACT_VERSION: int
__version__: str

def deal_texts(
    deals: Iterable[Any], default: Callable[[Any], Any], fallback: Callable[[Any], str]
) -> list[str]: ...

class ContractError(Exception):
    """A call refused; ``args[0]`` is the contract's error object as JSON text."""

class Contract:
    """A playbook loaded once, answering JSON calls in one language."""

    @staticmethod
    def load(text: str, file: str, lang: str | None = None) -> Contract: ...
    @staticmethod
    def check(text: str, file: str) -> str: ...
    def with_language(self, lang: str) -> Contract: ...
    def pin(self) -> str: ...
    def language(self) -> str: ...
    def evaluate(self, deal: str, at: str, actor: str | None = None) -> str: ...
    def score(self, deal: str, at: str) -> str: ...
    def apply(self, request: str) -> str: ...
    def approve(self, request: str) -> str: ...
    @overload
    def evaluate_many(
        self,
        deals: list[str],
        at: str,
        actor: str | None = None,
        threads: int | None = None,
        objects: Literal[False] = False,
    ) -> list[str]: ...
    @overload
    def evaluate_many(
        self,
        deals: list[str],
        at: str,
        actor: str | None,
        threads: int | None,
        objects: Literal[True],
    ) -> list[dict[str, Any]]: ...
    @overload
    def score_many(
        self,
        deals: list[str],
        at: str,
        threads: int | None = None,
        objects: Literal[False] = False,
    ) -> list[str]: ...
    @overload
    def score_many(
        self, deals: list[str], at: str, threads: int | None, objects: Literal[True]
    ) -> list[dict[str, Any]]: ...
    def metrics_partial(
        self, deals: str, at: str, by: str | None = None, first_index: int = 0
    ) -> str: ...
    def metrics_merge(self, partials: str) -> str: ...
    def metrics_finish(self, partial: str) -> str: ...
    def run_tests(self, at: str) -> str: ...
    def diagram(self, format: str, deal: str | None = None, at: str | None = None) -> str: ...
    def migrate(self, older: Contract, deal: str, at: str, actor: str | None = None) -> str: ...
