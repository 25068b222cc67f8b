"""accounts self-service and the e-mail outbox

Revision ID: a7d1f0000009
Revises: a7d1f0000006
Create Date: 2026-12-01 21:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a7d1f0000009'
down_revision = 'a7d1f0000006'
branch_labels = None
depends_on = None


def upgrade():
    # Existing accounts count as verified: verification applies to accounts registered from now on.
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('language', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('email_kinds', sa.JSON(), nullable=True))
    op.create_table('outgoing_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('to', sa.String(length=120), nullable=False),
    sa.Column('template', sa.String(length=50), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outgoing_mail_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_mail_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_mail_next_attempt_at'), ['next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outgoing_mail_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_outgoing_mail_status'))
        batch_op.drop_index(batch_op.f('ix_outgoing_mail_user_id'))
    op.drop_table('outgoing_mail')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('email_kinds')
        batch_op.drop_column('language')
        batch_op.drop_column('email_verified')
