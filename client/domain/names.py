"""Personal names: normalization for comparison, pinyin initials for 拼音简码 search, similarity
that knows homophones and similar shapes, and the character checks the name rules need.

pypinyin, zhconv and rapidfuzz do the heavy lifting; every per-character answer is cached.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field

if "pypinyin" not in sys.modules:
    # We only look up single characters; the phrase dictionary would add ~0.2-0.5 s to the import.
    # names.py is the project's only pypinyin user.
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")

import zhconv  # noqa: E402
from pypinyin import Style, pinyin  # noqa: E402
from rapidfuzz import fuzz  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from client.domain._tables import read_rows

# Separators inside names: spaces and the dot of minority names in its many look-alikes.
_DOTS = "·•．.・･‧⋅∙・"
_REMOVE = re.compile(f"[\\s{re.escape(_DOTS)}]+")

# Standard characters of the 通用规范汉字表 (2013) that zhconv's single-character table maps to
# another character (乾→干, 於→于, 锺→钟 …); in names they are correct and must stay.
_T2S_KEEP = frozenset("乾於徵蘋夥馀瞭甦吒锺昇濛")

# Relations between two characters, strongest first, with their weight in the score.
SAME, HOMOPHONE, SHAPE, NEAR_SOUND, DIFFERENT, GAP = (
    "same", "homophone", "shape", "near_sound", "different", "gap")
CHAR_SCORES = {SAME: 1.0, HOMOPHONE: 0.9, SHAPE: 0.85, NEAR_SOUND: 0.7, DIFFERENT: 0.0, GAP: 0.0}
RELATION_LABELS = {SAME: "相同", HOMOPHONE: "同音", SHAPE: "形近", NEAR_SOUND: "音近",
                   DIFFERENT: "不同", GAP: "缺字"}

PLACEHOLDER_NAMES = frozenset({
    "未取名", "未起名", "未命名", "无名", "无名氏", "无姓名", "男婴", "女婴", "婴儿", "新生儿", "婴",
    "男孩", "女孩", "小孩", "宝宝", "待定", "不详", "未知", "某某", "无", "空", "测试", "暂无",
})
_PLACEHOLDER_PATTERNS = (
    re.compile(r"^.{1,4}(之子|之女|之婴|男婴|女婴|婴儿|宝宝|之孩)$"),
    re.compile(r"^.{1,2}某{1,2}$"),  # 张某, 李某某
    re.compile(r"^.{0,3}(未取名|未起名|无名)$"),  # 张未取名
    re.compile(r"[?*×]"),  # 王**, 李??
)
_CJK_WITH_X = re.compile(r"[xX]")  # 张XX (only for names that also have Chinese characters)


# --- tables -------------------------------------------------------------------------------------

@functools.cache
def _surname_overrides() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for row in read_rows("names", "surname_pinyin_override.csv"):
        readings = [row["pinyin"]]
        # "also tan in some families": index the second family reading as well
        readings += re.findall(r"also ([a-z]+)", row.get("note_vs_pypinyin_0.55_default", ""))
        out[row["surname"]] = tuple(dict.fromkeys(readings))
    return out


@functools.cache
def _compound_surnames() -> dict[str, tuple[str, ...]]:
    return {r["surname"]: tuple(r["pinyin"].split()) for r in read_rows("names", "compound_surnames.csv")}


@functools.cache
def _shape_pairs() -> frozenset[frozenset[str]]:
    pairs = set()
    for row in read_rows("names", "similar_shapes.csv"):
        for a, b in itertools.combinations(row["chars"], 2):
            if a != b:
                pairs.add(frozenset((a, b)))
    return frozenset(pairs)


def _load_frequencies() -> dict[str, float]:
    rows = read_rows("names", "surname_frequency.csv")
    return {r["surname"]: float(r["percent"]) for r in rows}


# Approximate share (percent of the population) of common surnames, most frequent first.
SURNAME_FREQUENCIES: dict[str, float] = _load_frequencies()
COMPOUND_SURNAMES: frozenset[str] = frozenset(_compound_surnames())


# --- character classes --------------------------------------------------------------------------

_CJK_RANGES = (
    (0x3400, 0x4DBF),    # Ext-A
    (0x4E00, 0x9FFF),    # URO
    (0xF900, 0xFAFF),    # compatibility ideographs
    (0x20000, 0x2A6DF),  # Ext-B
    (0x2A700, 0x2EBEF),  # Ext-C..F (and I)
    (0x2EBF0, 0x2EE5F),  # Ext-I
    (0x2F800, 0x2FA1F),  # compatibility supplement
    (0x30000, 0x323AF),  # Ext-G, Ext-H
    (0x3007, 0x3007),    # 〇
)


def is_cjk_char(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


def is_private_use_char(ch: str) -> bool:
    cp = ord(ch)
    return 0xE000 <= cp <= 0xF8FF or cp >= 0xF0000


def is_cjk_name(name: str | None, allow_dot: bool = True) -> bool:
    """Only CJK ideographs (Ext-A…H included) and, for minority names, the middle dot."""
    if not name:
        return False
    name = unicodedata.normalize("NFC", name)
    ok = [is_cjk_char(ch) or (allow_dot and ch in _DOTS) for ch in name]
    return all(ok) and any(is_cjk_char(ch) for ch in name) and name[0] not in _DOTS and name[-1] not in _DOTS


def invalid_name_chars(name: str | None, allow_letters: bool = False) -> list[str]:
    """Characters that may not appear in a name (letters and spaces allowed for foreigners)."""
    bad = []
    for ch in unicodedata.normalize("NFC", name or ""):
        if is_cjk_char(ch) or ch in _DOTS:
            continue
        if allow_letters and (ch.isalpha() or ch in " -'"):
            continue
        bad.append(ch)
    return list(dict.fromkeys(bad))


def has_private_use(name: str | None) -> bool:
    """Private-use characters (U+E000–F8FF, planes 15/16): made-up glyphs other systems cannot show."""
    return any(is_private_use_char(ch) for ch in name or "")


@functools.lru_cache(maxsize=65536)
def _to_simplified(ch: str) -> str:
    if ch in _T2S_KEEP or ch.isascii():
        return ch
    converted: str = zhconv.convert(ch, "zh-hans")
    # zhconv maps some rare characters to analogically simplified Ext-A/B forms (俓 → 𠇹) that are
    # not standard and lack fonts and readings: a basic-block character stays as it is then.
    if len(converted) != 1 or (0x4E00 <= ord(ch) <= 0x9FFF and not 0x4E00 <= ord(converted) <= 0x9FFF):
        return ch
    return converted


def has_traditional(name: str | None) -> bool:
    """Whether any character has a different simplified form (建國 → 建国)."""
    return any(_to_simplified(ch) != ch for ch in name or "")


def traditional_chars(name: str | None) -> list[str]:
    return [ch for ch in dict.fromkeys(name or "") if _to_simplified(ch) != ch]


# --- normalization ------------------------------------------------------------------------------

@functools.lru_cache(maxsize=65536)
def normalize_name(name: str | None) -> str:
    """Form used to compare names: NFKC, no spaces or dots, traditional → simplified (never back)."""
    if not name:
        return ""
    s = _REMOVE.sub("", unicodedata.normalize("NFKC", str(name)))  # str(): numbers from JSON/Excel
    # Removing a space can leave a combining mark next to a new base character: compose again.
    s = unicodedata.normalize("NFKC", s)
    return "".join(_to_simplified(ch) for ch in s)


def is_placeholder_name(name: str | None) -> bool:
    """未取名, 男婴, X之子, 张某, 王XX …: a stand-in, not a person's name."""
    s = normalize_name(name)
    if not s:
        return False
    if s in PLACEHOLDER_NAMES:
        return True
    if any(p.search(s) for p in _PLACEHOLDER_PATTERNS):
        return True
    return bool(_CJK_WITH_X.search(s)) and any(is_cjk_char(ch) for ch in s)


