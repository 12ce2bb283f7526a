"""The demo county's real townships and villages, read from the shipped Shaanxi division table."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass

import resources


@dataclass(frozen=True)
class Village:
    code: str            # 12 digits
    name: str            # 东大街社区居委会
    township_code: str   # 9 digits
    township_name: str
    urban: bool          # 居委会 (village part 001-199)

    @property
    def short(self) -> str:
        """The name as written in an address: 东大街社区, 北街村."""
        for suffix, repl in (("村民委员会", "村"), ("村委会", "村"), ("社区居委会", "社区"),
                             ("居民委员会", "社区"), ("居委会", "社区")):
            if self.name.endswith(suffix):
                return self.name[: -len(suffix)] + repl
        return self.name


@dataclass(frozen=True)
class County:
    code: str                       # 6 digits
    name: str                       # 乾县
    prefecture_name: str            # 咸阳市
    province_name: str              # 陕西省
    townships: tuple[tuple[str, str], ...]   # (9-digit code, name) in code order
    villages: tuple[Village, ...]   # in code order
    neighbours: tuple[str, ...]     # other current county codes of the same prefecture
    province_counties: tuple[str, ...]  # current county codes elsewhere in the province

    @property
    def address_prefix(self) -> str:
        return f"{self.province_name}{self.prefecture_name}{self.name}"


@functools.cache
def _rows() -> tuple[tuple[str, str, str, str], ...]:
    with resources.path("data", "divisions", "divisions_61_l5.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        return tuple((r[0].strip(), r[1].strip(), r[2].strip(), r[3].strip()) for r in reader if r)


@functools.cache
def load_county(code6: str) -> County:
    """The county with code6 (a real Shaanxi county code); ValueError if unknown or without villages."""
    rows = _rows()
    by_code = {r[0]: r for r in rows}
    if len(code6) != 6 or code6 not in by_code or by_code[code6][2] != "3":
        raise ValueError(f"不是陕西省的区县代码：{code6!r}")
    pref = by_code.get(code6[:4])
    prov = by_code.get(code6[:2])
    townships = tuple(sorted((r[0], r[1]) for r in rows if r[2] == "4" and r[3] == code6))
    tnames = dict(townships)
    villages = tuple(sorted(
        (Village(r[0], r[1], r[3], tnames.get(r[3], ""), int(r[0][9:]) < 200)
         for r in rows if r[2] == "5" and r[0].startswith(code6) and r[3] in tnames),
        key=lambda v: v.code))
    if not villages:
        raise ValueError(f"区县 {code6} 没有村级区划")
    counties = sorted(r[0] for r in rows if r[2] == "3" and r[0] != code6)
    # 县级单位 only (skip 6x0100-style 市辖区 rows if any); neighbours share the prefecture.
    neighbours = tuple(c for c in counties if c[:4] == code6[:4])
    others = tuple(c for c in counties if c[:4] != code6[:4])
    return County(code6, by_code[code6][1], pref[1] if pref else "", prov[1] if prov else "",
                  townships, villages, neighbours, others)


def all_division_codes() -> frozenset[str]:
    """Every code of the Shaanxi table padded to 12 digits (used by tests and checks)."""
    return frozenset(r[0].ljust(12, "0") for r in _rows())


@functools.cache
def _names() -> dict[str, str]:
    return {r[0]: r[1] for r in _rows()}


def division_name(code: str) -> str:
    """Full name of a Shaanxi division code of natural length (61, 6104, 610424, 610424001…):
    陕西省咸阳市乾县城关街道; '' if unknown."""
    names = _names()
    parts = [names.get(code[:n]) for n in (2, 4, 6, 9, 12) if len(code) >= n]
    if not parts or parts[-1] is None:
        return ""
    return "".join(p for p in parts if p and p != "市辖区")
