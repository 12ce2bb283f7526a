"""Roles and jurisdiction: who may do what to which account, person or case (等保三级 access control).

Roles: `admin` manages accounts inside its jurisdiction (a province admin has `61`); `auditor` only
reads and exports the audit log (separation of duties); `county` and `township` are workers
(`county` also does office actions on cases); `trainer` does office actions and runs the test hooks
on a training server, and nothing at all on a real one (it cannot log in there; only a training
database takes trainer accounts). A jurisdiction is a division-code prefix; an object is inside it
when its place starts with it.
"""

from __future__ import annotations

from typing import Any

from sync.protocol import ErrorCode
from sync.server.errors import ApiError, forbidden

ROLES = ("admin", "auditor", "county", "township", "trainer")
WORKERS = ("county", "township")          # roles that hold cases
OFFICE = ("admin", "trainer", "county")   # office actions on persons and cases
AUDIT_READERS = ("admin", "auditor")
ACCOUNT_MANAGERS = ("admin", "trainer")
# Which roles each manager may create, raise to or edit.
_MANAGES = {"admin": ("admin", "auditor", "county", "township"),
            "trainer": ("trainer", "county", "township")}
# Every account has a real division prefix (a province at least): "" would cover the whole country.
JURISDICTION_PATTERN = r"^\d{2,12}$"


def covers(jurisdiction: str, place: str | None) -> bool:
    """True when `place` lies inside `jurisdiction` (a prefix of its division code)."""
    return place is not None and place.startswith(jurisdiction)


def check_role_usable(role: str, training: bool) -> None:
    """A trainer account is only meaningful on a training server: on a real one it is refused
    (403) at login, refresh and every request, whatever it holds."""
    if role == "trainer" and not training:
        raise forbidden("培训讲师账号只能用于培训服务器，不能登录正式服务器")


def require_role(user: dict[str, Any], roles: tuple[str, ...], what: str = "此操作") -> None:
    if user["role"] not in roles:
        raise forbidden(f"{what}需要以下角色之一：{'、'.join(roles)}")


def check_account_change(actor: dict[str, Any], *, role: str, jurisdiction: str, training: bool,
                         target: dict[str, Any] | None = None) -> None:
    """Refuse (403) when `actor` may not give an account this role and jurisdiction, or may not
    touch `target` (the account as it is now) at all."""
    allowed = _MANAGES.get(actor["role"], ())
    if actor["role"] == "trainer" and not training:
        raise forbidden("培训讲师只能在培训服务器上管理账号")
    if target is not None and (target["role"] not in allowed
                               or not covers(actor["jurisdiction"], target["jurisdiction"])):
        raise forbidden(f"无权修改账号 {target['username']}（超出本账号的角色或辖区）")
    if role not in allowed:
        raise forbidden(f"无权创建或设置角色 {role}")
    if role == "trainer" and not training:
        raise forbidden("培训讲师账号只能在培训服务器上创建")
    if not covers(actor["jurisdiction"], jurisdiction):
        raise forbidden(f"辖区 {jurisdiction} 超出本账号的辖区 {actor['jurisdiction']}")


def check_assignee(actor: dict[str, Any], assignee: dict[str, Any] | None, place: str) -> None:
    """A case at `place` may go to `assignee` only when the assignee is an active worker whose
    jurisdiction covers the place, inside the actor's jurisdiction (else nobody would see it)."""
    if assignee is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, "用户不存在")
    if not covers(actor["jurisdiction"], assignee["jurisdiction"]):
        raise forbidden(f"用户 {assignee['username']} 不在本账号的辖区内")
    if assignee["role"] not in WORKERS or not assignee["active"]:
        raise ApiError(409, ErrorCode.CONFLICT, f"用户 {assignee['username']} 不是在岗的核查人员")
    if not covers(assignee["jurisdiction"], place):
        raise ApiError(409, ErrorCode.CONFLICT,
                       f"任务所在地 {place} 不在用户 {assignee['username']} 的辖区 {assignee['jurisdiction']} 内")
