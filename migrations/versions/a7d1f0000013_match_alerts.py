"""match alerts: subscriptions (saved searches, new matches for a posting), the alerts sent, digest settings

Revision ID: a7d1f0000013
Revises: a7d1f0000014 (main added a7d1f0000014 on a7d1f0000012 meanwhile; following it keeps one head and is safe for a database already at 14)
Create Date: 2026-12-02 03:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d1f0000013'
down_revision = 'a7d1f0000014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('target_kind', sa.String(length=10), nullable=False),
    sa.Column('q', sa.String(length=200), nullable=False),
    sa.Column('chain_id', sa.Integer(), nullable=True),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('posting_kind', sa.String(length=10), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=True),
    sa.Column('min_score', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['chain_id'], ['chain.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscription_chain_id'), ['chain_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscription_user_id'), ['user_id'], unique=False)
    op.create_table('alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('chain_id', sa.Integer(), nullable=True),
    sa.Column('posting_kind', sa.String(length=10), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['chain_id'], ['chain.id'], ),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_chain_id'), ['chain_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_mailed_at'), ['mailed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_subscription_id'), ['subscription_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_user_id'), ['user_id'], unique=False)
    op.create_table('digest_setting',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('frequency', sa.String(length=10), nullable=False),
    sa.Column('last_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )


def downgrade():
    op.drop_table('digest_setting')
    with op.batch_alter_table('alert', schema=None) as batch_op:
        for name in ('user_id', 'subscription_id', 'mailed_at', 'created_at', 'chain_id'):
            batch_op.drop_index(batch_op.f(f'ix_alert_{name}'))
    op.drop_table('alert')
    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscription_user_id'))
        batch_op.drop_index(batch_op.f('ix_subscription_chain_id'))
    op.drop_table('subscription')
