"""posting pending revision: an owner's edit of a published posting waits for review

Revision ID: a7d1f0000004
Revises: a7d1f0000009
Create Date: 2026-12-01 21:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a7d1f0000004'
down_revision = 'a7d1f0000009'
branch_labels = None
depends_on = None

TABLES = ("result", "need")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("pending_changes", sa.JSON(none_as_null=True), nullable=True))
            batch.add_column(sa.Column("revision_submitted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("revision_submitted_at")
            batch.drop_column("pending_changes")