def split_surname(name: str | None) -> tuple[str, str]:
    """(surname, given name), recognizing compound surnames for names of three or more characters."""
    s = normalize_name(name)
    if len(s) >= 3 and s[:2] in COMPOUND_SURNAMES:
        return s[:2], s[2:]
    return s[:1], s[1:]


# --- pinyin -------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=65536)
def char_readings(ch: str) -> tuple[str, ...]:
    """Toneless readings of one character, most common first ('' for no reading)."""
    if ch.isascii():
        return (ch.lower(),) if ch.isalnum() else ()
    readings = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    out = tuple(dict.fromkeys(r for group in readings for r in group if r.isascii() and r.isalpha()))
    return out


@functools.lru_cache(maxsize=65536)
def _char_initials(ch: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r[0] for r in char_readings(ch)))


def _name_readings(s: str) -> list[tuple[str, ...]]:
    """Per-character readings of a normalized name, surname readings applied."""
    per_char = [char_readings(ch) for ch in s]
    compound = _compound_surnames().get(s[:2]) if len(s) >= 3 else None
    if compound:
        per_char[0], per_char[1] = (compound[0],), (compound[1],)
    elif s and s[0] in _surname_overrides():
        per_char[0] = _surname_overrides()[s[0]]
    return per_char


def pinyin_initials(name: str | None, cap: int = 16) -> list[str]:
    """Every combination of reading initials (长江 -> ['cj', 'zj']), most likely first, at most cap.

    The first character uses the surname reading (单 -> s, 曾 -> z); 尉迟, 万俟 … as compound surnames.
    Characters without a reading are skipped.
    """
    return list(_initials(normalize_name(name), cap)) if cap > 0 else []


