"""The worklist: search (name, ID number, pinyin initials, village), filters, the lazy table,
keyboard navigation, the empty state, and export of the current list to .xlsx."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QStackedWidget,
                               QTableView, QVBoxLayout, QWidget)

from client.worklist import WorkQuery, places, task_ids, task_rows
from ui.errors import report_error, show_message
from ui.worklist_model import COLUMNS, WorklistModel, cell_text, place_name
from ui.export_dialog import default_file_name, save_xlsx_dialog
from ui.navigation import BY_KEY
from ui.xlsx_export import recorded, write_xlsx

log = logging.getLogger(__name__)
SEARCH_DELAY_MS = 200


def _t(text: object) -> str:  # QT_TRANSLATE_NOOP entries are typed object by PySide6's stubs
    return QCoreApplication.translate("", str(text))


def export_worklist(ws, query: WorkQuery, path: str, heading: str, note: str, title: str) -> int:
    """Blocking: every case of query (not only the loaded rows) into an .xlsx document."""
    ids = task_ids(ws, query)
    headers = [_t(label) for _, label in COLUMNS]

    def rows():
        for i in range(0, len(ids), 1000):
            chunk = task_rows(ws, ids[i:i + 1000])
            for cid in ids[i:i + 1000]:
                if cid in chunk:
                    yield [cell_text(chunk[cid], col) for col, _ in COLUMNS]

    return write_xlsx(path, headers, rows(), title=title, heading=heading, note=note,
                      footer=_t("第 &P 页，共 &N 页"))


class WorklistView(QWidget):
    """One table for every list; the navigation decides the base query."""

    sig_open_case = Signal(str)
    """The worker opened a case (Enter or double-click)."""
    sig_position_changed = Signal(str, str)
    """The selected case of a list changed (list key, case id)."""

    def __init__(self, bg, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.bg, self.ws = bg, workspace
        self.list_key = ""
        self.base = WorkQuery()
        self.restore_id: str | None = None
        self.model = WorklistModel(bg, workspace, self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(_t("搜索：姓名 / 身份证号 / 拼音首字母 / 村"))
        self.search.setClearButtonEnabled(True)
        self.village = QComboBox(self)
        self.village.setMinimumWidth(160)
        self.village.addItem(_t("全部村(居)"), "")
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # The indicator first: enabling sorting then asks the model for the order it already has.
        self.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._size_columns()
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setProperty("role", "hint")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.footer = QLabel(self)
        self.export_button = QPushButton(_t("导出Excel"), self)
        self.export_button.setAutoDefault(False)
        top = QHBoxLayout()
        top.addWidget(QLabel(_t("搜索"), self))
        top.addWidget(self.search, 1)
        top.addWidget(QLabel(_t("村"), self))
        top.addWidget(self.village)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_button)
        bottom.addStretch(1)
        bottom.addWidget(self.footer)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._search_enter)
        self.search.installEventFilter(self)
        self.village.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.table.doubleClicked.connect(lambda idx: self._open_row(idx.row()))
        self.table.installEventFilter(self)
        self.model.sig_loaded.connect(self._on_loaded)
        self.model.sig_load_failed.connect(lambda exc: report_error(exc, "worklist", self))
        self.model.modelReset.connect(self._connect_selection)
        self.export_button.clicked.connect(self.export_dialog)
        QShortcut(QKeySequence.StandardKey.Find, self).activated.connect(self.focus_search)
        self._connect_selection()

    def _size_columns(self) -> None:
        # Widths from the font (large-font mode widens them): an ID number must fit whole.
        fm = self.table.fontMetrics()
        samples = ("已处理待上传", "D-100000", "欧阳某某某", "61042419900101123X", "性别",
                   "2000-01-01", "城关街道东大街社区")
        for col, sample in enumerate(samples):
            self.table.setColumnWidth(col, fm.horizontalAdvance(sample) + 36)
        self.table.verticalHeader().setDefaultSectionSize(fm.height() + 10)

    def changeEvent(self, event) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            # Later: the style sheet gives the table its new font after this widget.
            QTimer.singleShot(0, self, self._size_columns)
        super().changeEvent(event)

    # -- lists and filters ----------------------------------------------------------------------

    def show_list(self, key: str, base: WorkQuery, restore_id: str | None = None) -> None:
        self.list_key, self.base, self.restore_id = key, base, restore_id
        self.apply_filters()
        self._load_villages(base.kind)  # after the ids: the DB thread runs jobs in order

    def _load_villages(self, kind: str | None) -> None:
        def done(codes: list[str]) -> None:
            current = self.village.currentData()
            self.village.blockSignals(True)
            self.village.clear()
            self.village.addItem(_t("全部村(居)"), "")
            for code in codes:
                self.village.addItem(place_name(code), code)
            idx = self.village.findData(current)
            self.village.setCurrentIndex(max(0, idx))
            self.village.blockSignals(False)
        self.bg.read(places, self.ws, kind, name="villages", on_result=done)

    def current_query(self) -> WorkQuery:
        return replace(self.base, text=self.search.text().strip(),
                       place=self.village.currentData() or "",
                       sort=self.model.query.sort, descending=self.model.query.descending)

    def apply_filters(self) -> None:
        self._search_timer.stop()
        self.model.set_query(self.current_query())

    def reload(self) -> None:
        """Re-run the query keeping the selected case if it is still in the list."""
        self.restore_id = self.current_id() or self.restore_id
        self.model.reload()
        self._load_villages(self.base.kind)  # new cases bring new villages (the first sync)

    def _on_loaded(self, n: int) -> None:
        searching = bool(self.search.text().strip() or self.village.currentData())
        if n:
            self.stack.setCurrentWidget(self.table)
        else:
            self.empty.setText(_t("没有找到符合条件的任务。请换个关键词，或清空搜索框。") if searching
                               else _t("暂无待办。点击「立即同步」获取新任务。"))
            self.stack.setCurrentWidget(self.empty)
        row = self.model.row_of(self.restore_id) if self.restore_id else -1
        if row < 0 and n:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self._update_footer()

    def _update_footer(self) -> None:
        selected = len(self.table.selectionModel().selectedRows()) if self.table.selectionModel() else 0
        self.footer.setText(_t("共 {n} 条 · 已选 {s}").format(n=self.model.rowCount(), s=selected))

    def _connect_selection(self) -> None:
        sm = self.table.selectionModel()
        # Marked with a Qt property, not a Python reference: holding the selection model here
        # would close a reference cycle through the connected slot.
        if sm is not None and not sm.property("hechaConnected"):
            sm.selectionChanged.connect(lambda *_: self._on_selection())
            sm.setProperty("hechaConnected", True)

    def _on_selection(self) -> None:
        self._update_footer()
        cid = self.current_id()
        if cid and self.list_key:
            self.sig_position_changed.emit(self.list_key, cid)

    # -- keyboard and opening -------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def current_id(self) -> str | None:
        idx = self.table.currentIndex()
        return self.model.id_at(idx.row()) if idx.isValid() else None

    def _open_row(self, row: int) -> None:
        cid = self.model.id_at(row)
        if cid:
            self.sig_open_case.emit(cid)

    def _search_enter(self) -> None:
        self.apply_filters()
        self.table.setFocus()

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if obj is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                idx = self.table.currentIndex()
                if idx.isValid():
                    self._open_row(idx.row())
                return True
            if obj is self.search and key == Qt.Key.Key_Down:
                self.table.setFocus()
                if not self.table.currentIndex().isValid() and self.model.rowCount():
                    self.table.selectRow(0)
                return True
        return super().eventFilter(obj, event)

    def select_case(self, case_id: str) -> None:
        """Put the selection on case_id (the case a screen shows), now and after a reload; a
        case that left the list keeps the selection where it was."""
        self.restore_id = case_id
        row = self.model.row_of(case_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def neighbour(self, case_id: str, step: int) -> str | None:
        """The case before/after case_id in the current list order."""
        row = self.model.row_of(case_id)
        return self.model.id_at(row + step) if row >= 0 else None

    # -- export ---------------------------------------------------------------------------------

    def list_label(self) -> str:
        entry = BY_KEY.get(self.list_key)
        return entry.text() if entry else _t("任务清单")

    def jurisdiction_name(self) -> str:
        user = self.ws.user or {}
        return place_name(user.get("jurisdiction"))

    def filter_description(self, query: WorkQuery) -> str:
        """The filter in the worker's words (the export's second line)."""
        parts = []
        if query.text:
            parts.append(_t("搜索“{text}”").format(text=query.text))
        if query.place:
            parts.append(_t("村(居)：{village}").format(village=place_name(query.place)))
        column = next((label for col, label in COLUMNS if col == query.sort), None)
        order = _t("降序") if query.descending else _t("升序")
        sort = _t("按{column}{order}排列").format(column=_t(column), order=order) if column else ""
        what = "；".join(parts) if parts else _t("无（本列表的全部任务）")
        return _t("列表：{list}　筛选：{what}　{sort}").format(list=self.list_label(), what=what,
                                                             sort=sort).strip()

    def export_dialog(self) -> None:
        name = default_file_name(self.list_label(), self.jurisdiction_name())
        self.save_dialog = save_xlsx_dialog(self, _t("导出Excel"), name, self.export_to)

    def export_to(self, path: str, on_done=None) -> None:
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        query = self.current_query()
        heading = " · ".join(x for x in (self.list_label(), self.jurisdiction_name(),
                                         _t("导出日期 {date}").format(date=date.today().isoformat()))
                             if x)

        def done(n: int) -> None:
            show_message(_t("已导出 {n} 条到 {path}").format(n=n, path=Path(path).name),
                         parent=self)
            if on_done:
                on_done(n)

        self.bg.read(export_worklist, self.ws, query, path, heading,
                     self.filter_description(query), self.list_label(), name="export worklist",
                     on_result=recorded(self.bg, self.ws, f"清单:{self.list_key}", path, done))
