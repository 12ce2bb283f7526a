"""Statistical division codes (12 digits) and the division tree: paths, picker children, name search.

The tree combines all provinces down to townships (divisions_cn_l4.csv) with Shaanxi villages
(divisions_61_l5.csv). It is built once per process (about 66,000 nodes) by division_tree().
"""

from __future__ import annotations

import csv
import bisect
import functools
import heapq
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import resources
from client.domain.idnumber import province_code_known, region_code_known

LEVEL_NAMES = {1: "省级", 2: "地级", 3: "县级", 4: "乡级", 5: "村级"}
_NATURAL_LENGTHS = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
# Statistical levels that only group counties; the picker and path names skip them.
PSEUDO_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


class Division(NamedTuple):
    """One division. A NamedTuple because 65,000 of them are built at start-up."""

    code12: str
    code: str  # natural length: 2/4/6/9/12 digits
    name: str
    level: int  # 1 province .. 5 village
    parent_code: str | None  # natural length, None for provinces

    @property
    def is_pseudo(self) -> bool:
        return self.name in PSEUDO_NAMES


def normalize_division_code(code: str | int) -> str:
    """12-digit form of a division code given at natural length (6101 -> 610100000000).

    Raises ValueError for anything that is not 2, 4, 6, 9 or 12 digits.
    """
    s = "".join(unicodedata.normalize("NFKC", str(code)).split())
    if not (s.isascii() and s.isdigit()) or len(s) not in (2, 4, 6, 9, 12):
        raise ValueError(f"不是有效的区划代码：{code!r}")
    return s.ljust(12, "0")


def level_of(code12: str) -> int:
    """Level implied by the code's trailing zeros: 1 province, 2 prefecture, 3 county, 4 township, 5 village."""
    code12 = normalize_division_code(code12)
    if code12[2:] == "0" * 10:
        return 1
    if code12[4:] == "0" * 8:
        return 2
    if code12[6:] == "0" * 6:
        return 3
    if code12[9:] == "000":
        return 4
    return 5


def natural_code(code12: str) -> str:
    """Shortest form of a 12-digit code (610424001000 -> 610424001)."""
    code12 = normalize_division_code(code12)
    return code12[:_NATURAL_LENGTHS[level_of(code12)]]


def address_code_known(code6: str) -> bool:
    """Whether a 6-digit GB/T 2260 code was in force at some time in 1980-2024 (ID address codes)."""
    return region_code_known(str(code6).strip())


def province_known(code2: str) -> bool:
    """Whether a 2-digit province code is known, including 71, 81, 82 and 83."""
    return province_code_known(str(code2).strip()[:2])


@dataclass(frozen=True, slots=True)
class AddressCode:
    """A 6-digit GB/T 2260 code as recorded in the 1980-2024 history table."""

    code: str
    name: str
    first_year: int | None
    last_year: int | None
    current: bool


