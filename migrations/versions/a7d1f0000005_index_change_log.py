"""match index change log replaces the version counter

Revision ID: a7d1f0000005
Revises: a7d1f0000006
Create Date: 2026-12-01 21:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a7d1f0000005'
down_revision = 'a7d1f0000011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'index_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('posting_id', sa.Integer(), nullable=True),
        sa.Column('op', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_index_change_created_at', 'index_change', ['created_at'])
    # Workers holding an index built from the old counter see this and compare every published posting once.
    op.execute(sa.text("INSERT INTO index_change (kind, posting_id, op, created_at) "
                       "VALUES ('', NULL, 'resync', CURRENT_TIMESTAMP)"))
    op.drop_table('index_state')


def downgrade():
    op.create_table(
        'index_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.drop_index('ix_index_change_created_at', table_name='index_change')
    op.drop_table('index_change')
