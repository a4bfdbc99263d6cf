"""indexes that another index's leading columns already serve, dropped (each insert updated them too)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 03:10:00
"""
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# name, table, columns; and the index that serves their look-ups instead
_DROPPED = [
    ('ix_threads_owner_id', 'threads', ['owner_id']),  # ix_threads_owner_subject (owner_id, subject_key, last_date)
    ('ix_threads_subject_key', 'threads', ['subject_key']),  # every subject look-up names the owner: the same
    ('ix_email_links_email_id', 'email_links', ['email_id']),  # uq_email_links (email_id, module, record_id)
]


def upgrade() -> None:
    for name, table, _ in _DROPPED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, columns in _DROPPED:
        op.create_index(name, table, columns, unique=False)
