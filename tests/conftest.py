"""Suite-wide settings: Qt offscreen, no real keyring, deterministic Hypothesis profile for CI."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hypothesis import HealthCheck, settings  # noqa: E402

# Suite-wide fixtures: the live reference server (live_server, live_server_factory).
# The throw-away PostgreSQL cluster and the server database backend (pg_cluster, db_backend, new_server_db).
pytest_plugins = ["tests.support.live_server", "tests.support.pg"]

settings.register_profile("ci", max_examples=300, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
