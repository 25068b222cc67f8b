"""posting lists: an index on (status, published_at, id) for results and needs

The public lists filter on status and sort by publication date; with this index SQLite and PostgreSQL read
the index alone to count and to find one page, instead of every published row with its long texts.

Revision ID: a7d1f0000007
Revises: a7d1f0000009
"""
from alembic import op

revision = "a7d1f0000007"
down_revision = "a7d1f0000005"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("result", "need"):
        op.create_index(f"ix_{table}_status_published", table, ["status", "published_at", "id"])


def downgrade():
    for table in ("result", "need"):
        op.drop_index(f"ix_{table}_status_published", table_name=table)
