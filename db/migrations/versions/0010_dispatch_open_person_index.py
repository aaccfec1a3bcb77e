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
# As PostgreSQL prints it back, so the bulk loader's copy of the index is the same index.
OPEN_PG = sa.text("(status)::text = ANY (ARRAY[('sent'::character varying)::text, "
                  "('escalated'::character varying)::text, ('acknowledged'::character varying)::text, "
                  "('on_scene'::character varying)::text])")


def upgrade() -> None:
    op.create_index('ix_dispatch_open_person_id', 'dispatch', ['person_id'], unique=False,
                    sqlite_where=OPEN, postgresql_where=OPEN_PG)


def downgrade() -> None:
    op.drop_index('ix_dispatch_open_person_id', table_name='dispatch')
