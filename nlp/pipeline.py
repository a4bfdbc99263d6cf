"""The pipeline frame: a message document, components registered by name, the order in one config.

A component is a factory registered with :func:`component`; it declares what it reads and what it
assigns on the :class:`Doc`, and is called on a *batch* of documents (``pipe`` is the primary API; one
message is a batch of one). The order and each component's options live in ``default_pipeline.toml``;
any component can be switched off (``disable=[...]``) or replaced (register another factory and name it
in the config).

A component that raises on a batch is retried document by document, and a document it still fails on
is marked (``doc.errors``) while the remaining components run on it: one bad stage never loses a mail.

A component whose work runs outside the GIL (the encoder) may also offer ``run.begin(docs) -> finish``:
``begin`` starts the work in the background and ``finish()`` waits for it and assigns the results. ``pipe``
then overlaps batches: while one batch is in that component, the main thread runs the components after it
on the previous batch and the ones before it on the next. Every document still goes through every
component in order, so the results are those of running the batches one after the other.
"""

from __future__ import annotations

import importlib
import logging
import time
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from models import blas, memory

__all__ = ["MessageInput", "Doc", "Component", "component", "Pipeline", "FACTORIES", "DEFAULT_CONFIG"]

log = logging.getLogger("nlp.pipeline")

DEFAULT_CONFIG = Path(__file__).with_name("default_pipeline.toml")


@dataclass
class MessageInput:
    """One message to analyse: raw RFC 822 bytes, or a bare plain-text or HTML body."""

    id: str | None = None
    raw: bytes | None = None
    text: str | None = None
    html: str | None = None
    date: datetime | None = None  # reference for relative dates when the message has no Date header
    # What the caller knows around the message (e.g. "competitors": the organisation's list), given to
    # the components as the document's starting data.
    context: dict[str, Any] = field(default_factory=dict)


