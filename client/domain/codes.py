"""Code tables of the national standards (sex, marital status, ethnicity, relation, …).

`code_table("ethnicity").lookup_name("毛难族")` finds entries by name and legacy alias;
the two education lists (GB/T 4658-2006 and the 1984 list) are separate tables on purpose.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field
from typing import Mapping

from client.domain._tables import read_rows

# table name -> CSV file in resources/data/codes
TABLE_FILES: dict[str, str] = {
    "sex": "gbt2261_1_sex.csv",
    "marital": "gbt2261_2_marital.csv",
    "ethnicity": "gbt3304_ethnicity.csv",
    "relation": "gbt4761_family_relation.csv",
    "id_type": "cv02_01_101_id_doc_type.csv",
    "hukou_type": "hukou_type.csv",
    "education_2006": "gbt4658_2006_education.csv",
    "education_1984": "gbt4658_1984_wenhua.csv",
    "urban_rural": "urban_rural_class.csv",
}

TABLE_TITLES: dict[str, str] = {
    "sex": "性别 (GB/T 2261.1-2003)",
    "marital": "婚姻状况 (GB/T 2261.2-2003)",
    "ethnicity": "民族 (GB/T 3304-1991)",
    "relation": "与户主关系 (GB/T 4761-2008)",
    "id_type": "证件类型 (CV02.01.101)",
    "hukou_type": "户口性质",
    "education_2006": "文化程度 (GB/T 4658-2006)",
    "education_1984": "文化程度 (1984年旧表)",
    "urban_rural": "城乡分类",
}

# Everyday names that records carry instead of the standard's wording.
_EXTRA_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "sex": {"1": ("男",), "2": ("女",), "0": ("未知",), "9": ("未说明",)},
}

_SEX_LETTERS = {"M": 1, "F": 2}


@dataclass(frozen=True)
class CodeEntry:
    code: str
    name: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    implied_sex: int | None = None  # relation only: 1 male, 2 female
    generation: int | None = None  # relation only: generations above (+) / below (-) the householder
    attrs: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)


def _clean(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


class CodeTable:
    """One code list: look-up by code (exact) and by name or alias (NFKC, spaces ignored)."""

    def __init__(self, name: str, entries: list[CodeEntry]):
        self.table_name = name
        self.title = TABLE_TITLES.get(name, name)
        self._entries = list(entries)
        self._by_code = {e.code: e for e in entries}
        self._by_name: dict[str, CodeEntry] = {}
        for e in entries:
            for n in (e.name, *e.aliases):
                self._by_name.setdefault(_clean(n), e)
        widths = {len(e.code) for e in entries}
        self._width = widths.pop() if len(widths) == 1 else None

    def get(self, code: str | None) -> CodeEntry | None:
        if code is None:
            return None
        return self._by_code.get(str(code).strip())

    def name(self, code: str | None) -> str | None:
        entry = self.get(code)
        return entry.name if entry else None

    def lookup_name(self, name: str | None) -> CodeEntry | None:
        if not name:
            return None
        return self._by_name.get(_clean(name))

    def entries(self) -> list[CodeEntry]:
        return list(self._entries)

    def codes(self) -> list[str]:
        return [e.code for e in self._entries]

    def normalize_code(self, code: str | int | None) -> str | None:
        """Canonical form of a code that lost its leading zeros in a spreadsheet ("1" -> "01")."""
        if code is None:
            return None
        s = _clean(str(code))
        if self._width and s.isdigit() and len(s) < self._width:
            s = s.zfill(self._width)
        return s if s in self._by_code else None

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.strip() in self._by_code

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"CodeTable({self.table_name!r}, {len(self)} entries)"


def _generation(text: str) -> int | None:
    return int(text) if text else None


def _entry(table: str, row: dict[str, str]) -> CodeEntry:
    code, name = row["code"], row["name"]
    aliases: list[str] = list(_EXTRA_ALIASES.get(table, {}).get(code, ()))
    implied_sex = generation = None
    if table == "ethnicity":
        if row.get("legacy_alias"):
            aliases.append(row["legacy_alias"])
        # "汉" for "汉族", "毛难" for "毛难族": forms seen in older records
        for n in (name, row.get("legacy_alias", "")):
            if n.endswith("族") and len(n) >= 2:
                aliases.append(n[:-1])
    if table == "relation":
        implied_sex = _SEX_LETTERS.get(row.get("implied_sex", ""))
        generation = _generation(row.get("generation_vs_householder", ""))
    extra = {k: v for k, v in row.items() if k not in ("code", "name", "parent") and v}
    return CodeEntry(code=code, name=name, parent=row.get("parent") or None, aliases=tuple(aliases),
                     implied_sex=implied_sex, generation=generation, attrs=extra)


@functools.cache
def code_table(name: str) -> CodeTable:
    """The named table (see TABLE_FILES); KeyError for an unknown name."""
    if name not in TABLE_FILES:
        raise KeyError(f"unknown code table {name!r}; known: {', '.join(TABLE_FILES)}")
    return CodeTable(name, [_entry(name, r) for r in read_rows("codes", TABLE_FILES[name])])


def relation_implied_sex(code: str | None) -> int | None:
    """1 (male) or 2 (female) when the relation implies a sex (11 夫, 30 女, …), else None."""
    entry = code_table("relation").get(code)
    return entry.implied_sex if entry else None


def relation_generation(code: str | None) -> int | None:
    """Generations above (+1 parents) or below (-1 children) the householder; None if unknown."""
    entry = code_table("relation").get(code)
    return entry.generation if entry else None


def marital_is_married(code: str | None) -> bool | None:
    """True for 20-23 (married), False for 10/30/40, None for 90 or unknown codes."""
    entry = code_table("marital").get(code)
    if entry is None or not entry.attrs.get("is_married"):
        return None
    return entry.attrs["is_married"] == "1"


def education_1984_to_2006(code: str | None) -> str | None:
    """The nearest GB/T 4658-2006 code for a 1984-list code (for display and statistics only)."""
    entry = code_table("education_1984").get(code)
    return entry.attrs.get("map_to_2006") if entry else None
