"""The outbox (待上传): each operation with its state, attempts and last error; retry now (a
sync), export failed or withdrawn items to .xlsx, discard a case's edits after confirmation."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel,
                               QMessageBox, QPushButton, QTableView, QVBoxLayout, QWidget)

from client.domain.messages import QT_TRANSLATE_NOOP
from client.workspace import OutboxItem
from ui.errors import ask, describe, error_text, show_message
from ui.export_dialog import default_file_name, save_xlsx_dialog
from ui.person_form import change_text
from ui.table_model import FlatTableModel
from ui.xlsx_export import recorded, write_xlsx

CTX = "OutboxView"
COLUMNS = [
    ("state", QT_TRANSLATE_NOOP("", "状态")),
    ("task_id", QT_TRANSLATE_NOOP("", "任务")),
    ("action", QT_TRANSLATE_NOOP("", "操作")),
    ("attempts", QT_TRANSLATE_NOOP("", "尝试次数")),
    ("created_at", QT_TRANSLATE_NOOP("", "保存时间")),
    ("last_error", QT_TRANSLATE_NOOP("", "最后错误")),
]
STATE_NAMES = {
    "pending": QT_TRANSLATE_NOOP("", "待上传"),
    "sending": QT_TRANSLATE_NOOP("", "上传中（等待确认）"),
    "blocked": QT_TRANSLATE_NOOP("", "等待前一条"),
    "conflict": QT_TRANSLATE_NOOP("", "冲突"),
    "rejected": QT_TRANSLATE_NOOP("", "被退回"),
    "gone": QT_TRANSLATE_NOOP("", "已撤回"),
    "done": QT_TRANSLATE_NOOP("", "已上传"),
    "superseded": QT_TRANSLATE_NOOP("", "已被替代"),
}
ACTION_NAMES = {
    "fix_error": QT_TRANSLATE_NOOP("", "修改"),
    "confirm_error": QT_TRANSLATE_NOOP("", "核实无误"),
    "cannot_verify": QT_TRANSLATE_NOOP("", "无法核实"),
    "confirm_birth": QT_TRANSLATE_NOOP("", "确认入户"),
    "reject_birth": QT_TRANSLATE_NOOP("", "退回出生"),
    "merge_duplicates": QT_TRANSLATE_NOOP("", "合并"),
    "mark_not_duplicate": QT_TRANSLATE_NOOP("", "不是同一人"),
}
FAILED_STATES = {"conflict", "rejected", "gone"}


def _t(text: object) -> str:  # QT_TRANSLATE_NOOP entries are typed object by PySide6's stubs
    return QCoreApplication.translate("", str(text))


def item_cell(item: OutboxItem, column: str) -> str:
    """The text of one COLUMNS cell of an outbox row."""
    if column == "state":
        return _t(STATE_NAMES[item.state]) if item.state in STATE_NAMES else item.state
    if column == "action":
        return _t(ACTION_NAMES[item.action]) if item.action in ACTION_NAMES else item.action
    if column == "created_at":
        return item.created_at[:19].replace("T", " ")
    if column == "task_id":
        return item.task_id
    if column == "attempts":
        return str(item.attempts)
    if column == "last_error":
        return item.last_error or ""
    raise KeyError(column)


class OutboxModel(FlatTableModel):
    HEADERS = tuple(label for _, label in COLUMNS)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.items: list = []

    def set_items(self, items: list) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def row_count(self) -> int:
        return len(self.items)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        column = COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = item_cell(item, column)
            return text if role == Qt.ItemDataRole.DisplayRole or column == "last_error" else None
        if role == Qt.ItemDataRole.ForegroundRole and item.state in FAILED_STATES:
            from PySide6.QtGui import QColor
            return QColor("#c62828")
        return None


class OutboxView(QWidget):
    sig_sync_requested = Signal()
    """The worker clicked 立即重试."""
    sig_changes = Signal(object)
    """Edits were discarded (the workspace's Changes)."""
    sig_open_case = Signal(str)
    """Open the case of an operation."""
    sig_close = Signal()
    """Back to the list (Esc, 返回列表)."""

    def __init__(self, bg, workspace, parent=None):
        super().__init__(parent)
        self.bg, self.ws = bg, workspace
        self.model = OutboxModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.summary = QLabel(self)
        self.retry_button = QPushButton(_t("立即重试"), self)
        self.export_button = QPushButton(_t("导出失败/撤回项"), self)
        self.discard_button = QPushButton(_t("放弃本机修改…"), self)
        self.back_button = QPushButton(_t("返回列表 Esc"), self)
        buttons = QHBoxLayout()
        for b in (self.retry_button, self.export_button, self.discard_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.summary)
        buttons.addWidget(self.back_button)
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.sig_close)
        sc = QShortcut(QKeySequence("Esc"), self)
        sc.activated.connect(self.sig_close.emit)
        sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(_t("待上传的修改"), self)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.retry_button.clicked.connect(self.sig_sync_requested)
        self.export_button.clicked.connect(self.export_dialog)
        self.discard_button.clicked.connect(self.ask_discard)
        self.table.doubleClicked.connect(self._open)
        self.confirm_box: QMessageBox | None = None

    def refresh(self) -> None:
        self.bg.read(self.ws.outbox, name="outbox", on_result=self._show)

    def _show(self, items) -> None:
        self.model.set_items(items)
        failed = sum(i.state in FAILED_STATES for i in items)
        self.summary.setText(_t("共 {n} 条，其中需要处理 {f} 条").format(n=len(items), f=failed))
        self.export_button.setEnabled(bool(failed))

    def selected_item(self):
        idx = self.table.currentIndex()
        return self.model.items[idx.row()] if idx.isValid() else None

    def _open(self, index) -> None:
        if index.isValid():
            self.sig_open_case.emit(self.model.items[index.row()].task_id)

    def export_dialog(self) -> None:
        self.save_dialog = save_xlsx_dialog(self, _t("导出失败/撤回项"),
                                            default_file_name(_t("未上传的修改")), self.export_to)

    def export_to(self, path: str) -> None:
        items = [i for i in self.model.items if i.state in FAILED_STATES]
        headers = [_t(label) for _, label in COLUMNS] + [_t("修改内容")]

        def rows():
            for i in items:
                detail = "；".join(change_text(f, c) for f, c in (i.changes or {}).items()
                                  if isinstance(c, dict))
                yield [item_cell(i, col) for col, _ in COLUMNS] + [detail or str(i.payload or "")]

        self.bg.read(write_xlsx, path, headers, list(rows()), title=_t("未上传的修改"),
                   name="export outbox",
                   on_result=recorded(self.bg, self.ws, "待上传的修改", path,
                                      lambda n: show_message(_t("已导出 {n} 条。").format(n=n), parent=self,
                                                             icon=QMessageBox.Icon.Information)))

    def ask_discard(self) -> None:
        item = self.selected_item()
        if item is None:
            show_message(_t("请先在列表中选择一条。"), parent=self)
            return
        self.confirm_box = ask(
            _t("确定放弃任务 {id} 在本机的全部未上传修改吗？放弃后无法恢复。").format(id=item.task_id),
            title=_t("放弃本机修改"), yes=_t("放弃修改"), no=_t("保留"),
            on_yes=lambda: self.discard(item.task_id), parent=self, icon=QMessageBox.Icon.Warning)

    def discard(self, task_id: str) -> None:
        self.bg.db(self.ws.discard, task_id, name="discard",
                   on_result=lambda ch: (self.sig_changes.emit(ch), self.refresh()),
                   on_error=lambda exc: show_message(error_text(exc),
                                                     parent=self))
