"""alert e-mail carries List-Unsubscribe: the outbox keeps the signed one-click address per message

Revision ID: a7d1f0000017
Revises: a7d1f0000016
Create Date: 2026-12-02 20:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d1f0000017'
down_revision = 'a7d1f0000016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outgoing_mail') as batch_op:
        batch_op.add_column(sa.Column('list_unsubscribe', sa.String(length=700), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('outgoing_mail') as batch_op:
        batch_op.drop_column('list_unsubscribe')
