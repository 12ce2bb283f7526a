"""Clerks' values brought to standard form (client.domain.clerk)."""

from __future__ import annotations

from datetime import date

import pytest

from client.domain.clerk import code_of, normalize_person, parse_date, scientific_id


@pytest.mark.parametrize("value, iso", [
    ("1985/2/3", "1985-02-03"), ("1985.2.3", "1985-02-03"), ("1985-02-03", "1985-02-03"),
    ("1985年2月3日", "1985-02-03"), ("19850203", "1985-02-03"), ("１９８５/２/３", "1985-02-03"),
    ("31081", "1985-02-03"), (31081, "1985-02-03"), ("31081.0", "1985-02-03"), (date(1985, 2, 3), "1985-02-03"),
    ("1985-02-03 00:00:00", "1985-02-03"),
    ("1985/2/30", None), ("2.3.1985", None), ("", None), ("不详", None), ("123456789", None),
])
def test_dates_in_the_forms_clerks_type(value, iso):
    assert parse_date(value) == iso


@pytest.mark.parametrize("table, value, code", [
    ("sex", "男", "1"), ("sex", "女", "2"), ("sex", "1", "1"), ("ethnicity", "汉族", "01"), ("ethnicity", "汉", "01"),
    ("ethnicity", "1", "01"), ("relation", "户主", "02"), ("hukou_type", "农业户口", "2"),
    ("marital", "已婚", "20"), ("sex", "男性别", None), ("ethnicity", "火星族", None),
])
def test_codes_by_name_or_code(table, value, code):
    assert code_of(table, value) == code


def test_a_record_normalized_and_unknown_values_left_for_the_rules():
    out = normalize_person({"name": " 张三 ", "sex": "男", "ethnicity": "汉族", "relation": "户主",
                            "birth_date": "1985.2.3", "id_number": "６１０４２４１９８５０２０３００１x",
                            "hukou_type": "农业户口", "marital_status": "火星", "mother_id_number": "6.10424E+17",
                            "education": "大学本科教育"})
    assert out == {"name": "张三", "sex": "1", "ethnicity": "01", "relation": "02", "birth_date": "1985-02-03",
                   "id_number": "61042419850203001X", "hukou_type": "2", "marital_status": "火星",
                   "mother_id_number": "6.10424E+17", "education": "20"}
    assert scientific_id("6.10424E+17") and scientific_id("６.10424E+17") and not scientific_id("610424")
