"""chain firm vocabulary: synonyms staff edit on the chain page (NULL: the shipped corpus/synonyms.json list)

Revision ID: a7d1f0000014
Revises: a7d1f0000012
Create Date: 2026-12-02 04:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d1f0000014'
down_revision = 'a7d1f0000012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('chain', schema=None) as batch_op:
        batch_op.add_column(sa.Column('synonyms', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('chain', schema=None) as batch_op:
        batch_op.drop_column('synonyms')
