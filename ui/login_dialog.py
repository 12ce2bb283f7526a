"""Login: server profile, username and password. Logs in online, or unlocks the local data
offline when the server cannot be reached, and says which happened."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from client.workspace import RetryPolicy, Workspace, load_identity
from client.workspace import errors as E
from ui.errors import describe
from ui.password_dialog import PasswordDialog

log = logging.getLogger(__name__)

# Failures where the server is simply out of reach: the local data may be opened offline.
UNREACHABLE = (E.OfflineError, E.NetworkTimeout, E.ConnectionLost, E.ServerBusy, E.ServerError,
               E.BadResponse)


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


@dataclass
class LoginResult:
    workspace: Workspace
    online: bool
    message: str
    server_url: str


def gui_retry_policy() -> RetryPolicy:
    """Short retries for a person waiting at the screen: an unreachable server must turn into
    the offline unlock within seconds, and a failed sync is retried by the timer anyway."""
    return RetryPolicy(base=0.5, cap=3.0, max_attempts=3)


def open_workspace(data_dir: Path, server_url: str, username: str, password: str,
                   ca_file: str = "", previous_password: str | None = None,
                   cert_file: str = "", cert_passphrase: str = "", new_password: str | None = None) -> LoginResult:
    """Blocking (run it off the UI thread): online login, or offline unlock when unreachable.
    With a .p12/.pfx certificate it is presented to the server (the second factor). With
    new_password, a password an admin set is replaced by it first (never offline)."""
    retry = gui_retry_policy()
    if server_url:
        identity = load_identity(cert_file, cert_passphrase) if cert_file else None
        try:
            ws = Workspace.login(data_dir, server_url, username, password,
                                 ca_bundle=ca_file or None, retry=retry, client_cert=identity,
                                 previous_password=previous_password or None, new_password=new_password)
            return LoginResult(ws, True, _t("已在线登录。"), server_url)
        except UNREACHABLE as exc:
            if new_password is not None:
                raise   # the new password is set online only
            log.info("server unreachable (%s); trying offline unlock", exc.code)
    ws = Workspace.unlock(data_dir, username, password, transport_options={"retry": retry})
    return LoginResult(ws, False, _t("已离线登录：服务器暂时无法连接（请检查VPN是否已连接）。"
                                     "您可以照常处理任务，修改保存在本机，连接恢复后自动上传。"),
                       ws.server_url or server_url)


class LoginDialog(QDialog):
    """Non-modal use: connect sig_logged_in and call open()."""

    sig_logged_in = Signal(object)
    """Login finished (argument: LoginResult)."""

    def __init__(self, bg, data_dir: Path, settings, parent: QWidget | None = None,
                 server_url: str | None = None, username: str | None = None):
        super().__init__(parent)
        self.bg = bg
        self.data_dir = Path(data_dir)
        self.settings = settings
        self.setWindowTitle(_t("登录 — 核查工作台"))
        self.server = QComboBox(self)
        self.server.setEditable(True)
        editor = self.server.lineEdit()  # an editable combo box has one
        if editor is not None:
            editor.setPlaceholderText("https://")
        for profile in settings.get("server_profiles"):
            if isinstance(profile, dict) and profile.get("url"):
                self.server.addItem(profile.get("name") or profile["url"], profile["url"])
        self.server.setEditText(server_url or settings.get("server_url"))
        self.ca_file = QLineEdit(settings.get("ca_file"), self)
        self.ca_file.setPlaceholderText(_t("可选：单位的证书文件（.pem）"))
        browse = QPushButton(_t("浏览…"), self)
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(browse)
        # The worker's own certificate (CA 身份认证): remembered which file, never the passphrase.
        self.cert_file = QLineEdit(settings.get("client_cert_file"), self)
        self.cert_file.setPlaceholderText(_t("可选：个人数字证书（.p12/.pfx）"))
        browse_cert = QPushButton(_t("浏览…"), self)
        browse_cert.setAutoDefault(False)
        browse_cert.clicked.connect(self._browse_cert)
        cert_row = QHBoxLayout()
        cert_row.addWidget(self.cert_file, 1)
        cert_row.addWidget(browse_cert)
        self.cert_passphrase = QLineEdit(self)
        self.cert_passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.cert_passphrase.setPlaceholderText(_t("证书口令"))
        self.username = QLineEdit(username or settings.get("last_username"), self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        # Shown only when the password was changed online: the old one re-wraps the local key.
        self.old_password = QLineEdit(self)
        self.old_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.old_password.setPlaceholderText(_t("上次在本机登录时用的密码"))
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(40)
        form = QFormLayout()
        form.addRow(_t("服务器"), self.server)
        form.addRow(_t("证书"), ca_row)
        form.addRow(_t("个人证书"), cert_row)
        form.addRow(_t("证书口令"), self.cert_passphrase)
        form.addRow(_t("用户名"), self.username)
        form.addRow(_t("密码"), self.password)
        form.addRow(_t("旧密码"), self.old_password)
        form.setRowVisible(self.old_password, False)
        self.form = form
        self.buttons = QDialogButtonBox(self)
        self.login_button = self.buttons.addButton(_t("登录"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(_t("退出"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        title = QLabel(_t("全员人口数据核查 — 核查工作台"), self)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        (self.password if self.username.text() else self.username).setFocus()
        self.busy = False
        self.password_dialog: PasswordDialog | None = None   # asked for a new password at login

    def server_url(self) -> str:
        text = self.server.currentText().strip()
        idx = self.server.findText(text)
        return (self.server.itemData(idx) or text) if idx >= 0 else text

    def _browse_ca(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, _t("选择证书文件"), "",
                                              _t("证书 (*.pem *.crt);;所有文件 (*)"))
        if path:
            self.ca_file.setText(path)

    def _browse_cert(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, _t("选择个人数字证书"), "",
                                              _t("数字证书 (*.p12 *.pfx);;所有文件 (*)"))
        if path:
            self.cert_file.setText(path)
            self.cert_passphrase.setFocus()

    def _show(self, text: str, role: str) -> None:
        self.status.setText(text)
        self.status.setProperty("role", role)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def submit(self) -> None:
        if self.busy:
            return
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self._show(_t("请输入用户名和密码。"), "error")
            (self.username if not username else self.password).setFocus()
            return
        self.busy = True
        self.login_button.setEnabled(False)
        self._show(_t("正在登录…"), "hint")
        self.bg.net(open_workspace, self.data_dir, self.server_url(), username, password,
                    self.ca_file.text().strip(), self.old_password.text() or None,
                    self.cert_file.text().strip(), self.cert_passphrase.text(), name="login",
                    on_result=self._on_result, on_error=self._on_error)

    def _on_result(self, result: LoginResult) -> None:
        self.busy = False
        self.login_button.setEnabled(True)
        s = self.settings
        s.set("last_username", self.username.text().strip())
        if result.online:
            s.set("server_url", result.server_url)
            s.set("ca_file", self.ca_file.text().strip())
            s.set("client_cert_file", self.cert_file.text().strip())
        try:
            s.save()
        except OSError as exc:  # settings are a convenience: never block the login on them
            log.warning("settings not saved: %s", exc)
        self.password.clear()
        self.old_password.clear()
        self.cert_passphrase.clear()
        self._show(result.message, "ok" if result.online else "warning")
        self.sig_logged_in.emit(result)
        self.accept()

    def _ask_new_password(self) -> None:
        """The password typed was set by an admin: the password dialog asks for the worker's own,
        whose OK is the login itself with it (then the login goes on as usual)."""
        data_dir, server_url, username = self.data_dir, self.server_url(), self.username.text().strip()
        ca_file, previous = self.ca_file.text().strip(), self.old_password.text() or None
        cert_file, passphrase = self.cert_file.text().strip(), self.cert_passphrase.text()

        def change(old: str, new: str) -> LoginResult:
            return open_workspace(data_dir, server_url, username, old, ca_file, previous, cert_file, passphrase,
                                  new_password=new)

        dlg = self.password_dialog = PasswordDialog(
            self.bg, change, self, old_password=self.password.text(),
            reason=_t("管理员为您设置了初始密码（新账号或密码已重置）：请设置您自己的新密码，然后继续登录。"))
        dlg.sig_changed.connect(lambda: self._on_result(dlg.outcome))
        dlg.sig_failed.connect(lambda exc: self._new_password_failed(dlg, exc))
        dlg.open()

    def _new_password_failed(self, dlg: PasswordDialog, exc: BaseException) -> None:
        """The new password is set, but the local data is locked with an older one: back here, where
        the old one is asked for (the new one is now the password)."""
        if describe(exc).code != "password_changed":
            return   # the dialog shows the reason (e.g. the policy); the worker tries another
        self.password.setText(dlg.new.text())
        dlg.reject()
        self._on_error(exc)

    def _on_error(self, exc: BaseException) -> None:
        self.busy = False
        self.login_button.setEnabled(True)
        msg = describe(exc)
        if msg.code == "unexpected":
            log.error("login failed", exc_info=(type(exc), exc, exc.__traceback__))
        self._show(msg.text, "error")
        if msg.code == "password_change_required":
            self._ask_new_password()
            return
        if msg.code == "password_changed":
            self.form.setRowVisible(self.old_password, True)
            self.old_password.setFocus()
            return
        self.password.selectAll()
        self.password.setFocus()
