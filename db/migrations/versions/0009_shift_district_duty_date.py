"""A district's week of shifts found without walking its history (the coverage board at city scale).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 04:00:00
"""
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_shift_district_id_duty_date', 'shift', ['district_id', 'duty_date'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_shift_district_id_duty_date', table_name='shift')
