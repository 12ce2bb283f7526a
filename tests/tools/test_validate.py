"""`python -m client validate FILE`: JSON and CSV input, Chinese output, --json, exit codes, bad files."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from client.cli import main
from client.domain.idnumber import make_id_number

ROOT = Path(__file__).resolve().parents[2]

GOOD_ID = make_id_number("610424", date(1985, 3, 12), 123)
VILLAGE = "610424101200"

GOOD = {"person_id": "P1", "household_id": "H1", "relation": "02", "name": "王建国", "sex": "1",
        "birth_date": "1985-03-12", "id_number": GOOD_ID, "ethnicity": "01", "hukou_type": "2",
        "hukou_place": VILLAGE, "residence_place": VILLAGE, "marital_status": "21",
        "first_marriage_date": "2010-05-01"}
BAD = {**GOOD, "person_id": "P2", "relation": "12", "name": "李秀英", "sex": "1",
       "birth_date": "1985-03-13", "first_marriage_date": None}


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["validate", *map(str, argv), "--today", "2025-06-01"])
    out, err = capsys.readouterr()
    return code, out, err


def write_json(tmp_path, data, name="people.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def write_csv(tmp_path, rows, header, name="people.csv", encoding="utf-8") -> Path:
    path = tmp_path / name
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            w.writerow([r.get(h) or "" for h in header])
    return path


def test_clean_file_exits_0(tmp_path, capsys):
    code, out, _ = run(capsys, write_json(tmp_path, [GOOD]))
    assert code == 0, out
    assert "第1条 王建国（个人编码 P1）：无问题" in out
    assert "共检查1条记录：0条有错误" in out


def test_errors_are_listed_in_chinese_and_exit_1(tmp_path, capsys):
    code, out, _ = run(capsys, write_json(tmp_path, [GOOD, BAD]))
    assert code == 1
    assert "第2条 李秀英（个人编码 P2）" in out
    assert "[错误] 出生日期(1985-03-13)与身份证号中的出生日期(1985-03-12)不一致" in out
    assert "ID_BIRTH_MISMATCH" in out
    # The two share household H1, so the spouse's sex is checked against the head.
    assert "SPOUSE_OF_HEAD_SEX" in out and "HH_RELATION_SEX" in out
    assert "共检查2条记录：1条有错误" in out


def test_json_output(tmp_path, capsys):
    code, out, _ = run(capsys, write_json(tmp_path, [GOOD, BAD]), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["summary"]["persons"] == 2 and data["summary"]["with_errors"] == 1
    assert data["persons"][0]["findings"] == []
    codes = {f["code"] for f in data["persons"][1]["findings"]}
    assert {"ID_BIRTH_MISMATCH", "REQ_FIRST_MARRIAGE_DATE"} <= codes
    f = next(f for f in data["persons"][1]["findings"] if f["code"] == "ID_BIRTH_MISMATCH")
    assert f["severity"] == "E" and f["fields"] == ["birth_date", "id_number"] and f["params"]


def test_warnings_only_exit_0(tmp_path, capsys):
    code, out, _ = run(capsys, write_json(tmp_path, [{**GOOD, "name": "王"}]))
    assert code == 0 and "[警告]" in out and "NAME_LENGTH" in out


def test_csv_utf8_gbk_and_chinese_headers(tmp_path, capsys):
    header = list(GOOD)
    path = write_csv(tmp_path, [GOOD, BAD], header)
    code, out, _ = run(capsys, path)
    assert code == 1 and "ID_BIRTH_MISMATCH" in out and "第1条 王建国（个人编码 P1）：无问题" in out
    # Excel on Chinese Windows: GBK, Chinese column names, an unknown column.
    labels = {"person_id": "个人编码", "name": "姓名", "sex": "性别", "birth_date": "出生日期",
              "id_number": "公民身份号码"}
    path = tmp_path / "gbk.csv"
    path.write_bytes(("个人编码,姓名,性别,出生日期,公民身份号码,备注\n"
                      f"P9,赵四,2,1985-03-12,{GOOD_ID},无\n").encode("gbk"))
    code, out, _ = run(capsys, path)
    assert code == 1 and "赵四（个人编码 P9）" in out and "ID_SEX_MISMATCH" in out
    assert "已忽略无法识别的列：备注" in out
    assert labels  # the mapping above documents the headers used


def test_csv_keeps_leading_zeros(tmp_path, capsys):
    path = write_csv(tmp_path, [GOOD], list(GOOD))
    code, out, _ = run(capsys, path, "--json")
    assert code == 0, out
    assert json.loads(out)["persons"][0]["findings"] == []


@pytest.mark.parametrize("name,content,message", [
    ("a.json", "[{\"name\": \"张三\"", "不是有效的 JSON（第1行"),
    ("a.json", "{\"name\": \"张三\"}", "应为人员记录的列表"),
    ("a.json", "[1, 2]", "第1、2项不是人员记录"),
    ("a.json", "[]", "没有人员记录"),
    ("a.json", "   ", "文件是空的"),
    ("a.csv", "foo,bar\n1,2\n", "没有可识别的字段名"),
    ("a.csv", "name,sex\n", "只有表头"),
    ("a.txt", "name\n张三\n", "不支持的文件类型"),
])
def test_bad_files_get_a_clear_message(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, path)
    assert code == 2 and out == ""
    assert err.startswith("无法检查：") and message in err, err


def test_binary_and_missing_files(tmp_path, capsys):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\x30\x81" * 50)
    code, _, err = run(capsys, path)
    assert code == 2 and "无法检查" in err
    code, _, err = run(capsys, tmp_path / "missing.json")
    assert code == 2 and "找不到文件" in err
    code, _, err = run(capsys, tmp_path)
    assert code == 2 and ("不支持的文件类型" in err or "文件夹" in err)
    folder = tmp_path / "folder.json"
    folder.mkdir()
    code, _, err = run(capsys, folder)
    assert code == 2 and "这是一个文件夹" in err


def test_config_file_switches_rules_off(tmp_path, capsys):
    people = write_json(tmp_path, [{**GOOD, "name": "王"}])
    cfg = tmp_path / "rules.json"
    cfg.write_text(json.dumps({"disabled": ["NAME_LENGTH"]}), encoding="utf-8")
    code, out, _ = run(capsys, people, "--config", cfg)
    assert code == 0 and "NAME_LENGTH" not in out and "无问题" in out
    cfg.write_text(json.dumps({"disabled": ["NO_SUCH_RULE"]}), encoding="utf-8")
    code, _, err = run(capsys, people, "--config", cfg)
    assert code == 2 and "规则配置有误" in err and "NO_SUCH_RULE" in err


def test_bad_today(tmp_path, capsys):
    code = main(["validate", str(write_json(tmp_path, [GOOD])), "--today", "2025-13-01"])
    assert code == 2 and "日期" in capsys.readouterr().err


def test_real_command_in_a_subprocess(tmp_path):
    path = write_json(tmp_path, [GOOD, BAD])
    proc = subprocess.run([sys.executable, "-m", "client", "validate", str(path), "--json",
                           "--today", "2025-06-01"], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8")
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["summary"]["with_errors"] == 1


def test_list_rules(capsys):
    assert main(["validate", "--list-rules"]) == 0
    out = capsys.readouterr().out
    assert "ID_CHECKSUM" in out and "错误" in out and "共" in out
    assert main(["validate", "--list-rules", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    codes = {r["code"] for r in data["rules"]}
    assert {"ID_BIRTH_MISMATCH", "BIRTH_WEIGHT", "HH_NO_HEAD"} <= codes
    assert data["params"]["mother_age_warn"] == [15, 49]


def test_no_file_given(capsys):
    assert main(["validate"]) == 2
    assert "请指定要检查的文件" in capsys.readouterr().err


def test_problems_only_and_odd_values(tmp_path, capsys):
    odd = {**BAD, "person_id": "P3", "name": ["张", "三"], "sex": 1, "ethnicity": {"x": 1}}
    code, out, _ = run(capsys, write_json(tmp_path, [GOOD, BAD, odd]), "-q")
    assert code == 1
    assert "第1条" not in out  # the clean record is not listed
    assert "第2条 李秀英" in out and "第3条" in out and "NAME_CHARS" in out and "CODE_INVALID" in out


def test_xlsx_with_numbers_and_dates(tmp_path, capsys):
    from datetime import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["个人编码", "姓名", "性别", "出生日期", "公民身份号码", "民族", "与户主关系", "户口性质",
               "户籍地", "现居住地", "婚姻状况", "初婚日期"])
    ws.append(["P1", "王建国", 1, datetime(1985, 3, 12), GOOD_ID, "01", "02", 2, VILLAGE, VILLAGE, 21,
               "2010-05-01"])
    # The same ID typed into Excel as a number: only 15 significant digits survive.
    ws.append(["P2", "王建国", 1, datetime(1985, 3, 12), int(GOOD_ID[:17] + "0"), "01", "02", 2, VILLAGE,
               VILLAGE, 21, "2010-05-01"])
    path = tmp_path / "people.xlsx"
    wb.save(path)
    code, out, _ = run(capsys, path, "--json")
    data = json.loads(out)
    assert code == 1
    assert data["persons"][0]["findings"] == []
    assert [f["code"] for f in data["persons"][1]["findings"]] == ["ID_SCIENTIFIC"]


def test_broken_xlsx(tmp_path, capsys):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    code, _, err = run(capsys, path)
    assert code == 2 and "无法读取 Excel 文件" in err
    code, _, err = run(capsys, tmp_path / "missing.xlsx")
    assert code == 2 and "找不到文件" in err


def test_clerks_spreadsheet_values_are_read_as_clerks_type_them(tmp_path, capsys):
    """男/汉族/户主/农业户口 by name, 1985/2/3 and 1985.2.3, an Excel day number, full-width digits: all
    accepted; an ID number Excel turned into 6.10424E+17 is reported as lost."""
    from openpyxl import Workbook
    fullwidth = GOOD_ID.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    rows = [["姓名", "性别", "出生日期", "民族", "公民身份号码", "与户主关系", "户口性质", "户籍地", "现居住地",
             "婚姻状况", "初婚日期", "户编号"],
            ["王建国", "男", "1985/3/12", "汉族", fullwidth, "户主", "农业户口", VILLAGE, VILLAGE, "初婚",
             "2010.5.1", "H1"],
            ["王建国", "男", 31118, "汉", 6.10424198503121e17, "户主", "农业户口", VILLAGE, VILLAGE, "初婚",
             "2010年5月1日", "H2"]]
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    path = tmp_path / "clerk.xlsx"
    wb.save(path)
    code, out, _ = run(capsys, path, "--json")
    results = json.loads(out)["persons"]
    first = {f["code"] for f in results[0]["findings"]}
    assert first == set(), results[0]
    second = {f["code"] for f in results[1]["findings"]}
    assert "ID_SCIENTIFIC" in second and "CODE_INVALID" not in second, second
    assert code == 1
