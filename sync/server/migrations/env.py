"""Alembic environment: always run in-process by sync.server.migrate, on a connection it passes."""

from alembic import context

from sync.server.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")   # SQLite: ALTER via table copy
with context.begin_transaction():
    context.run_migrations()
