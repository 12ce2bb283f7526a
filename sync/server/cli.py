"""`hecha server`: runs the reference/training server; `hecha server adduser` adds an account."""

from __future__ import annotations

from typing import Any

import argparse
import getpass
import json
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="listen address (default loopback only)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--db", default=None,
                        help="SQLite file or database URL, e.g. postgresql://user@host/db (default hecha-server.db)")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="worker processes (several cores; every shared state is in the database)")
    parser.add_argument("--seed", choices=("demo", "none"), default="none",
                        help="load the demo county into an empty database")
    parser.add_argument("--seed-value", default="hecha", help="seed of the demo data generator")
    parser.add_argument("--people", type=int, default=30000, help="demo population size")
    parser.add_argument("--accounts-file", default=None, help="write the demo accounts as JSON here")
    parser.add_argument("--classroom", type=int, default=0, metavar="N",
                        help="培训班：为 N 名学员（t01…）各复制一份教学任务，打印账号并写入 .xlsx")
    parser.add_argument("--classroom-template", default=None, metavar="USER",
                        help="学员任务的来源账号（默认第一个乡镇专干，如 xz001）")
    parser.add_argument("--accounts-xlsx", default=None,
                        help="账号表 .xlsx 的位置（默认在数据库文件旁，如 hecha-server-账号.xlsx）")
    parser.add_argument("--tls-cert", default=None, help="serve HTTPS with this certificate (PEM)")
    parser.add_argument("--tls-key", default=None, help="the private key of --tls-cert (PEM)")
    parser.add_argument("--client-ca", default=None,
                        help="require client certificates signed by this CA (PEM); each login needs the "
                             "account's certificate (registered fingerprint, or subject CN = username)")
    parser.add_argument("--secret-file", default=None,
                        help="token-signing key file, 0600 (default: HECHA_SERVER_SECRET or <db>.key)")
    parser.add_argument("--audit-anchor", default=None, metavar="FILE",
                        help="append-only file of audit chain heads (default: <db>.audit-anchor or "
                             "<secret file>.audit-anchor)")
    sub = parser.add_subparsers(dest="server_command", metavar="ACTION")
    add = sub.add_parser("adduser", help="add an account to the server database")
    add.add_argument("username")
    add.add_argument("--db", dest="adduser_db", default=None)
    add.add_argument("--role", choices=("township", "county", "trainer", "admin", "auditor"), default="township")
    add.add_argument("--jurisdiction", required=True, help="division code prefix, e.g. 610424001")
    add.add_argument("--display-name", default=None)
    add.add_argument("--password", default=None, help="(default: asked on the terminal)")
    add.add_argument("--cert", default=None, help="the account's client certificate (PEM) for --client-ca")
    imp = sub.add_parser("import", help="import the platform's case feeds (.jsonl, .csv, .xlsx; docs/feeds.md)")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--db", dest="import_db", default=None)
    imp.add_argument("--mode", choices=("incremental", "full"), default="incremental",
                     help="spreadsheets: full = open imported cases of the file's kinds missing from it are withdrawn")
    imp.add_argument("--assign", metavar="CSV", help="place → account table (区划代码前缀,账号), replaces the stored one")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    tpl = sub.add_parser("import-template", help="write the CSV/xlsx import template for offices")
    tpl.add_argument("out", metavar="FILE", help=".xlsx (one sheet per kind) or .csv (one file per kind)")
    exp = sub.add_parser("export-results", help="write the workers' decisions since a token (.jsonl or .xlsx)")
    exp.add_argument("--db", dest="export_db", default=None)
    exp.add_argument("--since", default="", metavar="TOKEN", help="the token the last export printed (default: all)")
    exp.add_argument("--out", required=True, metavar="FILE")
    mig = sub.add_parser("migrate", help="upgrade the server database to this program's schema (Alembic)")
    mig.add_argument("--db", dest="migrate_db", default=None)
    mig.add_argument("--check", action="store_true", help="only print the revision; exit 1 if not the newest")
    audit = sub.add_parser("audit", help="verify or export the hash-chained audit log (工作留痕)")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser("verify", help="check the chain; exit 1 naming the first broken entry")
    verify.add_argument("--db", dest="audit_db", required=True)
    verify.add_argument("--anchor", default=None, metavar="FILE",
                        help="check against the chain heads in this anchor file (default: the server's, "
                             "<db>.audit-anchor, when it exists)")
    verify.add_argument("--no-anchor", action="store_true", help="check the chain only")
    head = audit_sub.add_parser("head", help="print the chain head (seq, hash, time) to copy elsewhere")
    head.add_argument("--db", dest="audit_db", required=True)
    export = audit_sub.add_parser("export", help="write the log as .xlsx, .csv or .jsonl")
    export.add_argument("--db", dest="audit_db", required=True)
    export.add_argument("--out", required=True, help="file name ending in .xlsx, .csv or .jsonl")
    export.add_argument("--since", default=None, help="from this date/time (ISO, UTC), inclusive")
    export.add_argument("--until", default=None, help="before this date/time (ISO, UTC)")
    export.add_argument("--user", default=None, help="only this account's entries")


