"""Alembic migrations of the server database (see sync/server/migrate.py and versions/)."""
