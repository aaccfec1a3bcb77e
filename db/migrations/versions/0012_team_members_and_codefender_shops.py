"""A team's active members and a district's co-defender shops read from an index alone (the map of a city district).

The map counts each team's active members and lists a district's co-defender shops on every rerun. In a
city district that read 960 people to count 14 teams and 2,000 shops to find 98 co-defenders.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 17:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

CODEFENDER = sa.text("is_codefender")


def upgrade() -> None:
    op.drop_index('ix_person_team_id', table_name='person')
    op.create_index('ix_person_team_id_active', 'person', ['team_id', 'active'], unique=False)
    op.create_index('ix_shop_codefender_district_id_name', 'shop', ['district_id', 'name'], unique=False,
                    sqlite_where=CODEFENDER, postgresql_where=CODEFENDER)


def downgrade() -> None:
    op.drop_index('ix_shop_codefender_district_id_name', table_name='shop')
    op.drop_index('ix_person_team_id_active', table_name='person')
    op.create_index('ix_person_team_id', 'person', ['team_id'], unique=False)
