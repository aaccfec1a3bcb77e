"""Tip followers (a second reporter, or a merged duplicate's) and the outbound webhook's record.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 12:45:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
import db.types

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tip_follower',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tip_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('shop_id', sa.Integer(), nullable=True),
    sa.Column('merged_tip_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('added_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_tip_follower_account_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merged_tip_id'], ['tip.id'], name=op.f('fk_tip_follower_merged_tip_id_tip'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shop_id'], ['shop.id'], name=op.f('fk_tip_follower_shop_id_shop'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tip_id'], ['tip.id'], name=op.f('fk_tip_follower_tip_id_tip'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tip_follower'))
    )
    op.create_index(op.f('ix_tip_follower_tip_id'), 'tip_follower', ['tip_id'], unique=False)
    op.create_index(op.f('ix_tip_follower_shop_id'), 'tip_follower', ['shop_id'], unique=False)
    op.create_index(op.f('ix_tip_follower_account_id_added_at'), 'tip_follower', ['account_id', 'added_at'], unique=False)
    op.create_table('outbound_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_outbound_notice_district_id_district'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_notice')),
    sa.UniqueConstraint('key', name=op.f('uq_outbound_notice_key'))
    )
    op.create_index(op.f('ix_outbound_notice_district_id'), 'outbound_notice', ['district_id'], unique=False)
    op.create_index(op.f('ix_outbound_notice_status_created_at'), 'outbound_notice', ['status', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_table('outbound_notice')
    op.drop_table('tip_follower')
