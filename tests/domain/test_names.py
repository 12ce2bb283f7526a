"""Names: normalization, pinyin initials with surname rules, similarity, placeholder and character checks."""

from __future__ import annotations

import csv
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

import resources
from client.domain import names
from client.domain.names import (SURNAME_FREQUENCIES, char_relation, has_private_use, has_traditional,
                                 invalid_name_chars, is_cjk_name, is_placeholder_name, name_pinyin,
                                 name_similarity, normalize_name, pinyin_initials, split_surname)


@pytest.mark.parametrize("raw, norm", [
    ("张三", "张三"), (" 张 三 ", "张三"), ("张\u3000三", "张三"),
    ("阿依古丽·买买提", "阿依古丽买买提"), ("阿依古丽•买买提", "阿依古丽买买提"),
    ("阿依古丽．买买提", "阿依古丽买买提"), ("阿依古丽・买买提", "阿依古丽买买提"),
    ("王建國", "王建国"), ("劉備", "刘备"), ("張偉", "张伟"),
    ("乾隆", "乾隆"), ("於立", "於立"),  # standard characters zhconv would wrongly change
    ("ＡＢＣ", "ABC"), ("", ""), (None, ""),
])
def test_normalize_name(raw, norm):
    assert normalize_name(raw) == norm


def test_never_simplified_to_traditional():
    for name in ("王建国", "刘备", "张伟", "后来", "发财", "云里"):
        assert normalize_name(name) == name


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x9FFF), max_size=8))
def test_normalize_is_idempotent(text):
    once = normalize_name(text)
    assert normalize_name(once) == once


