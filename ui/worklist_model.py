"""The lazy worklist model: the ids of the matching cases come first (one SQL query on the DB
thread); rows load in blocks when the view asks for them. Sorting and filtering are SQL.
data() never raises and never touches the network or the database."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from functools import lru_cache

from PySide6.QtCore import QCollator, QCoreApplication, QLocale, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from client.domain.messages import QT_TRANSLATE_NOOP, fill
from client.worklist import (ORDERED_KEYS, WorkQuery, WorkRow, days_left, distinct_values, task_ids,
                             task_rows)
from ui.messages import finding_text, render
from ui.table_model import FlatTableModel

log = logging.getLogger(__name__)

CTX = "WorklistModel"
BLOCK = 100  # rows fetched per request around the one the view asked for
FIRST_PAGE = 50  # rows of a new query shown before all its ids are known (a screen and a half)
CACHE_LIMIT = 20_000
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = [
    ("state", QT_TRANSLATE_NOOP("", "状态")),
    ("id", QT_TRANSLATE_NOOP("", "编号")),
    ("name", QT_TRANSLATE_NOOP("", "姓名")),
    ("id_number", QT_TRANSLATE_NOOP("", "身份证号")),
    ("sex", QT_TRANSLATE_NOOP("", "性别")),
    ("birth_date", QT_TRANSLATE_NOOP("", "出生日期")),
    ("place", QT_TRANSLATE_NOOP("", "村(居)")),
    ("deadline", QT_TRANSLATE_NOOP("", "期限")),
    ("problem", QT_TRANSLATE_NOOP("", "问题")),
]
SORTABLE = {col for col, _ in COLUMNS}  # every column shows a sort arrow, so every one sorts

STATE_NAMES = {
    "open": QT_TRANSLATE_NOOP("", "待处理"),
    "pending": QT_TRANSLATE_NOOP("", "已处理待上传"),
    "conflict": QT_TRANSLATE_NOOP("", "冲突"),
    "rejected": QT_TRANSLATE_NOOP("", "被退回"),
    "gone": QT_TRANSLATE_NOOP("", "已撤回"),
    "done": QT_TRANSLATE_NOOP("", "已完成"),
    "archived": QT_TRANSLATE_NOOP("", "不再分配"),
}
STATE_COLORS = {"open": "#9e9e9e", "pending": "#1e88e5", "conflict": "#e53935",
                "rejected": "#e53935", "gone": "#8d6e63", "done": "#43a047", "archived": "#bdbdbd"}
SEX_SHORT = {"1": QT_TRANSLATE_NOOP("", "男"), "2": QT_TRANSLATE_NOOP("", "女")}
BIRTH_PROBLEM = QT_TRANSLATE_NOOP("", "出生医学证明 {cert_number} · 母亲 {mother_name}")
DUP_PROBLEM = QT_TRANSLATE_NOOP("", "{count} 条记录")
MORE_PROBLEMS = QT_TRANSLATE_NOOP("", "（另有 {n} 个问题）")
DAYS_LEFT = QT_TRANSLATE_NOOP("", "剩 {n} 天")
DUE_TODAY = QT_TRANSLATE_NOOP("", "今天到期")
OVERDUE_DAYS = QT_TRANSLATE_NOOP("", "逾期 {n} 天")
DEADLINE_TIP = QT_TRANSLATE_NOOP("", "办理期限：{date}")
OVERDUE_BACKGROUND = "#fde0dc"
OVERDUE_TEXT = "#c62828"
# States in which a deadline still matters (the worker has not handed the case in yet).
_DUE_STATES = ("open", "conflict", "rejected")


def deadline_text(deadline: str | None, today: date | None = None) -> str:
    n = days_left(deadline, today or date.today())
    if n is None:
        return ""
    if n > 0:
        return fill(_t(DAYS_LEFT), {"n": n})
    if n == 0:
        return _t(DUE_TODAY)
    return fill(_t(OVERDUE_DAYS), {"n": -n})


def is_overdue(row: WorkRow, today: date | None = None) -> bool:
    n = days_left(row.deadline, today or date.today())
    return n is not None and n < 0 and row.state in _DUE_STATES


def _t(text: object) -> str:  # QT_TRANSLATE_NOOP entries are typed object by PySide6's stubs
    return QCoreApplication.translate("", str(text))


def state_name(state: str) -> str:
    return _t(STATE_NAMES[state]) if state in STATE_NAMES else state


@lru_cache(maxsize=None)
def state_icon(state: str) -> QIcon:
    """A coloured dot; withdrawn cases get a striped one (UX.md)."""
    pm = QPixmap(14, 14)
    pm.fill(QColor(0, 0, 0, 0))
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = QColor(STATE_COLORS.get(state, "#9e9e9e"))
    brush = QBrush(color, Qt.BrushStyle.BDiagPattern) if state == "gone" else QBrush(color)
    p.setPen(color)
    p.setBrush(brush)
    p.drawEllipse(2, 2, 10, 10)
    p.end()
    return QIcon(pm)


def place_name(code: str | None) -> str:
    if not code:
        return ""
    try:
        from client.domain.divisions import division_tree
        d = division_tree().get(code)
    except Exception:  # noqa: BLE001 - a display name must never break the list
        d = None
    return d.name if d is not None else code


def problem_text(row: WorkRow) -> str:
    pr = row.problem or {}
    if row.kind == "birth":
        return fill(_t(BIRTH_PROBLEM), pr.get("params"))
    if row.kind == "duplicates":
        head = fill(_t(DUP_PROBLEM), pr.get("params"))
        detail = finding_text(pr) if pr.get("code") else pr.get("message")
        return f"{head} · {detail}" if detail else head
    if not pr:
        return ""
    text = finding_text(pr)
    if pr.get("more"):
        text += fill(_t(MORE_PROBLEMS), {"n": pr["more"]})
    return text


def cell_text(row: WorkRow, column: str) -> str:
    if column == "state":
        return state_name(row.state)
    if column == "id":
        return row.id
    if column == "name":
        return row.name or (_t("未取名") if row.kind == "birth" else "")
    if column == "id_number":
        return row.id_number or ""
    if column == "sex":
        return _t(SEX_SHORT[row.sex]) if row.sex in SEX_SHORT else (row.sex or "")
    if column == "birth_date":
        return row.birth_date or ""
    if column == "place":
        return place_name(row.place)
    if column == "problem":
        return problem_text(row)
    if column == "deadline":
        return deadline_text(row.deadline)
    return ""


def value_text(column: str, code: str) -> str:
    """The words the worker reads for a coded column's value (what display order sorts by)."""
    if column == "state":
        return state_name(code)
    if column == "sex":
        return _t(SEX_SHORT[code]) if code in SEX_SHORT else code
    if column == "place":
        return place_name(code)
    if column == "problem":
        return render(code) if code else ""
    return code