def _db_url(db: str | None) -> str:
    from sync.server.db import normalize_db_url
    return normalize_db_url(db or "hecha-server.db")


def run(args: argparse.Namespace) -> int:
    from sync.server.config import ServerConfig
    from sync.server.store import Store

    if getattr(args, "server_command", None) == "adduser":
        return _adduser(args)
    if getattr(args, "server_command", None) == "migrate":
        return _migrate(args)
    if getattr(args, "server_command", None) in ("import", "import-template", "export-results"):
        from sync.server import feed_cli
        return feed_cli.run(args, _db_url)
    if getattr(args, "server_command", None) == "audit":
        return _audit(args)
    if args.people < 1:
        print("--people 必须大于 0", file=sys.stderr)
        return 2
    classroom = getattr(args, "classroom", 0) or 0
    if classroom and args.seed != "demo":
        print("--classroom 需要同时使用 --seed demo", file=sys.stderr)
        return 2
    if not 1 <= args.workers <= 64:
        print("--workers 应在 1 到 64 之间", file=sys.stderr)
        return 2
    if not 0 <= classroom <= 200:
        print("--classroom 学员人数应在 1 到 200 之间", file=sys.stderr)
        return 2
    if bool(args.tls_cert) != bool(args.tls_key) or (args.client_ca and not args.tls_cert):
        print("--tls-cert 与 --tls-key 须同时给出；--client-ca 需要 --tls-cert", file=sys.stderr)
        return 2
    config = ServerConfig(db_url=_db_url(args.db), training=args.seed == "demo",
                          client_certs=bool(args.client_ca), secret_file=args.secret_file,
                          audit_anchor_file=args.audit_anchor)
    from sync.server.migrate import SchemaVersionError
    from sync.server.store import TrainingModeError
    try:
        store = Store(config)
    except (SchemaVersionError, TrainingModeError) as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.seed == "demo":
        from sync.server.demo_data import demo_accounts, is_trainee, seed_demo
        try:
            result = seed_demo(store, seed_value=args.seed_value, people=args.people, classroom=classroom,
                               classroom_template=getattr(args, "classroom_template", None),
                               say=lambda m: print(m, flush=True))
        except ValueError as exc:  # the generator's own Chinese reason (bad size, unknown account)
            print(f"无法生成演示数据：{exc}", file=sys.stderr)
            return 2
        if not result.loaded:
            print("数据库中已有数据，沿用现有数据（培训重置请用 /v1/admin/reset）", flush=True)
        accounts = demo_accounts(store)
        trainees = [a for a in accounts if is_trainee(a)]
        if classroom and not trainees:
            print("注意：现有数据库中没有学员账号；要建立培训班，请换一个新的数据库文件（--db）。", flush=True)
        _print_accounts([a for a in accounts if a["role"] == "trainer"] + trainees if trainees else accounts)
        if args.accounts_file:
            Path(args.accounts_file).write_text(json.dumps(accounts, ensure_ascii=False, indent=2),
                                                encoding="utf-8")
        if trainees or getattr(args, "accounts_xlsx", None):
            from sync.server.seed.accounts import write_accounts_xlsx
            xlsx = Path(args.accounts_xlsx or _default_xlsx(args.db))
            handout = [a for a in accounts if a["role"] == "trainer"] + trainees if trainees else accounts
            try:
                write_accounts_xlsx(handout, xlsx, title="培训账号")
                print(f"账号表已写入：{xlsx.resolve()}", flush=True)
            except OSError as exc:
                print(f"账号表无法写入 {xlsx}：{exc.strerror or exc}", file=sys.stderr)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"注意：服务器监听 {args.host}，其他计算机可以连接。", flush=True)
    if store.migration.changed and store.migration.before is not None:
        print(f"数据库结构已升级：{store.migration.before} → {store.migration.after}", flush=True)
    from sync.server.runner import make_listener
    try:
        sock = make_listener(args.host, args.port)
    except OSError as exc:
        print(f"无法监听 {args.host}:{args.port}：{exc.strerror or exc}", file=sys.stderr)
        return 1
    port = sock.getsockname()[1]
    from sync.server.runner import uvicorn_options
    from sync.server.tls import TlsSettings
    tls = TlsSettings(args.tls_cert, args.tls_key, args.client_ca) if args.tls_cert else None
    if args.workers > 1:
        store.close()
        print(f"同步服务器：{'https' if tls else 'http'}://{args.host}:{port}  （{args.workers} 个工作进程，Ctrl+C 停止）",
              flush=True)
        from sync.server import workers
        workers.serve(config, sock, args.workers, tls)
        return 0
    from sync.server.app import create_app

    import uvicorn
    app = create_app(store)
    # The first line a script can wait for: the actual address (also with --port 0).
    print(f"同步服务器：{'https' if tls else 'http'}://{args.host}:{port}  （Ctrl+C 停止）", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                           **uvicorn_options(tls)))
    server.run(sockets=[sock])
    return 0


