"""`hecha validate FILE`: check person records from a .json (list of person dicts), .csv or .xlsx
file (canonical field names or their Chinese labels as headers) and print the findings in Chinese.
Values are read as clerks type them (client.domain.clerk): codes by name, dates as 1985/2/3.

Exit status: 0 no errors, 1 at least one error, 2 the file (or the rule configuration) is unusable.
Members of the file that share a household_id are checked as one household.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # the rule engine is imported when it runs (a fast --help)
    from client.domain.rules import RuleConfig

EXIT_OK, EXIT_ERRORS, EXIT_BAD_INPUT = 0, 1, 2
SEVERITY_NAMES = {"E": "错误", "W": "警告", "I": "提示"}
MAX_BYTES = 200 * 1024 * 1024


class InputError(Exception):
    """The file cannot be read as person records; the message is Chinese and shown as is."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", nargs="?",
                        help="人员记录文件：.json（人员记录列表），或首行为字段名的 .csv / .xlsx")
    parser.add_argument("--list-rules", action="store_true", help="列出全部检查规则（可与 --json 合用）")
    parser.add_argument("-q", "--problems-only", action="store_true", help="只列出有问题的记录")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
    parser.add_argument("--today", metavar="YYYY-MM-DD", help="按指定日期检查（默认今天）")
    parser.add_argument("--config", metavar="FILE",
                        help='规则配置 JSON：{"disabled": [...], "params": {...}, "severity": {...}}')


def _read_text(path: Path) -> str:
    if not path.exists():
        raise InputError(f"找不到文件：{path}")
    if path.is_dir():
        raise InputError(f"这是一个文件夹，不是文件：{path}")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"文件太大（{size // (1024 * 1024)} MB），请拆分后再检查：{path}")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件 {path}：{exc.strerror or exc}") from None
    if not raw.strip():
        raise InputError(f"文件是空的：{path}")
    # Excel on Chinese Windows saves CSV as GBK/GB18030; everything else is UTF-8 (maybe with BOM).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"文件编码无法识别（应为 UTF-8 或 GBK）：{path}")


def _header_map() -> dict[str, str]:
    from client.domain.messages import FIELD_LABELS
    from client.domain.models import PERSON_FIELDS

    mapping = {f: f for f in PERSON_FIELDS}
    for f in PERSON_FIELDS:
        mapping.setdefault(FIELD_LABELS.get(f, f), f)
    return mapping


