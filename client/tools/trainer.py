"""`hecha trainer`: the trainer's console for a classroom server: progress report (.xlsx), a
conflict or a withdrawn case for the whole class, reset to the starting state."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", default="http://127.0.0.1:8765", help="培训服务器地址（默认 http://127.0.0.1:8765）")
    parser.add_argument("--user", default="trainer", help="讲师账号（默认 trainer）")
    parser.add_argument("--password", help="讲师密码（hecha server 启动时打印，也在账号表中）；不填则提示输入")
    sub = parser.add_subparsers(dest="trainer_command", metavar="ACTION")
    rep = sub.add_parser("report", help="学员进度：在屏幕上列出，并可写入 .xlsx")
    rep.add_argument("--xlsx", help="进度表 .xlsx 的位置")
    rep.add_argument("--users", help="只列这些学员，逗号分隔（默认全班）")
    for name, help_text in (("conflict", "为全班制造冲突：以县办身份修改每名学员那份教学任务的人员记录"),
                            ("withdraw", "为全班撤回每名学员那份教学任务")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--rule", help="按规则代码选任务，如 ID_BIRTH_MISMATCH")
        p.add_argument("--name", help="按任务上的姓名选任务")
        p.add_argument("--users", help="只对这些学员，逗号分隔（默认全班）")
        p.add_argument("--note", default=None, help="说明（记入服务器历史）")
        if name == "conflict":
            p.add_argument("--field", required=True, help="要修改的字段，如 birth_date、current_address")
            p.add_argument("--value", required=True, help="新值（空字符串表示清空）")
        else:
            p.add_argument("--kind", choices=("error", "birth", "duplicates"), help="任务类别")
    sub.add_parser("reset", help="把培训数据恢复到初始状态（所有学员的任务重新待办）")


def _password(args: argparse.Namespace) -> str:
    if args.password:
        return str(args.password)
    import getpass
    return getpass.getpass("讲师密码：")


def run(args: argparse.Namespace) -> int:
    from client.training.classroom import Classroom, Selector, report_rows, REPORT_HEADERS, write_progress_xlsx
    from client.training.trainer_api import TrainerClient, TrainerError

    command = getattr(args, "trainer_command", None)
    if command is None:
        print("请指定操作：report、conflict、withdraw 或 reset（hecha trainer --help）", file=sys.stderr)
        return 2
    if command in ("conflict", "withdraw") and not (args.rule or args.name):
        print("请用 --rule 或 --name 指定是哪一条教学任务", file=sys.stderr)
        return 2
    client = TrainerClient(args.server, args.user, _password(args))
    try:
        if not client.health().get("training"):
            print(f"{args.server} 不是培训服务器：讲师操作只能用于培训服务器。", file=sys.stderr)
            return 1
        room = Classroom(client)
        only = [u.strip() for u in (getattr(args, "users", None) or "").split(",") if u.strip()] or None
        if command == "report":
            progress = room.progress(only)
            print("\t".join(REPORT_HEADERS))
            for row in report_rows(progress):
                print("\t".join(str(v) for v in row))
            if args.xlsx:
                write_progress_xlsx(progress, args.xlsx)
                print(f"进度表已写入：{args.xlsx}")
            return 0
        if command == "reset":
            r = client.reset()
            print(f"培训数据已恢复初始状态：{r['persons']} 人，{r['households']} 户，{r['cases']} 个任务。"
                  "学员需要重新同步（数据会自动重新下载）。")
            return 0
        if command == "conflict":
            selector = Selector(args.rule, args.name, "error")
            kw = {"note": args.note} if args.note else {}
            outcomes = room.make_conflict(selector, args.field, args.value or None, only=only, **kw)
            verb = "修改"
        else:
            selector = Selector(args.rule, args.name, args.kind)
            kw = {"note": args.note} if args.note else {}
            outcomes = room.withdraw(selector, only=only, **kw)
            verb = "撤回"
        for o in outcomes:
            print(f"  {o.username:<6} {o.case_id or '—':<10} {o.message}")
        done = sum(o.done for o in outcomes)
        print(f"已为 {done}/{len(outcomes)} 名学员{verb}任务（{selector.describe()}）。")
        return 0 if done else 1
    except TrainerError as exc:
        print(f"操作失败：{exc.message}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"操作失败：{exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        client.close()
