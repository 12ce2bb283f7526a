"""`hecha gui` (and `hecha` with no subcommand): the desktop app. Qt is imported only in run()."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", help="server address to prefill (e.g. https://10.0.0.5:8443)")
    parser.add_argument("--username", help="username to prefill")
    parser.add_argument("--language", choices=["zh_CN", "en"], help="UI language (default zh_CN)")
    parser.add_argument("--large-font", action="store_true", help="big-font mode")
    parser.add_argument("--quit-after", type=float, default=None, metavar="SECONDS",
                        help=argparse.SUPPRESS)  # smoke tests of packaged builds


def run(args: argparse.Namespace) -> int:
    from ui.app import run_gui
    return run_gui(args)
