"""Every table module, imported so ``Base.metadata`` is complete (Alembic, tests)."""

from __future__ import annotations

import assistant.alerts.tables  # noqa: F401
import assistant.batches.tables  # noqa: F401
import assistant.feedback.tables  # noqa: F401
import assistant.jobs.tables  # noqa: F401
import assistant.suggestions.tables  # noqa: F401
import crm.mail.tables  # noqa: F401
import crm.org.tables  # noqa: F401
import crm.records.tables  # noqa: F401
import crm.rules.tables  # noqa: F401
import crm.users.tables  # noqa: F401
import mailio.mailboxes.tables  # noqa: F401
import mailio.smtp.tables  # noqa: F401
from crm.db import Base

__all__ = ["metadata"]

metadata = Base.metadata
