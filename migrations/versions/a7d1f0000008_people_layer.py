"""people layer: organization verification, memberships, contact requests, notifications

Existing organizations become verified and every existing account an active member of its organization
(the first account of each organization its manager), so the demo and current users keep working.

Revision ID: a7d1f0000008
Revises: b2ff986eb3c3
Create Date: 2026-12-01 21:31:47.978940

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d1f0000008'
down_revision = 'a7d1f0000007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id')
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_status'), ['status'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['recipient_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_recipient_id'), ['recipient_id'], unique=False)

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

    op.create_table('contact_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('requester_org_id', sa.Integer(), nullable=False),
    sa.Column('target_kind', sa.String(length=10), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=True),
    sa.Column('need_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('owner_org_id', sa.Integer(), nullable=False),
    sa.Column('own_posting_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('staff_reason', sa.String(length=1000), nullable=False),
    sa.Column('owner_message', sa.String(length=1000), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revealed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['owner_org_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['requester_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['requester_org_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['result_id'], ['result.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('contact_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_request_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_request_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_request_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_request_owner_org_id'), ['owner_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_request_requester_id'), ['requester_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_request_requester_org_id'), ['requester_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_request_result_id'), ['result_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_request_status'), ['status'], unique=False)

    op.create_table('contact_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['request_id'], ['contact_request.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('contact_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_event_request_id'), ['request_id'], unique=False)

    with op.batch_alter_table('intent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=20), nullable=False, server_default='manual'))
        batch_op.add_column(sa.Column('contact_request_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_intent_contact_request_id', ['contact_request_id'])
        batch_op.create_foreign_key('fk_intent_contact_request_id', 'contact_request', ['contact_request_id'],
                                    ['id'])

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), nullable=False, server_default='verified'))
        batch_op.add_column(sa.Column('review_note', sa.String(length=1000), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_organization_status'), ['status'], unique=False)

    _existing_members_active()


def _existing_members_active():
    """Every account with an organization becomes its active member; the first one per organization manages it."""
    bind = op.get_bind()
    now = sa.func.now() if bind.dialect.name == 'postgresql' else sa.text("CURRENT_TIMESTAMP")
    bind.execute(sa.text("UPDATE organization SET verified_at = created_at"))
    users = bind.execute(sa.text(
        "SELECT id, org_id FROM user_account WHERE org_id IS NOT NULL ORDER BY org_id, id")).fetchall()
    membership = sa.table('membership', sa.column('user_id'), sa.column('org_id'), sa.column('role'),
                          sa.column('status'), sa.column('note'), sa.column('created_at'),
                          sa.column('updated_at'))
    seen = set()
    rows = []
    for user_id, org_id in users:
        rows.append({'user_id': user_id, 'org_id': org_id, 'role': 'member' if org_id in seen else 'manager',
                     'status': 'active', 'note': ''})
        seen.add(org_id)
    for row in rows:
        bind.execute(membership.insert().values(**row, created_at=now, updated_at=now))


def downgrade():
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_status'))
        batch_op.drop_column('verified_at')
        batch_op.drop_column('review_note')
        batch_op.drop_column('status')

    with op.batch_alter_table('intent', schema=None) as batch_op:
        batch_op.drop_constraint('fk_intent_contact_request_id', type_='foreignkey')
        batch_op.drop_constraint('uq_intent_contact_request_id', type_='unique')
        batch_op.drop_column('contact_request_id')
        batch_op.drop_column('source')

    with op.batch_alter_table('contact_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_event_request_id'))

    op.drop_table('contact_event')
    with op.batch_alter_table('contact_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_request_status'))
        batch_op.drop_index(batch_op.f('ix_contact_request_result_id'))
        batch_op.drop_index(batch_op.f('ix_contact_request_requester_org_id'))
        batch_op.drop_index(batch_op.f('ix_contact_request_requester_id'))
        batch_op.drop_index(batch_op.f('ix_contact_request_owner_org_id'))
        batch_op.drop_index(batch_op.f('ix_contact_request_owner_id'))
        batch_op.drop_index(batch_op.f('ix_contact_request_need_id'))
        batch_op.drop_index(batch_op.f('ix_contact_request_due_on'))

    op.drop_table('contact_request')
    with op.batch_alter_table('notification_preference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_preference_user_id'))

    op.drop_table('notification_preference')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_recipient_id'))
        batch_op.drop_index(batch_op.f('ix_notification_created_at'))

    op.drop_table('notification')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_status'))
        batch_op.drop_index(batch_op.f('ix_membership_org_id'))

    op.drop_table('membership')
