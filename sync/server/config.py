"""Server settings and the clock every time-dependent decision reads (controllable in tests)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from sync.protocol import ACCESS_TOKEN_SECONDS, MIN_CLIENT_VERSION


class Clock(Protocol):
    """What the server reads the time from: SystemClock, or a ManualClock in tests."""

    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class ManualClock:
    """A clock that only moves when told to; starts at the real time unless given one."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime.now(timezone.utc)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float = 0, **kw: Any) -> datetime:
        with self._lock:
            self._now += timedelta(seconds=seconds, **kw)
            return self._now

    def set(self, when: datetime) -> None:
        with self._lock:
            self._now = when


@dataclass
class ServerConfig:
    db_url: str = "sqlite:///hecha-server.db"
    secret: str | None = None                  # HMAC key; else HECHA_SERVER_SECRET, secret_file, <db>.key
    secret_file: str | None = None             # a 0600 file holding the key (made if missing)
    access_token_seconds: int = ACCESS_TOKEN_SECONDS
    refresh_token_seconds: int = 14 * 24 * 3600
    refresh_grace_seconds: int = 60            # a retried old refresh token gets the same pair
    change_retention_seconds: int = 30 * 24 * 3600  # older cursors get 410 resync_required
    min_client_version: str = MIN_CLIENT_VERSION
    max_body_bytes: int = 2 * 1024 * 1024      # raw request body
    max_decompressed_bytes: int = 8 * 1024 * 1024
    max_ops: int = 100
    default_page_limit: int = 1000
    max_page_limit: int = 5000
    kdf_n: int = 2 ** 14                       # scrypt cost for new password hashes
    training: bool = False                     # make a new database a training one (stored in it)
    lockout_failures: int = 5                  # consecutive wrong passwords that lock an account
    lockout_seconds: int = 15 * 60
    throttle_failures: int = 30                # failed logins per client address per window
    throttle_seconds: int = 60
    password_max_age_days: int = 0             # 0: passwords do not expire
    offline_unlock_days: int = 7               # how long the app may unlock its store offline
    client_certs: bool = False                 # every login and request needs the account's certificate
    reject_unexplained_warnings: bool = True
    migrate: bool = True                       # upgrade an older database on open (else refuse it)
    db_pool_size: int = 10                     # PostgreSQL connections per worker process (and as many overflow)
    audit_anchor_file: str | None = None       # audit chain anchors (default: beside the key file)
    clock: Clock = field(default_factory=SystemClock)

    def now(self) -> datetime:
        return self.clock.now()