@dataclass
class Doc:
    """The message document: components read and write its attributes; ``out`` is the JSON result."""

    input: MessageInput
    out: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    # Shared intermediate values (parsed message, lines, zones, sentences, embeddings...), by name.
    # Each component documents the names it reads and assigns.
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str | None:
        return self.input.id

    def __getitem__(self, name: str) -> Any:
        return self.data[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    def __setitem__(self, name: str, value: Any) -> None:
        self.data[name] = value

    def result(self) -> dict[str, Any]:
        body = {"id": self.id, **self.out}
        if self.errors:
            body["errors"] = self.errors
        return body


class Component(Protocol):
    name: str

    def __call__(self, docs: list[Doc]) -> None: ...


@dataclass(frozen=True)
class Factory:
    name: str
    make: Callable[..., Callable[[list[Doc]], None]]
    reads: tuple[str, ...]
    assigns: tuple[str, ...]
    module: str


FACTORIES: dict[str, Factory] = {}


def component(name: str, *, reads: Iterable[str] = (), assigns: Iterable[str] = ()):
    """Register a component factory: ``make(**options) -> callable(list[Doc])``."""

    def register(make: Callable[..., Callable[[list[Doc]], None]]):
        FACTORIES[name] = Factory(name, make, tuple(reads), tuple(assigns), make.__module__)
        return make

    return register


@dataclass
class _Stage:
    name: str
    factory: Factory
    run: Callable[[list[Doc]], None]
    seconds: float = 0.0


class Pipeline:
    def __init__(self, stages: list[_Stage], version: str):
        self.stages = stages
        self.version = version
        memory.loaded(once="pipeline")  # the components' modules and what they load on the first batch

    # --- building -------------------------------------------------------------------------------
    @classmethod
    def from_config(cls, path: Path | None = None, *, disable: Iterable[str] = (),
                    overrides: dict[str, dict[str, Any]] | None = None) -> Pipeline:
        config = tomllib.loads((path or DEFAULT_CONFIG).read_text())
        pipeline_cfg = config["pipeline"]
        for module in pipeline_cfg.get("modules", []):
            importlib.import_module(module)  # registers the factories the config names
        disabled = set(disable)
        unknown = disabled - set(pipeline_cfg["components"])
        if unknown:
            raise ValueError(f"cannot disable unknown components: {sorted(unknown)}")
        stages: list[_Stage] = []
        for name in pipeline_cfg["components"]:
            if name in disabled:
                continue
            options = dict(config.get("components", {}).get(name, {}))
            options.update((overrides or {}).get(name, {}))
            factory_name = options.pop("factory", name)
            if factory_name not in FACTORIES:
                raise ValueError(f"component {name!r}: no factory {factory_name!r} is registered")
            factory = FACTORIES[factory_name]
            stages.append(_Stage(name, factory, factory.make(**options)))
        cls._check_order(stages)
        return cls(stages, version=str(pipeline_cfg.get("version", "0")))

    @staticmethod
    def _check_order(stages: list[_Stage]) -> None:
        """Every name a component reads must be assigned by an earlier one (or be an input)."""
        available = {"input"}
        for stage in stages:
            missing = [r for r in stage.factory.reads if r not in available]
            if missing:
                raise ValueError(f"component {stage.name!r} reads {missing}, which no earlier component assigns")
            available.update(stage.factory.assigns)

    @property
    def names(self) -> list[str]:
        return [stage.name for stage in self.stages]

    # --- running --------------------------------------------------------------------------------
    def pipe(self, inputs: Iterable[MessageInput], *, batch_size: int = 64,
             overlap: bool = True) -> Iterator[Doc]:
        """Analyse many messages, a batch at a time, yielding documents in input order. ``overlap=False``
        runs the batches strictly one after the other (same results; for measuring what overlap gains).
        The garbage collector runs rarely meanwhile (``models.memory.bulk``). numpy's BLAS is put on one
        thread (``models.blas``, process-wide): the encoder has the cores."""
        with memory.bulk():
            yield from self._pipe(inputs, batch_size, overlap)

    def _pipe(self, inputs: Iterable[MessageInput], batch_size: int, overlap: bool) -> Iterator[Doc]:
        background = [i for i, stage in enumerate(self.stages) if hasattr(stage.run, "begin")]
        split = background[0] if background and overlap else None
        blas.one_thread()
        if split is None:
            for docs in _batches(inputs, batch_size):
                yield from self._run(docs)
                memory.settle()  # models a stage loaded on this batch: out of the collector's way
                blas.one_thread()  # and a BLAS it imported: on one thread too
            return
        # Two batches in flight: batch k in the background stage while batch k-1 is finished and
        # batch k+1 prepared (see the module's docstring).
        pending: tuple[list[Doc], Callable[[], None]] | None = None
        for docs in _batches(inputs, batch_size):
            self._run(docs, stop=split)
            started = self._begin(self.stages[split], docs)
            if pending is not None:
                yield from self._complete(*pending, split)
            memory.settle()  # models a stage loaded on this batch: out of the collector's way
            blas.one_thread()  # and a BLAS it imported: on one thread too
            pending = (docs, started)
        if pending is not None:
            yield from self._complete(*pending, split)

    def __call__(self, item: MessageInput) -> Doc:
        return next(iter(self._run([Doc(item, data=dict(item.context))])))

    def _run(self, docs: list[Doc], *, start: int = 0, stop: int | None = None) -> list[Doc]:
        for stage in self.stages[start:stop]:
            live = [d for d in docs if not _blocked(d, stage.factory.reads)]
            if not live:
                continue
            began = time.perf_counter()
            try:
                stage.run(live)
            except Exception:
                self._one_by_one(stage, live)
            stage.seconds += time.perf_counter() - began
        return docs

    def _begin(self, stage: _Stage, docs: list[Doc]) -> Callable[[], None]:
        """Start the background stage on a batch; the returned callable finishes it (with the same
        document-by-document fallback as any stage)."""
        began = time.perf_counter()
        live = [d for d in docs if not _blocked(d, stage.factory.reads)]
        finish = None
        if live:
            try:
                finish = stage.run.begin(live)  # type: ignore[attr-defined]
            except Exception:
                pass  # finish stays None: complete() retries document by document
        stage.seconds += time.perf_counter() - began

        def complete() -> None:
            if not live:
                return
            began = time.perf_counter()
            finished = False
            if finish is not None:
                try:
                    finish()
                    finished = True
                except Exception:
                    pass
            if not finished:  # begin or finish failed: the usual document-by-document retry
                self._one_by_one(stage, live)
            stage.seconds += time.perf_counter() - began

        return complete

    def _complete(self, docs: list[Doc], complete: Callable[[], None], split: int) -> list[Doc]:
        complete()
        return self._run(docs, start=split + 1)

    @staticmethod
    def _one_by_one(stage: _Stage, docs: list[Doc]) -> None:
        """Find the document that breaks the stage; the others still get its result."""
        for doc in docs:
            try:
                stage.run([doc])
            except Exception as exc:
                log.warning("pipeline stage failed", extra={"stage": stage.name, "doc": doc.id,
                                                            "error": f"{type(exc).__name__}: {exc}"[:300]})
                doc.errors.append({"stage": stage.name, "code": "stage_failed",
                                   "message": f"{type(exc).__name__}: {exc}"[:500]})
                doc.data.setdefault("_failed", set()).update(stage.factory.assigns)

    def timings(self) -> dict[str, float]:
        return {stage.name: stage.seconds for stage in self.stages}


def _batches(inputs: Iterable[MessageInput], size: int) -> Iterator[list[Doc]]:
    batch: list[Doc] = []
    for item in inputs:
        batch.append(Doc(item, data=dict(item.context)))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _blocked(doc: Doc, reads: tuple[str, ...]) -> bool:
    """A stage whose inputs a failed stage should have assigned cannot run on this document."""
    failed = doc.data.get("_failed")
    return bool(failed) and any(r in failed for r in reads)
