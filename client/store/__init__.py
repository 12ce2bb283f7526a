"""The encrypted local store (SQLCipher via SQLAlchemy): schema, migrations, transactions."""
