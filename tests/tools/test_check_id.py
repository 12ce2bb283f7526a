"""`python -m client check-id`: one line per number, --json, stdin, exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from client.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["check-id", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_example_from_the_brief_as_a_real_process():
    proc = subprocess.run([sys.executable, "-m", "client", "check-id", "11010519491231002X",
                           "360426199113010079"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("11010519491231002X  有效  出生 1949-12-31  女  北京市 / 朝阳区")
    assert lines[1].startswith("360426199113010079  无效")
    assert "[错误 ID_DATE]" in lines[1] and "出生日期不存在" in lines[1]
    assert "江西省 / 九江市 / 德安县" in lines[1]


def test_all_valid_exits_0(capsys):
    code, out, _ = run(capsys, "11010519491231002X", "440524188001010014", "--today", "2026-01-01")
    assert code == 0 and out.count("有效") == 2 and "无效" not in out


def test_normalization_and_15_digits_are_shown(capsys):
    code, out, _ = run(capsys, "110105491231002", "１１０１０５-19491231-002x")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].startswith("110105491231002 → 11010519491231002X  有效")
    assert "[警告 ID_CONVERTED_15]" in lines[0]
    assert "→ 11010519491231002X" in lines[1]


def test_errors_and_historical_regions(capsys):
    code, out, _ = run(capsys, "6.10102E+17", "T60426199101010078", "36042619910102009X",
                       "000000199001010000", "110104197001010015")
    lines = out.splitlines()
    assert code == 1 and len(lines) == 5
    assert "[错误 ID_SCIENTIFIC]" in lines[0] and "科学计数法" in lines[0]
    assert "[错误 ID_FORMAT]" in lines[1]
    assert "[错误 ID_CHECKSUM]" in lines[2]
    assert "[错误 ID_PLACEHOLDER]" in lines[3]
    assert "有效" in lines[4] and "北京市 / 宣武区（已撤销或变更，1980—2009年使用）" in lines[4]


def test_json(capsys):
    code, out, _ = run(capsys, "--json", "11010519491231002X", "610499199001010013")
    data = json.loads(out)
    assert code == 1
    assert data[0] == {
        "input": "11010519491231002X", "normalized": "11010519491231002X", "valid": True,
        "placeholder": False, "birth_date": "1949-12-31", "sex": 2, "sex_name": "女",
        "region_code": "110105", "region_name": "北京市 / 朝阳区", "errors": [], "warnings": []}
    assert [e["code"] for e in data[1]["errors"]] == ["ID_CHECKSUM"]
    assert [w["code"] for w in data[1]["warnings"]] == ["ID_REGION_UNKNOWN"]
    assert data[1]["warnings"][0]["message"].startswith("身份证号码前六位地址码")


def test_today_option(capsys):
    code, out, _ = run(capsys, "44011320141005001X", "--today", "2014-10-04")
    assert code == 1 and "ID_DATE" in out
    code, out, err = run(capsys, "44011320141005001X", "--today", "昨天")
    assert code == 2 and "日期格式不对" in err


def test_numbers_from_stdin(capsys, monkeypatch):
    code, out, _ = run(capsys, stdin="11010519491231002X\n\n360426199101010071\n", monkeypatch=monkeypatch)
    assert code == 0 and len(out.splitlines()) == 2
    code, out, err = run(capsys, "-", stdin="\n  \n", monkeypatch=monkeypatch)
    assert code == 2 and "没有要检查" in err


def test_help_lists_the_command(capsys):
    # `hecha` with no subcommand starts the GUI; the command list is under --help.
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    assert "check-id" in capsys.readouterr().out
