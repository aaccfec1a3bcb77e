"""Heatmap rollups (check-ins and tips per night, hour and cell) and the team type on each check-in.

The rollups are filled from the raw rows by the app on its next start (nightwatch.services.heat).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 14:15:51.878447
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('incident_heat',
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('duty_date', sa.Date(), nullable=False),
    sa.Column('hour', sa.Integer(), nullable=False),
    sa.Column('cell', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_incident_heat_district_id_district'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('district_id', 'duty_date', 'hour', 'cell', 'category', name=op.f('pk_incident_heat'))
    )
    op.create_table('patrol_heat',
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('duty_date', sa.Date(), nullable=False),
    sa.Column('hour', sa.Integer(), nullable=False),
    sa.Column('cell', sa.String(length=16), nullable=False),
    sa.Column('team_type', sa.String(length=32), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_patrol_heat_district_id_district'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('district_id', 'duty_date', 'hour', 'cell', 'team_type', name=op.f('pk_patrol_heat'))
    )
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_type', sa.String(length=32), nullable=True))
    # Earlier check-ins take the team type their person has now: the nearest truth there is.
    op.execute("UPDATE check_in SET team_type = (SELECT team.team_type FROM person JOIN team ON team.id = person.team_id"
               " WHERE person.id = check_in.person_id)")



def downgrade() -> None:
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.drop_column('team_type')

    op.drop_table('patrol_heat')
    op.drop_table('incident_heat')
