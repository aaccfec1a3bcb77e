"""Hazard re-inspections (复查) booked onto patrols, shop safety inspections, dossier contacts, outreach at shops.

Existing rows get no reopenings and no further contacts.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 15:28:52.133457
"""
from alembic import op
import sqlalchemy as sa
import db.types
from sqlalchemy.dialects import postgresql

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('shop_inspection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('inspected_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('checklist', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_shop_inspection_account_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_shop_inspection_district_id_district'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_shop_inspection_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shop_id'], ['shop.id'], name=op.f('fk_shop_inspection_shop_id_shop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_inspection'))
    )
    with op.batch_alter_table('shop_inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shop_inspection_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shop_inspection_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shop_inspection_shop_id_inspected_at'), ['shop_id', 'inspected_at'], unique=False)

    op.create_table('hazard_inspection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hazard_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('shift_id', sa.Integer(), nullable=True),
    sa.Column('duty_date', sa.Date(), nullable=False),
    sa.Column('scheduled_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('done_by_account_id', sa.Integer(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('photo_path', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_hazard_inspection_district_id_district'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['done_by_account_id'], ['account.id'], name=op.f('fk_hazard_inspection_done_by_account_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['done_by_id'], ['person.id'], name=op.f('fk_hazard_inspection_done_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['hazard_id'], ['hazard.id'], name=op.f('fk_hazard_inspection_hazard_id_hazard'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shift_id'], ['shift.id'], name=op.f('fk_hazard_inspection_shift_id_shift'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hazard_inspection'))
    )
    with op.batch_alter_table('hazard_inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hazard_inspection_district_id_duty_date'), ['district_id', 'duty_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_inspection_done_by_id'), ['done_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_inspection_hazard_id'), ['hazard_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_inspection_shift_id'), ['shift_id'], unique=False)

    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reported_by_account_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('assignee_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('location_note', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('rectify_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reopen_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_hazard_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_hazard_reported_by_account_id_account'), 'account', ['reported_by_account_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_hazard_assignee_id_person'), 'person', ['assignee_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('outreach_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shop_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('created_by_account_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('location_note', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_outreach_event_shop_id'), ['shop_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outreach_event_created_by_account_id_account'), 'account', ['created_by_account_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_outreach_event_shop_id_shop'), 'shop', ['shop_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contacts', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('updated_at', db.types.UTCDateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('contacts')

    with op.batch_alter_table('outreach_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outreach_event_shop_id_shop'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_outreach_event_created_by_account_id_account'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outreach_event_shop_id'))
        batch_op.drop_column('location_note')
        batch_op.drop_column('created_by_account_id')
        batch_op.drop_column('shop_id')

    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_hazard_assignee_id_person'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_hazard_reported_by_account_id_account'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_hazard_assignee_id'))
        batch_op.drop_column('reopen_count')
        batch_op.drop_column('rectify_note')
        batch_op.drop_column('location_note')
        batch_op.drop_column('assignee_id')
        batch_op.drop_column('reported_by_account_id')

    with op.batch_alter_table('hazard_inspection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hazard_inspection_shift_id'))
        batch_op.drop_index(batch_op.f('ix_hazard_inspection_hazard_id'))
        batch_op.drop_index(batch_op.f('ix_hazard_inspection_done_by_id'))
        batch_op.drop_index(batch_op.f('ix_hazard_inspection_district_id_duty_date'))

    op.drop_table('hazard_inspection')
    with op.batch_alter_table('shop_inspection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shop_inspection_shop_id_inspected_at'))
        batch_op.drop_index(batch_op.f('ix_shop_inspection_person_id'))
        batch_op.drop_index(batch_op.f('ix_shop_inspection_district_id'))

    op.drop_table('shop_inspection')