@functools.cache
def _history() -> dict[str, AddressCode]:
    out = {}
    with resources.path("data", "divisions", "gbt2260_code_history_1980_2024.csv").open(
            encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            first, last = row["first_year"].strip(), row["last_year"].strip()
            out[row["code"].strip()] = AddressCode(row["code"].strip(), row["name"].strip(),
                                                   int(first) if first else None,
                                                   int(last) if last else None,
                                                   row["current"].strip() == "1")
    return out


def address_code_info(code6: str) -> AddressCode | None:
    """Name and years in force of an ID address code (also abolished ones, e.g. 110104 宣武区)."""
    return _history().get(str(code6).strip())


def address_code_path(code6: str, sep: str = " / ") -> str:
    """Historical path of an ID address code from the history table (北京市 / 宣武区); '' if unknown."""
    code6 = str(code6).strip()
    history = _history()
    if code6 not in history:
        return ""
    names: list[str] = []
    for part in dict.fromkeys((code6[:2] + "0000", code6[:4] + "00", code6)):
        info = history.get(part)
        if info and info.name not in PSEUDO_NAMES and info.name not in names:
            names.append(info.name)
    return sep.join(names)


def _ranges() -> dict[str, list[tuple[int, int, str]]]:
    out: dict[str, list[tuple[int, int, str]]] = {"township": [], "village": []}
    with resources.path("data", "divisions", "division_code_ranges.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            kind, rng = row["level"].strip(), row["range"].strip()
            if kind in out and "-" in rng and "/" not in rng:
                lo, hi = rng.split("-")
                out[kind].append((int(lo), int(hi), row["meaning"].strip()))
    return out


_CODE_RANGES = _ranges()


def unit_kind(code12: str) -> str | None:
    """What the township or village part of a code says (街道, 镇, 乡, 村民委员会, …); None above level 4."""
    code12 = normalize_division_code(code12)
    level = level_of(code12)
    if level < 4:
        return None
    part, kind = (int(code12[6:9]), "township") if level == 4 else (int(code12[9:]), "village")
    if kind == "village" and part in (498, 598):
        return "虚拟社区/虚拟村"
    for lo, hi, meaning in _CODE_RANGES[kind]:
        if lo <= part <= hi:
            return meaning
    return None


class DivisionTree:
    """All divisions by 12-digit code, with children lists and a character index for search."""

    def __init__(self, divisions: list[Division]):
        self._by_code: dict[str, Division] = {}
        for d in divisions:
            seen = self._by_code.get(d.code12)
            # 东莞市 is both prefecture 4419 and "county" 441900: one 12-digit code, one node.
            # Keep the higher level; the lower one's children attach to it through the same code12.
            if seen is None or seen.code == d.code:
                self._by_code[d.code12] = d
        self._children: dict[str | None, list[Division]] = {}
        for d in self._by_code.values():
            parent = d.parent_code.ljust(12, "0") if d.parent_code else None
            if parent == d.code12:  # cannot happen after the merge above; guard against loops anyway
                continue
            self._children.setdefault(parent, []).append(d)
        for lst in self._children.values():
            lst.sort()  # by code12, the first field
        self._search_lock = threading.Lock()

    @functools.cached_property
    def _search_index(self) -> "_SearchIndex":
        # Built on the first search only: path names and pickers do not need it.
        with self._search_lock:
            return _SearchIndex(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, (str, int)) and self.get(str(code)) is not None

    def get(self, code: str | None) -> Division | None:
        if not code:
            return None
        try:
            return self._by_code.get(normalize_division_code(code))
        except ValueError:
            return None

    def ancestors(self, code: str) -> list[Division]:
        """The division and its parents, root first; [] for an unknown code."""
        chain: list[Division] = []
        d = self.get(code)
        while d is not None and d not in chain:
            chain.append(d)
            d = self.get(d.parent_code) if d.parent_code else None
        chain.reverse()
        return chain

    def path_name(self, code: str, sep: str = " / ", keep_pseudo: bool = False) -> str:
        """陕西省 / 咸阳市 / 乾县 / 城关街道 …; '' for an unknown code.

        Skips 市辖区-style grouping levels and a county repeating its prefecture's name (东莞市 / 东莞市).
        """
        names: list[str] = []
        for d in self.ancestors(code):
            if not keep_pseudo and (d.is_pseudo or (names and names[-1] == d.name)):
                continue
            names.append(d.name)
        return sep.join(names)

    def children(self, code: str | None = None) -> list[Division]:
        """What a picker shows under a division (provinces for None), grouping levels flattened."""
        if code is None:
            key = None
        else:
            d = self.get(code)
            if d is None:
                return []
            key = d.code12
        out: list[Division] = []
        for child in self._children.get(key, []):
            grandchildren = self._children.get(child.code12, [])
            parent = self._by_code.get(key) if key else None
            same_name_only_child = (parent is not None and child.name == parent.name
                                    and len(self._children.get(key, [])) == 1)
            if (child.is_pseudo or same_name_only_child) and grandchildren:
                out.extend(self.children(child.code12))
            else:
                out.append(child)
        return out

    def has_children(self, code: str) -> bool:
        d = self.get(code)
        return d is not None and bool(self._children.get(d.code12))

    def townships_of(self, county6: str) -> list[Division]:
        d = self.get(county6)
        return [c for c in self._children.get(d.code12, []) if c.level == 4] if d else []

    def villages_of(self, county6: str) -> list[Division]:
        return [v for t in self.townships_of(county6) for v in self._children.get(t.code12, [])]

    def search(self, text: str, limit: int = 20, within: str | None = None) -> list[Division]:
        """Divisions whose name contains the text; several words narrow by ancestors
        ("乾县 城关" finds 城关街道 in 乾县); digits search by code prefix. Exact and prefix
        matches come first, then higher levels. `within` limits to a code prefix (jurisdiction)."""
        text = unicodedata.normalize("NFKC", text or "").strip()
        if not text or limit <= 0:
            return []
        try:
            prefix = natural_code(within) if within else ""
        except ValueError:  # a jurisdiction that is not a division code contains nothing
            return []
        idx = self._search_index
        words = text.split()
        if len(words) == 1 and words[0].isascii() and words[0].isdigit():
            return idx.by_code_prefix(words[0], prefix, limit)
        last, context = words[-1], words[:-1]

        # Each context word must name the division or one of its ancestors.
        context_codes = [idx.codes_named(w) for w in context]

        def wanted(d: Division) -> bool:
            if not d.code.startswith(prefix):
                return False
            if context_codes:
                own = [d.code[:n] for n in (2, 4, 6, 9, 12) if n <= len(d.code)]
                return all(any(c in codes for c in own) for codes in context_codes)
            return True

        # Exact and prefix matches from the sorted names, then other substring matches from the
        # character postings; both are in (level, code) order already, so nothing is sorted.
        starting = idx.starting_with(last)
        exact = [d for d in starting if d.name == last and wanted(d)]
        hits = exact + [d for d in starting if d.name != last and wanted(d)]
        if len(hits) >= limit:
            return hits[:limit]
        inner = []
        for i in idx.postings(last):
            d = idx.ordered[i]
            if last in d.name and not d.name.startswith(last) and wanted(d):
                inner.append(d)
                if len(hits) + len(inner) >= limit:
                    break
        return (hits + inner)[:limit]


class _SearchIndex:
    """Divisions in rank order (level, code) with a character index, sorted names and codes."""

    def __init__(self, divisions: Iterable[Division]) -> None:
        self.ordered: list[Division] = sorted(divisions, key=lambda d: (d.level, d.code12))
        chars: dict[str, list[int]] = {}
        for i, d in enumerate(self.ordered):
            for ch in set(d.name):
                chars.setdefault(ch, []).append(i)
        self.chars = chars
        self.names = sorted((d.name, i) for i, d in enumerate(self.ordered))
        self.codes = sorted((d.code12, i) for i, d in enumerate(self.ordered))

    def postings(self, text: str) -> list[int] | tuple[()]:
        return min((self.chars.get(ch, ()) for ch in set(text)), key=len)

    def codes_named(self, word: str) -> set[str]:
        return {self.ordered[i].code for i in self.postings(word) if word in self.ordered[i].name}

    def starting_with(self, text: str) -> list[Division]:
        names = self.names
        ids = []
        for j in range(bisect.bisect_left(names, (text,)), len(names)):
            name, i = names[j]
            if not name.startswith(text):
                break
            ids.append(i)
        return [self.ordered[i] for i in sorted(ids)]

    def by_code_prefix(self, digits: str, within: str, limit: int) -> list[Division]:
        if within and not digits.startswith(within):
            if not within.startswith(digits):
                return []
            digits = within  # everything in the jurisdiction matches the shorter digits
        codes = self.codes
        lo = bisect.bisect_left(codes, (digits,))
        hi = bisect.bisect_left(codes, (digits.ljust(12, "9") + "~",))
        # code12 starting with the digits = the division, its descendants and a few ancestors
        # whose padded code happens to match (61 for "610"); those are dropped below.
        found = [i for _, i in codes[lo:hi]]
        best = heapq.nsmallest(limit + 5, found)
        out = [self.ordered[i] for i in best]
        return [d for d in out if d.code.startswith(digits)][:limit]


def _read(filename: str) -> list[Division]:
    out = []
    with resources.path("data", "divisions", filename).open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for row in reader:
            if len(row) >= 4:  # shipped data: already trimmed (tests check every row loads)
                code, name, level, parent = row[:4]
                out.append(Division(code.ljust(12, "0"), code, name, int(level), parent or None))
    return out


@functools.cache
def division_tree() -> DivisionTree:
    """The whole tree, built on first use and shared afterwards."""
    return DivisionTree(_read("divisions_cn_l4.csv") + _read("divisions_61_l5.csv"))
