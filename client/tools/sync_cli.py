"""`hecha sync`: log in, sync once and print a JSON summary (for scripts and scheduled tasks).

Exit status: 0 synced; 1 sync failed (network, server, data); 3 login failed or expired;
4 the local store cannot be opened. The reason is printed in Chinese on stderr and as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from client.workspace import Workspace


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", required=True, help="同步服务器地址,例如 https://hecha.example:8765")
    parser.add_argument("--user", required=True, help="用户名")
    parser.add_argument("--password-stdin", action="store_true",
                        help="从标准输入读取密码(第一行;需设置新密码时,其后两行为新密码)")
    parser.add_argument("--data-dir", help="本机数据目录(默认为用户数据目录)")
    parser.add_argument("--ca-bundle", help="单位的 CA 证书文件(PEM)")
    parser.add_argument("--timeout", type=float, default=30.0, help="每次请求的读超时(秒)")
    parser.add_argument("--attempts", type=int, default=6,
                        help="网络出错时每个请求最多尝试几次(默认 6)")
    parser.add_argument("--progress", action="store_true",
                        help="同步后再取辖区进度(供 hecha report progress 使用;平时同步不取)")


def _read_password(args: argparse.Namespace, prompt: str = "密码: ") -> str:
    """A password: the next line of stdin with --password-stdin, else asked without echo."""
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    import getpass  # noqa: PLC0415
    return getpass.getpass(prompt)


class NoNewPassword(Exception):
    """No acceptable new password was given (message: why, for the worker)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


NEW_PASSWORD_TRIES = 3


def _login(args: argparse.Namespace, password: str, **opts: Any) -> Workspace:
    """Workspace.login; a password an admin set (new account, reset) is replaced on the way:
    the new one is asked twice (with --password-stdin: the next two lines), the server's policy
    reason shown and asked again, up to NEW_PASSWORD_TRIES times."""
    from client.workspace import Workspace  # noqa: PLC0415
    from sync.client import errors as E  # noqa: PLC0415

    try:
        return Workspace.login(_data_dir(args), args.server, args.user, password, **opts)
    except E.PasswordChangeRequired as exc:
        print(exc.message, file=sys.stderr)
    for attempt in range(1, NEW_PASSWORD_TRIES + 1):
        new = _read_password(args, "新密码: ")
        if not new:
            raise NoNewPassword("没有提供新密码。")
        if _read_password(args, "再次输入新密码: ") != new:
            problem = "两次输入的新密码不一致。"
        else:
            try:
                return Workspace.login(_data_dir(args), args.server, args.user, password,
                                       new_password=new, **opts)
            except E.PasswordRejected as exc:
                if attempt == NEW_PASSWORD_TRIES:
                    raise
                problem = exc.message
        if attempt == NEW_PASSWORD_TRIES:
            raise NoNewPassword(problem)
        print(f"{problem}请重新输入。", file=sys.stderr)
    raise AssertionError("unreachable")  # pragma: no cover


def _data_dir(args: argparse.Namespace) -> Path:
    if args.data_dir:
        return Path(args.data_dir)
    from client.paths import app_paths  # noqa: PLC0415
    return app_paths().ensure().data_dir


def _fail(code: str, message: str, status: int) -> int:
    print(json.dumps({"ok": False, "error": code, "message": message}, ensure_ascii=False))
    print(f"同步失败:{message}", file=sys.stderr)
    return status


def run(args: argparse.Namespace) -> int:
    from client.store import StoreError  # noqa: PLC0415
    from sync.client import errors as E  # noqa: PLC0415
    from sync.client.transport import RetryPolicy  # noqa: PLC0415

    password = _read_password(args)
    if not password:
        return _fail("no_password", "没有提供密码。", 3)
    try:
        ws = _login(args, password, ca_bundle=args.ca_bundle, timeout=(10.05, args.timeout),
                    retry=RetryPolicy(max_attempts=max(1, args.attempts)))
    except NoNewPassword as exc:
        return _fail("no_new_password", exc.message, 3)
    except (E.LoginFailed, E.PasswordChangeRequired, E.PasswordRejected, E.AuthExpired, E.PasswordChanged, E.WrongPassword) as exc:
        return _fail(exc.code, exc.message, 3)
    except E.SyncError as exc:
        return _fail(exc.code, exc.message, 1)
    except StoreError as exc:
        return _fail("store", exc.message, 4)
    try:
        report = ws.sync()
        if args.progress:
            ws.refresh_own_progress()
    except (E.AuthExpired, E.WrongUser) as exc:
        return _fail(exc.code, exc.message, 3)
    except E.SyncError as exc:
        pending = ws.pending_count()
        print(json.dumps({"ok": False, "error": exc.code, "message": exc.message,
                          "pending": pending}, ensure_ascii=False))
        print(f"同步失败:{exc.message}", file=sys.stderr)
        return 1
    finally:
        ws.close()
    print(json.dumps({"ok": True, **report.to_dict()}, ensure_ascii=False))
    return 0
