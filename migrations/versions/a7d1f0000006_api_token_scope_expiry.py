"""API tokens get a scope (read / write) and an optional expiry

Revision ID: a7d1f0000006
Revises: b2ff986eb3c3
"""
from alembic import op
import sqlalchemy as sa

revision = "a7d1f0000006"
down_revision = "b2ff986eb3c3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("api_token") as batch:
        # Existing tokens keep what they could do: write.
        batch.add_column(sa.Column("scope", sa.String(length=10), nullable=False, server_default="write"))
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("api_token") as batch:
        batch.drop_column("expires_at")
        batch.drop_column("scope")
