"""Classroom actions of a trainer over a training server: each trainee's progress (and its .xlsx
report), and class-wide exercises on every trainee's own copy of a teaching case: an office edit
that will conflict with the trainees' offline fixes, or a withdrawn case."""

from __future__ import annotations

from typing import Any

from dataclasses import dataclass, field
from pathlib import Path

from client.training.trainer_api import TrainerClient, TrainerError
from client.training.server import is_trainee

KINDS = ("error", "birth", "duplicates")
KIND_NAMES = {"error": "异常数据", "birth": "出生反推", "duplicates": "疑似重复"}


def case_title(record: dict[str, Any]) -> str:
    d = record.get("data") or {}
    if record.get("type") == "error":
        return (d.get("person") or {}).get("name") or ""
    if record.get("type") == "birth":
        return (d.get("proposed") or {}).get("name") or (d.get("certificate") or {}).get("name") or ""
    return "、".join(m.get("name") or "" for m in d.get("members") or [])


def case_codes(record: dict[str, Any]) -> set[str]:
    d = record.get("data") or {}
    return {f.get("code") for f in (d.get("findings") or []) + (d.get("reasons") or []) if f.get("code")}


@dataclass(frozen=True)
class Selector:
    """Which teaching case: by rule code (e.g. ID_BIRTH_MISMATCH) and/or by the name on it, and kind."""

    rule: str | None = None
    name: str | None = None
    kind: str | None = None

    def matches(self, record: dict[str, Any]) -> bool:
        if self.kind and record.get("type") != self.kind:
            return False
        if self.rule and self.rule not in case_codes(record):
            return False
        if self.name:
            title = case_title(record)
            if self.name != title and self.name not in title.split("、"):
                return False
        return True

    def describe(self) -> str:
        parts = [p for p in (self.rule and f"规则 {self.rule}", self.name and f"姓名 {self.name}",
                             self.kind and KIND_NAMES.get(self.kind, self.kind)) if p]
        return "，".join(parts) or "（未指定）"


@dataclass
class Outcome:
    username: str
    case_id: str | None
    done: bool
    message: str


@dataclass
class TraineeProgress:
    username: str
    display_name: str
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> status -> count
    last_completed: str | None = None

    def count(self, status: str | None = None, kind: str | None = None) -> int:
        kinds = [kind] if kind else list(self.by_kind)
        return sum(n for k in kinds for st, n in self.by_kind.get(k, {}).items()
                   if status is None or st == status)

    @property
    def ratio(self) -> float | None:
        active = self.count("open") + self.count("completed")
        return round(self.count("completed") / active, 4) if active else None


class Classroom:
    """The trainer's view of the class on one training server."""

    def __init__(self, client: TrainerClient):
        self.client = client

    def trainees(self, only: list[str] | None = None) -> list[dict[str, Any]]:
        users = [u for u in self.client.users() if is_trainee(u)]
        if only:
            known = {u["username"] for u in users}
            missing = [u for u in only if u not in known]
            if missing:
                raise TrainerError(f"没有这些学员账号：{'、'.join(missing)}")
            users = [u for u in users if u["username"] in only]
        if not users:
            raise TrainerError("服务器上没有学员账号（t01…）：请用 hecha server --seed demo --classroom N 建立培训班")
        return users

    def cases(self, username: str, status: str | None = None) -> list[dict[str, Any]]:
        return self.client.cases(username, status)

    def pick(self, username: str, selector: Selector) -> dict[str, Any] | None:
        """The trainee's open case the selector names (the first by case id when several match)."""
        hits = [c for c in self.cases(username, "open") if selector.matches(c["record"])]
        return hits[0] if hits else None

    def progress(self, only: list[str] | None = None) -> list[TraineeProgress]:
        out = []
        for u in self.trainees(only):
            p = TraineeProgress(u["username"], u.get("display_name") or u["username"])
            for c in self.cases(u["username"]):
                kind = c["record"]["type"]
                p.by_kind.setdefault(kind, {}).setdefault(c["status"], 0)
                p.by_kind[kind][c["status"]] += 1
                if c["status"] == "completed" and (p.last_completed or "") < (c.get("updated_at") or ""):
                    p.last_completed = c["updated_at"]
            out.append(p)
        return out

    def make_conflict(self, selector: Selector, field_name: str, value: str | None, *,
                      note: str = "培训：县办在学员离线时修改了这条记录",
                      only: list[str] | None = None) -> list[Outcome]:
        """Edit the person of each trainee's matching open error case, as the county office would."""
        out = []
        for u in self.trainees(only):
            case = self.pick(u["username"], Selector(selector.rule, selector.name, "error"))
            if case is None:
                out.append(Outcome(u["username"], None, False, "没有匹配的待办任务（可能已上传完成）"))
                continue
            person_id = (case["record"]["data"].get("person") or {}).get("person_id")
            if not person_id:
                out.append(Outcome(u["username"], case["record"]["id"], False, "任务中没有人员编号"))
                continue
            # a classroom exercise: the value may break a rule on purpose
            self.client.edit_person(person_id, {field_name: value}, note, plant_errors=True)
            out.append(Outcome(u["username"], case["record"]["id"], True, f"已修改 {field_name}"))
        return out

    def withdraw(self, selector: Selector, *, note: str = "培训：省平台收回了这条任务",
                 only: list[str] | None = None) -> list[Outcome]:
        out = []
        for u in self.trainees(only):
            case = self.pick(u["username"], selector)
            if case is None:
                out.append(Outcome(u["username"], None, False, "没有匹配的待办任务（可能已上传完成）"))
                continue
            self.client.withdraw(case["record"]["id"], note)
            out.append(Outcome(u["username"], case["record"]["id"], True, "已撤回"))
        return out


REPORT_HEADERS = ("学员", "姓名", "异常数据 已完成/共", "出生反推 已完成/共", "疑似重复 已完成/共",
                  "已完成", "待办", "已撤回", "完成率", "最后提交（服务器时间）")


def report_rows(progress: list[TraineeProgress]) -> list[tuple[Any, ...]]:
    rows = []
    for p in progress:
        per_kind = []
        for k in KINDS:
            total = p.count("open", k) + p.count("completed", k)
            per_kind.append(f"{p.count('completed', k)}/{total}")
        ratio = p.ratio
        rows.append((p.username, p.display_name, *per_kind, p.count("completed"), p.count("open"),
                     p.count("withdrawn"), f"{ratio:.0%}" if ratio is not None else "—",
                     p.last_completed or ""))
    return rows


def write_progress_xlsx(progress: list[TraineeProgress], path: Path | str, title: str = "学员进度") -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook has one worksheet
    ws.title = title
    ws.append(REPORT_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in report_rows(progress):
        ws.append(row)
    for col, width in zip("ABCDEFGHIJ", (8, 22, 18, 18, 18, 8, 8, 8, 8, 26)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    wb.save(path)
