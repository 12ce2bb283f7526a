"""Conflict resolution (冲突): a case the server changed while the worker was offline. For field
edits: each field with the original, the server's and the worker's value and who changed it;
keep mine, take the server's, or type a value. The result becomes a new operation."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QButtonGroup, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QRadioButton, QScrollArea, QVBoxLayout, QWidget)

from ui.errors import describe, show_message
from ui.person_form import field_label
from ui.sync_status import format_server_time


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


def _shown(value) -> str:
    return _t("（空）") if value in (None, "") else str(value)


class FieldChoice(QWidget):
    """采用: (•)我的 ( )服务器 ( )编辑 [value] for one field."""

    def __init__(self, mine, server, parent=None):
        super().__init__(parent)
        self.mine_button = QRadioButton(_t("我的"), self)
        self.server_button = QRadioButton(_t("服务器"), self)
        self.edit_button = QRadioButton(_t("编辑"), self)
        self.edit = QLineEdit(_shown(mine) if mine not in (None, "") else "", self)
        self.edit.setEnabled(False)
        self.group = QButtonGroup(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for b in (self.mine_button, self.server_button, self.edit_button):
            self.group.addButton(b)
            layout.addWidget(b)
        layout.addWidget(self.edit, 1)
        self.mine_button.setChecked(True)
        self.edit_button.toggled.connect(self.edit.setEnabled)

    def choice(self):
        if self.server_button.isChecked():
            return "server"
        if self.edit_button.isChecked():
            return self.edit.text().strip() or None
        return "mine"


class ConflictView(QWidget):
    sig_changes = Signal(object)
    """The conflict was resolved (the workspace's Changes)."""
    sig_close = Signal()
    """Back to the list (稍后处理)."""

    def __init__(self, bg, workspace, parent=None):
        super().__init__(parent)
        self.bg, self.ws = bg, workspace
        self.task = None
        self.choices: dict[str, FieldChoice | None] = {}
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)
        self.grid_host = QWidget(self)
        self.grid = QGridLayout(self.grid_host)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        self.submit_button = QPushButton(_t("提交解决结果"), self)
        self.keep_button = QPushButton(_t("在新版本上重新提交我的处理"), self)
        self.drop_button = QPushButton(_t("放弃我的处理"), self)
        self.later_button = QPushButton(_t("稍后处理"), self)
        buttons = QHBoxLayout()
        for b in (self.submit_button, self.keep_button, self.drop_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.explain)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.submit_button.clicked.connect(self.submit)
        self.keep_button.clicked.connect(lambda: self._resolve({"keep": True}))
        self.drop_button.clicked.connect(lambda: self._resolve({"keep": False}))
        self.later_button.clicked.connect(self.sig_close)
        sc = QShortcut(QKeySequence("Esc"), self, activated=self.sig_close.emit)
        sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def show_task(self, task) -> None:
        self.task = task
        conflict = task.conflict or {}
        while self.grid.count():
            w = self.grid.takeAt(0).widget()
            if w is not None:
                w.hide()
                w.deleteLater()
        self.choices.clear()
        fields = conflict.get("fields") or {}
        is_edit = conflict.get("action") == "fix_error"
        person = (task.data or {}).get("person") or {}
        name = person.get("name") or task.id
        self.title.setText(_t("冲突 · {name} · 他人在您离线时修改了这条记录").format(name=name))
        self.submit_button.setVisible(is_edit)
        self.keep_button.setVisible(not is_edit)
        self.drop_button.setVisible(not is_edit)
        if not is_edit:
            self.explain.setText(_t("您对这条任务的处理（{action}）提交时，服务器上的记录已被他人修改。"
                                    "请确认是否在新版本上重新提交您的处理。").format(
                action=conflict.get("action") or ""))
            return
        self.explain.setText(_t("下面的字段您和服务器都修改过。请为每个字段选择保留哪一个值；"
                                "两边相同的字段无需选择。"))
        heads = [_t("字段"), _t("原值"), _t("服务器"), _t("您的修改"), _t("采用")]
        for col, text in enumerate(heads):
            lab = QLabel(f"<b>{text}</b>", self.grid_host)
            self.grid.addWidget(lab, 0, col)
        for row, (f, entry) in enumerate(sorted(fields.items()), 1):
            who = entry.get("changed_by")
            when = format_server_time(entry.get("changed_at")) if entry.get("changed_at") else ""
            server = _shown(entry.get("server"))
            if who:
                server += f"\n({who} {when})"
            cells = [field_label(f), _shown(entry.get("base")), server, _shown(entry.get("mine"))]
            for col, text in enumerate(cells):
                lab = QLabel(text, self.grid_host)
                lab.setWordWrap(True)  # long addresses wrap instead of widening the table
                lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.grid.addWidget(lab, row, col)
            if entry.get("server") == entry.get("mine"):
                same = QLabel(_t("相同，无需选择"), self.grid_host)
                same.setProperty("role", "hint")
                self.grid.addWidget(same, row, 4)
                self.choices[f] = None
            else:
                choice = FieldChoice(entry.get("mine"), entry.get("server"), self.grid_host)
                self.grid.addWidget(choice, row, 4)
                self.choices[f] = choice
        self.grid.setRowStretch(len(fields) + 1, 1)
        for col in (1, 2, 3):
            self.grid.setColumnStretch(col, 2)
        self.grid.setColumnStretch(4, 3)

    def current_choices(self) -> dict:
        return {f: (c.choice() if c is not None else "mine") for f, c in self.choices.items()}

    def submit(self) -> None:
        self._resolve(self.current_choices())

    def _resolve(self, choices: dict) -> None:
        if self.task is None:
            return
        self.bg.db(self.ws.resolve_conflict, self.task.id, choices, name="resolve conflict",
                   on_result=self._done, on_error=self._failed)

    def _done(self, changes) -> None:
        self.sig_changes.emit(changes)
        show_message(_t("已保存冲突处理结果，下次同步时上传。"), parent=self)
        self.sig_close.emit()

    def _failed(self, exc: BaseException) -> None:
        show_message(getattr(exc, "message", None) or describe(exc).text, parent=self)
