"""priority inbox, notifications, analysis batches, feedback, per-key rate limits

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 09:10:56.897842
"""
from alembic import op
import sqlalchemy as sa
import crm.db


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('analysis_batches',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('webhook_url', sa.String(length=2000), nullable=True),
    sa.Column('webhook_secret', sa.LargeBinary(), nullable=True),
    sa.Column('webhook_state', sa.String(length=20), nullable=True),
    sa.Column('webhook_error', sa.Text(), nullable=True),
    sa.Column('created_at', crm.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', crm.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_analysis_batches_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analysis_batches'))
    )
    with op.batch_alter_table('analysis_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_analysis_batches_owner_id'), ['owner_id'], unique=False)

    op.create_table('analysis_batch_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('input', sa.JSON(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['analysis_batches.id'], name=op.f('fk_analysis_batch_items_batch_id_analysis_batches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analysis_batch_items')),
    sa.UniqueConstraint('batch_id', 'position', name='uq_analysis_batch_items_position')
    )
    with op.batch_alter_table('analysis_batch_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_analysis_batch_items_batch_id'), ['batch_id'], unique=False)

    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=30), nullable=False),
    sa.Column('predicted', sa.JSON(), nullable=False),
    sa.Column('corrected', sa.JSON(), nullable=False),
    sa.Column('pipeline_version', sa.String(length=60), nullable=True),
    sa.Column('created_at', crm.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['email_id'], ['emails.id'], name=op.f('fk_feedback_email_id_emails'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_feedback_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback'))
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_email_id'), ['email_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_user_id'), ['user_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('email_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', crm.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', crm.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['email_id'], ['emails.id'], name=op.f('fk_notifications_email_id_emails'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_id_id', ['user_id', 'id'], unique=False)

    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rate_limit_per_minute', sa.Integer(), nullable=True))

    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('priority_reasons', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('inbox_folder', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('needs_reply', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('priority_at', crm.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_emails_priority'), ['priority'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_emails_priority'))
        batch_op.drop_column('priority_at')
        batch_op.drop_column('needs_reply')
        batch_op.drop_column('inbox_folder')
        batch_op.drop_column('priority_reasons')
        batch_op.drop_column('priority')

    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_column('rate_limit_per_minute')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_id_id')

    op.drop_table('notifications')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_user_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_email_id'))

    op.drop_table('feedback')
    with op.batch_alter_table('analysis_batch_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_analysis_batch_items_batch_id'))

    op.drop_table('analysis_batch_items')
    with op.batch_alter_table('analysis_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_analysis_batches_owner_id'))

    op.drop_table('analysis_batches')
