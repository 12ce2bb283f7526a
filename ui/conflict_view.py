"""Conflict resolution (冲突): a case the server changed while the worker was offline. For field
edits: each field with the original, the server's and the worker's value and who changed it;
keep mine, take the server's, or type a value. Other decisions (births, duplicates, 核实无误) are
resent on the server's new version or dropped. The result becomes a new operation. Soft conflicts
(applied_with_merge) are announced with what else changed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QGridLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QRadioButton,
                               QScrollArea, QTableView, QVBoxLayout, QWidget)

from client.domain.messages import QT_TRANSLATE_NOOP
from ui.case_screen import CaseScreen
from ui.code_names import CODED, PLACES, display_value
from ui.outbox_view import ACTION_NAMES
from ui.person_form import field_label
from ui.sync_status import format_server_time
from ui.table_model import FlatTableModel
from ui.widgets.layouts import clear_layout

# Parts of a birth case the server compares (SYNC_PROTOCOL: conflict field keys for births).
BIRTH_PARTS = {"mother": QT_TRANSLATE_NOOP("", "母亲的记录"),
               "father": QT_TRANSLATE_NOOP("", "父亲的记录"),
               "certificate": QT_TRANSLATE_NOOP("", "出生医学证明"),
               "households": QT_TRANSLATE_NOOP("", "可入的户"),
               "matches": QT_TRANSLATE_NOOP("", "可能已登记的人员"),
               "member_ids": QT_TRANSLATE_NOOP("", "这组记录的成员")}
OFFICE_ACTIONS = {"admin_edit": QT_TRANSLATE_NOOP("", "办公室修改"),
                  "admin_withdrawn": QT_TRANSLATE_NOOP("", "收回"),
                  "admin_deleted": QT_TRANSLATE_NOOP("", "删除")}


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


def _shown(value) -> str:
    return _t("（空）") if value in (None, "") else str(value)


def conflict_field_label(field: str, members: list[dict] | None = None) -> str:
    """"姓名" for a person field, "B 章小明 · 姓名" for "<person_id>.<field>" of a duplicates case,
    "母亲的记录" for the parts of a birth case."""
    if field in BIRTH_PARTS:
        return _t(BIRTH_PARTS[field])
    if "." in field:
        pid, f = field.split(".", 1)
        for i, m in enumerate(members or []):
            if m.get("person_id") == pid:
                return f"{'ABCDEFGHIJ'[i % 10]} {m.get('name') or pid} · {field_label(f)}"
        return f"{pid} · {field_label(f)}"
    return field_label(field)


def action_name(action: str | None) -> str:
    if action in ACTION_NAMES:
        return _t(ACTION_NAMES[action])
    if action in OFFICE_ACTIONS:
        return _t(OFFICE_ACTIONS[action])
    return action or ""


def merged_notice(case_id: str, fields: list[str], members: list[dict] | None = None) -> str:
    """Soft conflict: the worker's decision was applied, and the server kept other changes."""
    if not fields:
        return _t("{id}：已上传。服务器上的记录在您处理期间被他人修改过，已与您的处理合并。").format(id=case_id)
    shown = "、".join(conflict_field_label(f, members) for f in fields)
    return _t("{id}：已上传。他人在您处理期间修改了 {fields}，服务器保留了这些修改，"
              "并与您的处理合并。").format(id=case_id, fields=shown)


