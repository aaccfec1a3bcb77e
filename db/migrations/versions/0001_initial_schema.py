"""Initial schema: the whole patrol domain, plus the database-enforced no-double-booking guard.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 09:28:03.766047
"""
from alembic import op
import sqlalchemy as sa
import db.types
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('district',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('city', sa.String(length=80), nullable=False),
    sa.Column('province', sa.String(length=40), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('center_lat', sa.Double(), nullable=True),
    sa.Column('center_lon', sa.Double(), nullable=True),
    sa.Column('boundary', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('response_targets', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_district')),
    sa.UniqueConstraint('city', 'name', name=op.f('uq_district_city_name'))
    )
    op.create_table('grid',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('polygon', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('center_lat', sa.Double(), nullable=True),
    sa.Column('center_lon', sa.Double(), nullable=True),
    sa.Column('staffing_template', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('area_m2', sa.Double(), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_grid_district_id_district'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid')),
    sa.UniqueConstraint('district_id', 'name', name=op.f('uq_grid_district_id_name'))
    )
    with op.batch_alter_table('grid', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_district_id'), ['district_id'], unique=False)

    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('team_type', sa.String(length=32), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=True),
    sa.Column('base_lat', sa.Double(), nullable=True),
    sa.Column('base_lon', sa.Double(), nullable=True),
    sa.Column('area', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('swap_needs_approval', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_team_district_id_district'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team')),
    sa.UniqueConstraint('district_id', 'name', name=op.f('uq_team_district_id_name'))
    )
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_leader_id'), ['leader_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_team_type'), ['team_type'], unique=False)

    op.create_table('checkpoint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('secret', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('cell', sa.String(length=16), nullable=True),
    sa.Column('approximate', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_checkpoint_district_id_district'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_checkpoint_grid_id_grid'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkpoint')),
    sa.UniqueConstraint('district_id', 'name', name=op.f('uq_checkpoint_district_id_name'))
    )
    with op.batch_alter_table('checkpoint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkpoint_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkpoint_grid_id'), ['grid_id'], unique=False)

    op.create_table('duty_post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('cell', sa.String(length=16), nullable=True),
    sa.Column('approximate', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_duty_post_district_id_district'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_duty_post_grid_id_grid'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duty_post')),
    sa.UniqueConstraint('district_id', 'name', name=op.f('uq_duty_post_district_id_name'))
    )
    with op.batch_alter_table('duty_post', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duty_post_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duty_post_grid_id'), ['grid_id'], unique=False)

    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('home_grid_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('role_kind', sa.String(length=32), nullable=False),
    sa.Column('skills', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_person_district_id_district'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['home_grid_id'], ['grid.id'], name=op.f('fk_person_home_grid_id_grid'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_person_team_id_team'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('phone', name=op.f('uq_person_phone'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_district_id_active'), ['district_id', 'active'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_home_grid_id'), ['home_grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_team_id'), ['team_id'], unique=False)

    # team.leader_id and person.team_id point at each other: add the team → person key afterwards.
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_team_leader_id_person'), 'person', ['leader_id'], ['id'],
                                    ondelete='SET NULL')

    op.create_table('place',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('cell', sa.String(length=16), nullable=True),
    sa.Column('approximate', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_place_district_id_district'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_place_grid_id_grid'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place')),
    sa.UniqueConstraint('district_id', 'name', name=op.f('uq_place_district_id_name'))
    )
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_place_grid_id'), ['grid_id'], unique=False)

    op.create_table('route',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_route_district_id_district'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_route_grid_id_grid'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_route_team_id_team'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_route')),
    sa.UniqueConstraint('district_id', 'name', name=op.f('uq_route_district_id_name'))
    )
    with op.batch_alter_table('route', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_route_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_route_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_route_team_id'), ['team_id'], unique=False)

    op.create_table('last_position',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('cell', sa.String(length=16), nullable=True),
    sa.Column('seen_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_last_position_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_last_position'))
    )
    with op.batch_alter_table('last_position', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_last_position_lat_lon'), ['lat', 'lon'], unique=False)

    op.create_table('outreach_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('starts_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('materials', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('people_reached', sa.Integer(), nullable=False),
    sa.Column('app_installs', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('cell', sa.String(length=16), nullable=True),
    sa.Column('approximate', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_outreach_event_district_id_district'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_outreach_event_grid_id_grid'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_outreach_event_place_id_place'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_outreach_event_team_id_team'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_event'))
    )
    with op.batch_alter_table('outreach_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_event_district_id_starts_at'), ['district_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_event_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_event_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_event_team_id'), ['team_id'], unique=False)

    op.create_table('route_stop',
    sa.Column('route_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('checkpoint_id', sa.Integer(), nullable=False),
    sa.Column('minutes_from_previous', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['checkpoint_id'], ['checkpoint.id'], name=op.f('fk_route_stop_checkpoint_id_checkpoint'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['route_id'], ['route.id'], name=op.f('fk_route_stop_route_id_route'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('route_id', 'position', name=op.f('pk_route_stop'))
    )
    with op.batch_alter_table('route_stop', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_route_stop_checkpoint_id'), ['checkpoint_id'], unique=False)

    op.create_table('shift_campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('route_id', sa.Integer(), nullable=True),
    sa.Column('duty_post_id', sa.Integer(), nullable=True),
    sa.Column('first_night', sa.Date(), nullable=False),
    sa.Column('last_night', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('required', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_shift_campaign_district_id_district'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['duty_post_id'], ['duty_post.id'], name=op.f('fk_shift_campaign_duty_post_id_duty_post'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_shift_campaign_grid_id_grid'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['route_id'], ['route.id'], name=op.f('fk_shift_campaign_route_id_route'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift_campaign'))
    )
    with op.batch_alter_table('shift_campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shift_campaign_district_id'), ['district_id'], unique=False)

    op.create_table('shop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('owner_name', sa.String(length=80), nullable=True),
    sa.Column('owner_phone', sa.String(length=20), nullable=True),
    sa.Column('business_kind', sa.String(length=32), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('risk_level', sa.String(length=32), nullable=False),
    sa.Column('is_codefender', sa.Boolean(), nullable=False),
    sa.Column('codefender_id', sa.Integer(), nullable=True),
    sa.Column('safety_checklist', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('cell', sa.String(length=16), nullable=True),
    sa.Column('approximate', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['codefender_id'], ['person.id'], name=op.f('fk_shop_codefender_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_shop_district_id_district'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_shop_grid_id_grid'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop')),
    sa.UniqueConstraint('district_id', 'name', name=op.f('uq_shop_district_id_name'))
    )
    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shop_codefender_id'), ['codefender_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shop_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shop_grid_id'), ['grid_id'], unique=False)

    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('login', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('shop_id', sa.Integer(), nullable=True),
    sa.Column('display_name', sa.String(length=80), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('disabled_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_seen_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_account_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shop_id'], ['shop.id'], name=op.f('fk_account_shop_id_shop'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account')),
    sa.UniqueConstraint('login', name=op.f('uq_account_login'))
    )
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_shop_id'), ['shop_id'], unique=False)

    op.create_table('shift',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('route_id', sa.Integer(), nullable=True),
    sa.Column('duty_post_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('duty_date', sa.Date(), nullable=False),
    sa.Column('starts_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('required', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_shift_ends_after_start')),
    sa.CheckConstraint('grid_id IS NOT NULL OR route_id IS NOT NULL OR duty_post_id IS NOT NULL', name=op.f('ck_shift_has_place')),
    sa.ForeignKeyConstraint(['campaign_id'], ['shift_campaign.id'], name=op.f('fk_shift_campaign_id_shift_campaign'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_shift_district_id_district'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['duty_post_id'], ['duty_post.id'], name=op.f('fk_shift_duty_post_id_duty_post'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_shift_grid_id_grid'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['route_id'], ['route.id'], name=op.f('fk_shift_route_id_route'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_shift_team_id_team'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift'))
    )
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shift_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_district_id_starts_at'), ['district_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_duty_date'), ['duty_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_duty_post_id'), ['duty_post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_grid_id_duty_date'), ['grid_id', 'duty_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_route_id'), ['route_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_team_id'), ['team_id'], unique=False)

    op.create_table('account_district',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_account_district_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_account_district_district_id_district'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'district_id', name=op.f('pk_account_district'))
    )
    op.create_table('account_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=128), nullable=False),
    sa.Column('expires_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_account_token_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_token_token_hash'))
    )
    with op.batch_alter_table('account_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_token_account_id'), ['account_id'], unique=False)

    op.create_table('assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shift_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('role_kind', sa.String(length=32), nullable=True),
    sa.Column('starts_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attended_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_assignment_ends_after_start')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_assignment_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shift_id'], ['shift.id'], name=op.f('fk_assignment_shift_id_shift'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment')),
    sa.UniqueConstraint('shift_id', 'person_id', name=op.f('uq_assignment_shift_id_person_id'))
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_person_id_starts_at'), ['person_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_shift_id'), ['shift_id'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('after', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_audit_event_account_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_audit_event_district_id_district'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_account_id_at'), ['account_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_district_id_at'), ['district_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_entity_entity_id'), ['entity', 'entity_id'], unique=False)

    op.create_table('check_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('checkpoint_id', sa.Integer(), nullable=False),
    sa.Column('shift_id', sa.Integer(), nullable=True),
    sa.Column('at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('duty_date', sa.Date(), nullable=False),
    sa.Column('method', sa.String(length=32), nullable=False),
    sa.Column('cell', sa.String(length=16), nullable=True),
    sa.Column('phone_lat', sa.Float(), nullable=True),
    sa.Column('phone_lon', sa.Float(), nullable=True),
    sa.Column('distance_m', sa.Float(), nullable=True),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['checkpoint_id'], ['checkpoint.id'], name=op.f('fk_check_in_checkpoint_id_checkpoint'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_check_in_district_id_district'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_check_in_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shift_id'], ['shift.id'], name=op.f('fk_check_in_shift_id_shift'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in'))
    )
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_in_checkpoint_id_at'), ['checkpoint_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_check_in_district_id_at_cell'), ['district_id', 'at', 'cell'], unique=False)
        batch_op.create_index(batch_op.f('ix_check_in_person_id_at'), ['person_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_check_in_shift_id'), ['shift_id'], unique=False)

    op.create_table('tip',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('shop_id', sa.Integer(), nullable=True),
    sa.Column('reporter_account_id', sa.Integer(), nullable=True),
    sa.Column('reporter_person_id', sa.Integer(), nullable=True),
    sa.Column('caller_name', sa.String(length=80), nullable=True),
    sa.Column('caller_phone', sa.String(length=20), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('urgency', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('location_note', sa.String(length=200), nullable=True),
    sa.Column('photo_path', sa.String(length=255), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('duty_date', sa.Date(), nullable=False),
    sa.Column('received_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('dispatched_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('on_scene_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('referred_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('cell', sa.String(length=16), nullable=True),
    sa.Column('approximate', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_tip_district_id_district'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_tip_grid_id_grid'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['tip.id'], name=op.f('fk_tip_merged_into_id_tip'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reporter_account_id'], ['account.id'], name=op.f('fk_tip_reporter_account_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reporter_person_id'], ['person.id'], name=op.f('fk_tip_reporter_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shop_id'], ['shop.id'], name=op.f('fk_tip_shop_id_shop'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tip')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_tip_idempotency_key'))
    )
    with op.batch_alter_table('tip', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tip_district_id_received_at_cell'), ['district_id', 'received_at', 'cell'], unique=False)
        batch_op.create_index(batch_op.f('ix_tip_district_id_status_received_at'), ['district_id', 'status', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_tip_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tip_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tip_reporter_account_id_received_at'), ['reporter_account_id', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_tip_shop_id_received_at'), ['shop_id', 'received_at'], unique=False)

    op.create_table('dispatch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tip_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('sent_by_account_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('distance_m', sa.Float(), nullable=True),
    sa.Column('sent_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('on_scene_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('escalated_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_dispatch_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_account_id'], ['account.id'], name=op.f('fk_dispatch_sent_by_account_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tip_id'], ['tip.id'], name=op.f('fk_dispatch_tip_id_tip'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatch')),
    sa.UniqueConstraint('tip_id', 'person_id', name=op.f('uq_dispatch_tip_id_person_id'))
    )
    with op.batch_alter_table('dispatch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispatch_person_id_status'), ['person_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispatch_tip_id'), ['tip_id'], unique=False)

    op.create_table('hazard',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('shop_id', sa.Integer(), nullable=True),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('tip_id', sa.Integer(), nullable=True),
    sa.Column('found_by_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('responsible_party', sa.String(length=120), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('photo_path', sa.String(length=255), nullable=True),
    sa.Column('after_photo_path', sa.String(length=255), nullable=True),
    sa.Column('found_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('verified_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('assigned_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rectified_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reinspect_on', sa.Date(), nullable=True),
    sa.Column('reinspected_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('cell', sa.String(length=16), nullable=True),
    sa.Column('approximate', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_hazard_district_id_district'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['found_by_id'], ['person.id'], name=op.f('fk_hazard_found_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], name=op.f('fk_hazard_grid_id_grid'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_hazard_place_id_place'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shop_id'], ['shop.id'], name=op.f('fk_hazard_shop_id_shop'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tip_id'], ['tip.id'], name=op.f('fk_hazard_tip_id_tip'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hazard'))
    )
    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hazard_district_id_status_due_on'), ['district_id', 'status', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_found_by_id'), ['found_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_shop_id_found_at'), ['shop_id', 'found_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_tip_id'), ['tip_id'], unique=False)

    op.create_table('points_ledger',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('hours', sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_points_ledger_assignment_id_assignment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_points_ledger_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_ledger'))
    )
    with op.batch_alter_table('points_ledger', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_points_ledger_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_points_ledger_person_id_at'), ['person_id', 'at'], unique=False)

    _create_overlap_guard()


def downgrade() -> None:
    _drop_overlap_guard()
    with op.batch_alter_table('points_ledger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_points_ledger_person_id_at'))
        batch_op.drop_index(batch_op.f('ix_points_ledger_assignment_id'))

    op.drop_table('points_ledger')
    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hazard_tip_id'))
        batch_op.drop_index(batch_op.f('ix_hazard_shop_id_found_at'))
        batch_op.drop_index(batch_op.f('ix_hazard_place_id'))
        batch_op.drop_index(batch_op.f('ix_hazard_grid_id'))
        batch_op.drop_index(batch_op.f('ix_hazard_found_by_id'))
        batch_op.drop_index(batch_op.f('ix_hazard_district_id_status_due_on'))

    op.drop_table('hazard')
    with op.batch_alter_table('dispatch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispatch_tip_id'))
        batch_op.drop_index(batch_op.f('ix_dispatch_person_id_status'))

    op.drop_table('dispatch')
    with op.batch_alter_table('tip', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tip_shop_id_received_at'))
        batch_op.drop_index(batch_op.f('ix_tip_reporter_account_id_received_at'))
        batch_op.drop_index(batch_op.f('ix_tip_merged_into_id'))
        batch_op.drop_index(batch_op.f('ix_tip_grid_id'))
        batch_op.drop_index(batch_op.f('ix_tip_district_id_status_received_at'))
        batch_op.drop_index(batch_op.f('ix_tip_district_id_received_at_cell'))

    op.drop_table('tip')
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_in_shift_id'))
        batch_op.drop_index(batch_op.f('ix_check_in_person_id_at'))
        batch_op.drop_index(batch_op.f('ix_check_in_district_id_at_cell'))
        batch_op.drop_index(batch_op.f('ix_check_in_checkpoint_id_at'))

    op.drop_table('check_in')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_entity_entity_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_district_id_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_account_id_at'))

    op.drop_table('audit_event')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_shift_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_person_id_starts_at'))

    op.drop_table('assignment')
    with op.batch_alter_table('account_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_token_account_id'))

    op.drop_table('account_token')
    op.drop_table('account_district')
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shift_team_id'))
        batch_op.drop_index(batch_op.f('ix_shift_route_id'))
        batch_op.drop_index(batch_op.f('ix_shift_grid_id_duty_date'))
        batch_op.drop_index(batch_op.f('ix_shift_duty_post_id'))
        batch_op.drop_index(batch_op.f('ix_shift_duty_date'))
        batch_op.drop_index(batch_op.f('ix_shift_district_id_starts_at'))
        batch_op.drop_index(batch_op.f('ix_shift_campaign_id'))

    op.drop_table('shift')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_shop_id'))
        batch_op.drop_index(batch_op.f('ix_account_person_id'))

    op.drop_table('account')
    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shop_grid_id'))
        batch_op.drop_index(batch_op.f('ix_shop_district_id'))
        batch_op.drop_index(batch_op.f('ix_shop_codefender_id'))

    op.drop_table('shop')
    with op.batch_alter_table('shift_campaign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shift_campaign_district_id'))

    op.drop_table('shift_campaign')
    with op.batch_alter_table('route_stop', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_route_stop_checkpoint_id'))

    op.drop_table('route_stop')
    with op.batch_alter_table('outreach_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_event_team_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_event_place_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_event_grid_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_event_district_id_starts_at'))

    op.drop_table('outreach_event')
    with op.batch_alter_table('last_position', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_last_position_lat_lon'))

    op.drop_table('last_position')
    with op.batch_alter_table('route', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_route_team_id'))
        batch_op.drop_index(batch_op.f('ix_route_grid_id'))
        batch_op.drop_index(batch_op.f('ix_route_district_id'))

    op.drop_table('route')
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_grid_id'))
        batch_op.drop_index(batch_op.f('ix_place_district_id'))

    op.drop_table('place')
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_team_leader_id_person'), type_='foreignkey')

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_team_id'))
        batch_op.drop_index(batch_op.f('ix_person_home_grid_id'))
        batch_op.drop_index(batch_op.f('ix_person_district_id_active'))

    op.drop_table('person')
    with op.batch_alter_table('duty_post', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duty_post_grid_id'))
        batch_op.drop_index(batch_op.f('ix_duty_post_district_id'))

    op.drop_table('duty_post')
    with op.batch_alter_table('checkpoint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkpoint_grid_id'))
        batch_op.drop_index(batch_op.f('ix_checkpoint_district_id'))

    op.drop_table('checkpoint')
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_team_type'))
        batch_op.drop_index(batch_op.f('ix_team_leader_id'))
        batch_op.drop_index(batch_op.f('ix_team_district_id'))

    op.drop_table('team')
    with op.batch_alter_table('grid', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_district_id'))

    op.drop_table('grid')
    op.drop_table('district')


# A person may never hold two shifts that share an instant. The database refuses it, because a
# check in Python races under concurrent writers. "Holding" statuses are those of
# nightwatch.vocab.HOLDING_STATUSES as they were when this revision was written.
HOLDING = "('assigned', 'confirmed', 'no_show', 'done')"

SQLITE_GUARD = [
    f"""CREATE TRIGGER assignment_no_overlap_insert BEFORE INSERT ON assignment
    WHEN NEW.status IN {HOLDING}
    BEGIN
        SELECT RAISE(ABORT, 'assignment_overlap: the person already holds an overlapping shift')
        WHERE EXISTS (SELECT 1 FROM assignment AS held
                      WHERE held.person_id = NEW.person_id AND held.status IN {HOLDING}
                        AND held.starts_at < NEW.ends_at AND NEW.starts_at < held.ends_at);
    END""",
    f"""CREATE TRIGGER assignment_no_overlap_update
    BEFORE UPDATE OF person_id, status, starts_at, ends_at ON assignment
    WHEN NEW.status IN {HOLDING}
    BEGIN
        SELECT RAISE(ABORT, 'assignment_overlap: the person already holds an overlapping shift')
        WHERE EXISTS (SELECT 1 FROM assignment AS held
                      WHERE held.person_id = NEW.person_id AND held.id <> NEW.id
                        AND held.status IN {HOLDING}
                        AND held.starts_at < NEW.ends_at AND NEW.starts_at < held.ends_at);
    END""",
    """CREATE TRIGGER assignment_interval_insert BEFORE INSERT ON assignment
    BEGIN
        SELECT RAISE(ABORT, 'assignment_interval_mismatch: an assignment carries its shift''s interval')
        WHERE NOT EXISTS (SELECT 1 FROM shift WHERE shift.id = NEW.shift_id
                          AND shift.starts_at = NEW.starts_at AND shift.ends_at = NEW.ends_at);
    END""",
    """CREATE TRIGGER assignment_interval_update BEFORE UPDATE OF shift_id, starts_at, ends_at ON assignment
    BEGIN
        SELECT RAISE(ABORT, 'assignment_interval_mismatch: an assignment carries its shift''s interval')
        WHERE NOT EXISTS (SELECT 1 FROM shift WHERE shift.id = NEW.shift_id
                          AND shift.starts_at = NEW.starts_at AND shift.ends_at = NEW.ends_at);
    END""",
    """CREATE TRIGGER shift_moves_assignments AFTER UPDATE OF starts_at, ends_at ON shift
    BEGIN
        UPDATE assignment SET starts_at = NEW.starts_at, ends_at = NEW.ends_at WHERE shift_id = NEW.id;
    END""",
]

POSTGRESQL_GUARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE assignment ADD CONSTRAINT ex_assignment_person_overlap
    EXCLUDE USING gist (person_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (status IN {HOLDING})""",
    """CREATE FUNCTION assignment_interval_matches_shift() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM shift WHERE shift.id = NEW.shift_id
                       AND shift.starts_at = NEW.starts_at AND shift.ends_at = NEW.ends_at) THEN
            RAISE EXCEPTION 'assignment_interval_mismatch: an assignment carries its shift''s interval'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER assignment_interval_matches_shift
    BEFORE INSERT OR UPDATE OF shift_id, starts_at, ends_at ON assignment
    FOR EACH ROW EXECUTE FUNCTION assignment_interval_matches_shift()""",
    """CREATE FUNCTION shift_moves_assignments() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE assignment SET starts_at = NEW.starts_at, ends_at = NEW.ends_at WHERE shift_id = NEW.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER shift_moves_assignments AFTER UPDATE OF starts_at, ends_at ON shift
    FOR EACH ROW WHEN (OLD.starts_at IS DISTINCT FROM NEW.starts_at OR OLD.ends_at IS DISTINCT FROM NEW.ends_at)
    EXECUTE FUNCTION shift_moves_assignments()""",
]


def _create_overlap_guard() -> None:
    """Create the trigger (SQLite) or exclusion constraint (PostgreSQL) and the interval sync."""
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_GUARD, "postgresql": POSTGRESQL_GUARD}.get(dialect, []):
        op.execute(statement)


def _drop_overlap_guard() -> None:
    """Drop what _create_overlap_guard made."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("assignment_no_overlap_insert", "assignment_no_overlap_update",
                     "assignment_interval_insert", "assignment_interval_update", "shift_moves_assignments"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS shift_moves_assignments ON shift")
        op.execute("DROP FUNCTION IF EXISTS shift_moves_assignments()")
        op.execute("DROP TRIGGER IF EXISTS assignment_interval_matches_shift ON assignment")
        op.execute("DROP FUNCTION IF EXISTS assignment_interval_matches_shift()")
        op.execute("ALTER TABLE assignment DROP CONSTRAINT IF EXISTS ex_assignment_person_overlap")
