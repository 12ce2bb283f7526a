"""`hecha demo`: training mode in one process (server + demo worker + 培训模式 window).

`--headless` starts, logs in, syncs once and prints a summary without Qt; `--check` does the
same with the window (offscreen is fine) and quits: the frozen app's self-check. Qt is imported
only when a window is shown.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

# Imported while the command line is parsed, before Qt and the server load: the reference point
# of the start-up times the self-check reports.
STARTED = time.perf_counter()

CHECK_PEOPLE = 2000  # the self-check needs a working county, not a big one


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", help="演示账号（默认第一个乡镇专干账号，如 xz001）")
    parser.add_argument("--people", type=int, default=None,
                        help="演示县人口规模（默认 30000；--check 默认 2000）")
    parser.add_argument("--seed-value", default="hecha", help="演示数据的随机种子")
    parser.add_argument("--data-dir", help="培训数据目录（默认在本机数据目录下的 training，与正式数据分开）")
    parser.add_argument("--fresh", action="store_true", help="删除已有的培训数据，重新生成")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--headless", action="store_true",
                      help="不显示窗口：启动、登录、同步一次，输出摘要后退出")
    mode.add_argument("--check", action="store_true",
                      help="自检：打开窗口、启动培训服务器、同步一次后退出（打包程序的自检模式）")
    parser.add_argument("--json", action="store_true", help="（--headless/--check）以 JSON 输出摘要")
    parser.add_argument("--language", choices=["zh_CN", "en"], help="界面语言")
    parser.add_argument("--large-font", action="store_true", help="大字体模式（投影仪）")


def _say(message: str) -> None:
    print(message, flush=True)


def prepare_root(args: argparse.Namespace) -> tuple[Path, bool]:
    """The training data directory and whether it is a temporary one (removed at exit)."""
    if args.check and not args.data_dir:
        return Path(tempfile.mkdtemp(prefix="hecha-demo-check-")), True
    if args.data_dir:
        root = Path(args.data_dir).expanduser()
    else:
        from client.training.demo import demo_root
        root = demo_root()
    if args.fresh and root.exists():
        from client.training.lock import DirLock
        lock = DirLock(root)
        lock.acquire()  # DemoAlreadyRunning: never pull the data from under a running demo
        try:
            for child in root.iterdir():
                if child.name != lock.path.name:
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
        finally:
            lock.release()
    return root, False


def run(args: argparse.Namespace) -> int:
    people = args.people if args.people is not None else (CHECK_PEOPLE if args.check else None)
    if people is not None and people < 1:
        print("--people 必须大于 0", file=sys.stderr)
        return 2
    args.people = people
    try:
        root, temporary = prepare_root(args)
    except Exception as exc:  # a running demo, an unwritable directory
        print(f"培训模式启动失败：{failure_text(exc)}", file=sys.stderr)
        return 1
    try:
        if args.headless:
            return run_headless(args, root)
        from ui.demo_window import run_demo_gui
        return run_demo_gui(args, root)
    finally:
        if temporary:
            shutil.rmtree(root, ignore_errors=True)


def session_for(args: argparse.Namespace, root: Path, say=_say):
    from client.training.demo import DEFAULT_PEOPLE, DemoSession
    return DemoSession(root, username=args.user, people=args.people or DEFAULT_PEOPLE,
                       seed_value=args.seed_value, say=say)


def failure_text(exc: BaseException) -> str:
    """The worker-facing reason of a failed demo start."""
    from ui.own_message import own_message

    message = own_message(exc)
    if message:
        return message
    if isinstance(exc, OSError):
        return f"无法启动培训服务器：{exc.strerror or exc}"
    if isinstance(exc, LookupError):
        return str(exc.args[0]) if exc.args else "演示账号不存在"
    # Most likely damaged or outdated training data: say how to start over.
    return f"{type(exc).__name__}: {exc}（可以用 hecha demo --fresh 重新生成培训数据）"


def run_headless(args: argparse.Namespace, root: Path) -> int:
    session = session_for(args, root, say=(lambda _m: None) if args.json else _say)
    try:
        session.start()
        session.open()
        report = session.sync()
        summary = session.summary(report)
    except Exception as exc:  # every failure ends as one clear line and status 1
        print(f"培训模式启动失败：{failure_text(exc)}", file=sys.stderr)
        return 1
    finally:
        session.close()
    if args.json:
        print(json.dumps({"ok": True, "url": summary.url, "username": summary.username,
                          "tasks": summary.tasks, "by_kind": summary.by_kind, "pulled": summary.pulled,
                          "pushed": summary.pushed, "seconds": summary.seconds}, ensure_ascii=False))
    else:
        for line in summary.lines():
            print(line)
    return 0
