"""修改密码: the worker's own password, changed on the server (POST /v1/auth/password); the local
store key is re-wrapped with the new one. The server's policy decides; its reason is shown."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from ui.errors import describe


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


class PasswordDialog(QDialog):
    sig_changed = Signal()
    """The server accepted the new password."""

    def __init__(self, bg, workspace, parent=None):
        super().__init__(parent)
        self.bg, self.ws = bg, workspace
        self.setWindowTitle(_t("修改密码"))
        self.old = QLineEdit(self)
        self.new = QLineEdit(self)
        self.again = QLineEdit(self)
        for w in (self.old, self.new, self.again):
            w.setEchoMode(QLineEdit.EchoMode.Password)
        rules = QLabel(_t("新密码至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类，"
                          "不能包含用户名，不能与最近 5 次的密码相同。"), self)
        rules.setWordWrap(True)
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
        self.bg.net(self.ws.change_password, old, new, name="change password",
                    on_result=lambda _r: self._done(), on_error=self._failed)

    def _done(self) -> None:
        self.buttons.setEnabled(True)
        self.status.setProperty("role", "ok")
        self.status.setText(_t("密码已修改。其他电脑上的登录已失效。"))
        self.sig_changed.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.status.setText(describe(exc).text)
