"""stagegate: an embeddable stage-gate engine for B2B sales, from Python.

A playbook (YAML) declares the stages of a sale, their gates and scorecards; an engine answers,
for any deal at any time, which moves are allowed and exactly why the others are not. Every
answer is the JSON the ``stagegate`` command line prints, as plain dicts and lists.

>>> import stagegate
>>> playbook = stagegate.Playbook.from_yaml('''
... stagegate: 1
... id: tiny
... version: 1
... fields: {budget: {type: number}}
... stages: [{id: open, exit: ["budget >= 1000"]}, {id: won, outcome: won}]
... transitions: [{from: open, to: won}]
... ''')
>>> engine = stagegate.Engine(playbook)
>>> deal = {"id": "D-1", "stage": "open", "fields": {"budget": 500}}
>>> evaluation = engine.evaluate(deal, "2026-11-27")
>>> evaluation["transitions"][0]["allowed"]
False
>>> evaluation["transitions"][0]["blockers"][0]["reason"]
'failed'
>>> evaluation["transitions"][0]["blockers"][0]["message"]
'condition not met: budget >= 1000'
"""

from __future__ import annotations

import datetime as _dt
import gc
import json
import os
from collections.abc import Iterable, Mapping
from typing import Any, Literal, Union

from . import _stagegate
from ._stagegate import CONTRACT_VERSION, __version__

__all__ = [
    "CONTRACT_VERSION",
    "Conflict",
    "DealError",
    "Engine",
    "Error",
    "Forbidden",
    "InternalError",
    "LoadError",
    "MoveBlocked",
    "NotFound",
    "Playbook",
    "Refused",
    "RequestError",
    "TooLarge",
    "Unauthorized",
    "Unavailable",
    "__version__",
]

Deal = Union[Mapping[str, Any], str]
"""A deal: a dict shaped as the playbook format's deals, or its JSON text."""

Time = Union[_dt.datetime, _dt.date, str]
"""A time: an aware datetime, a naive one (read in the playbook's time zone), a date, or ISO 8601
text (``2026-11-27``, ``2026-11-27T15:30:00``, ``2026-11-27T15:30:00+09:00``)."""

Actor = Union[Mapping[str, Any], str]
"""Someone acting: ``{"id": "kim", "roles": ["manager"]}``, or an id alone (no roles)."""

Changes = Mapping[str, Any]
"""Changes to a deal: ``{"fields": {"budget": 90000, "champion": None}, "activities": {"demo":
True}, "owner": "kim"}`` (each key optional; ``None`` removes a field or unticks an activity; an
activity is ticked with ``True`` or the date or date-time it was done)."""


class Error(Exception):
    """Any refusal by stagegate, in the one problem shape of the JSON contract: ``kind`` is its
    ``error`` (``request``, ``load``, ``deal``, ``blocked``, ``forbidden``, ``refused``, ...),
    ``code`` a stable code finer than the kind, ``help`` how to fix it when there is something to
    suggest; ``data`` the whole error object (``{"error", "code", "message", ...}``)."""

    kind: str
    code: str
    help: str | None
    data: dict[str, Any]
    results: list[dict[str, Any]] | None
    """For a batch raising its first failed deal: every answer, errors in their places."""

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(str(data.get("message", data)))
        self.kind = str(data.get("error", "request"))
        self.code = str(data.get("code", self.kind))
        found_help = data.get("help")
        self.help = None if found_help is None else str(found_help)
        self.data = data
        self.results = None


class RequestError(Error, ValueError):
    """The call's arguments are not what it takes: an unreadable time, an unknown role, a
    language the playbook lacks, a format that does not exist."""


class LoadError(Error):
    """The playbook does not load. ``diagnostics``: every problem, as ``check()`` lists them."""

    @property
    def diagnostics(self) -> list[dict[str, Any]]:
        return list(self.data.get("diagnostics", []))


class DealError(Error):
    """A deal does not fit the playbook. ``deal``: its id or position; ``problems``: each one."""

    @property
    def deal(self) -> str:
        return str(self.data.get("deal", ""))

    @property
    def problems(self) -> list[str]:
        return list(self.data.get("problems", []))


class MoveBlocked(Error):
    """A move blocked by its gates. ``move``: the move as an evaluation lists it;
    ``blockers``: each reason, naming the criterion and what is missing."""

    @property
    def move(self) -> dict[str, Any]:
        return dict(self.data.get("move", {}))

    @property
    def blockers(self) -> list[dict[str, Any]]:
        return list(self.move.get("blockers", []))


