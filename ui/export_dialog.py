"""The save dialog of every Excel export: Qt's own dialog (not the desktop's, which speaks the
system's language), every label in the worker's language, the documents folder and a file name
that says what is in it (异常数据-城关街道-2026-12-07.xlsx)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


def documents_dir() -> Path:
    """The user's documents folder (the home folder if the desktop has none)."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(docs) if docs else Path.home()
    return path if path.is_dir() else Path.home()


def default_file_name(*parts: str, day: date | None = None) -> str:
    """'异常数据-城关街道-2026-12-07.xlsx' from the non-empty parts and the date."""
    clean = [re.sub(r'[\\/:*?"<>|\s]+', "", p) for p in parts if p]
    return "-".join([p for p in clean if p] + [(day or date.today()).isoformat()]) + ".xlsx"


def save_xlsx_dialog(parent: QWidget, title: str, file_name: str,
                     on_path: Callable[[str], None]) -> QFileDialog:
    """Open (non-blocking) a save dialog for an .xlsx file; on_path(path) when one is chosen.
    Returns the dialog (tests fill it in)."""
    dlg = QFileDialog(parent, title, str(documents_dir() / file_name), _t("Excel 文件 (*.xlsx)"))
    dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dlg.setFileMode(QFileDialog.FileMode.AnyFile)
    dlg.setDefaultSuffix("xlsx")
    for label, text in ((QFileDialog.DialogLabel.LookIn, _t("保存位置：")),
                        (QFileDialog.DialogLabel.FileName, _t("文件名：")),
                        (QFileDialog.DialogLabel.FileType, _t("文件类型：")),
                        (QFileDialog.DialogLabel.Accept, _t("保存")),
                        (QFileDialog.DialogLabel.Reject, _t("取消"))):
        dlg.setLabelText(label, text)
    dlg.fileSelected.connect(on_path)
    dlg.open()
    return dlg
