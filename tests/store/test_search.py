"""Search columns and the worklist text filter: name, ID prefix, pinyin initials, place prefix."""

from __future__ import annotations

import pytest
from sqlalchemy import and_, select

from client.domain.names import normalize_name
from client.store import Case, search_columns, text_filter, upsert_shadows
from tests.store.conftest import error_record

PEOPLE = [
    # (case id, name, id number, place)
    ("E-1", "单雄信", "610424199001011234", "610424100001"),
    ("E-2", "张三", "61042419850505002X", "610424100002"),
    ("E-3", "曾小明", "110101200001010018", "110101001001"),
    ("E-4", "李 四", "", "610424200003"),
    ("E-5", "阿依古丽·买买提", "650102199203040021", "650102001001"),
    ("E-6", "朴志勇", "610424197001010017", "610424100001"),
]


@pytest.fixture
def filled(store):
    records = [error_record(cid, 1, name=name, id_number=idn, place=place) for cid, name, idn, place in PEOPLE]
    records.append({"type": "birth", "id": "B-1", "version": 1, "data": {
        "certificate": {"name": "", "mother_name": "单丽"},
        "proposed": {"name": "", "sex": "2"},
        "mother": {"name": "单丽", "id_number": "610424199512120026", "hukou_place": "610424100009"},
        "households": [{"household_id": "H-1", "place": "610424100008", "address": "", "members": []}],
        "matches": [], "status": "open"}})
    records.append({"type": "duplicates", "id": "D-1", "version": 1, "data": {
        "members": [{"person_id": "P-1", "name": "解放", "id_number": "610424196001010015",
                     "hukou_place": "610424100007"},
                    {"person_id": "P-2", "name": "谢芳", "id_number": "610424196001010016"}],
        "reasons": [], "status": "open"}})
    with store.write() as session:
        upsert_shadows(session, records)
    return store


def _find(store, text, kind=None):
    condition = text_filter(text)
    if kind:
        condition = and_(condition, Case.kind == kind)
    with store.read() as session:
        return sorted(session.execute(select(Case.id).where(condition)).scalars())


def test_name_substring(filled):
    assert _find(filled, "雄") == ["E-1"]
    assert _find(filled, "张三") == ["E-2"]
    assert _find(filled, "李四") == ["E-4"]  # stored normalized: the space is gone
    assert _find(filled, "李 四") == ["E-4"]
    assert _find(filled, "古丽买买") == ["E-5"]  # the dot is ignored
    assert _find(filled, "单") == ["B-1", "E-1"]  # a birth is found by the mother's name
    assert _find(filled, "谢芳") == []  # duplicates: the first member only


def test_id_number_prefix_and_substring(filled):
    assert _find(filled, "6104241990") == ["E-1"]
    assert _find(filled, "61042419850505002x") == ["E-2"]  # lower-case x typed
    assert _find(filled, "0505002X") == ["E-2"]  # substring, 4+ characters
    assert _find(filled, "1101") == ["E-3"]  # ID and place both start so
    assert _find(filled, "610424199512") == ["B-1"]  # the mother's ID for a birth
    assert _find(filled, "61042419600101") == ["D-1"]
    assert _find(filled, "６１０４２４１９９０") == ["E-1"]  # full-width digits from an input method


def test_pinyin_initials_prefix_with_polyphone_surnames(filled):
    assert _find(filled, "sxx") == ["E-1"]  # 单 as a surname is shàn, not dān
    assert "E-1" in _find(filled, "s")
    assert "E-1" not in _find(filled, "dxx")
    assert _find(filled, "zxm") == ["E-3"]  # 曾 as a surname is zēng, not céng
    assert _find(filled, "ZS") == ["E-2"]  # typed upper-case
    assert _find(filled, "ｚｓ") == ["E-2"]  # full-width
    assert _find(filled, "pzy") == ["E-6"]  # 朴 as a surname is piáo
    assert _find(filled, "xf") == ["D-1"]  # 解 as a surname is xiè
    assert _find(filled, "sl") == ["B-1"]
    assert "E-4" in _find(filled, "l") and "E-2" not in _find(filled, "l")
    assert _find(filled, "qqq") == []


def test_place_prefix(filled):
    assert _find(filled, "610424100001") == ["E-1", "E-6"]
    assert _find(filled, "6104241000") == ["B-1", "D-1", "E-1", "E-2", "E-6"]
    assert _find(filled, "650102") == ["E-5"]


def test_case_id_and_combined_with_kind(filled):
    assert _find(filled, "B-1") == ["B-1"]
    assert _find(filled, "e-") == ["E-1", "E-2", "E-3", "E-4", "E-5", "E-6"]
    assert _find(filled, "s", kind="birth") == ["B-1"]


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_filter_matches_everything(filled, text):
    assert len(_find(filled, text)) == len(PEOPLE) + 2


@pytest.mark.parametrize("text", ["%", "_", "*", "?", "[", "'; DROP TABLE cases; --", "张%", "x*"])
def test_special_characters_match_literally(filled, text):
    assert _find(filled, text) == []


def test_search_columns_per_kind():
    error = search_columns("error", {"person": {"name": " 单 雄信", "id_number": "61042419900101123x",
                                                "hukou_place": "610424100001"}})
    assert error.name_norm == normalize_name("单雄信") and error.id_number == "61042419900101123X"
    assert error.place == "610424100001" and "sxx" in error.initials
    birth = search_columns("birth", {"proposed": {"name": "王小宝"}, "mother": {"name": "李梅"},
                                     "households": [{"place": "610424100008"}]})
    assert birth.name_norm == "王小宝 李梅" and birth.place == "610424100008"
    assert {"wxb", "lm"} <= set(birth.initials)
    cert_only = search_columns("birth", {"certificate": {"name": "", "mother_name": "赵敏",
                                                         "mother_id_number": "610424199001010022"},
                                         "proposed": None, "mother": None})
    assert cert_only.name_norm == "赵敏" and cert_only.id_number == "610424199001010022"
    unnamed = search_columns("birth", {"certificate": {"name": "", "mother_name": "赵敏"},
                                       "proposed": {"name": "", "sex": "1"}, "mother": None})
    assert unnamed.name_norm == "赵敏" and "zm" in unnamed.initials
    named_on_cert = search_columns("birth", {"certificate": {"name": "孙悟空"}, "proposed": {"sex": "1"},
                                             "mother": {"name": "石母"}})
    assert named_on_cert.name_norm == "孙悟空 石母"
    dup = search_columns("duplicates", {"members": [{"name": "甲乙"}, {"name": "丙丁"}]})
    assert dup.name_norm == "甲乙"
    for broken in (None, {}, {"person": "张三"}, {"members": "x"}, {"person": {"name": 5}}):
        assert search_columns("error", broken).name_norm == ""
    assert search_columns("unknown-kind", {"person": {"name": "张三"}}).name_norm == ""


@pytest.mark.parametrize("text", ["s", "sxx", "610", "6104241990", "610424100001", "0505002X", "单雄", "E-1"])
def test_worklist_filter_reads_indexes_only(filled, text):
    # Selecting ids never touches the wide rows: every step is an index search or an index scan.
    with filled.engine.connect() as conn:
        sql = str(select(Case.id).where(text_filter(text)).compile(
            conn, compile_kwargs={"literal_binds": True}))
        steps = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
    access = [s for s in steps if s.startswith(("SCAN", "SEARCH"))]
    assert access, steps
    for step in access:
        assert "COVERING INDEX" in step or "case_initials USING PRIMARY KEY" in step, (text, steps)
