"""Every module that declares jobs, imported once so each process knows the same job names."""

from __future__ import annotations

import importlib

__all__ = ["load", "JOB_MODULES"]

JOB_MODULES = (
    "assistant.jobs.builtin",
    "crm.mail.jobs",
    "assistant.analysis",
    "mailio.mailboxes.jobs",
    "mailio.imap.jobs",
    "mailio.smtp.jobs",
    "crm.rules.jobs",
    "assistant.batches.jobs",
)


def load(extra: list[str] | tuple[str, ...] = ()) -> None:
    for name in (*JOB_MODULES, *extra):
        importlib.import_module(name)
