"""Shift swaps (换班) and weekly availability for rosters; campaigns that run on some nights of the week.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 12:20:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
import db.types

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('swap_offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('offered_by_id', sa.Integer(), nullable=False),
    sa.Column('offered_to_id', sa.Integer(), nullable=True),
    sa.Column('taken_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_account_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_swap_offer_assignment_id_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_account_id'], ['account.id'], name=op.f('fk_swap_offer_decided_by_account_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['offered_by_id'], ['person.id'], name=op.f('fk_swap_offer_offered_by_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offered_to_id'], ['person.id'], name=op.f('fk_swap_offer_offered_to_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['taken_by_id'], ['person.id'], name=op.f('fk_swap_offer_taken_by_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_swap_offer'))
    )
    op.create_index(op.f('ix_swap_offer_assignment_id'), 'swap_offer', ['assignment_id'], unique=False)
    op.create_index(op.f('ix_swap_offer_offered_by_id'), 'swap_offer', ['offered_by_id'], unique=False)
    op.create_index(op.f('ix_swap_offer_taken_by_id'), 'swap_offer', ['taken_by_id'], unique=False)
    op.create_index(op.f('ix_swap_offer_status_created_at'), 'swap_offer', ['status', 'created_at'], unique=False)
    op.create_table('availability',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('available', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_availability_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'weekday', name=op.f('pk_availability'))
    )
    op.add_column('shift_campaign', sa.Column(
        'weekdays', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('shift_campaign') as batch:
        batch.drop_column('weekdays')
    op.drop_table('availability')
    op.drop_index(op.f('ix_swap_offer_status_created_at'), table_name='swap_offer')
    op.drop_index(op.f('ix_swap_offer_taken_by_id'), table_name='swap_offer')
    op.drop_index(op.f('ix_swap_offer_offered_by_id'), table_name='swap_offer')
    op.drop_index(op.f('ix_swap_offer_assignment_id'), table_name='swap_offer')
    op.drop_table('swap_offer')
