"""Password policy (≥ 8 characters, 3 of 4 character classes, not the username, not one of the last
five) and the history it checks against."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select

from sync.server import schema as t
from sync.server.security import verify_password

MIN_LENGTH = 8
HISTORY = 5


class PasswordRejected(ValueError):
    """The Chinese reason a password is refused."""


def _classes(password: str) -> int:
    return sum((any(c.islower() for c in password), any(c.isupper() for c in password),
                any(c.isdigit() for c in password), any(not c.isalnum() for c in password)))


def check_policy(password: str, username: str) -> None:
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(f"密码至少 {MIN_LENGTH} 位")
    if _classes(password) < 3:
        raise PasswordRejected("密码须包含大写字母、小写字母、数字、符号中的至少三类")
    if username and username.lower() in password.lower():
        raise PasswordRejected("密码不能包含用户名")


def check_new_password(conn: Connection, user: dict[str, Any], password: str) -> None:
    """Policy plus history: refuses the current password and the last HISTORY ones."""
    check_policy(password, user["username"])
    old = [user["password_hash"]] + [r.password_hash for r in conn.execute(
        select(t.password_history.c.password_hash).where(t.password_history.c.user_id == user["id"])
        .order_by(t.password_history.c.id.desc()).limit(HISTORY))]
    if any(verify_password(password, h) for h in old):
        raise PasswordRejected(f"新密码不能与最近 {HISTORY} 次使用过的密码相同")


def remember_old_password(conn: Connection, user: dict[str, Any], at: str) -> None:
    """Keep the password being replaced in the history (only the last HISTORY are kept)."""
    conn.execute(insert(t.password_history).values(user_id=user["id"], password_hash=user["password_hash"],
                                                   at=at))
    keep = [r.id for r in conn.execute(select(t.password_history.c.id).where(
        t.password_history.c.user_id == user["id"]).order_by(t.password_history.c.id.desc()).limit(HISTORY))]
    conn.execute(delete(t.password_history).where(t.password_history.c.user_id == user["id"],
                                                  t.password_history.c.id.not_in(keep)))

