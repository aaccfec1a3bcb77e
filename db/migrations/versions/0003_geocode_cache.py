"""Cache geocoders' answers: one WGS-84 point per provider and normalised query.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 11:36:00.000000
"""
from alembic import op
import sqlalchemy as sa
import db.types

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('geocode_cache',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('query', sa.String(length=200), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('found_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_geocode_cache')),
    sa.UniqueConstraint('provider', 'query', name=op.f('uq_geocode_cache_provider_query'))
    )


def downgrade() -> None:
    op.drop_table('geocode_cache')