class ChangeHistoryModel(FlatTableModel):
    """Who changed the case on the server since the worker's version (conflict "changed_by")."""

    HEADERS = (QT_TRANSLATE_NOOP("", "版本"), QT_TRANSLATE_NOOP("", "修改人"),
               QT_TRANSLATE_NOOP("", "时间"), QT_TRANSLATE_NOOP("", "操作"),
               QT_TRANSLATE_NOOP("", "修改的内容"))

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []
        self.members: list[dict] = []

    def set_rows(self, rows: list[dict], members: list[dict] | None = None) -> None:
        self.beginResetModel()
        self.rows = [r for r in rows or [] if isinstance(r, dict)]
        self.members = list(members or [])
        self.endResetModel()

    def row_count(self) -> int:
        return len(self.rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole \
                or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows[index.row()]
        col = index.column()
        if col == 0:
            return str(r.get("version") or "")
        if col == 1:
            return str(r.get("actor") or "")
        if col == 2:
            return format_server_time(r.get("at")) if r.get("at") else ""
        if col == 3:
            return action_name(r.get("action"))
        if col == 4:
            return "、".join(conflict_field_label(f, self.members) for f in r.get("fields") or [])
        return None


class FieldChoice(QWidget):
    """采用: (•)我的 ( )服务器 ( )编辑 [value] for one field; the editor is the one the person
    form uses for that field (code combo, division picker, date), so an edit is a valid code."""

    def __init__(self, mine, server, parent=None, field: str = ""):
        super().__init__(parent)
        self.field = field
        self.mine_button = QRadioButton(_t("我的"), self)
        self.server_button = QRadioButton(_t("服务器"), self)
        self.edit_button = QRadioButton(_t("编辑"), self)
        self.edit, self._read = self._editor(field, mine)
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

    def _editor(self, field: str, value) -> tuple[QWidget, Callable[[], str | None]]:
        """The field's editor and how to read its value."""
        text = None if value in (None, "") else str(value)
        if field in CODED:
            from ui.widgets.code_combo import CodeCombo
            combo = CodeCombo(CODED[field], self)
            combo.set_code(text)
            return combo, combo.code
        if field in PLACES:
            from ui.widgets.division_picker import DivisionPicker
            picker = DivisionPicker(self)
            picker.set_code(text)
            return picker, picker.code
        if field.endswith("_date"):
            from ui.widgets.date_field import DateField
            date = DateField(self)
            date.set_value(text)
            return date, date.value
        line = QLineEdit(text or "", self)
        return line, lambda: line.text().strip() or None

    def edited_value(self) -> str | None:
        return self._read()

    def choice(self):
        if self.server_button.isChecked():
            return "server"
        if self.edit_button.isChecked():
            return self.edited_value()
        return "mine"


class ConflictView(CaseScreen):
    """Resolves a conflict: a value per field for an edit, keep or drop for a decision."""

    KIND = QT_TRANSLATE_NOOP("", "冲突")
    GUIDE = QT_TRANSLATE_NOOP("", "您的处理上传时，服务器上的记录已被他人修改。修改的字段：为每个字段选择"
                              "「我的」「服务器」或自己编辑，按 Ctrl+S 提交。其他处理：看清他人改了什么，"
                              "再选择在新版本上重新提交您的处理，或放弃它。「稍后处理」返回列表。")

    def __init__(self, bg, workspace, parent=None, *, neighbour=None):
        super().__init__(bg, workspace, parent, neighbour=neighbour)
        self.choices: dict[str, FieldChoice | None] = {}
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)
        self.history_model = ChangeHistoryModel(self)
        self.history = QTableView(self)
        self.history.setObjectName("conflictHistory")
        self.history.setModel(self.history_model)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.setMaximumHeight(120)
        self.grid_host = QWidget(self)
        self.grid = QGridLayout(self.grid_host)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        self.submit_button = QPushButton(_t("提交解决结果 Ctrl+S"), self)
        self.keep_button = QPushButton(_t("在新版本上重新提交我的处理"), self)
        self.drop_button = QPushButton(_t("放弃我的处理"), self)
        self.action_buttons = [self.submit_button, self.keep_button, self.drop_button]
        self.back_button.setText(_t("稍后处理 Esc"))
        layout = QVBoxLayout(self)
        layout.addLayout(self.header_row())
        layout.addWidget(self.banner)
        layout.addWidget(self.withdrawn)
        layout.addWidget(self.explain)
        layout.addWidget(scroll, 1)
        layout.addWidget(QLabel(_t("服务器上的修改记录："), self))
        layout.addWidget(self.history)
        layout.addLayout(self.action_bar(*self.action_buttons))
        self.submit_button.clicked.connect(self.submit)
        self.keep_button.clicked.connect(lambda: self._resolve({"keep": True}))
        self.drop_button.clicked.connect(lambda: self._resolve({"keep": False}))
        self.add_command(_t("提交解决结果"), "Ctrl+S", self._submit_key, self.submit_button)
        self.add_navigation_commands()

    @property
    def later_button(self) -> QPushButton:
        """稍后处理: back to the list (the conflict stays)."""
        return self.back_button

    def load(self, task) -> None:
        conflict = task.conflict or {}
        clear_layout(self.grid)
        self.choices.clear()
        fields = conflict.get("fields") or {}
        is_edit = conflict.get("action") == "fix_error"
        members = (task.data or {}).get("members") or []
        name = task.title or task.id
        self.title.setText(_t("冲突 · {name} · 他人在您处理期间修改了这条记录").format(name=name))
        self.history_model.set_rows(conflict.get("changed_by") or [], members)
        self.submit_button.setVisible(is_edit)
        self.keep_button.setVisible(not is_edit)
        self.drop_button.setVisible(not is_edit)
        if not is_edit:
            self.explain.setText(_t("您对这条任务的处理（{action}）提交时，服务器上的记录已被他人修改。"
                                    "请看下面改了什么，再决定在新版本上重新提交您的处理，还是放弃它。").format(
                action=action_name(conflict.get("action"))))
            heads = [_t("内容"), _t("原值"), _t("服务器"), _t("修改人")]
            for col, text in enumerate(heads):
                self.grid.addWidget(QLabel(f"<b>{text}</b>", self.grid_host), 0, col)
            for row, (f, entry) in enumerate(sorted(fields.items()), 1):
                who = " ".join(x for x in (entry.get("changed_by") or "",
                                           format_server_time(entry.get("changed_at"))
                                           if entry.get("changed_at") else "") if x)
                cells = [conflict_field_label(f, members), display_value(f, entry.get("base")),
                         display_value(f, entry.get("server")), who]
                for col, text in enumerate(cells):
                    lab = QLabel(text, self.grid_host)
                    lab.setWordWrap(True)
                    self.grid.addWidget(lab, row, col)
            self.grid.setRowStretch(len(fields) + 1, 1)
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
            server = display_value(f, entry.get("server"))
            if who:
                server += f"\n({who} {when})"
            cells = [field_label(f), display_value(f, entry.get("base")), server,
                     display_value(f, entry.get("mine"))]
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
                choice = FieldChoice(entry.get("mine"), entry.get("server"), self.grid_host, field=f)
                self.grid.addWidget(choice, row, 4)
                self.choices[f] = choice
        self.grid.setRowStretch(len(fields) + 1, 1)
        for col in (1, 2, 3):
            self.grid.setColumnStretch(col, 2)
        self.grid.setColumnStretch(4, 3)

    def show_state(self, task) -> bool:
        editable = super().show_state(task)
        self.banner.hide()  # the title and the explanation say it already
        return editable

    def snapshot(self):
        return self.current_choices()

    def save_changes(self) -> None:
        self._submit_key()

    def _submit_key(self) -> None:
        if self.submit_button.isVisible():
            self.submit()

    def current_choices(self) -> dict:
        return {f: (c.choice() if c is not None else "mine") for f, c in self.choices.items()}

    def submit(self) -> None:
        self._resolve(self.current_choices())

    def _resolve(self, choices: dict) -> None:
        if self.task is None or not self.editable():
            return
        self.run_action(self.ws.resolve_conflict, self.task.id, choices)

    def done_notice(self, case_id: str) -> str:
        return _t("{id} 的冲突处理结果已保存，同步时会上传。").format(id=case_id)