def test_surname_overrides_apply_to_first_character():
    with resources.path("data", "names", "surname_pinyin_override.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 28
    for row in rows:
        initials = pinyin_initials(row["surname"] + "一")
        assert initials[0][0] == row["pinyin"][0], (row, initials)
        assert name_pinyin(row["surname"] + "一").split()[0] == row["pinyin"]
    assert pinyin_initials("单雄信")[0] == "sxx"
    assert pinyin_initials("曾小贤")[0] == "zxx"
    assert pinyin_initials("翟志刚")[0] == "zzg"
    assert name_pinyin("解缙") == "xie jin"
    # only the first character: 单 inside the given name keeps its readings
    assert "d" in {i[1] for i in pinyin_initials("王单")}


def test_second_family_reading_is_indexed():
    assert {i[0] for i in pinyin_initials("覃美")} == {"q", "t"}
    assert pinyin_initials("覃美")[0] == "qm"


def test_compound_surnames():
    assert pinyin_initials("尉迟恭") == ["ycg"]
    assert pinyin_initials("万俟卨")[0].startswith("mq")
    assert pinyin_initials("长孙无忌")[0].startswith("zs")
    assert name_pinyin("单于夫罗").startswith("chan yu")
    assert split_surname("欧阳娜娜") == ("欧阳", "娜娜")
    assert split_surname("欧阳") == ("欧", "阳")
    assert split_surname("王小明") == ("王", "小明")


def test_heteronym_combinations_capped():
    # 长 chang/zhang in the given name: both initials are indexed
    assert {"wcj", "wzj"} <= set(pinyin_initials("王长江"))
    long_name = "阿依古丽·买买提"
    assert len(pinyin_initials(long_name)) == 16
    assert len(pinyin_initials(long_name, cap=5)) == 5
    assert pinyin_initials(long_name, cap=0) == []
    assert len(set(pinyin_initials(long_name, cap=100))) == len(pinyin_initials(long_name, cap=100))


def test_initials_of_odd_input():
    assert pinyin_initials("") == [] and pinyin_initials(None) == []
    assert pinyin_initials("Anna Li") == ["annali"]
    assert pinyin_initials("王·") == pinyin_initials("王")
    assert pinyin_initials("\ue000") == []  # private use: no reading
    assert pinyin_initials("𠀀")  # Ext-B character with a reading


def test_initials_are_cheaper_than_plain_pypinyin():
    # Same-run baseline (pypinyin without our per-character caches), robust on a loaded machine.
    from pypinyin import Style, lazy_pinyin

    people = [s + g for s in "王李张刘陈杨黄赵" for g in ("建国", "秀英", "长江", "乐", "单")]
    pinyin_initials("热身")
    start = time.perf_counter()
    for _ in range(20):
        for p in people:
            pinyin_initials(p)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(20):
        for p in people:
            lazy_pinyin(p, style=Style.FIRST_LETTER)
    baseline = time.perf_counter() - start
    assert ours < baseline


@pytest.mark.parametrize("a, b, kind", [
    ("张三", "张三", "same"),
    ("王建國", "王建国", "same"),
    ("阿依古丽·买买提", "阿依古丽买买提", "same"),
    ("张三", "章三", "homophone"),
    ("张晓明", "张小明", "homophone"),
    ("王己", "王已", "shape"),
    ("李末", "李未", "shape"),
    ("王戊", "王戌", "shape"),
    ("林明", "凌明", "fuzzy"),
    ("王建国", "王建", "fuzzy"),
    ("李四", "王五", "different"),
    ("", "王五", "different"),
])
def test_similarity_kinds(a, b, kind):
    m = name_similarity(a, b)
    assert m.kind == kind, m
    assert 0.0 <= m.score <= 1.0


def test_similarity_scores_order():
    same = name_similarity("张晓明", "张晓明").score
    homophone = name_similarity("张晓明", "张小明").score
    shape = name_similarity("王己", "王已").score
    fuzzy = name_similarity("张晓明", "张晓").score
    different = name_similarity("张晓明", "李大壮").score
    assert same == 1.0 > homophone > fuzzy > different
    assert same > shape > fuzzy
    assert different < names.FUZZY_THRESHOLD


def test_similarity_explains_each_character():
    m = name_similarity("张晓明", "章小敏")
    assert [c[2] for c in m.chars] == ["homophone", "homophone", "near_sound"]
    assert [(c[0], c[1]) for c in m.chars] == [("张", "章"), ("晓", "小"), ("明", "敏")]
    assert "同音" in m.explain() and "音近" in m.explain()
    gap = name_similarity("欧阳娜娜", "欧阳娜")
    assert ("娜", "", "gap") in gap.chars and len(gap.chars) == 4
    assert name_similarity("王己", "王已").chars == [("王", "王", "same"), ("己", "已", "shape")]


def test_similarity_is_symmetric_in_kind():
    for a, b in [("张三", "章三"), ("王己", "王已"), ("王建国", "王建"), ("林明", "凌明")]:
        assert name_similarity(a, b).kind == name_similarity(b, a).kind
        assert name_similarity(a, b).score == name_similarity(b, a).score


def test_shape_table_loaded():
    with resources.path("data", "names", "similar_shapes.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 100
    for a, b in [("己", "已"), ("己", "巳"), ("末", "未"), ("戊", "戌"), ("戌", "戍"), ("宋", "宗")]:
        assert char_relation(a, b) == "shape", (a, b)
    assert char_relation("张", "章") == "homophone"
    assert char_relation("李", "王") == "different"


@pytest.mark.parametrize("name", ["未取名", "男婴", "女婴", "无名", "婴儿", "张之子", "王建国之女",
                                  "李男婴", "张某", "王XX", "赵**", " 未取名 ", "新生儿"])
def test_placeholder_names(name):
    assert is_placeholder_name(name)


@pytest.mark.parametrize("name", ["王小明", "宝玉", "张子", "Alex", "Max Weber", "", None, "婴宁",
                                  "阿依古丽·买买提"])
def test_real_names_are_not_placeholders(name):
    assert not is_placeholder_name(name)


def test_traditional_and_private_use():
    assert has_traditional("王建國") and has_traditional("劉")
    assert not has_traditional("王建国") and not has_traditional("乾隆") and not has_traditional("")
    assert names.traditional_chars("王建國國") == ["國"]
    assert has_private_use("王\ue000国") and has_private_use("\U000F0001")
    assert has_private_use("\U00100000")
    assert not has_private_use("王建国") and not has_private_use("𠀀") and not has_private_use(None)


def test_cjk_names():
    assert is_cjk_name("王建国")
    assert is_cjk_name("𠀀明")  # Ext-B
    assert is_cjk_name("\U00030000明")  # Ext-G
    assert is_cjk_name("阿依古丽·买买提")
    assert not is_cjk_name("阿依古丽·买买提", allow_dot=False)
    assert not is_cjk_name("·王") and not is_cjk_name("王·") and not is_cjk_name("·")
    assert not is_cjk_name("John") and not is_cjk_name("王1") and not is_cjk_name("")
    assert not is_cjk_name("王\ue000")
    assert invalid_name_chars("王1a") == ["1", "a"]
    assert invalid_name_chars("John Smith", allow_letters=True) == []
    assert invalid_name_chars("王·明") == []


def test_surname_frequencies():
    top = list(SURNAME_FREQUENCIES)[:5]
    assert top == ["王", "李", "张", "刘", "陈"]
    assert len(SURNAME_FREQUENCIES) >= 100
    assert all(v > 0 for v in SURNAME_FREQUENCIES.values())
    assert 50 < sum(SURNAME_FREQUENCIES.values()) < 100


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@given(st.text(CJK, min_size=1, max_size=4), st.text(CJK, min_size=1, max_size=4))
def test_similarity_properties(a, b):
    ab, ba = name_similarity(a, b), name_similarity(b, a)
    assert 0.0 <= ab.score <= 1.0
    assert ab.score == ba.score and ab.kind == ba.kind
    assert (ab.kind == "same") == (normalize_name(a) == normalize_name(b))
    # the explanation covers every character of both names, in order
    assert "".join(c[0] for c in ab.chars) == normalize_name(a)
    assert "".join(c[1] for c in ab.chars) == normalize_name(b)


@given(st.text(CJK.filter(lambda ch: bool(names.char_readings(ch))), min_size=1, max_size=4))
def test_initials_have_one_letter_per_character(name):
    # (10 URO characters such as 兙 have no reading at all; those are skipped, see below)
    initials = pinyin_initials(name)
    assert 1 <= len(initials) <= 16
    assert all(len(i) == len(name) and i.isascii() and i.islower() for i in initials)
    assert len(set(initials)) == len(initials)


def test_latin_names_use_plain_string_similarity():
    assert name_similarity("John Smith", "john smith").kind == "same"
    m = name_similarity("Maria Lopez", "Maria Lopes")
    assert m.kind == "fuzzy" and 0.85 < m.score < 1.0
    assert [c[2] for c in m.chars].count("different") == 1
    assert name_similarity("Anna", "王芳").kind == "different"


def test_alignment_prefers_near_matches_over_gaps():
    m = name_similarity("王小明", "王晓明明")
    assert m.chars[:2] == [("王", "王", "same"), ("小", "晓", "homophone")]
    assert sorted(c[2] for c in m.chars[2:]) == ["gap", "same"]
    assert m.kind == "fuzzy" and m.score == round(2.9 / 4, 4)


def test_characters_without_reading_are_skipped():
    assert names.char_readings("兙") == ()
    assert pinyin_initials("王兙") == pinyin_initials("王")


def test_no_simplification_into_nonstandard_extension_forms():
    # zhconv would turn 俓 into Ext-B 𠇹 and 幓 into Ext-A 㡎: no fonts, no readings, not standard
    assert normalize_name("俓幓") == "俓幓"
    assert not has_traditional("俓")
    assert pinyin_initials("俓")


def test_odd_input_types():
    assert normalize_name(123) == "123"
    assert pinyin_initials(123) == ["123"]
    assert not is_placeholder_name(0) and not has_traditional(None)
    assert name_similarity(None, None).kind == "different"
