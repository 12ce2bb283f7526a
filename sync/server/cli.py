"""`hecha server`: runs the reference/training server; `hecha server adduser` adds an account."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="listen address (default loopback only)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--db", default=None, help="SQLite file or database URL (default hecha-server.db)")
    parser.add_argument("--seed", choices=("demo", "none"), default="none",
                        help="load the demo county into an empty database")
    parser.add_argument("--seed-value", default="hecha", help="seed of the demo data generator")
    parser.add_argument("--people", type=int, default=30000, help="demo population size")
    parser.add_argument("--accounts-file", default=None, help="write the demo accounts as JSON here")
    sub = parser.add_subparsers(dest="server_command", metavar="ACTION")
    add = sub.add_parser("adduser", help="add an account to the server database")
    add.add_argument("username")
    add.add_argument("--db", dest="adduser_db", default=None)
    add.add_argument("--role", choices=("township", "county", "trainer", "admin"), default="township")
    add.add_argument("--jurisdiction", required=True, help="division code prefix, e.g. 610424001")
    add.add_argument("--display-name", default=None)
    add.add_argument("--password", default=None, help="(default: asked on the terminal)")


def _db_url(db: str | None) -> str:
    from sync.server.store import normalize_db_url
    return normalize_db_url(db or "hecha-server.db")


def run(args: argparse.Namespace) -> int:
    from sync.server.config import ServerConfig
    from sync.server.store import Store

    if getattr(args, "server_command", None) == "adduser":
        return _adduser(args)
    if args.people < 1:
        print("--people 必须大于 0", file=sys.stderr)
        return 2
    config = ServerConfig(db_url=_db_url(args.db), training=args.seed == "demo")
    store = Store(config)
    from sqlalchemy import func, select

    from sync.server import schema as t
    with store.read() as conn:
        empty = not conn.execute(select(func.count()).select_from(t.cases)).scalar()
    if args.seed == "demo":
        if empty:
            try:
                from sync.server.seed import generate_demo
            except ImportError:
                print("演示数据生成器尚不可用 (sync.server.seed)", file=sys.stderr)
                return 2
            from sync.server.dataset import load_dataset
            print(f"正在生成演示数据（{args.people} 人，种子 {args.seed_value!r}）…", flush=True)
            ds = generate_demo(seed_value=args.seed_value, people=args.people)
            report = load_dataset(store, ds)
            print(f"已载入：{report.persons} 人，{report.households} 户，{report.cases} 个任务", flush=True)
        else:
            print("数据库中已有数据，沿用现有数据（培训重置请用 /v1/admin/reset）", flush=True)
        accounts = _demo_accounts(store)
        _print_accounts(accounts)
        if args.accounts_file:
            Path(args.accounts_file).write_text(json.dumps(accounts, ensure_ascii=False, indent=2),
                                                encoding="utf-8")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"注意：服务器监听 {args.host}，其他计算机可以连接。", flush=True)
    from sync.server.app import create_app

    import uvicorn
    app = create_app(store)
    from sync.server.runner import make_listener
    try:
        sock = make_listener(args.host, args.port)
    except OSError as exc:
        print(f"无法监听 {args.host}:{args.port}：{exc.strerror or exc}", file=sys.stderr)
        return 1
    port = sock.getsockname()[1]
    # The first line a script can wait for: the actual address (also with --port 0).
    print(f"同步服务器：http://{args.host}:{port}  （Ctrl+C 停止）", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    server.run(sockets=[sock])
    return 0


def _demo_accounts(store) -> list[dict]:
    from sqlalchemy import select

    from sync.server import schema as t
    with store.read() as conn:
        rows = conn.execute(select(t.users).where(t.users.c.demo_password.is_not(None))
                            .order_by(t.users.c.role, t.users.c.username)).all()
    return [{"username": r.username, "password": r.demo_password, "role": r.role,
             "jurisdiction": r.jurisdiction, "display_name": r.display_name} for r in rows]


def _print_accounts(accounts: list[dict]) -> None:
    print("演示账号：")
    for a in accounts:
        print(f"  {a['username']:<16} 密码 {a['password']:<14} {a['role']:<9} {a['jurisdiction']:<12} "
              f"{a['display_name']}")


def _adduser(args) -> int:
    from sync.server.config import ServerConfig
    from sync.server.security import hash_password
    from sync.server.store import Store

    if not args.jurisdiction.isdigit() or len(args.jurisdiction) > 12:
        print("辖区必须是不超过 12 位的区划代码前缀", file=sys.stderr)
        return 2
    password = args.password or getpass.getpass("密码：")
    if len(password) < 6:
        print("密码至少 6 位", file=sys.stderr)
        return 2
    store = Store(ServerConfig(db_url=_db_url(args.adduser_db or args.db)))
    with store.write() as conn:
        if store.user_by_name(conn, args.username):
            print(f"用户 {args.username} 已存在", file=sys.stderr)
            return 1
        store.add_user(conn, args.username, hash_password(password), args.role, args.jurisdiction,
                       args.display_name or args.username)
    print(f"已添加用户 {args.username}（{args.role}，辖区 {args.jurisdiction}）")
    return 0
