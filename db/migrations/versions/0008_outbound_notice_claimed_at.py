"""When a sender took an outbound notice, so two senders never post it twice and a dead one's claim expires.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 18:40:00
"""
from alembic import op
import sqlalchemy as sa

import db.types

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbound_notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_at', db.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbound_notice', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')
