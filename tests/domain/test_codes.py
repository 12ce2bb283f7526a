"""Code tables: every shipped table loads, look-ups by code and name, legacy aliases, relation facts."""

from __future__ import annotations

import csv

import pytest

import resources
from client.domain import codes
from client.domain.codes import (TABLE_FILES, code_table, education_1984_to_2006, marital_is_married,
                                 relation_generation, relation_implied_sex)


def test_every_table_in_resources_is_loaded():
    shipped = {p.name for p in resources.path("data", "codes").glob("*.csv")}
    assert shipped == set(TABLE_FILES.values())
    for name, filename in TABLE_FILES.items():
        with resources.path("data", "codes", filename).open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        table = code_table(name)
        assert len(table) == len(rows) > 0
        for row in rows:
            assert table.name(row["code"]) == row["name"]
            assert table.lookup_name(row["name"]).code == row["code"]


def test_unknown_table():
    with pytest.raises(KeyError):
        code_table("religion")


def test_lookup_by_code():
    assert code_table("sex").name("1") == "男性"
    assert code_table("sex").get("3") is None
    assert code_table("marital").get("21").parent == "20"
    assert code_table("ethnicity").name("01") == "汉族"
    assert code_table("ethnicity").get("1") is None  # codes are exact; see normalize_code
    assert code_table("ethnicity").get(None) is None
    assert code_table("relation").name("28") == "女婿"
    assert code_table("id_type").name("01") == "居民身份证"
    assert code_table("urban_rural").name("220") == "村庄"
    assert "97" in code_table("ethnicity") and "57" not in code_table("ethnicity")


def test_legacy_ethnicity_aliases():
    eth = code_table("ethnicity")
    assert eth.lookup_name("毛难族").code == "36"
    assert eth.lookup_name("崩龙族").code == "46"
    assert eth.lookup_name("毛南族").code == "36"
    assert eth.lookup_name("德昂族").code == "46"
    assert eth.lookup_name(" 汉 族 ").code == "01"
    assert eth.lookup_name("汉").code == "01"
    assert eth.lookup_name("火星族") is None
    assert eth.lookup_name("") is None


def test_sex_everyday_names():
    assert code_table("sex").lookup_name("男").code == "1"
    assert code_table("sex").lookup_name("女").code == "2"


def test_normalize_code_restores_lost_zeros():
    assert code_table("relation").normalize_code("1") == "01"
    assert code_table("ethnicity").normalize_code(3) == "03"
    assert code_table("ethnicity").normalize_code("99") is None
    assert code_table("sex").normalize_code("１") == "1"
    assert code_table("hukou_type").normalize_code("GA1") == "GA1"


@pytest.mark.parametrize("code, sex, gen", [
    ("02", None, 0), ("10", None, 0), ("11", 1, 0), ("12", 2, 0), ("20", 1, -1), ("28", 1, -1),
    ("30", 2, -1), ("38", 2, -1), ("41", 1, -2), ("44", 2, -2), ("47", 1, -3), ("51", 1, 1),
    ("52", 2, 1), ("62", 2, 2), ("66", 1, 3), ("71", 1, 0), ("99", None, None), ("80", None, None),
])
def test_relation_implied_sex_and_generation(code, sex, gen):
    assert relation_implied_sex(code) == sex
    assert relation_generation(code) == gen


def test_relation_unknown_code():
    assert relation_implied_sex("00") is None and relation_generation(None) is None


def test_education_lists_are_separate():
    e2006, e1984 = code_table("education_2006"), code_table("education_1984")
    assert e2006.name("20") == "大学本科教育" and e1984.name("20") == "大学本科"
    assert e1984.get("21") is None and e2006.get("21") is not None
    assert e2006.name("40") != e1984.name("40")
    assert education_1984_to_2006("50") == "47"
    assert e2006.get("47") is not None
    for entry in e1984.entries():
        assert e2006.get(education_1984_to_2006(entry.code)) is not None


def test_marital_is_married():
    assert marital_is_married("20") is True and marital_is_married("23") is True
    assert marital_is_married("10") is False and marital_is_married("40") is False
    assert marital_is_married("90") is None and marital_is_married("55") is None


def test_tables_are_cached():
    assert code_table("relation") is code_table("relation")
    assert codes.code_table("sex").entries() == code_table("sex").entries()
