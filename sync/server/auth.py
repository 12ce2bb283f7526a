"""Login (lockout, per-address throttle, disabled accounts, password expiry), refresh-token rotation
(bound to the device; grace window; reuse detection), logout, own password change and access-token
checks. Everything that must hold across several server processes lives in the database."""

from __future__ import annotations

import json
from typing import Any
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Connection, insert, select, update

from sync.protocol import ErrorCode
from sync.server import schema as t
from sync.server.access import check_role_usable
from sync.server.errors import ApiError, unauthorized
from sync.server.passwords import PasswordRejected, check_new_password, remember_old_password
from sync.server.security import (Signer, hash_password, new_refresh_token, open_sealed, seal, token_hash,
                                  verify_password)
from sync.server.audit import AuditLog
from sync.server.store import Store, iso, parse_iso
from sync.server.tls import PEER_CN, PEER_FINGERPRINT


def _retry_after(until: datetime, now: datetime) -> dict[str, str]:
    return {"Retry-After": str(max(1, int((until - now).total_seconds() + 0.999)))}


class Auth:
    def __init__(self, store: Store):
        self.store = store
        self.config = store.config
        self.access = Signer(store.secret, "access")
        # Unknown usernames cost as much as a wrong password (same KDF cost as real hashes).
        self.dummy_hash = hash_password(secrets.token_hex(8), store.config.kdf_n)
        self.audit: AuditLog | None = None   # set by the app

    def _record(self, conn: Connection, **kw: Any) -> None:
        if self.audit is not None:
            self.audit.append(conn, **kw)

    def certificate_ok(self, user: dict[str, Any], peer: dict[str, Any]) -> bool:
        """With client certificates on, the TLS peer certificate must be the account's: the one
        registered for it (SHA-256 fingerprint), or else one whose subject CN is the username."""
        if not self.config.client_certs:
            return True
        fp, cn = peer.get(PEER_FINGERPRINT), peer.get(PEER_CN)
        want = user.get("cert_fingerprint")
        return fp is not None and (fp == want if want else cn == user["username"])

    def check_certificate(self, user: dict[str, Any], peer: dict[str, Any]) -> None:
        if not self.certificate_ok(user, peer):
            raise unauthorized(ErrorCode.CERTIFICATE_MISMATCH, "数字证书与账号不符，请选择本人的证书")

    def user_info(self, user: dict[str, Any]) -> dict[str, Any]:
        return {"username": user["username"], "display_name": user["display_name"],
                "role": user["role"], "jurisdiction": user["jurisdiction"]}

    def password_expired(self, user: dict[str, Any]) -> bool:
        days = self.config.password_max_age_days
        if not days or not user.get("password_changed_at"):
            return False
        return self.store.now() - parse_iso(user["password_changed_at"]) > timedelta(days=days)

    def _issue(self, conn: Connection, user: dict[str, Any], family: str, device_id: str | None) -> dict[str, Any]:
        now = self.store.now()
        exp = now + timedelta(seconds=self.config.access_token_seconds)
        expired = self.password_expired(user)
        claims = {"sub": user["id"], "exp": int(exp.timestamp()), "fam": family, "n": secrets.token_hex(4),
                  "dev": (device_id or "")[:128]}
        if expired:
            claims["pwx"] = 1
        access = self.access.sign(claims)
        refresh = new_refresh_token()
        conn.execute(insert(t.refresh_tokens).values(
            token_hash=token_hash(refresh), family_id=family, user_id=user["id"], device_id=device_id,
            issued_at=iso(now),
            expires_at=iso(now + timedelta(seconds=self.config.refresh_token_seconds)),
            revoked=False))
        return {"access_token": access, "token_type": "bearer",
                "expires_in": self.config.access_token_seconds, "refresh_token": refresh,
                "refresh_expires_in": self.config.refresh_token_seconds, "user": self.user_info(user),
                "password_expired": expired, "offline_unlock_days": self.config.offline_unlock_days,
                "password_change_required": bool(user.get("must_change_password")),
                "_access_exp": int(exp.timestamp())}

    @staticmethod
    def _public(pair: dict[str, Any], now_ts: int | None = None) -> dict[str, Any]:
        out = {k: v for k, v in pair.items() if not k.startswith("_")}
        if now_ts is not None:
            out["expires_in"] = max(0, pair["_access_exp"] - now_ts)
        return out

    # ------------------------------------------------------------ login

    def _throttled(self, conn: Connection, address: str, now: datetime) -> datetime | None:
        """End of the address's throttle window when it has had too many failures in it."""
        row = conn.execute(select(t.login_throttle).where(t.login_throttle.c.address == address)).first()
        if row is None:
            return None
        end = parse_iso(row.window_start) + timedelta(seconds=self.config.throttle_seconds)
        return end if now < end and row.failures >= self.config.throttle_failures else None

    def _count_failure(self, conn: Connection, address: str, now: datetime) -> None:
        row = conn.execute(select(t.login_throttle).where(t.login_throttle.c.address == address)).first()
        if row is None:
            conn.execute(insert(t.login_throttle).values(address=address, window_start=iso(now), failures=1))
        elif now >= parse_iso(row.window_start) + timedelta(seconds=self.config.throttle_seconds):
            conn.execute(update(t.login_throttle).where(t.login_throttle.c.address == address)
                         .values(window_start=iso(now), failures=1))
        else:
            conn.execute(update(t.login_throttle).where(t.login_throttle.c.address == address)
                         .values(failures=row.failures + 1))

    def _wrong_password(self, conn: Connection, user_id: int, now: datetime) -> None:
        """One more consecutive failure (counted in the database, under the write lock, so every
        server process sees it); the last one allowed locks the account."""
        u = t.users.c
        conn.execute(update(t.users).where(u.id == user_id).values(failed_logins=u.failed_logins + 1))
        if conn.execute(select(u.failed_logins).where(u.id == user_id)).scalar_one() >= self.config.lockout_failures:
            conn.execute(update(t.users).where(u.id == user_id).values(
                failed_logins=0, locked_until=iso(now + timedelta(seconds=self.config.lockout_seconds))))

    def login(self, username: str, password: str, device_id: str, address: str = "",
              peer: dict[str, Any] | None = None) -> dict[str, Any]:
        now = self.store.now()
        who = {"actor": username, "address": address, "device": device_id, "action": "login",
               "target": username}
        with self.store.read() as conn:
            until = self._throttled(conn, address, now)
            user = self.store.user_by_name(conn, username)
        if until is not None:
            with self.store.write() as conn:
                self._record(conn, **who, role="", outcome="throttled")
            raise ApiError(429, ErrorCode.RATE_LIMITED, "登录失败次数过多，请稍后再试",
                           headers=_retry_after(until, now))
        role = user["role"] if user else ""
        locked = user["locked_until"] if user and user["locked_until"] and now < parse_iso(user["locked_until"]) \
            else None
        if locked:   # even the right password: nothing is tried while the account is locked
            with self.store.write() as conn:
                self._record(conn, **who, role=role, outcome="locked")
            until = parse_iso(str(locked))
            raise ApiError(423, ErrorCode.ACCOUNT_LOCKED,
                           f"密码错误次数过多，账号已锁定，请 {int((until - now).total_seconds() // 60) + 1} 分钟后再试",
                           headers=_retry_after(until, now))
        ok = verify_password(password, user["password_hash"] if user else self.dummy_hash)
        with self.store.write() as conn:
            if not ok or user is None:
                self._count_failure(conn, address, now)
                if user is not None:
                    self._wrong_password(conn, user["id"], now)
                self._record(conn, **who, role=role, outcome="failed")
            elif not user["active"]:
                self._record(conn, **who, role=role, outcome="disabled")
            elif user["role"] == "trainer" and not self.store.training:
                self._record(conn, **who, role=role, outcome="training_only")
            else:
                conn.execute(update(t.users).where(t.users.c.id == user["id"])
                             .values(failed_logins=0, locked_until=None))
                cert_ok = self.certificate_ok(user, peer or {})
                self._record(conn, **who, role=role, outcome="ok" if cert_ok else "wrong_certificate")
                if cert_ok:
                    return self._public(self._issue(conn, user, secrets.token_hex(8), device_id))
        if not ok or user is None:
            raise unauthorized(ErrorCode.INVALID_CREDENTIALS, "用户名或密码错误")
        if not user["active"]:
            raise ApiError(403, ErrorCode.ACCOUNT_DISABLED, "账号已停用，请联系管理员")
        check_role_usable(user["role"], self.store.training)
        raise unauthorized(ErrorCode.CERTIFICATE_MISMATCH, "数字证书与账号不符，请选择本人的证书")

    # ------------------------------------------------------------ refresh, logout

    def refresh(self, token: str, device_id: str | None = None, peer: dict[str, Any] | None = None) -> dict[str, Any]:
        now = self.store.now()
        with self.store.write() as conn:
            row = conn.execute(select(t.refresh_tokens).where(
                t.refresh_tokens.c.token_hash == token_hash(token))).first()
            if row is None:
                raise unauthorized(ErrorCode.INVALID_REFRESH_TOKEN, "登录已失效，请重新登录")
            owner = self.store.user_by_id(conn, row.user_id)
            if owner is not None and not owner["active"]:
                # Said to a holder of a real token only: the app locks its offline store.
                raise ApiError(403, ErrorCode.ACCOUNT_DISABLED, "账号已停用，请联系管理员")
            if row.revoked:
                raise unauthorized(ErrorCode.INVALID_REFRESH_TOKEN, "登录已失效，请重新登录")
            if row.device_id is not None and device_id != row.device_id:
                # A token copied to another machine: refused, and the login is ended.
                conn.execute(update(t.refresh_tokens).where(t.refresh_tokens.c.family_id == row.family_id)
                             .values(revoked=True, successor_response=None))
                owner = self.store.user_by_id(conn, row.user_id) or {"username": str(row.user_id), "role": ""}
                self._record(conn, actor=owner["username"], role=owner["role"], address="",
                             device=device_id or "", action="refresh", target=row.family_id,
                             outcome="wrong_device")
                return {"_error": ErrorCode.INVALID_REFRESH_TOKEN}
            if row.used_at is not None:
                age = (now - parse_iso(row.used_at)).total_seconds()
                if row.successor_response and 0 <= age <= self.config.refresh_grace_seconds:
                    # A retry after a lost response: the same new pair, so the worker stays logged in.
                    pair = json.loads(open_sealed(token, row.successor_response))
                    return self._public(pair, int(now.timestamp()))
                conn.execute(update(t.refresh_tokens).where(t.refresh_tokens.c.family_id == row.family_id)
                             .values(revoked=True, successor_response=None))
                # Reuse after the grace window: the revocation must commit, so report it after.
                return {"_error": ErrorCode.REFRESH_TOKEN_REUSED}
            if now > parse_iso(row.expires_at):
                raise unauthorized(ErrorCode.INVALID_REFRESH_TOKEN, "登录已过期，请重新登录")
            user = self.store.user_by_id(conn, row.user_id)
            if user is None:
                raise unauthorized(ErrorCode.INVALID_REFRESH_TOKEN, "账号不存在")
            if not user["active"]:
                raise ApiError(403, ErrorCode.ACCOUNT_DISABLED, "账号已停用，请联系管理员")
            check_role_usable(user["role"], self.store.training)
            self.check_certificate(user, peer or {})
            pair = self._issue(conn, user, row.family_id, row.device_id)
            # The pair is kept for the grace window sealed with the old token, which only the
            # client holds (the database has its hash): no usable token in the database.
            conn.execute(update(t.refresh_tokens).where(t.refresh_tokens.c.token_hash == row.token_hash)
                         .values(used_at=iso(now), successor_response=seal(token, json.dumps(pair))))
            self._record(conn, actor=user["username"], role=user["role"], address="",
                         device=row.device_id or "", action="refresh", target=row.family_id, outcome="ok")
            return self._public(pair)

    def refresh_or_raise(self, token: str, device_id: str | None = None, peer: dict[str, Any] | None = None) -> dict[str, Any]:
        result = self.refresh(token, device_id, peer)
        if result.get("_error") == ErrorCode.REFRESH_TOKEN_REUSED:
            raise unauthorized(ErrorCode.REFRESH_TOKEN_REUSED, "登录凭据被重复使用，已全部失效，请重新登录")
        if result.get("_error"):
            raise unauthorized(ErrorCode.INVALID_REFRESH_TOKEN, "登录凭据不属于这台计算机，请重新登录")
        return result

    def logout(self, token: str, address: str = "") -> None:
        """Ends the login the refresh token belongs to (its whole family, access tokens too)."""
        with self.store.write() as conn:
            row = conn.execute(select(t.refresh_tokens).where(
                t.refresh_tokens.c.token_hash == token_hash(token))).first()
            if row is None:
                return
            conn.execute(update(t.refresh_tokens).where(t.refresh_tokens.c.family_id == row.family_id)
                         .values(revoked=True, successor_response=None))
            user = self.store.user_by_id(conn, row.user_id) or {"username": str(row.user_id), "role": ""}
            self._record(conn, actor=user["username"], role=user["role"], address=address,
                         device=row.device_id or "", action="logout", target=row.family_id, outcome="ok")

    def change_password(self, user: dict[str, Any], old: str, new: str, device_id: str, address: str = "") -> dict[str, Any]:
        """The user's own password: the old one is checked (a wrong one counts toward the lockout),
        every other login of the account ends, and a fresh pair for this device is returned."""
        now = self.store.now()
        who = {"actor": user["username"], "role": user["role"], "address": address, "device": device_id,
               "action": "password_change", "target": user["username"]}
        if not verify_password(old, user["password_hash"]):
            with self.store.write() as conn:
                self._wrong_password(conn, user["id"], now)
                self._record(conn, **who, outcome="failed")
            raise unauthorized(ErrorCode.INVALID_CREDENTIALS, "原密码错误")
        with self.store.write() as conn:
            try:
                check_new_password(conn, user, new)
            except PasswordRejected as exc:
                raise ApiError(400, ErrorCode.PASSWORD_REJECTED, str(exc)) from None
            remember_old_password(conn, user, iso(now))
            conn.execute(update(t.users).where(t.users.c.id == user["id"]).values(
                password_hash=hash_password(new, self.config.kdf_n), password_changed_at=iso(now),
                failed_logins=0, locked_until=None, must_change_password=False))
            conn.execute(update(t.refresh_tokens).where(t.refresh_tokens.c.user_id == user["id"])
                         .values(revoked=True, successor_response=None))
            self._record(conn, **who, outcome="ok")
            fresh = self.store.user_by_id(conn, user["id"]) or user
            return self._public(self._issue(conn, fresh, secrets.token_hex(8), device_id))

    # ------------------------------------------------------------ access tokens

    def authenticate(self, authorization: str | None, allow_expired_password: bool = False,
                     peer: dict[str, Any] | None = None) -> dict[str, Any]:
        if not authorization or not authorization.lower().startswith("bearer "):
            raise unauthorized(ErrorCode.UNAUTHORIZED, "缺少登录凭据")
        payload = self.access.verify(authorization[7:].strip())
        if payload is None or not isinstance(payload.get("sub"), int) or not isinstance(payload.get("exp"), int):
            raise unauthorized(ErrorCode.UNAUTHORIZED, "登录凭据无效")
        if self.store.now().timestamp() >= payload["exp"]:
            raise unauthorized(ErrorCode.TOKEN_EXPIRED, "登录已过期")
        with self.store.read() as conn:
            user = self.store.user_by_id(conn, payload["sub"])
            if user is None:
                raise unauthorized(ErrorCode.UNAUTHORIZED, "账号不存在")
            revoked = conn.execute(select(t.refresh_tokens.c.token_hash).where(
                t.refresh_tokens.c.family_id == payload.get("fam"),
                t.refresh_tokens.c.revoked.is_(True)).limit(1)).first()
        if not user["active"]:
            raise ApiError(403, ErrorCode.ACCOUNT_DISABLED, "账号已停用，请联系管理员")
        if revoked is not None:
            raise unauthorized(ErrorCode.UNAUTHORIZED, "登录已失效，请重新登录")
        check_role_usable(user["role"], self.store.training)
        self.check_certificate(user, peer or {})
        if payload.get("pwx") and not allow_expired_password:
            raise ApiError(403, ErrorCode.PASSWORD_EXPIRED, "密码已过期，请先修改密码")
        if user["must_change_password"] and not allow_expired_password:
            # An admin set this password (new account or reset): only its owner's new one opens the rest.
            raise ApiError(403, ErrorCode.PASSWORD_CHANGE_REQUIRED, "管理员设置的初始密码须先改为您自己的新密码")
        user["_device"] = str(payload.get("dev") or "")
        return user
