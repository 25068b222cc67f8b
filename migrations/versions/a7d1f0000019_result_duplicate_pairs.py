"""near-duplicate result pairs kept in the database by the match-figures job

Revision ID: a7d1f0000019
Revises: a7d1f0000018
Create Date: 2026-12-04 20:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d1f0000019'
down_revision = 'a7d1f0000018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'result_duplicate_pair',
        sa.Column('first_id', sa.Integer(), nullable=False),
        sa.Column('second_id', sa.Integer(), nullable=False),
        sa.Column('similarity', sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(['first_id'], ['result.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['second_id'], ['result.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('first_id', 'second_id'),
    )
    op.create_index('ix_result_duplicate_pair_second_id', 'result_duplicate_pair', ['second_id'])


def downgrade():
    op.drop_index('ix_result_duplicate_pair_second_id', table_name='result_duplicate_pair')
    op.drop_table('result_duplicate_pair')