def read_records(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Person dicts from the file, plus notes (e.g. ignored columns). Raises InputError."""
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv", ".xlsx"):
        raise InputError(f"不支持的文件类型“{path.suffix or '无扩展名'}”：只能检查 .json、.csv 或 .xlsx 文件")
    if suffix == ".xlsx":
        return _read_xlsx(path)
    text = _read_text(path)
    return _read_json(text) if suffix == ".json" else _read_csv(text)


def _cell_text(value: Any) -> str:
    # Excel keeps long digit strings typed as numbers only to 15 significant digits: an 18-digit ID
    # number stored as a number has already lost its last digits. Show it the way Excel does
    # (6.10424E+17) so the ID rules report it as damaged instead of checking made-up digits.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        if abs(value) >= 1e15:
            return f"{float(value):.5E}"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    if isinstance(value, date):  # dates typed as dates (datetime is a date)
        return value.isoformat()[:10]
    return str(value)


def _read_xlsx(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    if not path.exists():
        raise InputError(f"找不到文件：{path}")
    try:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = [[_cell_text(v) for v in row] for row in wb.worksheets[0].iter_rows(values_only=True)]
        finally:
            wb.close()
    except InputError:
        raise
    except Exception as exc:  # zipfile, XML and openpyxl errors all mean "not a usable workbook"
        raise InputError(f"无法读取 Excel 文件（{type(exc).__name__}），请确认是 .xlsx 格式且未损坏：{path}") from None
    return _records_from_rows(rows, "表格")


def _read_json(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"文件不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）") from None
    if isinstance(data, dict) and isinstance(data.get("persons"), list):
        data = data["persons"]
    if not isinstance(data, list):
        raise InputError("JSON 文件应为人员记录的列表，例如 [{\"name\": \"张三\", ...}]")
    bad = [i + 1 for i, item in enumerate(data) if not isinstance(item, dict)]
    if bad:
        raise InputError(f"JSON 列表中第{'、'.join(map(str, bad[:5]))}项不是人员记录（应为 {{字段: 值}}）")
    if not data:
        raise InputError("文件中没有人员记录")
    return data, []


def _read_csv(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise InputError(f"CSV 文件格式有误：{exc}") from None
    return _records_from_rows(rows, "CSV")


def _records_from_rows(rows: list[list[str]], kind: str) -> tuple[list[dict[str, Any]], list[str]]:
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise InputError(f"{kind} 文件中没有内容")
    mapping = _header_map()
    header = [h.strip() for h in rows[0]]
    fields = [mapping.get(h) for h in header]
    if not any(fields):
        raise InputError(f"{kind} 首行没有可识别的字段名（应为 name、sex、birth_date、id_number 等，或 姓名、性别 等）")
    notes = []
    unknown = [h for h, f in zip(header, fields) if f is None and h]
    if unknown:
        notes.append(f"已忽略无法识别的列：{'、'.join(unknown)}")
    records = []
    for line_no, row in enumerate(rows[1:], start=2):
        if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
            notes.append(f"第{line_no}行的列数多于表头，多出的内容已忽略")
        rec = {f: v.strip() for f, v in zip(fields, row) if f and v.strip()}
        records.append(rec)
    if not records:
        raise InputError(f"{kind} 文件只有表头，没有人员记录")
    return records, notes


def _load_config(path: str | None) -> RuleConfig:
    from client.domain.rules import RuleConfig

    if not path:
        return RuleConfig()
    p = Path(path)
    try:
        data = json.loads(_read_text(p))
        if not isinstance(data, dict):
            raise ValueError("应为 JSON 对象")
        return RuleConfig.from_dict(data)
    except json.JSONDecodeError as exc:
        raise InputError(f"规则配置文件不是有效的 JSON（第{exc.lineno}行）：{p}") from None
    except (ValueError, TypeError) as exc:
        raise InputError(f"规则配置有误：{exc}") from None


def check_records(records: list[dict[str, Any]], today: date,
                  config: RuleConfig | None) -> list[dict[str, Any]]:
    """Findings per record; records sharing a household_id are each other's household."""
    from client.domain.clerk import normalize_person
    from client.domain.models import Person
    from client.domain.rules import RuleContext, validate_person

    # Clerks' spreadsheets: 男/汉族/户主/农业户口 by name, dates as 1985/2/3, full-width digits.
    people = [Person.from_dict(normalize_person(r)) for r in records]
    households: dict[str, list[Person]] = {}
    for p in people:
        if p.household_id:
            households.setdefault(p.household_id, []).append(p)
    results = []
    for index, p in enumerate(people, start=1):
        household = None
        if p.household_id:
            household = [m for m in households[p.household_id] if m is not p]
        findings = validate_person(p, RuleContext(today=today, household=household), config)
        results.append({"index": index, "person_id": p.person_id, "name": p.name,
                        "findings": [f.to_dict() for f in findings]})
    return results


def _summary(results: list[dict[str, Any]]) -> dict[str, int]:
    def has(r: dict[str, Any], sev: str) -> bool:
        return any(f["severity"] == sev for f in r["findings"])
    return {"persons": len(results),
            "with_errors": sum(1 for r in results if has(r, "E")),
            "with_warnings": sum(1 for r in results if has(r, "W") and not has(r, "E")),
            "clean": sum(1 for r in results if not r["findings"]),
            "findings": sum(len(r["findings"]) for r in results)}


def _print_text(results: list[dict[str, Any]], notes: list[str], out: TextIO, problems_only: bool = False) -> None:
    from client.domain.messages import field_label

    for note in notes:
        print(f"注意：{note}", file=out)
    for r in results:
        who = r["name"] or "（无姓名）"
        if r["person_id"]:
            who += f"（个人编码 {r['person_id']}）"
        counts = {s: sum(1 for f in r["findings"] if f["severity"] == s) for s in "EWI"}
        if not r["findings"]:
            if not problems_only:
                print(f"第{r['index']}条 {who}：无问题", file=out)
            continue
        parts = [f"{counts[s]}个{SEVERITY_NAMES[s]}" for s in "EWI" if counts[s]]
        print(f"第{r['index']}条 {who}：{'，'.join(parts)}", file=out)
        for f in sorted(r["findings"], key=lambda f: "EWI".index(f["severity"])):
            fields = "、".join(field_label(x) for x in f["fields"])
            tail = f"（{fields}）" if fields else ""
            print(f"  [{SEVERITY_NAMES[f['severity']]}] {f['message']}{tail}  {f['code']}", file=out)
    s = _summary(results)
    print(f"共检查{s['persons']}条记录：{s['with_errors']}条有错误，{s['with_warnings']}条仅有警告，"
          f"{s['clean']}条无问题", file=out)


def _list_rules(as_json: bool) -> int:
    from client.domain.messages import field_label
    from client.domain.rules import DEFAULT_PARAMS, RULES

    if as_json:
        json.dump({"rules": [{"code": r.code, "severity": r.severity, "group": r.group, "scope": r.scope,
                              "fields": list(r.fields), "description": r.description} for r in RULES],
                   "params": {k: list(v) if isinstance(v, tuple) else v for k, v in DEFAULT_PARAMS.items()}},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    for r in RULES:
        fields = "、".join(field_label(f) for f in r.fields)
        print(f"{r.code:<26} {SEVERITY_NAMES[r.severity]}  {r.description}（{fields}）")
    print(f"共{len(RULES)}条规则")
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    if args.list_rules:
        return _list_rules(args.json)
    if not args.file:
        print("请指定要检查的文件，例如：hecha validate 人员.csv", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        today = date.fromisoformat(args.today) if args.today else date.today()
    except ValueError:
        print(f"日期“{args.today}”无效，应为 年-月-日，如 2025-06-01", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        config = _load_config(args.config)
        records, notes = read_records(Path(args.file))
    except InputError as exc:
        print(f"无法检查：{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    results = check_records(records, today, config)
    try:
        _output(args, today, notes, results)
    except BrokenPipeError:  # `hecha validate big.csv | head`: the reader has seen enough
        sys.stderr.close()
    return EXIT_ERRORS if any(f["severity"] == "E" for r in results for f in r["findings"]) else EXIT_OK


def _output(args: argparse.Namespace, today: date, notes: list[str], results: list[dict[str, Any]]) -> None:
    if args.json:
        json.dump({"file": str(args.file), "today": today.isoformat(), "notes": notes,
                   "summary": _summary(results), "persons": results},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_text(results, notes, sys.stdout, problems_only=args.problems_only)
