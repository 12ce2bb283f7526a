"""`hecha server import`, `import-template` and `export-results` (feeds in, results out)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from sync.server.store import Store


def run(args: argparse.Namespace, db_url: Callable[[str | None], str]) -> int:
    if args.server_command == "import-template":
        from sync.server.feed_read import write_template
        for p in write_template(args.out):
            print(f"模板已写入：{p}")
        return 0
    from sync.server.config import ServerConfig
    from sync.server.migrate import SchemaVersionError
    from sync.server.store import Store
    db = args.import_db if args.server_command == "import" else args.export_db
    try:
        store = Store(ServerConfig(db_url=db_url(db or args.db)))
    except SchemaVersionError as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        return _import(args, store) if args.server_command == "import" else _export(args, store)
    finally:
        store.close()


def _import(args: argparse.Namespace, store: Store) -> int:
    from sync.server.feed_apply import apply_feeds, set_assignments
    from sync.server.feed_read import read_feed
    if args.assign:
        try:
            with open(args.assign, encoding="utf-8-sig", newline="") as fh:
                rows = [(r[0].strip(), r[1].strip()) for r in csv.reader(fh) if len(r) >= 2 and r[0].strip().isdigit()]
            set_assignments(store, rows)
        except (OSError, ValueError) as exc:
            print(f"分配表无法使用：{exc}", file=sys.stderr)
            return 2
    feeds = [read_feed(Path(f), mode=args.mode) for f in args.files]
    report = apply_feeds(store, feeds)
    if args.json:
        print(json.dumps(report.summary(), ensure_ascii=False, indent=1))
    else:
        for e in report.errors:
            print(str(e))
        for u in report.unassigned:
            print(f"{u['file']} 第{u['line']}行：外部编号 {u['external_id']}（地区 {u['place'] or '未知'}）{u['reason']}")
        if report.applied:
            print(f"已导入：新增 {report.added} 件，更新 {report.changed} 件，未变 {report.unchanged} 件，"
                  f"收回 {report.withdrawn} 件，无人负责 {len(report.unassigned)} 件；"
                  f"写入人员 {report.persons_written} 人，其他任务随之更新 {report.office_edits} 件")
        else:
            print(f"有 {len(report.errors)} 处错误，全部文件均未导入（改正后重新导入）", file=sys.stderr)
    return 0 if report.applied else 1


def _export(args: argparse.Namespace, store: Store) -> int:
    from sync.server.results_export import TokenError, export_results
    try:
        result = export_results(store, args.since, args.out)
    except TokenError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"已导出 {result.count} 项处理结果到 {args.out}")
    print(f"下次续传标记：{result.next_token}")
    return 0