class Forbidden(MoveBlocked):
    """The actor may not make, force or approve this. ``roles`` (for approvals): who may."""

    @property
    def roles(self) -> list[str]:
        return list(self.data.get("roles", []))


class Refused(Error):
    """Any other refusal: no actor where the playbook needs one, a move dated before the deal's
    history, an approval not in its stage or given already."""


class InternalError(Error):
    """The engine failed: a defect of stagegate, please report it."""


class Unauthorized(Error):
    """A server did not know the caller (no token, or one that is not valid)."""


class NotFound(Error):
    """What the request names does not exist (a deal, a playbook version, a route)."""


class Conflict(Error):
    """The request conflicts with what is stored (a deal changed since it was read, an id taken)."""


class TooLarge(Error):
    """The request is larger than the server's limit."""


class Unavailable(Error):
    """A store or service the answer needs does not answer now; try again."""


_KINDS: dict[str, type[Error]] = {
    "request": RequestError,
    "load": LoadError,
    "deal": DealError,
    "blocked": MoveBlocked,
    "forbidden": Forbidden,
    "refused": Refused,
    "internal": InternalError,
    "unauthorized": Unauthorized,
    "not-found": NotFound,
    "conflict": Conflict,
    "too-large": TooLarge,
    "unavailable": Unavailable,
}


def _error(data: dict[str, Any]) -> Error:
    return _KINDS.get(str(data.get("error")), Error)(data)


def _raise(error: _stagegate.ContractError) -> Error:
    return _error(json.loads(str(error.args[0])))


def _deal_text(deal: Deal) -> str:
    if isinstance(deal, str):
        return deal
    if isinstance(deal, Mapping):
        return json.dumps(deal, default=_json_default)
    raise TypeError(f"a deal is a dict or its JSON text, not {type(deal).__name__}")


def _deal_line(deal: Deal) -> str:
    # One deal per line of a JSON Lines text. A raw line break can only be whitespace in JSON
    # (never inside a string), so a deal's text spanning lines is the same JSON on one line.
    return _deal_text(deal).replace("\r", " ").replace("\n", " ")


def _json_default(value: Any) -> Any:
    # Dates in a deal (activities, history) are written as the playbook format writes them.
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    # Any mapping is a JSON object (json itself writes only dicts).
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON: {value!r}")


def _time(at: Time) -> str:
    if isinstance(at, _dt.datetime):
        return at.isoformat()
    if isinstance(at, _dt.date):
        return at.isoformat()
    if isinstance(at, str):
        return at
    raise TypeError(f"a time is a datetime, a date or ISO 8601 text, not {type(at).__name__}")


def _actor(actor: Actor | None) -> dict[str, Any] | None:
    if actor is None:
        return None
    if isinstance(actor, str):
        return {"id": actor, "roles": []}
    if isinstance(actor, Mapping):
        return dict(actor)
    raise TypeError(f"an actor is a dict {{'id', 'roles'}} or an id, not {type(actor).__name__}")


def _actor_text(actor: Actor | None) -> str | None:
    found = _actor(actor)
    return None if found is None else json.dumps(found)


