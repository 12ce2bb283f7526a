"""Opening a worker's store (online login or offline unlock), the network objects behind it,
and running a sync."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Self

from client import keys, training
from client.workspace import offline
from client.store import get_state, open_store, set_state
from client.workspace.base import WorkspaceBase
from client.workspace.views import Changes, SyncReport
from sync.client import errors as E
from sync.client.auth import Auth
from sync.client.certs import ClientIdentity
from sync.client.engine import LAST_SYNC_SERVER_TIME, OWNER, SyncEngine, SyncResult, SyncState
from sync.client.transport import RetryPolicy, Transport, load_device_id

SERVER_URL = "server_url"


def _user_slug(username: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", username) and username not in (".", ".."):
        return username
    return "u-" + hashlib.sha256(username.encode("utf-8")).hexdigest()[:24]


def user_dir(data_dir: str | Path, username: str) -> Path:
    return Path(data_dir) / "users" / _user_slug(username)


def _make_transport(data_dir: Path, server_url: str, opts: dict[str, Any]) -> Transport:
    kw = {k: v for k, v in opts.items() if k in ("ca_bundle", "client_cert", "timeout",
                                               "deadline", "retry")}
    return Transport(server_url, device_id=load_device_id(data_dir), **kw)


class SessionMixin(WorkspaceBase):
    @classmethod
    def login(cls, data_dir: str | Path, server_url: str, username: str, password: str, *,
              previous_password: str | None = None, new_password: str | None = None,
              ca_bundle: str | None = None,
              client_cert: str | tuple[str, str] | ClientIdentity | None = None,
              timeout: tuple[float, float] | None = None, deadline: float | None = None,
              retry: RetryPolicy | None = None, page_limit: int | None = None,
              key_cost: dict[str, Any] | None = None) -> Self:
        """Online: check the password with the server, then create or unlock this user's store.

        A password changed online re-wraps the store key: pass the old one as previous_password
        (PasswordChanged says so when it is needed). A password an admin set (a new account, a
        reset) opens nothing until replaced: PasswordChangeRequired says so before the store is
        touched; with new_password it is replaced first and the login goes on with the new one."""
        data_dir = Path(data_dir)
        opts = {k: v for k, v in {"ca_bundle": ca_bundle, "client_cert": client_cert,
                                  "timeout": timeout, "deadline": deadline, "retry": retry,
                                  "page_limit": page_limit}.items() if v is not None}
        transport = _make_transport(data_dir, server_url, opts)
        auth = Auth(transport, username)
        udir = user_dir(data_dir, username)
        try:
            auth.login(password)
            if auth.password_change_required:
                if new_password is None:
                    auth.forget()
                    raise E.PasswordChangeRequired()
                auth.change_password(password, new_password)
                password = new_password
        except E.AccountDisabled:
            transport.close()
            offline.mark_disabled(udir)   # and no more offline unlocks of its store
            raise
        except BaseException:
            transport.close()
            raise
        key_path = udir / "store.key.json"
        try:
            if keys.key_exists(key_path):
                try:
                    key = keys.unwrap_store_key(key_path, password)
                except E.WrongPassword:
                    if previous_password is None:
                        raise E.PasswordChanged("store key wrapped with another password")
                    key = keys.rewrap_store_key(key_path, previous_password, password)
            else:
                key = keys.create_store_key(key_path, password, username, **(key_cost or {}))
            store = open_store(udir / "store.db", key)
        except BaseException:
            transport.close()
            raise
        ws = cls(store, username, data_dir=data_dir, key=key, transport=transport, auth=auth,
                 server_url=server_url, transport_options=opts)
        try:
            training.check_server(store, transport)  # training data never meets a real server
            ws._server_checked = True
            ws._bind_owner(server_url)
            ws._online_checked()
        except BaseException:
            ws.close()
            raise
        return ws

    @classmethod
    def unlock(cls, data_dir: str | Path, username: str, password: str, *,
               transport_options: dict[str, Any] | None = None, now: datetime | None = None) -> Self:
        """Offline: open this user's existing store with the password last used on this PC, within
        the server's offline window and unless the account was deactivated (client.workspace.offline)."""
        data_dir = Path(data_dir)
        udir = user_dir(data_dir, username)
        key_path = udir / "store.key.json"
        if not keys.key_exists(key_path) or not (udir / "store.db").exists():
            raise E.NoLocalStore(username=username)
        key = keys.unwrap_store_key(key_path, password)
        store = open_store(udir / "store.db", key)
        with store.read() as s:
            server_url = get_state(s, SERVER_URL)
            owner = get_state(s, OWNER)
        if owner is not None and owner != username:
            store.close()
            raise E.WrongUser(owner=owner, username=username)
        try:
            offline.check_unlock(store, udir, now or offline.now_utc())
        except E.OfflineUnlockRefused:
            store.close()
            raise
        return cls(store, username, data_dir=data_dir, key=key, server_url=server_url,
                   transport_options=transport_options)

    def _bind_owner(self, server_url: str) -> None:
        with self.store.write() as s:
            owner = get_state(s, OWNER)
            if owner is not None and owner != self.username:
                raise E.WrongUser(owner=owner, username=self.username)
            set_state(s, OWNER, self.username)
            set_state(s, SERVER_URL, server_url)
            if self.auth and self.auth.user:
                set_state(s, "user", self.auth.user)

    def _online_checked(self) -> None:
        days = self.auth.offline_unlock_days if self.auth else None
        offline.mark_online(self.store, user_dir(self.data_dir, self.username), offline.now_utc(), days)

    def reauthenticate(self, password: str) -> None:
        """Log in online again (expired refresh token); re-wraps the key if the password changed."""
        self._ensure_transport()
        assert self.auth is not None
        try:
            self.auth.login(password)
        except E.AccountDisabled:
            offline.mark_disabled(user_dir(self.data_dir, self.username), self.store)
            raise
        self._online_checked()
        if self.auth.password_change_required:
            return   # a password an admin set never wraps the store key: change_password wraps the new one
        key_path = user_dir(self.data_dir, self.username) / "store.key.json"
        try:
            keys.unwrap_store_key(key_path, password)
        except E.WrongPassword:
            keys.replace_store_key_password(key_path, self._key, password, self.username)

    def _ensure_transport(self) -> None:
        if self.transport is None:
            if not self.server_url:
                raise E.AuthExpired("no server known for this store")
            self.transport = _make_transport(self.data_dir, self.server_url,
                                             self._transport_options)
            self.auth = Auth(self.transport, self.username)

    @property
    def engine(self) -> SyncEngine:
        self._ensure_transport()
        if self._engine is None:
            assert self.transport is not None
            if not self._server_checked:  # login already asked this server what it is
                training.check_server(self.store, self.transport)  # refuse before any push
            self._engine = SyncEngine(self.store, self.transport, self.username,
                                      page_limit=self._transport_options.get("page_limit"))
        return self._engine

    @property
    def user(self) -> dict[str, Any] | None:
        if self.auth and self.auth.user:
            return self.auth.user
        with self.store.read() as s:
            user: dict[str, Any] | None = get_state(s, "user")
            return user

    def logout(self) -> None:
        """退出登录: end this login on the server (when it can be reached) and forget the tokens."""
        if self.auth is None and self.server_url:
            self._ensure_transport()
        if self.auth is not None:
            try:
                self.auth.logout()
            except (E.OfflineError, E.NetworkTimeout, E.ConnectionLost, E.ServerBusy, E.ServerError):
                pass   # offline: the tokens are forgotten here; the server's expire on their own

    def change_password(self, old: str, new: str) -> None:
        """The worker's own password, online; the local store key is re-wrapped with the new one."""
        self._ensure_transport()
        assert self.auth is not None
        self.auth.change_password(old, new)
        keys.replace_store_key_password(user_dir(self.data_dir, self.username) / "store.key.json",
                                        self._key, new, self.username)
        self._online_checked()

    def close(self) -> None:
        """Close the network (interrupting a running sync) and the store. Idempotent."""
        if self.transport is not None:
            self.transport.close()
        if self._engine is not None:
            self._engine.close()
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sync(self, state: SyncState | None = None) -> SyncReport:
        """Push the outbox, then pull until caught up. Blocking: run it in an executor."""
        try:
            res: SyncResult = self.engine.sync(state)
        except E.AccountDisabled:
            offline.mark_disabled(user_dir(self.data_dir, self.username), self.store)
            raise
        self._online_checked()
        pending = self.pending_count()
        return SyncReport(pushed=res.pushed, pulled=res.pulled, conflicts=res.conflicts,
                          rejected=res.rejected, gone=res.gone, pending=pending,
                          blocked=res.blocked,
                          merged=res.merged, removed=res.removed, bootstrapped=res.bootstrapped,
                          digest_ok=res.digest_ok, requests=res.requests,
                          server_time=res.server_time,
                          changes=Changes(frozenset(res.changed), outbox=True,
                                          all_tasks=res.bootstrapped))

    def last_sync_time(self) -> str | None:
        with self.store.read() as s:
            value: str | None = get_state(s, LAST_SYNC_SERVER_TIME)
            return value
