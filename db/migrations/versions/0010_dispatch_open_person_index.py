"""The dispatches still open on each responder, indexed apart (their load, counted whenever a tip is ranked).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 07:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('sent', 'escalated', 'acknowledged', 'on_scene')")


def upgrade() -> None:
    op.create_index('ix_dispatch_open_person_id', 'dispatch', ['person_id'], unique=False,
                    sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    op.drop_index('ix_dispatch_open_person_id', table_name='dispatch')