class Playbook:
    """A playbook's YAML, checked and loaded.

    >>> Playbook.from_yaml("stagegate: 1\\nid: p\\nversion: 1\\nstages: [{id: a}]\\n").id
    'p'
    """

    __slots__ = ("_contract", "_name", "_yaml")

    def __init__(self, yaml: str, name: str | None = None) -> None:
        """Loads a playbook from its YAML text; ``name`` names it in diagnostics.

        Raises ``LoadError`` with every diagnostic when it does not load."""
        self._yaml = yaml
        self._name = name or "playbook.yaml"
        try:
            self._contract = _stagegate.Contract.load(yaml, self._name, None)
        except _stagegate.ContractError as error:
            raise _raise(error) from None

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Playbook:
        """Loads the playbook in the file at ``path`` (named by it in diagnostics)."""
        with open(path, encoding="utf-8") as file:
            return cls(file.read(), os.fspath(path))

    @classmethod
    def from_yaml(cls, text: str, name: str | None = None) -> Playbook:
        """Loads a playbook from its YAML ``text``, named ``name`` in diagnostics."""
        return cls(text, name)

    @staticmethod
    def check_yaml(text: str, name: str | None = None) -> list[dict[str, Any]]:
        """Every diagnostic of a playbook's YAML, loaded or not, as ``check --format json``."""
        found: list[dict[str, Any]] = json.loads(
            _stagegate.Contract.check(text, name or "playbook.yaml")
        )
        return found

    def check(self) -> list[dict[str, Any]]:
        """Every diagnostic (warnings and advice; a loaded playbook has no errors), as
        ``check --format json`` lists them: dicts with ``severity``, ``code``, ``message``,
        ``line``, ..."""
        return Playbook.check_yaml(self._yaml, self._name)

    @property
    def yaml(self) -> str:
        """The playbook's YAML text, as given."""
        return self._yaml

    @property
    def name(self) -> str:
        """The playbook's name in diagnostics."""
        return self._name

    @property
    def id(self) -> str:
        """The playbook's ``id``."""
        return str(self._pin().split("@")[0])

    @property
    def version(self) -> int:
        """The playbook's ``version``."""
        return int(self._pin().split("@")[1])

    def outline(self, lang: str | None = None) -> dict[str, Any]:
        """The playbook as a page shows it: ``stages`` in main-path order, ``fields`` with their
        ``values``, activities, ``roles``, ``scorecards``, ``approvals``; titles in ``lang`` (a
        language the playbook has; its first without one). Raises ``RequestError`` for another
        language."""
        return Engine(self, lang).outline()

    def _pin(self) -> str:
        return str(self._contract.pin())

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled by its YAML: loaded again where it lands (a Spark executor, a process pool).
        return (Playbook, (self._yaml, self._name))

    def __repr__(self) -> str:
        return f"<stagegate.Playbook {self._name!r}>"


