"""Sign-in throttle counters per (user name, client address) and per address

Revision ID: a7d1f0000011
Revises: a7d1f0000004
"""
from alembic import op
import sqlalchemy as sa

revision = "a7d1f0000011"
down_revision = "a7d1f0000004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_login_throttle_updated_at", "login_throttle", ["updated_at"])


def downgrade():
    op.drop_index("ix_login_throttle_updated_at", table_name="login_throttle")
    op.drop_table("login_throttle")
