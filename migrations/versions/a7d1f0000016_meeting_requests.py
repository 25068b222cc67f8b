"""约见 meeting requests at events; meetings remember the request they keep and who recorded the outcome

Revision ID: a7d1f0000016
Revises: a7d1f0000015
Create Date: 2026-12-02 08:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d1f0000016'
down_revision = 'a7d1f0000015'
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('requested', 'accepted')")


def upgrade():
    op.create_table('meeting_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('from_org_id', sa.Integer(), nullable=False),
    sa.Column('from_user_id', sa.Integer(), nullable=False),
    sa.Column('to_org_id', sa.Integer(), nullable=False),
    sa.Column('target_kind', sa.String(length=20), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ),
    sa.ForeignKeyConstraint(['from_org_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['from_user_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['to_org_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['result_id'], ['result.id'], ),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('meeting_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_request_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_request_from_org_id'), ['from_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_request_to_org_id'), ['to_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_request_status'), ['status'], unique=False)
        batch_op.create_index('uq_meeting_request_open', ['event_id', 'from_org_id', 'to_org_id'], unique=True,
                              sqlite_where=OPEN, postgresql_where=OPEN)
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('outcome_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('outcome_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('outcome_reminded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_meeting_request_id'), ['request_id'], unique=False)
        batch_op.create_foreign_key('fk_meeting_request_id_meeting_request', 'meeting_request',
                                    ['request_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key('fk_meeting_outcome_by_id_user_account', 'user_account',
                                    ['outcome_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_constraint('fk_meeting_outcome_by_id_user_account', type_='foreignkey')
        batch_op.drop_constraint('fk_meeting_request_id_meeting_request', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_meeting_request_id'))
        for name in ('outcome_reminded_at', 'outcome_at', 'outcome_by_id', 'request_id'):
            batch_op.drop_column(name)
    op.drop_table('meeting_request')