class Engine:
    """Answers, for any deal at any time, which moves are allowed and why the others are not.

    ``lang`` picks the language of titles and messages (the playbook's default without one).
    Shareable across threads; pickles by its playbook's YAML and language.

    >>> engine = Engine(Playbook.from_yaml(
    ...     "stagegate: 1\\nid: p\\nversion: 1\\nstages: [{id: a}, {id: b}]\\n"
    ...     "transitions: [{from: a, to: b}]\\n"))
    >>> engine.apply({"id": "D-1", "stage": "a"}, "b", at="2026-11-27")["deal"]["stages"]
    ['b']
    """

    __slots__ = ("_contract", "_lang", "_playbook")

    def __init__(self, playbook: Playbook, lang: str | None = None) -> None:
        if not isinstance(playbook, Playbook):
            raise TypeError(f"an engine takes a Playbook, not {type(playbook).__name__}")
        self._playbook = playbook
        self._lang = lang
        try:
            loaded = playbook._contract
            self._contract = loaded if lang is None else loaded.with_language(lang)
        except _stagegate.ContractError as error:
            raise _raise(error) from None

    @property
    def playbook(self) -> Playbook:
        """The playbook this engine interprets."""
        return self._playbook

    @property
    def lang(self) -> str:
        """The language of titles and messages."""
        return str(self._contract.language())

    def evaluate(self, deal: Deal, at: Time, *, actor: Actor | None = None) -> dict[str, Any]:
        """The deal's evaluation at ``at``: its stages, every move allowed or blocked with each
        blocker, its scores, next steps and warnings (``eval --format json``). With ``actor``,
        moves they may not make are marked ``forbidden``.

        Raises ``DealError`` for a deal that does not fit the playbook."""
        return self._call(self._contract.evaluate, _deal_text(deal), _time(at), _actor_text(actor))

    def score(self, deal: Deal, at: Time) -> dict[str, Any]:
        """The deal's scorecards at ``at`` (a line of ``score --format jsonl``)."""
        return self._call(self._contract.score, _deal_text(deal), _time(at))

    def apply(
        self,
        deal: Deal,
        to: str,
        *,
        from_: str | None = None,
        force: str | None = None,
        actor: Actor | None = None,
        at: Time,
    ) -> dict[str, Any]:
        """Moves the deal to stage ``to`` (from ``from_`` when it is in several): answers
        ``{"deal": <the moved deal>, "effects": [...]}``. ``force`` is the reason for a forced
        move, recorded with what it overrode.

        Raises ``MoveBlocked`` (with ``.blockers``), ``Forbidden``, ``Refused``, ``DealError``."""
        request: dict[str, Any] = {"deal": _deal_value(deal), "to": to, "at": _time(at)}
        if from_ is not None:
            request["from"] = from_
        if force is not None:
            request["force"] = force
        if actor is not None:
            request["actor"] = _actor(actor)
        return self._call(self._contract.apply, json.dumps(request, default=_json_default))

    def approve(self, deal: Deal, criterion: str, *, actor: Actor, at: Time) -> dict[str, Any]:
        """Gives the approval ``criterion`` as ``actor``: answers the deal holding it.

        Raises ``Forbidden`` (with ``.roles``: who may) or ``Refused``."""
        request = {
            "deal": _deal_value(deal),
            "criterion": criterion,
            "actor": _actor(actor),
            "at": _time(at),
        }
        return self._call(self._contract.approve, json.dumps(request, default=_json_default))

    def create(self, deal: Deal, *, actor: Actor | None = None, at: Time) -> dict[str, Any]:
        """Opens the deal in a start stage (the one it names, else the playbook's first), owned
        by ``actor`` unless it names another owner, with its creation entry as its history: answers
        the deal. One that asks for more (another stage, a history) is imported when ``actor``
        may import.

        Raises ``Forbidden`` (with ``.roles``: who may), ``Refused`` or ``DealError``."""
        return self._change(self._contract.create, deal, actor, at)

    def import_deal(self, deal: Deal, *, actor: Actor | None = None, at: Time) -> dict[str, Any]:
        """Brings in the deal as it stands elsewhere (any stage, its own history), every history
        entry marked ``imported`` with ``imported_by``: answers the deal. (``import`` is a
        keyword in Python.)

        Raises ``Forbidden`` (with ``.roles``), ``Refused`` (an entry later than ``at``,
        approvals) or ``DealError``."""
        return self._change(self._contract.import_deal, deal, actor, at)

    def edit(
        self, deal: Deal, changes: Changes, *, actor: Actor | None = None, at: Time
    ) -> dict[str, Any]:
        """Changes the deal's fields, activities and owner as ``changes`` says (``{"fields":
        {"budget": 90000, "champion": None}, "activities": {"demo": True}, "owner": "kim"}``;
        ``None`` removes a field or unticks an activity): answers ``{"deal": <the edited deal>,
        "voided": [<approvals the edit voided>]}``, one history entry per change.

        Raises ``Forbidden`` (with ``.roles``: who may, every change refused in ``.data``),
        ``Refused`` (an archived deal, a time before its history) or ``DealError``."""
        return self._change(self._contract.edit, deal, actor, at, changes=changes)

    def archive(
        self, deal: Deal, reason: str, *, actor: Actor | None = None, at: Time
    ) -> dict[str, Any]:
        """Archives the deal for ``reason``: answers it holding ``archived: {at, by, reason}``,
        with its history entry; it refuses moves and edits until unarchived.

        Raises ``Forbidden`` (with ``.roles``), ``Refused`` (no reason, archived already) or
        ``DealError``."""
        return self._change(self._contract.archive, deal, actor, at, reason=reason)

    def unarchive(self, deal: Deal, *, actor: Actor | None = None, at: Time) -> dict[str, Any]:
        """Brings an archived deal back: answers it without ``archived``, with its history entry.

        Raises ``Forbidden`` (with ``.roles``), ``Refused`` (not archived) or ``DealError``."""
        return self._change(self._contract.unarchive, deal, actor, at)

    def request_approval(
        self,
        deal: Deal,
        criterion: str,
        *,
        actor: Actor | None = None,
        at: Time,
        note: str | None = None,
    ) -> dict[str, Any]:
        """Asks the approving role for an approval of ``criterion``: answers ``{"deal": <the deal
        with the request in its history>, "effects": [<the notify to the role>]}``. Asking again
        is a reminder, recorded again.

        Raises ``Forbidden`` (with ``.roles``: who may edit the deal may ask), ``Refused`` (an
        archived deal, an unknown criterion, one not asked for in the deal's stages, approved
        already or not needed now; every reason in ``.data``) or ``DealError``."""
        more: dict[str, Any] = {"criterion": criterion}
        if note is not None:
            more["note"] = note
        return self._change(self._contract.request_approval, deal, actor, at, **more)

    def _change(
        self, call: Any, deal: Deal, actor: Actor | None, at: Time, **more: Any
    ) -> dict[str, Any]:
        request: dict[str, Any] = {"deal": _deal_value(deal), **more, "at": _time(at)}
        if actor is not None:
            request["actor"] = _actor(actor)
        return self._call(call, json.dumps(request, default=_json_default))

    def evaluate_many(
        self,
        deals: Iterable[Deal],
        at: Time,
        *,
        actor: Actor | None = None,
        threads: int | None = None,
        errors: Literal["raise", "return"] = "raise",
    ) -> list[dict[str, Any]]:
        """Evaluates many deals on ``threads`` threads (every core without a number), without
        holding the GIL; the answers in the deals' order.

        With ``errors="raise"`` (the default), a deal that does not fit raises its ``DealError``
        once the whole batch is done, with ``.results`` holding every answer; with
        ``errors="return"``, its place holds its error object (a dict with ``"error"``)."""
        texts = _deal_texts(deals)
        actor_text = _actor_text(actor)
        args = (texts, _time(at), actor_text, threads, True)
        return _batch(_built(self._texts, self._contract.evaluate_many, *args), errors)

    def evaluate_many_json(
        self,
        deals: Iterable[Deal],
        at: Time,
        *,
        actor: Actor | None = None,
        threads: int | None = None,
        errors: Literal["raise", "return"] = "raise",
    ) -> list[str]:
        """``evaluate_many``, each answer left as its JSON text (a line of ``eval --format
        jsonl``): for writing answers out (a file, a Spark column) without building dicts, which
        costs Python more than the evaluation itself."""
        texts = _deal_texts(deals)
        actor_text = _actor_text(actor)
        answers = self._texts(self._contract.evaluate_many, texts, _time(at), actor_text, threads)
        return _batch_texts(answers, errors)

    def score_many(
        self,
        deals: Iterable[Deal],
        at: Time,
        *,
        threads: int | None = None,
        errors: Literal["raise", "return"] = "raise",
    ) -> list[dict[str, Any]]:
        """Scores many deals as ``evaluate_many`` evaluates them."""
        texts = _deal_texts(deals)
        args = (texts, _time(at), threads, True)
        return _batch(_built(self._texts, self._contract.score_many, *args), errors)

    def score_many_json(
        self,
        deals: Iterable[Deal],
        at: Time,
        *,
        threads: int | None = None,
        errors: Literal["raise", "return"] = "raise",
    ) -> list[str]:
        """``score_many``, each answer left as its JSON text: a line of ``score --format jsonl``,
        byte for byte."""
        texts = _deal_texts(deals)
        answers = self._texts(self._contract.score_many, texts, _time(at), threads)
        return _batch_texts(answers, errors)

    def metrics(self, deals: Iterable[Deal], at: Time, *, by: str | None = None) -> dict[str, Any]:
        """Pipeline metrics over a book of deals, exactly as ``metrics --format json`` gives
        them (``by``: broken down by that field, as ``--by``). A deal that does not fit the
        playbook is an anomaly, as on the command line; one that cannot be read raises
        ``DealError``."""
        return self.metrics_finish(self.metrics_partial(deals, at, by=by))

    def metrics_partial(
        self, deals: Iterable[Deal], at: Time, *, by: str | None = None, first_index: int = 0
    ) -> str:
        """The mergeable metrics partial of some deals of a book, as JSON text: counts, sums and
        whole-day histograms, so that partials of any split of the book, merged, finish to the
        whole book's metrics. ``first_index`` is the 0-based position in the whole book of the
        first deal given (a deal without an id is named by its position, ``#n``)."""
        if first_index < 0:
            raise ValueError(f"first_index must be 0 or more, not {first_index}")
        lines = "\n".join(_deal_line(deal) for deal in deals)
        try:
            return str(self._contract.metrics_partial(lines, _time(at), by, first_index))
        except _stagegate.ContractError as error:
            raise _raise(error) from None

    def metrics_merge(self, partials: Iterable[str]) -> str:
        """Metrics partials (of this playbook, the same ``at`` and ``by``, no deal in two)
        merged into one, in any order."""
        array = "[" + ",".join(partials) + "]"
        try:
            return str(self._contract.metrics_merge(array))
        except _stagegate.ContractError as error:
            raise _raise(error) from None

    def metrics_finish(self, partial: str) -> dict[str, Any]:
        """A partial's figures: what ``metrics --format json`` prints over the same deals."""
        return self._call(self._contract.metrics_finish, partial)

    def outline(self) -> dict[str, Any]:
        """The playbook as a page shows it (see ``Playbook.outline``), in this engine's language."""
        return self._call(self._contract.outline)

    def run_tests(self, at: Time) -> dict[str, Any]:
        """The playbook's embedded ``tests:``, run; cases without ``at`` at ``at``
        (``test --format json``)."""
        return self._call(self._contract.run_tests, _time(at))

    def diagram(
        self,
        format: Literal["mermaid", "dot"] = "mermaid",
        *,
        deal: Deal | None = None,
        at: Time | None = None,
    ) -> str:
        """The playbook as a Mermaid or DOT diagram; with a deal and a time, its active stages
        highlighted and its blocked moves marked."""
        try:
            return str(
                self._contract.diagram(
                    format,
                    None if deal is None else _deal_text(deal),
                    None if at is None else _time(at),
                )
            )
        except _stagegate.ContractError as error:
            raise _raise(error) from None

    def migrate(
        self, deal: Deal, older: Playbook, *, at: Time, actor: Actor | None = None
    ) -> dict[str, Any]:
        """The deal, pinned to ``older`` (an earlier version of this playbook), carried to this
        version by its ``migrations:``; ``actor`` is recorded as ``by``."""
        old = Engine(older)
        return self._call(
            self._contract.migrate,
            old._contract,
            _deal_text(deal),
            _time(at),
            _actor_text(actor),
        )

    def impact(self, deal: Deal, older: Playbook, *, at: Time) -> dict[str, Any]:
        """What changes for the deal between ``older`` (another version, or the playbook as it
        was) and this engine's playbook at ``at``, as a line of ``impact --format jsonl``: moves
        newly blocked or allowed, blocked for other reasons, added or removed, scores changed, the
        deal taken by one version only. Raises DealError when neither version takes the deal."""
        old = Engine(older)
        return self._call(self._contract.impact, old._contract, _deal_text(deal), _time(at))

    def _call(self, call: Any, *args: Any) -> dict[str, Any]:
        found = self._answer(call, *args)
        if not isinstance(found, dict):
            raise InternalError({"error": "internal", "message": f"not an object: {found!r}"})
        return found

    @staticmethod
    def _texts(call: Any, *args: Any) -> list[str]:
        try:
            found: list[str] = call(*args)
        except _stagegate.ContractError as error:
            raise _raise(error) from None
        return found

    @staticmethod
    def _answer(call: Any, *args: Any) -> Any:
        try:
            text = call(*args)
        except _stagegate.ContractError as error:
            raise _raise(error) from None
        return json.loads(text)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Engine, (self._playbook, self._lang))

    def __repr__(self) -> str:
        return f"<stagegate.Engine {self._playbook.name!r} lang={self.lang!r}>"


