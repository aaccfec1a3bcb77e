"""Use cases: each takes a session factory keyword-only, owns its transaction, returns plain data."""
