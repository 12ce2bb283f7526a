"""Demo accounts: a trainer, a county worker and one worker per township, with readable passwords."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import random

from sync.server.seed.places import County

# Short, easy-to-type words for classroom passwords (no 0/O or 1/l confusion in the digits).
_WORDS = ("mudan", "qinling", "weihe", "huashan", "yanta", "zhongnan", "qianling", "taibai",
          "lishan", "hanjiang", "baota", "dayan", "xiangzi", "liangpi", "roujiamo")


def _password(rng: random.Random) -> str:
    return f"{rng.choice(_WORDS)}-{rng.randrange(2, 10)}{rng.randrange(2, 10)}{rng.randrange(2, 10)}{rng.randrange(2, 10)}"


def township_username(township_code9: str) -> str:
    """xz + the 3-digit township part: 610424001 → xz001 (unique within a county)."""
    return "xz" + township_code9[6:9]


def make_accounts(rng: random.Random, county: County) -> list[dict[str, Any]]:
    accounts = [
        {"username": "trainer", "password": _password(rng), "role": "trainer",
         "jurisdiction": county.code, "display_name": f"{county.name} 培训讲师"},
        {"username": "county", "password": _password(rng), "role": "county",
         "jurisdiction": county.code, "display_name": f"{county.name} 区县专干"},
    ]
    for code, name in county.townships:
        accounts.append({"username": township_username(code), "password": _password(rng),
                         "role": "township", "jurisdiction": code,
                         "display_name": f"{name} 专干"})
    return accounts


ROLE_NAMES = {"trainer": "培训讲师", "county": "区县专干", "township": "乡镇专干", "admin": "管理员"}


def write_accounts_xlsx(accounts: list[dict[str, Any]], path: str | Path, title: str = "演示账号") -> None:
    """The accounts as a printable sheet to hand out in class (username, password, role, area)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

    from sync.server.seed.places import division_name

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook has one worksheet
    ws.title = title
    headers = ("用户名", "密码", "角色", "辖区代码", "辖区", "显示名")
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for a in accounts:
        code = a.get("jurisdiction") or ""
        ws.append((a["username"], a["password"], ROLE_NAMES.get(a.get("role", ""), a.get("role", "")),
                   code, division_name(code), a.get("display_name") or ""))
    for col, width in zip("ABCDEF", (12, 18, 10, 14, 24, 22)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    wb.save(path)
