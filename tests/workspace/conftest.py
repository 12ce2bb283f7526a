"""Fixtures of the sync client tests (tests/support/sync_env.py)."""

from tests.support.sync_env import (  # noqa: F401 - pytest fixtures
    memory_keyring,
    office,
    open_ws,
    proxy,
    server,
)
