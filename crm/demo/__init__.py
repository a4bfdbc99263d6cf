"""The demo mailbox: sample CRM mail the project wrote, loaded into the admin's inbox on set-up."""

from __future__ import annotations

from pathlib import Path

from crm.mail.importer import import_path
from crm.users.repository import UserRepository

__all__ = ["load_demo", "DEMO_DIR"]

DEMO_DIR = Path(__file__).parent / "mail"


def load_demo(runtime) -> int:
    """Store the demo messages for the admin; returns how many were new (0 on a second run)."""
    with runtime.unit() as session:
        admin = UserRepository(session).by_email(runtime.settings.admin_email)
        owner_id = admin.id if admin else None
    from assistant.analysis import request_analysis

    return import_path(runtime.sessions, DEMO_DIR, owner_id=owner_id, source="demo",
                       after_batch=lambda session, ids: request_analysis(runtime, session, ids)).stored
