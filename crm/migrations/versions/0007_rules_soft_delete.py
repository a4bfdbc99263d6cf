"""parsing rules: a deleted rule is hidden, not dropped, so its versions can bring it back

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 11:15:00
"""
from alembic import op
import sqlalchemy as sa
import crm.db


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('parsing_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', crm.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('parsing_rules', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
