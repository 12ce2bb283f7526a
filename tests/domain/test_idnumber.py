"""GB 11643 ID checking: the DOMAIN.md examples, normalization, and properties over random numbers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from client.domain import idnumber as idn
from client.domain.idnumber import (ID_MESSAGES, check_id_number, id_check_char, make_id_number,
                                    normalize_id_text)

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize("number, birth, sex", [
    ("11010519491231002X", date(1949, 12, 31), 2),
    ("440524188001010014", date(1880, 1, 1), 1),
    ("360426199101010071", date(1991, 1, 1), 1),
    ("44011320141005001X", date(2014, 10, 5), 1),
])
def test_valid_examples(number, birth, sex):
    r = check_id_number(number, today=TODAY)
    assert r.valid and r.errors == () and not r.placeholder
    assert r.normalized == number
    assert r.birth_date == birth and r.sex == sex and r.region_code == number[:6]


@pytest.mark.parametrize("number, code", [
    ("36042619910102009X", idn.ID_CHECKSUM),
    ("360426199113010079", idn.ID_DATE),
    ("T60426199101010078", idn.ID_FORMAT),
])
def test_bad_examples(number, code):
    r = check_id_number(number, today=TODAY)
    assert not r.valid
    assert r.errors == (code,)


def test_bad_check_keeps_normalized_for_typo_matching():
    r = check_id_number("36042619910102009X", today=TODAY)
    assert r.normalized == "36042619910102009X" and r.birth_date == date(1991, 1, 2)


def test_15_digit_conversion():
    r = check_id_number("110105491231002", today=TODAY)
    assert r.valid and r.normalized == "11010519491231002X"
    assert r.warnings == (idn.ID_CONVERTED_15,)
    assert r.birth_date == date(1949, 12, 31) and r.sex == 2


@pytest.mark.parametrize("text", [
    "１１０１０５１９４９１２３１００２Ｘ",  # full-width
    "110105 19491231 002x",
    "110105-19491231-002X",
    "  110105\u300019491231002X\t",
    "'11010519491231002X",
    "110105–19491231–002X",
])
def test_normalization(text):
    assert normalize_id_text(text) == "11010519491231002X"
    assert check_id_number(text, today=TODAY).valid


@pytest.mark.parametrize("text", ["6.10102E+17", "6.10102e+17", "6.10424E17", "1.1E+17"])
def test_scientific_notation_is_an_error(text):
    r = check_id_number(text, today=TODAY)
    assert r.errors == (idn.ID_SCIENTIFIC,) and r.normalized is None and not r.valid


@pytest.mark.parametrize("text", [None, "", "   ", "--"])
def test_empty(text):
    assert check_id_number(text, today=TODAY).errors == (idn.ID_EMPTY,)


@pytest.mark.parametrize("text", ["000000000000000000", "000000199001010000", "111111111111111111",
                                  "999999999999999999", "123456789012345678", "000000000000000",
                                  "XXXXXXXXXXXXXXXXXX"[:17] + "X"])
def test_placeholders(text):
    r = check_id_number(text, today=TODAY)
    assert r.placeholder or r.errors == (idn.ID_FORMAT,)
    assert not r.valid


def test_placeholder_codes_and_date():
    r = check_id_number("000000199001010000", today=TODAY)
    assert r.placeholder and r.errors == (idn.ID_PLACEHOLDER,)
    assert r.birth_date == date(1990, 1, 1) and r.sex is None and r.region_code is None


@pytest.mark.parametrize("text", ["1101051949123100", "11010519491231002XX", "11010519491231002Y",
                                  "1101051949123100X2", "abc", "11010519491231002X1"])
def test_format_errors(text):
    assert check_id_number(text, today=TODAY).errors == (idn.ID_FORMAT,)


def test_date_range():
    before = make_id_number("110105", date(1879, 12, 31), 1)
    assert check_id_number(before, today=TODAY).errors == (idn.ID_DATE,)
    tomorrow = make_id_number("110105", TODAY + timedelta(days=1), 1)
    assert check_id_number(tomorrow, today=TODAY).errors == (idn.ID_DATE,)
    assert check_id_number(make_id_number("110105", TODAY, 1), today=TODAY).valid
    assert check_id_number(make_id_number("110105", date(2000, 2, 29), 1), today=TODAY).valid
    bad_leap = "11010519000229001"
    assert idn.ID_DATE in check_id_number(bad_leap + id_check_char(bad_leap), today=TODAY).errors


def test_province_and_region():
    r = check_id_number(make_id_number("991010", date(1990, 1, 1), 5), today=TODAY)
    assert r.errors == (idn.ID_PROVINCE,)
    # 810000/820000/830000: residence permits of HK, Macao and Taiwan residents
    for region in ("810000", "820000", "830000"):
        r = check_id_number(make_id_number(region, date(1990, 1, 1), 5), today=TODAY)
        assert r.valid and r.warnings == (), region
    # known province, address code never in GB/T 2260: a warning only
    r = check_id_number(make_id_number("610499", date(1990, 1, 1), 5), today=TODAY)
    assert r.valid and r.warnings == (idn.ID_REGION_UNKNOWN,)
    # a code abolished in 2009 (宣武区) is still fine: the address code never changes
    r = check_id_number(make_id_number("110104", date(1970, 1, 1), 5), today=TODAY)
    assert r.valid and r.warnings == ()


def test_make_id_number_validates_input():
    assert make_id_number("110105", date(1949, 12, 31), 2) == "11010519491231002X"
    with pytest.raises(ValueError):
        make_id_number("11010", date(1949, 12, 31), 2)
    with pytest.raises(ValueError):
        make_id_number("110105", date(1949, 12, 31), 1000)
    with pytest.raises(ValueError):
        id_check_char("1234")


def test_every_code_has_a_chinese_message():
    for code in (*idn.ID_ERRORS, *idn.ID_WARNINGS):
        assert ID_MESSAGES[code] and any("\u4e00" <= ch <= "\u9fff" for ch in ID_MESSAGES[code])
    r = check_id_number("36042619910102009X", today=TODAY)
    assert r.messages() == [ID_MESSAGES[idn.ID_CHECKSUM]]


def test_never_raises_on_odd_input():
    for text in ["\x00", "𠀀" * 18, "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨", "1e999", 12345, "6.1E+17abc"]:
        r = check_id_number(text, today=TODAY)
        assert not r.valid


# --- properties ---------------------------------------------------------------------------------

PROVINCE_REGIONS = ["110105", "440524", "360426", "610424", "650102", "810000", "830000", "540102"]


@st.composite
def valid_numbers(draw):
    region = draw(st.sampled_from(PROVINCE_REGIONS) | st.builds(
        lambda p, rest: p + rest, st.sampled_from(["11", "13", "32", "44", "61", "65", "71", "82"]),
        st.text("0123456789", min_size=4, max_size=4)))
    birth = draw(st.dates(min_value=date(1880, 1, 1), max_value=TODAY))
    seq = draw(st.text("0123456789", min_size=3, max_size=3))
    first17 = f"{region}{birth:%Y%m%d}{seq}"
    assume(region != "000000")
    return first17 + id_check_char(first17)


def gb11643_reference(number: str) -> bool:
    # Independent statement of the standard: sum of a_i * 2^(18-i) mod 11 == 1 (X = 10)
    values = [10 if c == "X" else int(c) for c in number]
    return sum(v * pow(2, 17 - i, 11) for i, v in enumerate(values)) % 11 == 1


@given(valid_numbers())
def test_any_17_digits_with_computed_check_validate(number):
    r = check_id_number(number, today=TODAY)
    assert r.valid, (number, r)
    assert r.normalized == number
    assert r.sex == (1 if int(number[16]) % 2 else 2)
    assert gb11643_reference(number)


@given(valid_numbers(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_changed_character_is_caught(number, pos, ch):
    assume(number[pos] != ch)
    changed = number[:pos] + ch + number[pos + 1:]
    assert not check_id_number(changed, today=TODAY).valid


@given(valid_numbers(), st.integers(0, 16))
def test_any_adjacent_swap_is_caught(number, pos):
    assume(number[pos] != number[pos + 1])
    swapped = number[:pos] + number[pos + 1] + number[pos] + number[pos + 2:]
    assert not check_id_number(swapped, today=TODAY).valid


@given(st.text("0123456789X", min_size=18, max_size=18))
def test_checksum_agrees_with_reference_on_random_input(text):
    r = check_id_number(text, today=TODAY)
    if r.normalized and not r.placeholder:
        assert (idn.ID_CHECKSUM not in r.errors) == gb11643_reference(text)


@given(valid_numbers())
def test_15_digit_round_trip(number):
    assume(number[6:8] == "19")
    legacy = number[:6] + number[8:17]
    r = check_id_number(legacy, today=TODAY)
    assert r.normalized == number and r.valid and idn.ID_CONVERTED_15 in r.warnings


@given(st.one_of(st.text(max_size=30), st.text("0123456789xX -.E+'１２３", max_size=22)))
def test_arbitrary_text_never_raises_and_valid_means_valid(text):
    r = check_id_number(text, today=TODAY)
    assert r.valid == (not r.errors)
    if r.valid:
        assert len(r.normalized) == 18 and id_check_char(r.normalized[:17]) == r.normalized[17]
        assert idn.MIN_BIRTH <= r.birth_date <= TODAY and r.sex in (1, 2)
        assert not r.placeholder
    for code in (*r.errors, *r.warnings):
        assert code in ID_MESSAGES
