"""threads looked up by owner and subject; people's addresses lower-cased so linking uses their index

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 12:20:00
"""
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_threads_owner_subject', 'threads', ['owner_id', 'subject_key', 'last_date'], unique=False)
    # The ``email`` field type lower-cases on write; rows written before that rule are brought in line.
    op.execute("UPDATE contacts SET email = lower(email) WHERE email <> lower(email)")
    op.execute("UPDATE leads SET email = lower(email) WHERE email <> lower(email)")


def downgrade() -> None:
    op.drop_index('ix_threads_owner_subject', table_name='threads')
