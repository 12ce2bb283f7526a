"""修改密码: the worker's own password, changed on the server (POST /v1/auth/password); the local
store key is re-wrapped with the new one. The server's policy decides; its reason is shown.

Used from the main window (修改密码, an expired password) and from the login dialog, when the
password the worker typed was set by an admin (a new account or a reset) and must be replaced before
the login goes on: `change(old, new)` is then the login itself, and `outcome` what it returned."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from ui.errors import describe


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


class PasswordDialog(QDialog):
    sig_changed = Signal()
    """The server accepted the new password (and `change` returned `outcome`)."""
    sig_failed = Signal(object)
    """`change` raised (the exception); the reason is shown in the dialog too."""

    def __init__(self, bg, change: Callable[[str, str], Any], parent=None, *, old_password: str = "",
                 reason: str = ""):
        super().__init__(parent)
        self.bg, self.change = bg, change
        self.outcome: Any = None
        self.setWindowTitle(_t("修改密码"))
        self.old = QLineEdit(self)
        self.new = QLineEdit(self)
        self.again = QLineEdit(self)
        for w in (self.old, self.new, self.again):
            w.setEchoMode(QLineEdit.EchoMode.Password)
        rules = QLabel(_t("新密码至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类，"
                          "不能包含用户名，不能与最近 5 次的密码相同。"), self)
        rules.setWordWrap(True)
        self.reason = QLabel(reason, self)
        self.reason.setWordWrap(True)
        self.reason.setVisible(bool(reason))
        self.old.setText(old_password)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setProperty("role", "error")
        form = QFormLayout()
        form.addRow(_t("原密码"), self.old)
        form.addRow(_t("新密码"), self.new)
        form.addRow(_t("再输入一次"), self.again)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                        QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_t("修改"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reason)
        layout.addWidget(rules)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        old, new = self.old.text(), self.new.text()
        if not old or not new:
            self.status.setText(_t("请填写原密码和新密码。"))
            return
        if new != self.again.text():
            self.status.setText(_t("两次输入的新密码不一致。"))
            return
        self.buttons.setEnabled(False)
        self.status.setText(_t("正在修改…"))
        self.bg.net(self.change, old, new, name="change password",
                    on_result=self._done, on_error=self._failed)

    def _done(self, result: Any) -> None:
        self.outcome = result
        self.buttons.setEnabled(True)
        self.status.setProperty("role", "ok")
        self.status.setText(_t("密码已修改。其他电脑上的登录已失效。"))
        self.sig_changed.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.status.setText(describe(exc).text)
        self.sig_failed.emit(exc)
