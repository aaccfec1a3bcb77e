"""Each shift carries where its holders start (post, route's first located stop or grid centre), kept by the database.

The dispatch screen placed every running shift of a district by its post, its route's stops and its grid
whenever it ranked people for a tip: four index probes per shift, most of PostgreSQL's work for the ranking
at city scale. The point is now written on the shift, and triggers keep it current whatever moves it: the
shift's own post, route or grid, a post or grid centre moved, a route's stops changed, a checkpoint moved.
One view, `shift_start`, holds the rule; every trigger and the backfill read it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 16:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

VIEW = """CREATE VIEW shift_start AS
SELECT shift.id AS shift_id,
       CASE WHEN post.lat IS NOT NULL THEN post.lat WHEN stop.lat IS NOT NULL THEN stop.lat
            ELSE grid.center_lat END AS lat,
       CASE WHEN post.lat IS NOT NULL THEN post.lon WHEN stop.lat IS NOT NULL THEN stop.lon
            ELSE grid.center_lon END AS lon,
       CASE WHEN post.lat IS NOT NULL THEN 'post' WHEN stop.lat IS NOT NULL THEN 'route' ELSE 'grid' END AS source
FROM shift
LEFT JOIN duty_post AS post ON post.id = shift.duty_post_id
LEFT JOIN checkpoint AS stop ON stop.id = (
    SELECT route_stop.checkpoint_id FROM route_stop JOIN checkpoint ON checkpoint.id = route_stop.checkpoint_id
    WHERE route_stop.route_id = shift.route_id AND checkpoint.lat IS NOT NULL
    ORDER BY route_stop.position LIMIT 1)
LEFT JOIN grid ON grid.id = shift.grid_id"""

REFRESH = ("UPDATE shift SET (start_lat, start_lon, start_source) = "
           "(SELECT lat, lon, source FROM shift_start WHERE shift_id = shift.id)")

# Each trigger: its name, the table and events it follows, and which shifts it places again.
# SQLite has no OLD row on INSERT nor NEW on DELETE, so it takes one trigger per event where both are read;
# in PostgreSQL the missing one is NULL, and `IN (NULL, x)` is `= x`.
SHIFTS_OF_STOPS = "route_id IN (OLD.route_id, NEW.route_id)"
POSTGRESQL_TRIGGERS = [
    ("shift_takes_its_start", "shift", "INSERT OR UPDATE OF duty_post_id, route_id, grid_id", "id = NEW.id"),
    ("duty_post_moves_shift_starts", "duty_post", "UPDATE OF lat, lon", "duty_post_id = NEW.id"),
    ("grid_moves_shift_starts", "grid", "UPDATE OF center_lat, center_lon", "grid_id = NEW.id"),
    ("checkpoint_moves_shift_starts", "checkpoint", "UPDATE OF lat, lon",
     "route_id IN (SELECT route_id FROM route_stop WHERE checkpoint_id = NEW.id)"),
    ("route_stops_move_shift_starts", "route_stop", "INSERT OR UPDATE OR DELETE", SHIFTS_OF_STOPS),
]
SQLITE_TRIGGERS = [
    ("shift_takes_its_start", "shift", "INSERT", "id = NEW.id"),
    ("shift_moves_its_start", "shift", "UPDATE OF duty_post_id, route_id, grid_id", "id = NEW.id"),
    *POSTGRESQL_TRIGGERS[1:4],
    ("route_stop_added_moves_shift_starts", "route_stop", "INSERT", "route_id = NEW.route_id"),
    ("route_stop_changed_moves_shift_starts", "route_stop", "UPDATE", SHIFTS_OF_STOPS),
    ("route_stop_removed_moves_shift_starts", "route_stop", "DELETE", "route_id = OLD.route_id"),
]


def upgrade() -> None:
    op.add_column('shift', sa.Column('start_lat', sa.Float(), nullable=True))
    op.add_column('shift', sa.Column('start_lon', sa.Float(), nullable=True))
    op.add_column('shift', sa.Column('start_source', sa.String(length=8), nullable=True))
    op.execute(VIEW)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name, table, events, which in SQLITE_TRIGGERS:
            op.execute(f"CREATE TRIGGER {name} AFTER {events} ON {table} BEGIN {REFRESH} WHERE {which}; END")
    elif dialect == "postgresql":
        for name, table, events, which in POSTGRESQL_TRIGGERS:
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                       f"BEGIN {REFRESH} WHERE {which}; RETURN NULL; END $$")
            op.execute(f"CREATE TRIGGER {name} AFTER {events} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")
    op.execute(REFRESH)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name, *_ in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        for name, table, *_ in POSTGRESQL_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.execute("DROP VIEW IF EXISTS shift_start")
    # Not batch mode: SQLite would copy the table and lose its triggers of migration 0001 (SQLite 3.35+ drops
    # a column in place).
    for column in ('start_source', 'start_lon', 'start_lat'):
        op.execute(f"ALTER TABLE shift DROP COLUMN {column}")
