"""The banner over a case that was withdrawn or reassigned while the worker's edit was pending:
why and when, and what can be done with the unsent work (export it, or discard it after
confirmation)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton

from client.workspace import TaskView
from ui.errors import ask, describe, error_text, show_message
from ui.outbox_view import COLUMNS, item_cell
from ui.sync_status import format_server_time
from ui.export_dialog import default_file_name, save_xlsx_dialog
from ui.xlsx_export import recorded, write_xlsx

REASONS = {"withdrawn": QT_TRANSLATE_NOOP("", "已收回"),
           "reassigned": QT_TRANSLATE_NOOP("", "已改派"),
           "completed": QT_TRANSLATE_NOOP("", "已由他人完成"),
           "deleted": QT_TRANSLATE_NOOP("", "已删除"),
           "out_of_scope": QT_TRANSLATE_NOOP("", "已不在您的管辖范围")}


def _t(text: object) -> str:  # QT_TRANSLATE_NOOP entries are typed object by PySide6's stubs
    return QCoreApplication.translate("", str(text))


def removed_text(removed: dict[str, Any]) -> str:
    reason: object = REASONS.get(removed.get("reason") or "", removed.get("reason") or "")
    text = _t("这条任务{reason}").format(reason=_t(reason) if reason in REASONS.values() else reason)
    if removed.get("to"):
        text += _t("（转给 {to}）").format(to=removed["to"])
    if removed.get("at"):
        text += _t("，时间 {at}").format(at=format_server_time(removed["at"]))
    return text + "。"


class WithdrawnBanner(QFrame):
    sig_changes = Signal(object)
    """The worker discarded the unsent edits (the workspace's Changes)."""

    def __init__(self, bg, workspace, parent=None):
        super().__init__(parent)
        self.bg, self.ws = bg, workspace
        self.task: TaskView | None = None
        self.setObjectName("findingsPanel")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setProperty("role", "warning")
        self.export_button = QPushButton(_t("导出未上传的修改…"), self)
        self.discard_button = QPushButton(_t("放弃本机修改…"), self)
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.export_button)
        layout.addWidget(self.discard_button)
        self.export_button.clicked.connect(self.export_dialog)
        self.discard_button.clicked.connect(self.ask_discard)
        self.confirm_box: QMessageBox | None = None
        self.hide()

    def show_task(self, task: TaskView) -> None:
        self.task = task
        removed = task.removed
        if not removed:
            self.hide()
            return
        pending = task.pending_ops
        text = removed_text(removed)
        if pending:
            text += _t("您在本机的修改尚未上传，已不能提交；可以导出保存，或放弃。")
        self.label.setText(text)
        self.export_button.setVisible(bool(pending))
        self.discard_button.setVisible(bool(pending))
        self.show()

    @property
    def shown(self) -> TaskView:
        """The case the banner is about (it is visible only with one)."""
        if self.task is None:
            raise RuntimeError("the withdrawn banner has no case")
        return self.task

    def export_dialog(self) -> None:
        self.save_dialog = save_xlsx_dialog(self, _t("导出未上传的修改"),
                                            default_file_name(_t("未上传的修改"), self.shown.id),
                                            self.export_to)

    def export_to(self, path: str, on_done=None) -> None:
        task_id = self.shown.id

        def work():
            items = [i for i in self.ws.outbox() if i.task_id == task_id]
            headers = [_t(label) for _, label in COLUMNS] + [_t("修改内容")]
            rows = [[item_cell(i, c) for c, _ in COLUMNS] +
                    [str(i.changes or i.payload or "")] for i in items]
            return write_xlsx(path, headers, rows, title=task_id,
                              note=removed_text(self.shown.removed or {}))

        self.bg.read(work, name="export withdrawn", on_result=recorded(self.bg, self.ws, task_id, path, on_done or (
            lambda n: show_message(_t("已导出 {n} 条。").format(n=n), parent=self,
                                   icon=QMessageBox.Icon.Information))))

    def ask_discard(self) -> None:
        self.confirm_box = ask(
            _t("确定放弃任务 {id} 在本机的全部未上传修改吗？放弃后无法恢复。").format(id=self.shown.id),
            title=_t("放弃本机修改"), yes=_t("放弃修改"), no=_t("保留"), on_yes=self.discard,
            parent=self, icon=QMessageBox.Icon.Warning)

    def discard(self) -> None:
        self.bg.db(self.ws.discard, self.shown.id, name="discard withdrawn",
                   on_result=self.sig_changes.emit,
                   on_error=lambda exc: show_message(error_text(exc), parent=self))