def _deal_value(deal: Deal) -> Any:
    if isinstance(deal, str):
        return json.loads(deal)
    if isinstance(deal, Mapping):
        return deal
    raise TypeError(f"a deal is a dict or its JSON text, not {type(deal).__name__}")


def _deal_texts(deals: Iterable[Deal]) -> list[str]:
    """Every deal's JSON text; dicts are written natively (as ``_deal_text`` writes them, at a
    fraction of ``json.dumps``'s per-call cost), anything else by ``_deal_text``."""
    return _stagegate.deal_texts(deals, _json_default, _deal_text)


def _built(texts: Any, call: Any, *args: Any) -> list[dict[str, Any]]:
    """A batch call's answers built as dicts natively, with the cycle collector paused as in
    ``_parsed``."""
    paused = gc.isenabled()
    gc.disable()
    try:
        found: list[dict[str, Any]] = texts(call, *args)
        return found
    finally:
        if paused:
            gc.enable()


def _parsed(texts: list[str]) -> list[dict[str, Any]]:
    """Every answer as a dict. The answers hold no reference cycles, so the cycle collector,
    which would otherwise scan the growing heap again and again while millions of containers are
    made, is paused meanwhile (this halves the time of a large batch)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return [json.loads(text) for text in texts]
    finally:
        if paused:
            gc.enable()


# Every error object of the contract starts with its kind; no result does.
_ERROR_START = '{"error":'


def _batch_texts(answers: list[str], errors: str) -> list[str]:
    if errors not in ("raise", "return"):
        raise ValueError(f"errors is 'raise' or 'return', not {errors!r}")
    if errors == "raise" and any(text.startswith(_ERROR_START) for text in answers):
        _batch(_parsed(answers), errors)
    return answers


def _batch(answers: list[dict[str, Any]], errors: str) -> list[dict[str, Any]]:
    if errors not in ("raise", "return"):
        raise ValueError(f"errors is 'raise' or 'return', not {errors!r}")
    if errors == "raise":
        failed = [(i, a) for i, a in enumerate(answers) if "error" in a]
        if failed:
            first = _error(failed[0][1])
            more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
            first.args = (f"deal {failed[0][0] + 1} of {len(answers)}: {first}{more}",)
            first.results = answers
            raise first
    return answers
