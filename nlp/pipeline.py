"""The pipeline frame: a message document, components registered by name, the order in one config.

A component is a factory registered with :func:`component`; it declares what it reads and what it
assigns on the :class:`Doc`, and is called on a *batch* of documents (``pipe`` is the primary API; one
message is a batch of one). The order and each component's options live in ``default_pipeline.toml``;
any component can be switched off (``disable=[...]``) or replaced (register another factory and name it
in the config).

A component that raises on a batch is retried document by document, and a document it still fails on
is marked (``doc.errors``) while the remaining components run on it: one bad stage never loses a mail.
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
    def pipe(self, inputs: Iterable[MessageInput], *, batch_size: int = 64) -> Iterator[Doc]:
        """Analyse many messages, a batch at a time, yielding documents in input order."""
        batch: list[Doc] = []
        for item in inputs:
            batch.append(Doc(item, data=dict(item.context)))
            if len(batch) >= batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def __call__(self, item: MessageInput) -> Doc:
        return next(iter(self._run([Doc(item, data=dict(item.context))])))

    def _run(self, docs: list[Doc]) -> list[Doc]:
        for stage in self.stages:
            live = [d for d in docs if not _blocked(d, stage.factory.reads)]
            if not live:
                continue
            start = time.perf_counter()
            try:
                stage.run(live)
            except Exception:
                # Find the document that breaks the stage; the others still get its result.
                for doc in live:
                    try:
                        stage.run([doc])
                    except Exception as exc:
                        log.warning("pipeline stage failed", extra={"stage": stage.name, "doc": doc.id,
                                                                    "error": f"{type(exc).__name__}: {exc}"[:300]})
                        doc.errors.append({"stage": stage.name, "code": "stage_failed",
                                           "message": f"{type(exc).__name__}: {exc}"[:500]})
                        doc.data.setdefault("_failed", set()).update(stage.factory.assigns)
            stage.seconds += time.perf_counter() - start
        return docs

    def timings(self) -> dict[str, float]:
        return {stage.name: stage.seconds for stage in self.stages}


def _blocked(doc: Doc, reads: tuple[str, ...]) -> bool:
    """A stage whose inputs a failed stage should have assigned cannot run on this document."""
    failed = doc.data.get("_failed")
    return bool(failed) and any(r in failed for r in reads)
