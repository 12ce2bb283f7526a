"""The server tests run on SQLite and on PostgreSQL (a throw-away cluster, tests/support/pg.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def db_backend(request) -> str:
    return request.param
