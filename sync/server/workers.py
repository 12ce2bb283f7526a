"""`hecha server --workers N`: N processes serve one listening socket, on one database.

Every worker builds its own app from the settings the parent puts in the environment (uvicorn starts
workers with `spawn`, so nothing else is inherited). Nothing that must be shared lives in a process:
the secret that signs access tokens and cursors, refresh tokens and their grace-window answers,
op results and fault rules are all in the database; writers of all workers queue on the database's
lock (SQLite BEGIN IMMEDIATE, a PostgreSQL advisory lock). The parent migrates and seeds first.
"""

from __future__ import annotations

import json
import os
import socket

from fastapi import FastAPI

from sync.server.config import ServerConfig
from sync.server.runner import uvicorn_options
from sync.server.tls import TlsSettings

ENV = "HECHA_SERVER_SETTINGS"
_SHARED_FIELDS = ("db_url", "training", "secret", "secret_file", "client_certs", "reject_unexplained_warnings",
                  "db_pool_size", "lockout_failures", "lockout_seconds", "throttle_failures", "throttle_seconds",
                  "password_max_age_days", "offline_unlock_days", "audit_anchor_file")


def app_from_env() -> FastAPI:
    """The uvicorn app factory each worker process calls."""
    from sync.server.app import create_app
    settings = json.loads(os.environ[ENV])
    return create_app(ServerConfig(**settings, migrate=False))


def serve(config: ServerConfig, sock: socket.socket, workers: int, tls: TlsSettings | None = None) -> None:
    """Runs `workers` processes on `sock` until SIGINT/SIGTERM (uvicorn's supervisor restarts a dead one)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    os.environ[ENV] = json.dumps({f: getattr(config, f) for f in _SHARED_FIELDS})
    ucfg = uvicorn.Config("sync.server.workers:app_from_env", factory=True, workers=workers,
                          log_level="warning", access_log=False, lifespan="off", timeout_keep_alive=30,
                          **uvicorn_options(tls))
    Multiprocess(ucfg, sockets=[sock]).run()
