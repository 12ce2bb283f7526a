"""The `hecha` command (also `python -m client`): dispatches to the GUI, the server and tools.

Each subcommand lives in its own module with `add_arguments(parser)` and `run(args) -> int`;
modules are imported only when their subcommand runs, so `hecha --version` stays instant and
the headless commands never load Qt.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from client import __version__

# name -> (module, one-line help). Later subcommands (gui, demo, server, sync) register here.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "gui": ("ui.cli", "启动桌面程序（不带子命令时的默认）"),
    "validate": ("client.tools.validate", "检查人员记录文件（.json 或 .csv）并列出问题"),
    "check-id": ("client.tools.check_id", "检查身份证号码：规范化、校验位、出生日期、性别、地址码"),
    "server": ("sync.server.cli", "运行同步服务器（参考/培训服务器）"),
    "sync": ("client.tools.sync_cli", "登录并同步一次,输出 JSON 摘要(无界面)"),
    "demo": ("ui.demo", "培训模式：在本机启动培训服务器和演示数据，以演示账号登录"),
    "report": ("ui.report_cli", "报表：核查工作进度表（.xlsx）或入户核查表（PDF），用本机同步下来的数据"),
    "trainer": ("client.tools.trainer", "讲师工具：学员进度表、为全班制造冲突或撤回任务、重置培训数据"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hecha", description="核查工作台 (Hecha)")
    parser.add_argument("--version", action="version", version=f"hecha {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(_module=module_name)
        _add_arguments_lazily(p, module_name)
    return parser


def _add_arguments_lazily(parser: argparse.ArgumentParser, module_name: str) -> None:
    # argparse needs each subcommand's arguments up front; importing a tool module is cheap
    # as long as tool modules import their heavy dependencies inside run().
    module = importlib.import_module(module_name)
    module.add_arguments(parser)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_module", None):
        if "gui" not in SUBCOMMANDS:
            parser.print_help()
            return 0
        args = parser.parse_args(["gui"])  # `hecha` alone starts the desktop app
    module = importlib.import_module(args._module)
    return int(module.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
