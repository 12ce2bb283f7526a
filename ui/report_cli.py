"""`hecha report progress|forms`: the 核查工作进度表 (.xlsx) and the 入户核查表 (PDF) written from the
account's local data (after a sync), unattended. Qt is loaded only for the forms (printing).

Exit status: 0 written; 2 nothing to write (no figures yet, no cases); 3 the password or the
local store refused."""

from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", choices=["progress", "forms"],
                        help="progress: 核查工作进度表 (.xlsx)；forms: 入户核查表 (PDF)")
    parser.add_argument("--data-dir", required=True, help="本机数据目录")
    parser.add_argument("--user", required=True, help="用户名")
    parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码(第一行)")
    parser.add_argument("--village", help="只打印这个村(居)（代码）的核查表")
    parser.add_argument("--out", required=True, help="输出文件")


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass
    return getpass.getpass("密码: ")


def _say(ok: bool, status: int, **fields) -> int:
    print(json.dumps({"ok": ok, **fields}, ensure_ascii=False))
    if not ok:
        print(fields.get("message", ""), file=sys.stderr)
    return status


def _qt_application():
    """Printing needs a QApplication (fonts); unattended on Linux without a display: offscreen."""
    import os
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    return QApplication.instance() or QApplication(["hecha"])


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from client.errors import HechaError
    from client.workspace import Workspace
    from client.workspace.errors import NoProgressYet

    try:
        ws = Workspace.unlock(Path(args.data_dir), args.user, _password(args))
    except HechaError as exc:  # the store's errors too
        return _say(False, 3, error=exc.code, message=exc.message)
    try:
        if args.what == "progress":
            try:
                out = ws.write_progress_report(args.out)
            except NoProgressYet as exc:
                return _say(False, 2, error=exc.code, message=exc.message)
            return _say(True, 0, file=str(out))
        from client.forms import households
        forms = households(ws, village=args.village)
        if not forms:
            return _say(False, 2, error="no_cases", message="没有需要入户核查的任务。")
        _qt_application()
        from ui.village_forms import write_pdf
        pages = write_pdf(args.out, forms)
        ids = [s.case_id for h in forms for s in h.sections]
        ws.record_report("printed_form", {"file": Path(args.out).name}, ids)
        return _say(True, 0, file=args.out, pages=pages, households=len(forms), cases=len(ids))
    finally:
        ws.close()
