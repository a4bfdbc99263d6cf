"""parsing rules: rules, their versions, the parse log, the parser's addresses

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 08:22:49.253224
"""
from alembic import op
import sqlalchemy as sa
import crm.db


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('parsing_rule_addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=320), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', crm.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_parsing_rule_addresses_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parsing_rule_addresses')),
    sa.UniqueConstraint('address', name=op.f('uq_parsing_rule_addresses_address'))
    )
    op.create_table('parsing_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('module', sa.String(length=40), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', crm.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', crm.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_parsing_rules_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parsing_rules'))
    )
    with op.batch_alter_table('parsing_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parsing_rules_active'), ['active'], unique=False)

    op.create_table('parsing_rule_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('change', sa.String(length=200), nullable=False),
    sa.Column('diff', sa.JSON(), nullable=False),
    sa.Column('changed_by', sa.Integer(), nullable=True),
    sa.Column('changed_at', crm.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by'], ['users.id'], name=op.f('fk_parsing_rule_versions_changed_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rule_id'], ['parsing_rules.id'], name=op.f('fk_parsing_rule_versions_rule_id_parsing_rules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parsing_rule_versions')),
    sa.UniqueConstraint('rule_id', 'version', name='uq_parsing_rule_versions_rule_version')
    )
    with op.batch_alter_table('parsing_rule_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parsing_rule_versions_rule_id'), ['rule_id'], unique=False)

    op.create_table('parse_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email_id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('rule_version', sa.Integer(), nullable=True),
    sa.Column('rule_name', sa.String(length=200), nullable=True),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('module', sa.String(length=40), nullable=True),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('at', crm.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['email_id'], ['emails.id'], name=op.f('fk_parse_log_email_id_emails'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rule_id'], ['parsing_rules.id'], name=op.f('fk_parse_log_rule_id_parsing_rules'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parse_log'))
    )
    with op.batch_alter_table('parse_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parse_log_email_id'), ['email_id'], unique=False)
        batch_op.create_index('ix_parse_log_outcome_id', ['outcome', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_parse_log_rule_id'), ['rule_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('parse_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parse_log_rule_id'))
        batch_op.drop_index('ix_parse_log_outcome_id')
        batch_op.drop_index(batch_op.f('ix_parse_log_email_id'))

    op.drop_table('parse_log')
    with op.batch_alter_table('parsing_rule_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parsing_rule_versions_rule_id'))

    op.drop_table('parsing_rule_versions')
    with op.batch_alter_table('parsing_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parsing_rules_active'))

    op.drop_table('parsing_rules')
    op.drop_table('parsing_rule_addresses')
