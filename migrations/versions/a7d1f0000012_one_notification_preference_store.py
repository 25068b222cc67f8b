"""one store for notification e-mail choices: user_account.email_kinds; the unused per-kind table goes

Choices saved in notification_preference are carried over into email_kinds (kinds not chosen there keep
their default), so nobody's "also by e-mail" choice is lost.

Revision ID: a7d1f0000012
Revises: a7d1f0000008
Create Date: 2026-12-02 03:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d1f0000012'
down_revision = 'a7d1f0000008'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    prefs = sa.table('notification_preference', sa.column('user_id', sa.Integer), sa.column('kind', sa.String),
                     sa.column('email', sa.Boolean))
    users = sa.table('user_account', sa.column('id', sa.Integer), sa.column('email_kinds', sa.JSON))
    chosen = {}
    for user_id, kind, email in bind.execute(sa.select(prefs.c.user_id, prefs.c.kind, prefs.c.email)):
        chosen.setdefault(user_id, {})[kind] = bool(email)
    for user_id, kinds in chosen.items():
        current = bind.execute(sa.select(users.c.email_kinds).where(users.c.id == user_id)).scalar() or {}
        bind.execute(users.update().where(users.c.id == user_id).values(email_kinds={**kinds, **current}))
    with op.batch_alter_table('notification_preference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_preference_user_id'))
    op.drop_table('notification_preference')


def downgrade():
    op.create_table('notification_preference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('email', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'kind')
    )
    with op.batch_alter_table('notification_preference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_preference_user_id'), ['user_id'], unique=False)