def _default_xlsx(db: str | None) -> str:
    """The handout next to the database file: hecha-server.db -> hecha-server-账号.xlsx."""
    base = db or "hecha-server.db"
    if "://" in base:
        return "培训账号.xlsx"
    p = Path(base)
    return str(p.with_name(p.stem + "-账号.xlsx"))


def _print_accounts(accounts: list[dict[str, Any]]) -> None:
    print("演示账号：")
    for a in accounts:
        print(f"  {a['username']:<16} 密码 {a['password']:<14} {a['role']:<9} {a['jurisdiction']:<12} "
              f"{a['display_name']}")


def _adduser(args: argparse.Namespace) -> int:
    from sync.server.config import ServerConfig
    from sync.server.security import hash_password
    from sync.server.store import Store

    from sync.server.passwords import PasswordRejected, check_policy

    if not args.jurisdiction.isdigit() or not 2 <= len(args.jurisdiction) <= 12:
        print("辖区必须是 2 到 12 位的区划代码前缀（如省 61、县 610424）", file=sys.stderr)
        return 2
    password = args.password or getpass.getpass("密码：")
    try:
        check_policy(password, args.username)
    except PasswordRejected as exc:
        print(exc, file=sys.stderr)
        return 2
    store = Store(ServerConfig(db_url=_db_url(args.adduser_db or args.db)))
    if args.role == "trainer" and not store.training:
        print("培训讲师账号只能加到培训数据库中", file=sys.stderr)
        return 2
    with store.write() as conn:
        if store.user_by_name(conn, args.username):
            print(f"用户 {args.username} 已存在", file=sys.stderr)
            return 1
        store.add_user(conn, args.username, hash_password(password), args.role, args.jurisdiction,
                       args.display_name or args.username, must_change_password=True)
        if args.cert:
            from cryptography import x509
            from cryptography.hazmat.primitives.serialization import Encoding
            from sqlalchemy import update

            from sync.server import schema as t
            from sync.server.tls import fingerprint
            der = x509.load_pem_x509_certificate(Path(args.cert).read_bytes()).public_bytes(Encoding.DER)
            conn.execute(update(t.users).where(t.users.c.username == args.username)
                         .values(cert_fingerprint=fingerprint(der)))
    print(f"已添加用户 {args.username}（{args.role}，辖区 {args.jurisdiction}）")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from sync.server import migrate
    from sync.server.db import make_engine
    engine = make_engine(_db_url(args.migrate_db or args.db), pool_size=1)
    try:
        if args.check:
            rev = migrate.check(engine)
            print(f"数据库结构版本：{rev or '空数据库'}（本程序：{migrate.head()}）")
            return 0 if rev == migrate.head() else 1
        result = migrate.upgrade(engine)
    except migrate.SchemaVersionError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    if result.changed:
        print(f"数据库结构已升级：{result.before or '空数据库'} → {result.after}")
    else:
        print(f"数据库结构已是最新：{result.after}")
    return 0


