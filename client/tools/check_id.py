"""`hecha check-id NUMBER...`: check citizen ID numbers and print one line per number.

Shows the normalized number, valid or not, birth date, sex, the address code's place and every
error or warning code with its Chinese description. Numbers come from the arguments, or from
standard input (one per line) when none are given or the argument is "-".
Exit status: 0 all valid, 1 at least one invalid, 2 no input.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

EXIT_OK, EXIT_INVALID, EXIT_NO_INPUT = 0, 1, 2
SEX_NAMES = {1: "男", 2: "女"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("numbers", metavar="NUMBER", nargs="*",
                        help="身份证号码（可多个）；不写或写 - 时从标准输入逐行读取")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.add_argument("--today", metavar="YYYY-MM-DD", help="按指定日期检查出生日期（默认今天）")


def region_name(code6: str | None) -> str:
    """Current path name of an ID address code, or its historical name with the years in force."""
    if not code6:
        return ""
    from client.domain.divisions import address_code_info, address_code_path, division_tree

    path = division_tree().path_name(code6)
    if path:
        return path
    info = address_code_info(code6)
    if info is None:
        return "（地址码不在区划代码表中）"
    name = address_code_path(code6)
    if info.current:
        return name
    years = f"{info.first_year or '?'}—{info.last_year or '?'}"
    return f"{name}（已撤销或变更，{years}年使用）"


def describe(text: str, today: date | None = None) -> dict[str, Any]:
    from client.domain.idnumber import ID_MESSAGES, check_id_number

    r = check_id_number(text, today=today)
    return {
        "input": text,
        "normalized": r.normalized,
        "valid": r.valid,
        "placeholder": r.placeholder,
        "birth_date": r.birth_date.isoformat() if r.birth_date else None,
        "sex": r.sex,
        "sex_name": SEX_NAMES.get(r.sex or 0),
        "region_code": r.region_code,
        "region_name": region_name(r.region_code) if r.region_code else None,
        "errors": [{"code": c, "message": ID_MESSAGES[c]} for c in r.errors],
        "warnings": [{"code": c, "message": ID_MESSAGES[c]} for c in r.warnings],
    }


def format_line(d: dict[str, Any]) -> str:
    shown = d["normalized"] or d["input"]
    parts = [shown if shown == d["input"] else f"{d['input']} → {shown}",
             "有效" if d["valid"] else "无效"]
    if d["birth_date"]:
        parts.append(f"出生 {d['birth_date']}")
    if d["sex_name"]:
        parts.append(d["sex_name"])
    if d["region_name"]:
        parts.append(d["region_name"])
    parts += [f"[错误 {e['code']}] {e['message']}" for e in d["errors"]]
    parts += [f"[警告 {w['code']}] {w['message']}" for w in d["warnings"]]
    return "  ".join(parts)


def run(args: argparse.Namespace) -> int:
    today = None
    if args.today:
        try:
            today = date.fromisoformat(args.today)
        except ValueError:
            print(f"日期格式不对（应为 YYYY-MM-DD）：{args.today}", file=sys.stderr)
            return EXIT_NO_INPUT
    numbers = list(args.numbers)
    if not numbers or numbers == ["-"]:
        if sys.stdin is None or sys.stdin.isatty():
            print("请给出要检查的身份证号码，例如：hecha check-id 11010519491231002X", file=sys.stderr)
            return EXIT_NO_INPUT
        numbers = [line.strip() for line in sys.stdin if line.strip()]
    if not numbers:
        print("没有要检查的身份证号码", file=sys.stderr)
        return EXIT_NO_INPUT
    results = [describe(n, today) for n in numbers]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for d in results:
            print(format_line(d))
    return EXIT_OK if all(d["valid"] for d in results) else EXIT_INVALID
