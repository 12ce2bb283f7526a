"""The error-record editor (异常数据): the person form with the record's problems, and the actions
保存修改 (Ctrl+S), 核实无误… (Ctrl+K), 无法核实… (Ctrl+U); after an action it moves to the next case."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QRadioButton, QScrollArea, QVBoxLayout,
                               QWidget)

from client.domain.messages import QT_TRANSLATE_NOOP
from client.domain.models import Finding, Person
from client.domain.rules import error_context, error_findings
from ui.case_screen import CaseScreen
from ui.errors import show_message
from ui.findings_panel import FindingsPanel
from ui.person_form import PersonForm, change_text

log = logging.getLogger(__name__)


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


class ReasonDialog(QDialog):
    """Asks for a reason (and optionally one of several choices); used with open(), not exec()."""

    sig_reason = Signal(str, str)
    """Accepted: (choice key or "", reason text)."""

    def __init__(self, title: str, prompt: str, parent=None,
                 choices: list[tuple[str, str]] | None = None, required: bool = True):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.required = required
        layout = QVBoxLayout(self)
        label = QLabel(prompt, self)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.group = QButtonGroup(self)
        self.choice_buttons: dict[str, QRadioButton] = {}
        for i, (key, text) in enumerate(choices or []):
            rb = QRadioButton(text, self)
            rb.setChecked(i == 0)
            self.group.addButton(rb)
            self.choice_buttons[key] = rb
            layout.addWidget(rb)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(_t("请填写原因（会记录在审计日志中）") if required
                                       else _t("备注（可选）"))
        layout.addWidget(self.reason)
        self.hint = QLabel(self)
        self.hint.setProperty("role", "error")
        layout.addWidget(self.hint)
        # A request to fill something in goes once the worker types (no stale 请填写原因。).
        self.reason.textEdited.connect(lambda _text: self.hint.clear())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def choice(self) -> str:
        return next((k for k, rb in self.choice_buttons.items() if rb.isChecked()), "")

    def _accept(self) -> None:
        text = self.reason.text().strip()
        if self.required and not text:
            self.hint.setText(_t("请填写原因。"))
            self.reason.setFocus()
            return
        self.sig_reason.emit(self.choice(), text)
        self.accept()


class ErrorForm(PersonForm):
    """The person form validated as the workspace checks an error case: with the server's
    findings the client cannot re-check (parents living elsewhere), from the case's data."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case_data: dict[str, Any] | None = None  # the loaded case's (shadow) data
        self.today: date | None = None

    def validate(self, person: Person) -> list[Finding]:
        if self.case_data is None:
            return super().validate(person)
        return error_findings(self.case_data, person, self.today, config=self.config)