def _verify(args: argparse.Namespace, store: Any, conn: Any) -> int:
    """The chain, then every anchor (the given file, else the server's default one if it exists)."""
    from sync.server import audit, audit_anchor

    verdict = audit.verify(conn)
    if not verdict.ok:
        print(f"审计日志被篡改：第 {verdict.first_bad} 条记录起不可信。{verdict.reason}", file=sys.stderr)
        return 1
    path = None if args.no_anchor else (
        Path(args.anchor) if args.anchor else audit_anchor.anchor_path(store.config, store.url))
    if path is not None and args.anchor and not path.is_file():
        print(f"锚点文件不存在：{path}", file=sys.stderr)
        return 2
    if path is None or not path.is_file():
        print(f"审计日志完整：{verdict.entries} 条记录，哈希链无误（未核对锚点文件）")
        return 0
    anchored = audit_anchor.check_anchors(conn, audit_anchor.read_anchors(path))
    if not anchored.ok:
        print(f"审计日志被篡改：第 {anchored.first_bad} 条记录起不可信。{anchored.reason}（锚点文件 {path}）",
              file=sys.stderr)
        return 1
    print(f"审计日志完整：{verdict.entries} 条记录，哈希链无误，与锚点文件 {path} 的 {anchored.anchors} 个链头一致")
    return 0


def _audit(args: argparse.Namespace) -> int:
    from sync.server import audit
    from sync.server.config import ServerConfig
    from sync.server.store import Store

    if "://" not in args.audit_db and not Path(args.audit_db).is_file():
        print(f"数据库文件不存在：{args.audit_db}", file=sys.stderr)
        return 2
    store = Store(ServerConfig(db_url=_db_url(args.audit_db)))
    try:
        with store.read() as conn:
            if args.audit_command == "verify":
                return _verify(args, store, conn)
            if args.audit_command == "head":
                seq, hash_, at = audit.head(conn)
                print(f"审计日志链头：序号 {seq}  哈希 {hash_}  时间 {at}（请抄录到纸质台账或其他计算机）")
                return 0
            entries = list(audit.query(conn, since=args.since, until=args.until, user=args.user))
        out = Path(args.out)
        try:
            n = audit.export(entries, out)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
        with store.write() as conn:   # the export itself is in the trace
            audit.AuditLog(store).append(conn, actor=getpass.getuser()[:64], role="cli", action="audit_export",
                                         target=out.name, detail={"since": args.since, "until": args.until,
                                                                  "user": args.user, "count": n})
        print(f"已导出 {n} 条审计记录：{out.resolve()}")
        return 0
    finally:
        store.close()
