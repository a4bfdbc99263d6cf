"""emails: in_reply_to indexed (threading looks up stored replies), unprocessed mail found by index

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_emails_in_reply_to'), ['in_reply_to'], unique=False)
        batch_op.create_index('ix_emails_owner_processed', ['owner_id', 'processed', 'date'], unique=False)
    # Until now every stored mail was threaded and linked as it was stored; rows from before the flag
    # existed carry its server default (false). Only a big first sync leaves it false from here on.
    op.execute(sa.text("UPDATE emails SET processed = :yes WHERE processed = :no").bindparams(yes=True, no=False))


def downgrade() -> None:
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.drop_index('ix_emails_owner_processed')
        batch_op.drop_index(batch_op.f('ix_emails_in_reply_to'))
