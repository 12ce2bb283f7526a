"""Login, refresh-token rotation (grace window, reuse detection) and access-token checks."""

from __future__ import annotations

from sqlalchemy import Connection

from typing import Any

import json
import secrets
from datetime import timedelta

from sqlalchemy import insert, select, update

from sync.protocol import ErrorCode
from sync.server import schema as t
from sync.server.errors import unauthorized
from sync.server.security import Signer, hash_password, new_refresh_token, token_hash, verify_password
from sync.server.store import Store, iso, parse_iso


class Auth:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.config = store.config
        self.access = Signer(store.secret, "access")
        # Unknown usernames cost as much as a wrong password (same KDF cost as real hashes).
        self.dummy_hash = hash_password(secrets.token_hex(8), store.config.kdf_n)

    def user_info(self, user: dict[str, Any]) -> dict[str, Any]:
        return {"username": user["username"], "display_name": user["display_name"],
                "role": user["role"], "jurisdiction": user["jurisdiction"]}

    def _issue(self, conn: Connection, user: dict[str, Any], family: str, device_id: str | None) -> dict[str, Any]:
        now = self.store.now()
        exp = now + timedelta(seconds=self.config.access_token_seconds)
        access = self.access.sign({"sub": user["id"], "exp": int(exp.timestamp()), "fam": family,
                                   "n": secrets.token_hex(4)})
        refresh = new_refresh_token()
        conn.execute(insert(t.refresh_tokens).values(
            token_hash=token_hash(refresh), family_id=family, user_id=user["id"], device_id=device_id,
            issued_at=iso(now),
            expires_at=iso(now + timedelta(seconds=self.config.refresh_token_seconds)),
            revoked=False))
        return {"access_token": access, "token_type": "bearer",
                "expires_in": self.config.access_token_seconds, "refresh_token": refresh,
                "refresh_expires_in": self.config.refresh_token_seconds, "user": self.user_info(user),
                "_access_exp": int(exp.timestamp())}

    @staticmethod
    def _public(pair: dict[str, Any], now_ts: int | None = None) -> dict[str, Any]:
        out = {k: v for k, v in pair.items() if not k.startswith("_")}
        if now_ts is not None:
            out["expires_in"] = max(0, pair["_access_exp"] - now_ts)
        return out

    def login(self, username: str, password: str, device_id: str) -> dict[str, Any]:
        with self.store.read() as conn:
            user = self.store.user_by_name(conn, username)
        ok = verify_password(password, user["password_hash"] if user else self.dummy_hash)
        if not user or not ok or not user["active"]:
            raise unauthorized(ErrorCode.INVALID_CREDENTIALS, "用户名或密码错误")
        with self.store.write() as conn:
            return self._public(self._issue(conn, user, secrets.token_hex(8), device_id))

    def refresh(self, token: str) -> dict[str, Any]:
        now = self.store.now()
        with self.store.write() as conn:
            row = conn.execute(select(t.refresh_tokens).where(
                t.refresh_tokens.c.token_hash == token_hash(token))).first()
            if row is None or row.revoked:
                raise unauthorized(ErrorCode.INVALID_REFRESH_TOKEN, "登录已失效，请重新登录")
            if row.used_at is not None:
                age = (now - parse_iso(row.used_at)).total_seconds()
                if row.successor_response and 0 <= age <= self.config.refresh_grace_seconds:
                    # A retry after a lost response: the same new pair, so the worker stays logged in.
                    return self._public(json.loads(row.successor_response), int(now.timestamp()))
                conn.execute(update(t.refresh_tokens).where(t.refresh_tokens.c.family_id == row.family_id)
                             .values(revoked=True, successor_response=None))
                # Reuse after the grace window: the revocation must commit, so report it after.
                return {"_error": True}
            if now > parse_iso(row.expires_at):
                raise unauthorized(ErrorCode.INVALID_REFRESH_TOKEN, "登录已过期，请重新登录")
            user = self.store.user_by_id(conn, row.user_id)
            if user is None or not user["active"]:
                raise unauthorized(ErrorCode.INVALID_REFRESH_TOKEN, "账号已停用")
            pair = self._issue(conn, user, row.family_id, row.device_id)
            conn.execute(update(t.refresh_tokens).where(t.refresh_tokens.c.token_hash == row.token_hash)
                         .values(used_at=iso(now), successor_response=json.dumps(pair)))
            return self._public(pair)

    def refresh_or_raise(self, token: str) -> dict[str, Any]:
        result = self.refresh(token)
        if result.get("_error"):
            raise unauthorized(ErrorCode.REFRESH_TOKEN_REUSED, "登录凭据被重复使用，已全部失效，请重新登录")
        return result

    def authenticate(self, authorization: str | None) -> dict[str, Any]:
        if not authorization or not authorization.lower().startswith("bearer "):
            raise unauthorized(ErrorCode.UNAUTHORIZED, "缺少登录凭据")
        payload = self.access.verify(authorization[7:].strip())
        if payload is None or not isinstance(payload.get("sub"), int) or not isinstance(payload.get("exp"), int):
            raise unauthorized(ErrorCode.UNAUTHORIZED, "登录凭据无效")
        if self.store.now().timestamp() >= payload["exp"]:
            raise unauthorized(ErrorCode.TOKEN_EXPIRED, "登录已过期")
        with self.store.read() as conn:
            user = self.store.user_by_id(conn, payload["sub"])
            if user is None or not user["active"]:
                raise unauthorized(ErrorCode.UNAUTHORIZED, "账号已停用")
            revoked = conn.execute(select(t.refresh_tokens.c.token_hash).where(
                t.refresh_tokens.c.family_id == payload.get("fam"),
                t.refresh_tokens.c.revoked.is_(True)).limit(1)).first()
        if revoked is not None:
            raise unauthorized(ErrorCode.UNAUTHORIZED, "登录已失效，请重新登录")
        return user
