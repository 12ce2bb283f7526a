"""The paper side of the work, from the main window: print the 入户核查表 of the selected cases (or
of the village the list is filtered to) with a print preview, export the 核查工作进度表, and enter
a returned form by its number: a USB scanner types the QR code and Enter into the 按表号查找 box,
and the case opens with the cursor on its first problem field. No mouse needed anywhere."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit

from client.forms import case_of_form, households
from ui.errors import describe, show_message
from ui.export_dialog import default_file_name, save_xlsx_dialog

FIND_TITLE = QT_TRANSLATE_NOOP("", "按表号查找")
FIND_LABEL = QT_TRANSLATE_NOOP("", "核查表上的表号（可用扫描枪扫二维码）：")


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


class PaperForms(QObject):
    """Actions of the main window `window` (its bg, ws, worklist and show_task)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.find_dialog: QInputDialog | None = None
        self.preview_dialog: QDialog | None = None
        self.save_dialog: QFileDialog | None = None

    # -- scanner path ---------------------------------------------------------------------------
    def find_by_number(self) -> QInputDialog:
        """A small box that takes the form number and Enter (what a USB scanner types)."""
        dlg = QInputDialog(self.window)
        dlg.setWindowTitle(_t(str(FIND_TITLE)))
        dlg.setLabelText(_t(str(FIND_LABEL)))
        dlg.setInputMode(QInputDialog.InputMode.TextInput)
        dlg.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dlg.setOkButtonText(_t("打开"))
        dlg.setCancelButtonText(_t("取消"))
        dlg.textValueSelected.connect(self.open_form)
        self.find_dialog = dlg
        dlg.open()
        return dlg

    def open_form(self, text: str) -> None:
        case_id = case_of_form(text)
        if not case_id:
            return
        self.window.bg.read(self.window.ws.task, case_id, name="find form",
                            on_result=self.window.show_task,
                            on_error=lambda exc: show_message(
                                _t("找不到表号 {number} 对应的任务：{why}").format(
                                    number=text.strip(), why=describe(exc).text), parent=self.window))

    # -- 入户核查表 -------------------------------------------------------------------------------
    def print_forms(self) -> None:
        """Print preview of the forms: the selected cases, else the list's village (all open)."""
        worklist = self.window.worklist
        rows = worklist.table.selectionModel().selectedRows() if worklist.table.selectionModel() else []
        ids = [i for i in (worklist.model.id_at(r.row()) for r in rows) if i] or None
        village = worklist.village.currentData() or None
        self.window.bg.read(households, self.window.ws, ids, None if ids else village, name="village forms",
                            on_result=self._preview, on_error=lambda exc: show_message(
                                describe(exc).text, parent=self.window))

    def _preview(self, forms) -> None:
        if not forms:
            show_message(_t("没有需要入户核查的任务。"), parent=self.window)
            return
        from ui.village_forms import preview
        dlg = preview(forms, self.window)
        ids = [s.case_id for h in forms for s in h.sections]
        dlg.accepted.connect(lambda: self.window.bg.db(self.window.ws.record_report, "printed_form",
                                                       {"printer": True}, ids, name="form trace"))
        self.preview_dialog = dlg
        dlg.open()

    # -- 核查工作进度表 ---------------------------------------------------------------------------
    def export_progress(self) -> None:
        name = default_file_name(_t("核查工作进度表"), (self.window.ws.user or {}).get("display_name", ""))
        self.save_dialog = save_xlsx_dialog(self.window, _t("导出核查工作进度表"), name, self.export_progress_to)

    def export_progress_to(self, path: str) -> None:
        """The figures now (fetched as the report is asked for, not at every sync); offline, those
        kept at the last fetch (the workbook says as of when), with the reason they are not fresh."""
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        self.window.bg.net(self.window.ws.refresh_own_progress, name="progress",
                           on_result=lambda _fresh: self._write_progress(path, None),
                           on_error=lambda exc: self._write_progress(path, exc))

    def _write_progress(self, path: str, not_fresh: BaseException | None) -> None:
        def saved(out) -> None:
            text = _t("已保存 {name}").format(name=out.name)
            show_message(text if not_fresh is None else f"{text}\n{describe(not_fresh).text}", parent=self.window)
        self.window.bg.db(self.window.ws.write_progress_report, path, name="progress report", on_result=saved,
                          on_error=lambda exc: show_message(describe(exc).text, parent=self.window))