@functools.lru_cache(maxsize=65536)
def _initials(s: str, cap: int) -> tuple[str, ...]:
    # Names repeat a lot in a county (and while typing a search): cache whole names too.
    if not s:
        return ()
    groups = [tuple(dict.fromkeys(r[0] for r in readings)) for readings in _name_readings(s)]
    groups = [g for g in groups if g]
    if not groups:
        return ()
    return tuple("".join(combo) for combo in itertools.islice(itertools.product(*groups), cap))


def name_pinyin(name: str | None, sep: str = " ") -> str:
    """The most likely full reading of a name, surname rules applied ('单雄信' -> 'shan xiong xin')."""
    s = normalize_name(name)
    return sep.join(r[0] for r in _name_readings(s) if r)


# --- similarity ---------------------------------------------------------------------------------

_NEAR_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"), ("h", "f"), ("r", "l"))
_NEAR_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"), ("iang", "ian"), ("uang", "uan"))


@functools.lru_cache(maxsize=65536)
def _blurred(reading: str) -> str:
    # Sounds that speakers of many dialects do not distinguish (z/zh, n/l, en/eng …).
    for a, b in _NEAR_INITIALS:
        if reading.startswith(a):
            reading = b + reading[len(a):]
            break
    for a, b in _NEAR_FINALS:
        if reading.endswith(a):
            reading = reading[: -len(a)] + b
            break
    return reading


@functools.lru_cache(maxsize=262144)
def char_relation(a: str, b: str) -> str:
    """same / homophone / shape / near_sound / different for two (normalized) characters."""
    if a == b:
        return SAME
    ra, rb = char_readings(a), char_readings(b)
    if ra and rb and set(ra) & set(rb):
        return HOMOPHONE
    if frozenset((a, b)) in _shape_pairs():
        return SHAPE
    if ra and rb and {_blurred(r) for r in ra} & {_blurred(r) for r in rb}:
        return NEAR_SOUND
    return DIFFERENT