def display_order(ws, query: WorkQuery) -> WorkQuery:
    """Blocking: query with the values of its coded sort column in the order of their words
    (Chinese collation: pinyin), so SQL sorts 村 by name, 问题 by its text (client.worklist)."""
    if query.sort not in ORDERED_KEYS:
        return query
    collator = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    codes = distinct_values(ws, query.sort, query)
    ordered = sorted(codes, key=lambda code: (collator.sortKey(value_text(query.sort, code)), code))
    return replace(query, order=tuple(ordered))


class WorklistModel(FlatTableModel):
    """Rows are case ids; their summaries are fetched on demand through the background helper."""

    HEADERS = tuple(label for _, label in COLUMNS)

    sig_loaded = Signal(int)
    """A query finished loading (argument: number of matching cases)."""

    sig_first_rows = Signal()
    """The first screen of a query is shown (the rest of the ids may still be loading)."""

    sig_load_failed = Signal(object)
    """Loading the ids failed (argument: the exception)."""

    def __init__(self, bg, workspace, parent=None):
        super().__init__(parent)
        self.bg = bg
        self.ws = workspace
        self.query = WorkQuery()
        self._ids: list[str] = []
        self._row_of: dict[str, int] = {}
        self._cache: dict[str, WorkRow] = {}
        self._requested: set[int] = set()  # block numbers in flight
        self._generation = 0
        self.loading = False

    # -- queries --------------------------------------------------------------------------------

    def set_query(self, query: WorkQuery) -> None:
        """Run query in two steps on the reader thread: the first screen of ids with their rows
        (a top-N query, quick even for 100,000 cases), then all the ids, appended in order."""
        self.query = query
        self._generation += 1
        gen = self._generation
        self.loading = True

        def first_page():
            ordered = display_order(self.ws, query)
            ids = task_ids(self.ws, ordered, limit=FIRST_PAGE)
            return ordered, ids, task_rows(self.ws, ids)

        self.bg.read(first_page, name="worklist first rows",
                     on_result=lambda res: self._on_first(gen, *res),
                     on_error=lambda exc: self._on_failed(gen, exc))

    def reload(self) -> None:
        self.set_query(self.query)

    def _on_first(self, gen: int, query: WorkQuery, ids: list[str], rows: dict[str, WorkRow]) -> None:
        if gen != self._generation:
            return  # a newer query was started meanwhile
        self.query = query  # with the display order of its sort column
        self.beginResetModel()
        self._ids = ids
        self._row_of = {cid: i for i, cid in enumerate(ids)}
        self._cache = dict(rows)
        self._requested.clear()
        self.endResetModel()
        self.sig_first_rows.emit()
        if len(ids) < FIRST_PAGE:
            self._finish_loading()
            return
        query = self.query

        def all_ids():
            # Typing on: a newer query made this one pointless before it started.
            return None if gen != self._generation else task_ids(self.ws, query)

        self.bg.read(all_ids, name="worklist ids",
                     on_result=lambda ids: self._on_all(gen, ids),
                     on_error=lambda exc: self._on_failed(gen, exc))

    def _on_all(self, gen: int, ids: list[str] | None) -> None:
        if ids is None or gen != self._generation:
            return
        head = self._ids
        if ids[:len(head)] == head:
            if len(ids) > len(head):
                self.beginInsertRows(QModelIndex(), len(head), len(ids) - 1)
                self._ids = ids
                self._row_of = {cid: i for i, cid in enumerate(ids)}
                self.endInsertRows()
        else:  # the data changed between the two queries: show the complete answer
            self.beginResetModel()
            self._ids = ids
            self._row_of = {cid: i for i, cid in enumerate(ids)}
            self._requested.clear()
            self.endResetModel()
        self._finish_loading()

    def _finish_loading(self) -> None:
        self.loading = False
        self.sig_loaded.emit(len(self._ids))

    def _on_failed(self, gen: int, exc: BaseException) -> None:
        if gen == self._generation:
            self.loading = False
            log.error("worklist query failed", exc_info=(type(exc), exc, exc.__traceback__))
            self.sig_load_failed.emit(exc)

    def refresh_rows(self, ids) -> None:
        """Re-read the given cases (after the worker saved or a sync changed them)."""
        wanted = [cid for cid in ids if cid in self._row_of]
        for cid in wanted:
            self._cache.pop(cid, None)
        if not wanted:
            return
        gen = self._generation
        self.bg.read(task_rows, self.ws, wanted, name="worklist rows",
                   on_result=lambda rows: self._on_rows(gen, rows, None))

    # -- rows on demand -------------------------------------------------------------------------

    def _request_block(self, row: int) -> None:
        block = row // BLOCK
        if block in self._requested:
            return
        self._requested.add(block)
        ids = self._ids[block * BLOCK:(block + 1) * BLOCK]
        gen = self._generation
        self.bg.read(task_rows, self.ws, ids, name="worklist rows",
                   on_result=lambda rows: self._on_rows(gen, rows, block),
                   on_error=lambda exc: self._requested.discard(block))

    def _on_rows(self, gen: int, rows: dict[str, WorkRow], block: int | None) -> None:
        if gen != self._generation:
            return
        if len(self._cache) + len(rows) > CACHE_LIMIT:
            self._cache.clear()  # simplest bound; visible rows are re-requested on demand
            self._requested.clear()
        self._cache.update(rows)
        if block is not None:
            self._requested.discard(block)
        positions = sorted(self._row_of[cid] for cid in rows if cid in self._row_of)
        if positions:
            self.dataChanged.emit(self.index(positions[0], 0),
                                  self.index(positions[-1], len(COLUMNS) - 1))

    # -- Qt model API ---------------------------------------------------------------------------

    def row_count(self) -> int:
        return len(self._ids)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        try:
            if not index.isValid() or not 0 <= index.row() < len(self._ids):
                return None
            cid = self._ids[index.row()]
            if role == ID_ROLE:
                return cid
            column = COLUMNS[index.column()][0]
            row = self._cache.get(cid)
            if row is None:
                self._request_block(index.row())
                if role == Qt.ItemDataRole.DisplayRole:
                    return cid if column == "id" else "…"
                return None
            if role == ROW_ROLE:
                return row
            if role == Qt.ItemDataRole.DisplayRole:
                return cell_text(row, column)
            if role == Qt.ItemDataRole.DecorationRole and column == "state":
                return state_icon(row.state)
            if role == Qt.ItemDataRole.ToolTipRole and column in ("problem", "place", "state"):
                return cell_text(row, column) or None
            if role == Qt.ItemDataRole.ToolTipRole and column == "deadline" and row.deadline:
                return fill(_t(DEADLINE_TIP), {"date": row.deadline})
            if is_overdue(row):
                if role == Qt.ItemDataRole.BackgroundRole:
                    return QColor(OVERDUE_BACKGROUND)
                if role == Qt.ItemDataRole.ForegroundRole and column == "deadline":
                    return QColor(OVERDUE_TEXT)
            return None
        except Exception:  # noqa: BLE001 - a view must never see an exception from data()
            log.exception("worklist data() failed for row %s", index.row())
            return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column, order=Qt.SortOrder.AscendingOrder):
        if not 0 <= column < len(COLUMNS) or COLUMNS[column][0] not in SORTABLE:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (COLUMNS[column][0], descending) == (self.query.sort, self.query.descending):
            return  # the view re-announces its sort indicator; nothing to re-query
        self.set_query(replace(self.query, sort=COLUMNS[column][0], descending=descending, order=()))

    # -- helpers for views ----------------------------------------------------------------------

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, case_id: str) -> int:
        return self._row_of.get(case_id, -1)

    def ids(self) -> list[str]:
        return list(self._ids)

    def cached_row(self, case_id: str) -> WorkRow | None:
        return self._cache.get(case_id)
