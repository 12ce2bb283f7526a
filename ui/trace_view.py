"""本机操作记录: the worker's own trace on this PC (every change, with its reason, and the Excel
exports), newest first, and its export to .xlsx (which is recorded too)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from ui.errors import show_message
from ui.xlsx_export import recorded, write_xlsx

HEADERS = (QT_TRANSLATE_NOOP("", "时间"), QT_TRANSLATE_NOOP("", "账号"), QT_TRANSLATE_NOOP("", "任务"),
           QT_TRANSLATE_NOOP("", "操作编号"), QT_TRANSLATE_NOOP("", "字段"), QT_TRANSLATE_NOOP("", "原值"),
           QT_TRANSLATE_NOOP("", "新值"), QT_TRANSLATE_NOOP("", "说明"))


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


class TraceDialog(QDialog):
    def __init__(self, bg, workspace, parent=None):
        super().__init__(parent)
        self.bg, self.ws = bg, workspace
        self.rows: list[list[str]] = []
        self.setWindowTitle(_t("本机操作记录"))
        self.resize(900, 520)
        self.info = QLabel(_t("本机上以您的账号所做的全部操作（含导出），最新的在前。"), self)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels([_t(str(h)) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.export_button = QPushButton(_t("导出到Excel…"), self)
        self.export_button.clicked.connect(self.export_dialog)
        close = QPushButton(_t("关闭"), self)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self.bg.read(self.ws.trace_rows, name="trace", on_result=self._show)

    def _show(self, rows: list[list[str]]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, _t("导出本机操作记录"), _t("本机操作记录.xlsx"),
                                              _t("Excel 文件 (*.xlsx)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str, on_done=None) -> None:
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"

        def done(n: int) -> None:
            show_message(_t("已导出 {n} 条到 {path}").format(n=n, path=Path(path).name), parent=self)
            if on_done:
                on_done(n)
            self.reload()

        self.bg.read(write_xlsx, path, [_t(str(h)) for h in HEADERS], list(self.rows), title=_t("本机操作记录"),
                     name="export trace", on_result=recorded(self.bg, self.ws, "本机操作记录", path, done))