@dataclass(frozen=True)
class NameMatch:
    """How alike two names are. chars: (a_char, b_char, relation) aligned; '' marks a gap."""

    score: float
    kind: str  # "same" | "homophone" | "shape" | "fuzzy" | "different"
    chars: list[tuple[str, str, str]] = field(default_factory=list)

    def explain(self) -> str:
        """Short Chinese explanation for the UI, e.g. 张=章(同音)、三=三."""
        parts = []
        for a, b, rel in self.chars:
            if rel == SAME:
                parts.append(a)
            else:
                parts.append(f"{a or '□'}≈{b or '□'}({RELATION_LABELS[rel]})")
        return "、".join(parts)


FUZZY_THRESHOLD = 0.5


def name_similarity(a: str | None, b: str | None) -> NameMatch:
    """Compare two names after normalize_name, with an aligned per-character explanation.

    Chinese names are aligned by a small weighted edit distance (homophones and similar shapes
    count as near matches); Latin-script names use rapidfuzz's ratio and alignment.
    """
    na, nb = normalize_name(a), normalize_name(b)
    if not na or not nb:
        return NameMatch(0.0, "different", [])
    if na == nb:
        return NameMatch(1.0, "same", [(ch, ch, SAME) for ch in na])
    if na.isascii() or nb.isascii():
        return _latin_similarity(na, nb)
    chars = _align(na, nb)
    total = sum(CHAR_SCORES[rel] for _, _, rel in chars)
    score = round(total / max(len(na), len(nb)), 4)
    rels = {rel for _, _, rel in chars}
    if rels <= {SAME, HOMOPHONE}:
        kind = "homophone"
    elif rels <= {SAME, HOMOPHONE, SHAPE}:
        kind = "shape"
    else:
        kind = "fuzzy" if score >= FUZZY_THRESHOLD else "different"
    return NameMatch(score, kind, chars)


def _align(a: str, b: str) -> list[tuple[str, str, str]]:
    # Needleman-Wunsch over at most a few dozen cells: maximize the summed character scores,
    # then prefer fewer gaps; both criteria are symmetric, so sim(a, b) == sim(b, a).
    n, m = len(a), len(b)
    best = [[(0.0, 0)] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        best[i][0] = (0.0, -i)
    for j in range(1, m + 1):
        best[0][j] = (0.0, -j)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            s, g = best[i - 1][j - 1]
            diag = (s + CHAR_SCORES[char_relation(a[i - 1], b[j - 1])], g)
            up = (best[i - 1][j][0], best[i - 1][j][1] - 1)
            left = (best[i][j - 1][0], best[i][j - 1][1] - 1)
            best[i][j] = max(diag, up, left)
    out: list[tuple[str, str, str]] = []
    i, j = n, m
    while i or j:
        if i and j:
            rel = char_relation(a[i - 1], b[j - 1])
            s, g = best[i - 1][j - 1]
            if best[i][j] == (s + CHAR_SCORES[rel], g):
                out.append((a[i - 1], b[j - 1], rel))
                i, j = i - 1, j - 1
                continue
        if i and best[i][j] == (best[i - 1][j][0], best[i - 1][j][1] - 1):
            out.append((a[i - 1], "", GAP))
            i -= 1
        else:
            out.append(("", b[j - 1], GAP))
            j -= 1
    out.reverse()
    return out


def _latin_similarity(a: str, b: str) -> NameMatch:
    chars: list[tuple[str, str, str]] = []
    for op in Levenshtein.opcodes(a.lower(), b.lower()):
        tag, i1, i2, j1, j2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        if tag == "equal":
            chars.extend((x, y, SAME) for x, y in zip(a[i1:i2], b[j1:j2]))
        else:
            chars.extend((x, y, DIFFERENT if x and y else GAP)
                         for x, y in itertools.zip_longest(a[i1:i2], b[j1:j2], fillvalue=""))
    score = round(fuzz.ratio(a.lower(), b.lower()) / 100, 4)
    if score == 1.0:
        return NameMatch(1.0, "same", chars)
    return NameMatch(score, "fuzzy" if score >= FUZZY_THRESHOLD else "different", chars)
