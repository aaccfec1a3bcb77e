"""The throwaway PostgreSQL server now lives in benchmarks/pg_server.py; the tests import it from here."""
from benchmarks.pg_server import PostgresServer, find_bindir, start  # noqa: F401
