"""Reading mail from files: one .eml, a directory of them, or an .mbox — as raw bytes, lazily."""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from assistant.errors import BadInput
from crm.db import unit_of_work
from crm.mail.service import Incoming, MailStore

__all__ = ["iter_sources", "count_sources", "import_path", "ImportReport"]

_EML_SUFFIXES = {".eml", ".msg", ".txt", ""}
_BATCH = 200  # messages per transaction: big enough to be fast, small enough to lose little on a crash


def _is_mbox(path: Path) -> bool:
    if path.suffix.lower() in {".mbox", ".mbx"}:
        return True
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def iter_sources(path: Path) -> Iterator[tuple[str, bytes]]:
    """Yield (name, raw bytes) for every message under ``path``."""
    if not path.exists():
        raise BadInput(f"{path} does not exist", code="no_such_path")
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if child.name.startswith(".") or child.suffix.lower() not in _EML_SUFFIXES | {".mbox"}:
                continue
            yield from iter_sources(child)
        return
    if _is_mbox(path):
        box = mailbox.mbox(str(path), create=False)
        try:
            for index, key in enumerate(box.iterkeys()):
                yield f"{path.name}#{index + 1}", box.get_bytes(key)
        finally:
            box.close()
        return
    yield path.name, path.read_bytes()


def count_sources(path: Path) -> int:
    if path.is_dir():
        return sum(count_sources(p) for p in path.rglob("*")
                   if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in _EML_SUFFIXES | {".mbox"})
    if path.is_file() and _is_mbox(path):
        box = mailbox.mbox(str(path), create=False)
        try:
            return len(box.keys())
        finally:
            box.close()
    return 1 if path.is_file() else 0


@dataclass
class ImportReport:
    stored: int = 0
    duplicates: int = 0
    malformed: int = 0
    problems: list[tuple[str, str]] = None  # (source name, reason) of every malformed message

    def __post_init__(self) -> None:
        self.problems = self.problems or []


def import_path(sessions: sessionmaker[Session], path: Path, *, owner_id: int | None, source: str = "import",
                on_progress=None, after_batch=None) -> ImportReport:
    """Store every message under ``path``, a transaction per batch; repeats are skipped.

    ``after_batch(session, new_email_ids)`` runs inside each batch's transaction (to ask for analysis).
    """
    report = ImportReport()
    batch: list[tuple[str, bytes]] = []

    def flush() -> None:
        with unit_of_work(sessions) as session:
            results = MailStore(session).store_batch([Incoming(raw) for _, raw in batch], owner_id=owner_id,
                                                     source=source)
            for (name, _), result in zip(batch, results):
                if not result.created:
                    report.duplicates += 1
                    continue
                report.stored += 1
                if result.malformed:
                    report.malformed += 1
                    report.problems.append((name, result.email.problem or "malformed"))
            if after_batch:
                after_batch(session, [r.email.id for r in results if r.created])
        if on_progress:
            on_progress(report, len(batch))
        batch.clear()

    for item in iter_sources(path):
        batch.append(item)
        if len(batch) >= _BATCH:
            flush()
    if batch:
        flush()
    return report
