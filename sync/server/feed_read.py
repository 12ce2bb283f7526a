"""Reading the platform's case feeds: JSON Lines (schema hecha.feed/1) and the CSV/xlsx template.

docs/feeds.md describes both. Every problem is a RowError (file, line, field, reason in Chinese); a file
with any RowError is not applied at all (sync.server.feed_apply). Spreadsheet values are read as clerks
type them (client.domain.clerk): 男/汉族/户主/农业户口, 1985/2/3, Excel day numbers, full-width digits;
an ID number that Excel turned into 6.10424E+17 is reported as lost.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from client.domain.clerk import DATE_FIELDS, normalize_person, parse_date, scientific_id, text
from client.domain.messages import FIELD_LABELS
from client.domain.models import CERTIFICATE_FIELDS, PERSON_FIELDS

SCHEMA = "hecha.feed/1"
KINDS = ("error", "birth", "duplicates")
KIND_NAMES = {"error": "错误记录", "birth": "出生推送", "duplicates": "重复人员"}
MAX_EXTERNAL_ID = 56

# Spreadsheet template: one sheet (or CSV file) per kind; the Chinese headers, in this order.
EXTERNAL_ID = "外部编号"
PERSON_COLUMNS = ("person_id", "household_id", "name", "sex", "birth_date", "ethnicity", "id_number",
                  "relation", "hukou_type", "hukou_place", "hukou_address", "residence_place",
                  "marital_status", "first_marriage_date", "father_id_number", "mother_id_number")
BIRTH_COLUMNS = ("cert_number", "name", "sex", "birth_date", "birth_time", "birthplace", "issue_date",
                 "issuer", "hospital", "mother_name", "mother_id_number", "father_name", "father_id_number")
PROBLEM_COLUMN = "问题说明"
TEMPLATE_COLUMNS = {
    "error": (EXTERNAL_ID, *[FIELD_LABELS[f] for f in PERSON_COLUMNS], PROBLEM_COLUMN),
    "birth": (EXTERNAL_ID, *[FIELD_LABELS.get(f, f) if f not in ("name", "sex", "birth_date") else
                             {"name": "新生儿姓名", "sex": "性别", "birth_date": "出生日期"}[f]
                             for f in BIRTH_COLUMNS]),
    "duplicates": (EXTERNAL_ID, *[FIELD_LABELS[f] for f in PERSON_COLUMNS]),
}
_LABEL_TO_FIELD = {FIELD_LABELS[f]: f for f in PERSON_FIELDS if f in FIELD_LABELS}
_LABEL_TO_FIELD.update({f: f for f in PERSON_FIELDS})
_BIRTH_LABELS = {FIELD_LABELS.get(f, f): f for f in CERTIFICATE_FIELDS}
_BIRTH_LABELS.update({"新生儿姓名": "name", "性别": "sex", "出生日期": "birth_date"}, **{f: f for f in CERTIFICATE_FIELDS})


@dataclass
class RowError:
    file: str
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file} 第{self.line}行" if self.line else self.file
        return f"{where}{'，' + self.field if self.field else ''}：{self.reason}"


@dataclass
class FeedRecord:
    kind: str
    external_id: str
    line: int
    body: dict[str, Any]        # person/household (error), certificate (birth), members (duplicates)

    @property
    def record_hash(self) -> str:
        raw = json.dumps([self.kind, self.body], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass
class FeedFile:
    path: str
    mode: str = "incremental"               # "full": cases of `kinds` absent from the file are withdrawn
    kinds: tuple[str, ...] = ()
    records: list[FeedRecord] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)   # persons without a case (household members)
    errors: list[RowError] = field(default_factory=list)


def read_feed(path: Path | str, mode: str | None = None) -> FeedFile:
    """Reads one feed file (.jsonl, .csv, .xlsx). `mode` ("full"/"incremental") is for spreadsheets;
    a JSON Lines file says its own in its header line."""
    path = Path(path)
    feed = FeedFile(path=path.name)
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson"):
            _read_jsonl(feed, path.read_bytes())
        elif suffix == ".xlsx":
            _read_xlsx(feed, path)
        elif suffix == ".csv":
            _read_csv(feed, path.read_bytes())
        else:
            feed.errors.append(RowError(path.name, 0, "", "不支持的文件类型：只能导入 .jsonl、.csv 或 .xlsx"))
    except OSError as exc:
        feed.errors.append(RowError(path.name, 0, "", f"无法读取文件：{exc.strerror or exc}"))
    if suffix != ".jsonl" and mode is not None:
        feed.mode = mode
    if not feed.kinds:
        feed.kinds = tuple(sorted({r.kind for r in feed.records}))
    seen: dict[tuple[str, str], int] = {}
    for r in feed.records:
        key = (r.kind, r.external_id)
        if key in seen:
            feed.errors.append(RowError(feed.path, r.line, EXTERNAL_ID,
                                        f"外部编号 {r.external_id} 与第{seen[key]}行重复"))
        seen.setdefault(key, r.line)
    return feed


# ---------------------------------------------------------------- JSON Lines

def _read_jsonl(feed: FeedFile, raw: bytes) -> None:
    lines = raw.decode("utf-8-sig", errors="replace").splitlines()
    header = None
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            feed.errors.append(RowError(feed.path, no, "", f"不是有效的 JSON（第{exc.colno}列：{exc.msg}）"))
            continue
        if not isinstance(obj, dict):
            feed.errors.append(RowError(feed.path, no, "", "每行应为一个 JSON 对象"))
            continue
        if header is None:
            header = obj
            if obj.get("schema") != SCHEMA:
                feed.errors.append(RowError(feed.path, no, "schema", f"首行应为文件头，schema 为 {SCHEMA}"))
                return
            feed.mode = obj.get("mode", "incremental")
            if feed.mode not in ("full", "incremental"):
                feed.errors.append(RowError(feed.path, no, "mode", "mode 应为 full 或 incremental"))
            kinds = obj.get("kinds") or []
            if not isinstance(kinds, list) or any(k not in KINDS for k in kinds):
                feed.errors.append(RowError(feed.path, no, "kinds", f"kinds 只能包含 {', '.join(KINDS)}"))
            elif feed.mode == "full" and not kinds:
                feed.errors.append(RowError(feed.path, no, "kinds", "全量文件须在 kinds 中列出所含的类型"))
            else:
                feed.kinds = tuple(kinds)
            continue
        _record(feed, no, obj)
    if header is None:
        feed.errors.append(RowError(feed.path, 0, "", "文件是空的"))


def _record(feed: FeedFile, no: int, obj: dict[str, Any]) -> None:
    kind, ext = obj.get("kind"), text(obj.get("external_id"))
    if kind == "person":
        person = _person(feed, no, obj.get("person"), "person")
        if person:
            feed.persons.append(person)
        return
    if kind not in KINDS:
        feed.errors.append(RowError(feed.path, no, "kind", f"未知的类型“{kind}”（应为 {', '.join(KINDS)}）"))
        return
    if not ext or len(ext) > MAX_EXTERNAL_ID:
        feed.errors.append(RowError(feed.path, no, "external_id", f"缺少外部编号，或长于{MAX_EXTERNAL_ID}个字符"))
        return
    if feed.kinds and kind not in feed.kinds:
        feed.errors.append(RowError(feed.path, no, "kind", f"文件头的 kinds 中没有“{kind}”"))
        return
    body: dict[str, Any] | None = None
    if kind == "error":
        person = _person(feed, no, obj.get("person"), "person")
        household = obj.get("household") or None
        members = [m for m in (_person(feed, no, m, "household.members") for m in
                               ((household or {}).get("members") or [])) if m]
        if person:
            body = {"person": person, "findings": obj.get("findings") or [], "members": members}
            if household:
                body["household"] = {k: text(household.get(k)) for k in ("household_id", "place", "address")
                                     if household.get(k)}
    elif kind == "birth":
        body = _birth(feed, no, obj.get("certificate"), obj.get("proposed"))
    else:
        found = [_person(feed, no, m, "members") for m in obj.get("members") or []]
        members = [m for m in found if m is not None]
        if len(members) == len(found) >= 2:
            body = {"members": members, "pattern": text(obj.get("pattern")) or None}
        elif len(members) == len(found):
            feed.errors.append(RowError(feed.path, no, "members", "重复人员组至少要有两人"))
    deadline = obj.get("deadline")
    if body is not None and deadline not in (None, ""):
        day = parse_date(deadline)
        if day is None:
            feed.errors.append(RowError(feed.path, no, "deadline", f"办理期限“{text(deadline)}”无法识别（可写 2027-01-31）"))
            return
        body["deadline"] = day
    if body is not None:
        feed.records.append(FeedRecord(kind, ext, no, body))


def _person(feed: FeedFile, no: int, raw: Any, where: str) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        feed.errors.append(RowError(feed.path, no, where, "应为人员记录（对象）"))
        return None
    errors = len(feed.errors)
    for f, v in raw.items():
        if f.endswith("id_number") and v is not None and scientific_id(v):
            feed.errors.append(RowError(feed.path, no, FIELD_LABELS.get(f) or f,
                                        f"“{text(v)}”已被 Excel 转成科学计数法，后几位已丢失，请把该列设为文本后按原件重新录入"))
        elif f in DATE_FIELDS and v not in (None, "") and parse_date(v) is None:
            feed.errors.append(RowError(feed.path, no, FIELD_LABELS.get(f) or f,
                                        f"日期“{text(v)}”无法识别（可写 1985-02-03、1985/2/3 或 1985.2.3）"))
    person = normalize_person({k: v for k, v in raw.items() if k in PERSON_FIELDS and k != "status"})
    if not person.get("person_id"):
        feed.errors.append(RowError(feed.path, no, FIELD_LABELS["person_id"], "缺少个人编码"))
    if not person.get("name"):
        feed.errors.append(RowError(feed.path, no, FIELD_LABELS["name"], "缺少姓名"))
    return person if len(feed.errors) == errors else None


def _birth(feed: FeedFile, no: int, cert: Any, proposed: Any) -> dict[str, Any] | None:
    if not isinstance(cert, dict):
        feed.errors.append(RowError(feed.path, no, "certificate", "缺少出生医学证明（certificate）"))
        return None
    errors = len(feed.errors)
    c = normalize_person({k: v for k, v in cert.items() if k in CERTIFICATE_FIELDS})
    for f in ("mother_id_number", "father_id_number"):
        if cert.get(f) and scientific_id(cert[f]):
            feed.errors.append(RowError(feed.path, no, FIELD_LABELS[f], f"“{text(cert[f])}”已被 Excel 转成科学计数法，后几位已丢失"))
    for f, label in (("cert_number", "出生医学证明编号"), ("birth_date", "出生日期"), ("sex", "性别")):
        if not c.get(f):
            feed.errors.append(RowError(feed.path, no, label, f"缺少{label}"))
    for f in ("birth_date", "issue_date"):
        if c.get(f) and parse_date(c[f]) is None:
            feed.errors.append(RowError(feed.path, no, FIELD_LABELS.get(f, f), f"日期“{c[f]}”无法识别"))
    if len(feed.errors) != errors:
        return None
    prop = normalize_person(proposed) if isinstance(proposed, dict) else {}
    prop = {"name": c.get("name", ""), "sex": c["sex"], "birth_date": c["birth_date"], "ethnicity":
            c.get("mother_ethnicity") or "01", "mother_name": c.get("mother_name"),
            "mother_id_number": c.get("mother_id_number"), "father_name": c.get("father_name"),
            "father_id_number": c.get("father_id_number"), "birth_cert_number": c["cert_number"], **prop}
    return {"certificate": c, "proposed": {k: v for k, v in prop.items() if v is not None}}


# ---------------------------------------------------------------- spreadsheets (template)

def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and abs(value) >= 1e15:
        return f"{value:.5E}"          # what Excel shows; its last digits are gone
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return value


def _read_xlsx(feed: FeedFile, path: Path) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException
    from zipfile import BadZipFile
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError):
        feed.errors.append(RowError(feed.path, 0, "", "无法读取 Excel 文件，请确认是 .xlsx 格式且未损坏"))
        return
    try:
        for ws in wb.worksheets:
            rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
            _read_rows(feed, rows, f"{feed.path}［{ws.title}］")
    finally:
        wb.close()


def _read_csv(feed: FeedFile, raw: bytes) -> None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            content = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        feed.errors.append(RowError(feed.path, 0, "", "文件编码无法识别（应为 UTF-8 或 GBK）"))
        return
    _read_rows(feed, list(csv.reader(io.StringIO(content))), feed.path)


def _read_rows(feed: FeedFile, rows: list[list[Any]], where: str) -> None:
    numbered = [(no, r) for no, r in enumerate(rows, start=1) if any(text(c) for c in r)]
    if not numbered:
        return
    header = [text(h) for h in numbered[0][1]]
    if EXTERNAL_ID not in header:
        feed.errors.append(RowError(where, 1, "", f"表头中没有“{EXTERNAL_ID}”列（请使用 hecha server import-template 生成的模板）"))
        return
    kind = "birth" if "出生医学证明编号" in header and "新生儿姓名" in header else \
        ("error" if PROBLEM_COLUMN in header else "duplicates")
    labels = _BIRTH_LABELS if kind == "birth" else _LABEL_TO_FIELD
    unknown = [h for h in header if h and h not in labels and h not in (EXTERNAL_ID, PROBLEM_COLUMN)]
    if unknown:
        feed.errors.append(RowError(where, 1, "", f"无法识别的列：{'、'.join(unknown)}"))
        return
    groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    saved, feed.path = feed.path, where
    for no, row in numbered[1:]:
        values = {h: row[i] if i < len(row) else "" for i, h in enumerate(header) if h}
        ext = text(values.pop(EXTERNAL_ID, ""))
        problem = text(values.pop(PROBLEM_COLUMN, ""))
        fields = {labels[h]: v for h, v in values.items() if text(v) != ""}
        if kind == "birth":
            _record(feed, no, {"kind": "birth", "external_id": ext, "certificate": fields})
        elif kind == "error" and ext:
            _record(feed, no, {"kind": "error", "external_id": ext, "person": fields,
                               "findings": [{"code": "PLATFORM", "message": problem}] if problem else []})
        elif kind == "error":          # a row without 外部编号: a household member, no case
            _record(feed, no, {"kind": "person", "person": fields})
        elif not ext:
            feed.errors.append(RowError(where, no, EXTERNAL_ID, "缺少外部编号（重复人员组编号）"))
        else:
            groups.setdefault(ext, []).append((no, fields))
    for ext, members in groups.items():
        _record(feed, members[0][0], {"kind": "duplicates", "external_id": ext,
                                      "members": [m for _, m in members]})
    feed.path = saved


def write_template(path: Path | str, kinds: tuple[str, ...] = KINDS) -> list[Path]:
    """The import template: .xlsx with one sheet per kind, or one .csv per kind (name-kind.csv)."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        out = []
        for kind in kinds:
            p = path.with_name(f"{path.stem}-{KIND_NAMES[kind]}.csv") if len(kinds) > 1 else path
            with open(p, "w", encoding="utf-8-sig", newline="") as fh:
                csv.writer(fh).writerow(TEMPLATE_COLUMNS[kind])
            out.append(p)
        return out
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    wb = Workbook()
    for index, kind in enumerate(kinds):
        ws = wb.worksheets[0] if index == 0 else wb.create_sheet()
        ws.title = KIND_NAMES[kind]
        ws.append(list(TEMPLATE_COLUMNS[kind]))
        for i, _ in enumerate(TEMPLATE_COLUMNS[kind], start=1):
            ws.cell(row=1, column=i).font = Font(bold=True)
            ws.column_dimensions[get_column_letter(i)].width = 18
            for r in range(2, 1002):       # text cells: Excel keeps 18-digit numbers and leading zeros
                ws.cell(row=r, column=i).number_format = "@"
    wb.save(path)
    return [path]
