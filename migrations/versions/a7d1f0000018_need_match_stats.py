"""dashboard match figures kept in the database: each published need's best score, matched count and top results

Revision ID: a7d1f0000018
Revises: a7d1f0000017
Create Date: 2026-12-04 15:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d1f0000018'
down_revision = 'a7d1f0000017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'need_match_stat',
        sa.Column('need_id', sa.Integer(), nullable=False),
        sa.Column('best', sa.Float(), nullable=False),
        sa.Column('matched', sa.Integer(), nullable=False),
        sa.Column('tops', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['need_id'], ['need.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('need_id'),
    )
    op.create_table(
        'match_stat_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('stats_date', sa.Date(), nullable=False),
        sa.Column('index_key', sa.String(length=40), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('full_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade():
    op.drop_table('match_stat_state')
    op.drop_table('need_match_stat')
