"""API tokens get a scope (read / write) and an optional expiry; server-side sign-in sessions; background jobs

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
    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("id_hash"),
    )
    op.create_index("ix_user_session_user_id", "user_session", ["user_id"])
    op.create_table(
        "job",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_job_status", "job", ["status"])
    op.create_index("ix_job_owner_id", "job", ["owner_id"])


def downgrade():
    op.drop_index("ix_job_owner_id", table_name="job")
    op.drop_index("ix_job_status", table_name="job")
    op.drop_table("job")
    op.drop_index("ix_user_session_user_id", table_name="user_session")
    op.drop_table("user_session")
    with op.batch_alter_table("api_token") as batch:
        batch.drop_column("expires_at")
        batch.drop_column("scope")
