"""events for participants: public events, registration on the invitation row, check-in codes, reminders

Revision ID: a7d1f0000015
Revises: a7d1f0000013
Create Date: 2026-12-02 08:00:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d1f0000015'
down_revision = 'a7d1f0000013'
branch_labels = None
depends_on = None


def _code():
    # as models.event.new_checkin_code (copied: a migration must not change when the model does)
    return "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(10))


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_public', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('requires_approval', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attendees', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('headcount', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('interest_result_ids', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('interest_need_ids', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('registered_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('registered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('waitlisted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('checkin_code', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('invitation_reminded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key('fk_invitation_registered_by_id_user_account', 'user_account',
                                    ['registered_by_id'], ['id'])
        batch_op.create_unique_constraint('uq_invitation_checkin_code', ['checkin_code'])
    # every existing row gets its own random check-in code (the QR of its confirmation)
    invitation = sa.table('invitation', sa.column('id', sa.Integer), sa.column('checkin_code', sa.String),
                          sa.column('interest_result_ids', sa.JSON), sa.column('interest_need_ids', sa.JSON))
    bind = op.get_bind()
    for (row_id,) in bind.execute(sa.select(invitation.c.id)).fetchall():
        bind.execute(invitation.update().where(invitation.c.id == row_id).values(
            checkin_code=_code(), interest_result_ids=[], interest_need_ids=[]))


def downgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_constraint('uq_invitation_checkin_code', type_='unique')
        batch_op.drop_constraint('fk_invitation_registered_by_id_user_account', type_='foreignkey')
        for name in ('invitation_reminded_at', 'reminded_at', 'checkin_code', 'waitlisted_at', 'answered_at',
                     'registered_at', 'registered_by_id', 'interest_need_ids', 'interest_result_ids', 'headcount',
                     'attendees'):
            batch_op.drop_column(name)
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('requires_approval')
        batch_op.drop_column('is_public')