class ErrorRecordEditor(CaseScreen):
    """Edits one error case; the main window supplies the workspace and the neighbours."""

    form: ErrorForm  # set in __init__: the screen always has them
    panel: FindingsPanel

    KIND = QT_TRANSLATE_NOOP("", "异常数据")
    GUIDE = QT_TRANSLATE_NOOP("", "上方列出这条记录的问题：红色 ✖ 是错误，必须改正；黄色 ▲ 是提醒，"
                              "确认无误时在旁边填写原因。点「跳到字段」或按 F1 查看规则说明。\n"
                              "改正后按 Ctrl+S 保存，自动打开下一条。记录本来就对：Ctrl+K 核实无误；"
                              "联系不上本人或不在本辖区：Ctrl+U 无法核实。")

    def __init__(self, bg, workspace, parent: QWidget | None = None, *, neighbour=None):
        super().__init__(bg, workspace, parent, neighbour=neighbour)
        self.dialog: ReasonDialog | None = None
        self.panel = FindingsPanel(self)
        self.form = ErrorForm(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.household = QLabel(self)
        self.household.setWordWrap(True)
        self.household.setProperty("role", "hint")
        self.compare = QLabel(self)
        self.compare.setWordWrap(True)
        self.save_button = QPushButton(_t("保存修改 Ctrl+S"), self)
        self.confirm_button = QPushButton(_t("核实无误…"), self)
        self.cannot_button = QPushButton(_t("无法核实…"), self)
        self.action_buttons = [self.save_button, self.confirm_button, self.cannot_button]
        layout = QVBoxLayout(self)
        layout.addLayout(self.header_row())
        layout.addWidget(self.banner)
        layout.addWidget(self.withdrawn)
        layout.addWidget(self.panel)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.household)
        layout.addWidget(self.compare)
        layout.addLayout(self.action_bar(*self.action_buttons))
        self.save_button.clicked.connect(self.save)
        self.confirm_button.clicked.connect(self.ask_confirm)
        self.cannot_button.clicked.connect(self.ask_cannot_verify)
        self.add_command(_t("保存修改"), "Ctrl+S", self.save, self.save_button)
        self.add_command(_t("核实无误…"), "Ctrl+K", self.ask_confirm, self.confirm_button)
        self.add_command(_t("无法核实…"), "Ctrl+U", self.ask_cannot_verify, self.cannot_button)
        self.add_navigation_commands()
        self.form.sig_validated.connect(self._on_validated)
        self.form.sig_edited.connect(self._update_compare)
        self.panel.sig_jump_to_field.connect(self.form.focus_field)

    # -- loading --------------------------------------------------------------------------------

    def load(self, task) -> None:
        self.panel.clear_reasons()  # a reason explains this case's warning, never the next one's
        data = task.data or {}
        person = Person.from_dict(data.get("person") or {})
        household = [Person.from_dict(m) for m in data.get("household") or []]
        today = self.ws.today
        # The server's findings the client cannot re-check (parents living elsewhere) are shown
        # too, exactly as the workspace checks them: their warnings need a reason here.
        self.form.case_data, self.form.today = task.shadow or data, today
        self.form.set_person(person, error_context(data, person, today))
        members = " · ".join(f"{m.name or '?'}" for m in household) or _t("（无其他成员）")
        self.household.setText(_t("同户成员：{members}").format(members=members))
        self._update_title()
        self._update_compare()
        self.form.focus_field(self._first_problem_field() or "name")

    def snapshot(self):
        return self.form.changes(), self.panel.overrides()

    def save_changes(self) -> None:
        self.save()

    def show_refused(self, findings: list) -> None:
        self.panel.set_findings(findings)

    def _first_problem_field(self) -> str | None:
        for f in sorted(self.form.findings(), key=lambda f: f.severity != "E"):
            for fld in f.fields:
                if fld in self.form.rows:
                    return fld
        return None

    def _on_validated(self, findings) -> None:
        self.panel.set_findings([f for f in findings])
        self._update_title()

    def _update_title(self) -> None:
        if self.task is None:
            return
        name = self.form.person().name or _t("（无姓名）")
        self.title.setText(_t("异常数据 · {name} · 问题 {n} 条 · {id}").format(
            name=name, n=len(self.form.findings()), id=self.task.id))

    def _update_compare(self) -> None:
        changes = self.form.changes()
        if not changes:
            self.compare.setText(_t("原始值对比：尚未修改"))
            return
        # Names, not codes: "民族 01 汉族 → 02 蒙古族", places by name.
        parts = [change_text(f, c) for f, c in changes.items()]
        self.compare.setText(_t("原始值对比：") + "；".join(parts))

    # -- actions --------------------------------------------------------------------------------

    def save(self) -> None:
        if self.task is None or not self.save_button.isEnabled():
            return
        findings = self.form.flush()
        changes = self.form.changes()
        if not changes:
            show_message(_t("没有需要保存的修改。如果记录本来就是对的，请用「核实无误」。"), parent=self)
            return
        errors, warnings = self.blocking(findings)
        if errors:
            show_message(_t("还有 {n} 个错误需要改正后才能保存。").format(n=len(errors)), parent=self)
            self.form.focus_field(next((f for f in errors[0].fields if f in self.form.rows), "name"))
            return
        if warnings:
            edit = self.panel.reason_edit(warnings[0].code)
            show_message(_t("有 {n} 个提醒需要确认：请在提醒旁填写原因，或改正相应字段。").format(
                n=len(warnings)), parent=self)
            if edit is not None:
                edit.setFocus()
            return
        values = {f: c["to"] for f, c in changes.items()}
        self.run_action(self.ws.fix_error, self.task.id, values, "", self.panel.overrides())

    def ask_confirm(self) -> None:
        if self.task is None or not self.confirm_button.isEnabled():
            return
        errors, _ = self.blocking(self.form.findings())
        if errors and not self.form.changes():
            show_message(_t("这条记录有错误（红色），不能核实无误。请改正后保存，或选择「无法核实」。"),
                         parent=self)
            return
        self.dialog = ReasonDialog(_t("核实无误"), _t("记录与原始资料一致、无需修改。请说明核实的依据（如：已核对户口簿原件）。"
                                                   "这个原因也用于说明所有提醒。"), self)
        self.dialog.sig_reason.connect(lambda _c, reason: self.run_action(
            self.ws.confirm_error, self.task.id, reason, self.panel.overrides()))
        self.dialog.open()

    def ask_cannot_verify(self) -> None:
        if self.task is None or not self.cannot_button.isEnabled():
            return
        self.dialog = ReasonDialog(
            _t("无法核实"), _t("请选择原因："), self, required=False,
            choices=[("unverifiable", _t("无法核实（联系不上本人、无原始资料）")),
                     ("not_local", _t("非本辖区（此人不在本乡镇/街道）"))])
        self.dialog.sig_reason.connect(lambda choice, note: self.run_action(
            self.ws.cannot_verify, self.task.id, choice, note))
        self.dialog.open()

