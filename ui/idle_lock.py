"""Idle lock: after the configured idle time the window's content is hidden behind a lock
screen; unlocking needs the worker's password (checked against the local store key)."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.errors import describe, error_code

MAX_UNLOCK_FAILURES = 5   # then the worker is signed out: an online login is needed
INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                QEvent.Type.Wheel, QEvent.Type.TouchBegin}


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


class IdleWatcher(QObject):
    """Watches the application's input events; emits sig_idle once idle for `minutes`."""

    sig_idle = Signal()
    """The worker has been idle for the configured time."""

    def __init__(self, minutes: float, parent=None, check_ms: int = 15_000):
        super().__init__(parent)
        self.limit_s = max(0.0, float(minutes) * 60)
        self.last_input = time.monotonic()
        self.paused = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        if self.limit_s:
            self.timer.start(check_ms)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, obj, event):
        if event.type() in INPUT_EVENTS:
            self.last_input = time.monotonic()
        return False

    def check(self) -> None:
        if not self.paused and self.limit_s and time.monotonic() - self.last_input >= self.limit_s:
            self.paused = True
            self.sig_idle.emit()

    def resume(self) -> None:
        self.paused = False
        self.last_input = time.monotonic()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class LockScreen(QWidget):
    """Replaces the window's content while locked."""

    sig_unlocked = Signal()
    """The right password was entered."""
    sig_sign_out = Signal()
    """MAX_UNLOCK_FAILURES wrong passwords in a row: sign the worker out."""

    def __init__(self, bg, check_password, username: str, parent=None):
        super().__init__(parent)
        self.bg = bg
        self.check_password = check_password  # blocking callable(password) -> None or raises
        self.failures = 0
        title = QLabel(_t("屏幕已锁定"), self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        info = QLabel(_t("长时间未操作，为保护个人信息已锁定。请输入用户 {user} 的密码解锁。").format(
            user=username), self)
        info.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaximumWidth(320)
        self.button = QPushButton(_t("解锁"), self)
        self.status = QLabel(self)
        self.status.setProperty("role", "error")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for w in (title, info, self.password, self.button, self.status):
            layout.addWidget(w)
        layout.addStretch(2)
        self.password.returnPressed.connect(self.submit)
        self.button.clicked.connect(self.submit)

    def submit(self) -> None:
        pw = self.password.text()
        if not pw:
            return
        self.button.setEnabled(False)
        self.bg.net(self.check_password, pw, name="unlock", on_result=lambda _r: self._ok(),
                    on_error=self._fail)

    def _ok(self) -> None:
        self.failures = 0
        self.password.clear()
        self.status.clear()
        self.button.setEnabled(True)
        self.sig_unlocked.emit()

    def _fail(self, exc: BaseException) -> None:
        self.failures += 1
        self.button.setEnabled(True)
        self.password.selectAll()
        if self.failures >= MAX_UNLOCK_FAILURES:
            self.password.clear()
            self.sig_sign_out.emit()
            return
        text = describe(exc).text if error_code(exc) else _t("密码不正确。")
        left = MAX_UNLOCK_FAILURES - self.failures
        self.status.setText(text + _t("（再错 {n} 次将退出登录，需联网重新登录）").format(n=left))
