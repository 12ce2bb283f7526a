"""Tokens of one user on one server: the access token only in memory with a monotonic expiry, the
refresh token in the keyring (or only in memory when there is none), and a single-flight refresh
so that concurrent 401s wait for one refresh and then retry once."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

from client import keys
from sync.client import errors as E
from sync.client.transport import CancelToken, Transport

log = logging.getLogger(__name__)

EXPIRY_MARGIN = 30.0  # refresh this many seconds before the server would refuse the token


def refresh_secret_name(username: str, server_url: str) -> str:
    return f"refresh:{username}@{server_url.rstrip('/')}"


class Auth:
    """Implements sync.client.transport.TokenSource for one user; install with `transport.auth = auth`."""

    def __init__(self, transport: Transport, username: str, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.transport = transport
        self.username = username
        self.clock = clock
        self.user: dict[str, Any] | None = None
        self._access: str | None = None
        self._expires_at = 0.0
        self._refresh_token: str | None = None
        self._lock = threading.Lock()  # guards the fields above
        self._refresh_lock = threading.Lock()  # single flight
        self.refresh_count = 0
        self.keyring_used = False
        self.offline_unlock_days: int | None = None   # server policy, from the token response
        self.password_expired = False
        self.password_change_required = False   # set by an admin: only a new password is accepted
        transport.auth = self

    @property
    def secret_name(self) -> str:
        return refresh_secret_name(self.username, self.transport.base_url)

    # -- login ----------------------------------------------------------------------------
    def login(self, password: str, *, cancel: CancelToken | None = None) -> dict[str, Any]:
        """Check the password online; keep the tokens. Raises LoginFailed for a wrong password."""
        try:
            resp = self.transport.post(
                "/v1/auth/token", {"username": self.username, "password": password,
                                   "device_id": self.transport.device_id},
                authenticated=False, cancel=cancel)
        except (E.AuthExpired, E.ForbiddenError) as exc:
            raise E.LoginFailed(exc.detail, status=exc.status, request_id=exc.request_id,
                                problem=exc.problem) from exc
        except E.BadRequest as exc:
            if exc.status in (400, 422):
                raise E.LoginFailed(exc.detail, status=exc.status, request_id=exc.request_id,
                                    problem=exc.problem) from exc
            raise
        self._take(resp.data)
        return self.user or {}

    def _take(self, data: Any) -> None:
        if not isinstance(data, dict) or not data.get("access_token"):
            raise E.BadResponse("token response without access_token")
        try:
            expires_in = float(data.get("expires_in") or 900)
        except (TypeError, ValueError) as exc:
            raise E.BadResponse("bad expires_in") from exc
        with self._lock:
            self._access = str(data["access_token"])
            self._expires_at = self.clock() + expires_in
            if data.get("refresh_token"):
                self._refresh_token = str(data["refresh_token"])
            if isinstance(data.get("user"), dict):
                self.user = data["user"]
            if isinstance(data.get("offline_unlock_days"), int):
                self.offline_unlock_days = data["offline_unlock_days"]
            self.password_expired = data.get("password_expired") is True
            self.password_change_required = data.get("password_change_required") is True
            refresh = self._refresh_token
        if refresh:
            self.keyring_used = keys.set_secret(self.secret_name, refresh)

    def has_refresh_token(self) -> bool:
        with self._lock:
            if self._refresh_token:
                return True
        return keys.get_secret(self.secret_name) is not None

    # -- TokenSource ----------------------------------------------------------------------
    def access_token(self) -> str:
        with self._lock:
            if self._access and self.clock() < self._expires_at - EXPIRY_MARGIN:
                return self._access
            stale = self._access
        return self.refresh(stale)

    def refresh(self, stale_token: str | None) -> str:
        """Get a new access token unless another thread already did since `stale_token`."""
        with self._refresh_lock:
            with self._lock:
                if (self._access and self._access != stale_token
                        and self.clock() < self._expires_at - EXPIRY_MARGIN):
                    return self._access
                token = self._refresh_token
            if not token:
                token = keys.get_secret(self.secret_name)
            if not token:
                raise E.AuthExpired("no refresh token")
            try:
                # The transport retries a lost response with the same refresh token; the server's
                # grace window answers it with the same new pair, so the worker is not locked out.
                resp = self.transport.post("/v1/auth/refresh",
                                           {"refresh_token": token,
                                            "device_id": self.transport.device_id},
                                           authenticated=False)
            except E.AccountDisabled:
                self.forget()
                raise
            except (E.AuthExpired, E.ForbiddenError, E.BadRequest) as exc:
                if isinstance(exc, E.BadRequest) and exc.status not in (400, 401, 422):
                    raise
                self.forget()
                raise E.AuthExpired(exc.detail, status=exc.status,
                                    request_id=exc.request_id) from exc
            self.refresh_count += 1
            self._take(resp.data)
            with self._lock:
                return self._access  # type: ignore[return-value]

    def expire_access_token(self) -> None:
        """Forget the access token (tests; and after the PC slept for longer than its life)."""
        with self._lock:
            self._expires_at = 0.0

    def logout(self) -> None:
        """End this login on the server (POST /v1/auth/logout), then forget the tokens here."""
        with self._lock:
            token = self._refresh_token
        token = token or keys.get_secret(self.secret_name)
        try:
            if token:
                self.transport.post("/v1/auth/logout", {"refresh_token": token}, authenticated=False)
        finally:
            self.forget()

    def change_password(self, old: str, new: str) -> None:
        """The worker's own password (POST /v1/auth/password); the server ends every other login
        of the account and answers a fresh pair for this one."""
        resp = self.transport.post("/v1/auth/password", {"old_password": old, "new_password": new,
                                                         "device_id": self.transport.device_id})
        self._take(resp.data)

    def forget(self) -> None:
        """Log out locally: drop both tokens from memory and the keyring."""
        with self._lock:
            self._access = None
            self._refresh_token = None
            self._expires_at = 0.0
        keys.delete_secret(self.secret_name)
