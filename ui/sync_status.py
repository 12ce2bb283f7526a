"""Sync from the UI: one sync at a time on a network thread, with progress and cancel, automatic
background sync on an interval (and quickly again while the server is out of reach), and the
status bar that always shows where the worker stands."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget)

from client.workspace import SyncReport, SyncState
from ui.errors import describe, error_code
from ui.widgets.elided_label import ElidedLabel

log = logging.getLogger(__name__)

OFFLINE_CODES = {"offline", "timeout", "connection_lost", "server_busy", "server_error",
                 "bad_response"}
RETRY_WHILE_OFFLINE_MS = 60_000


def _t(text: object) -> str:  # QT_TRANSLATE_NOOP entries are typed object by PySide6's stubs
    return QCoreApplication.translate("", str(text))


@dataclass
class SyncProgress:
    phase: str
    pushed: int
    pulled: int
    to_push: int
    pages: int


class SyncController(QObject):
    """Runs workspace.sync() through the background helper; the single place that starts one."""

    sig_started = Signal()
    """A sync started."""
    sig_progress = Signal(object)
    """Progress (SyncProgress), delivered on the UI thread."""
    sig_finished = Signal(object)
    """A sync finished (SyncReport)."""
    sig_failed = Signal(object)
    """A sync failed or was cancelled (the exception)."""
    sig_online_changed = Signal(object)
    """Online state changed: True online, False offline, None unknown (object: no bool signals)."""

    def __init__(self, bg, workspace, online: bool | None, auto_minutes: int = 10, parent=None):
        super().__init__(parent)
        self.bg = bg
        self.ws = workspace
        self.online = online
        self.state: SyncState | None = None
        self.job = None
        self.last_report: SyncReport | None = None
        self.last_error: BaseException | None = None
        self._relay_progress = _ProgressRelay(self)
        self._relay_progress.sig.connect(self.sig_progress)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.sync_in_background)
        self.set_interval(auto_minutes)

    @property
    def running(self) -> bool:
        return self.job is not None

    def set_interval(self, minutes: int) -> None:
        self.auto_ms = max(0, int(minutes)) * 60_000
        self._arm()

    def _arm(self) -> None:
        # Offline: come back sooner, so work goes up soon after the VPN returns.
        interval = RETRY_WHILE_OFFLINE_MS if self.online is False else self.auto_ms
        if self.auto_ms and interval:
            self.timer.start(min(interval, self.auto_ms))
        else:
            self.timer.stop()

    def sync_in_background(self) -> None:
        if self.bg.closed:
            # The application is shutting down (or this window outlived its helper): a timer
            # tick must not start work that can no longer run.
            self.timer.stop()
            return
        if not self.running:
            self.sync_now()

    def sync_now(self) -> bool:
        """Start a sync unless one is running; returns whether one started."""
        if self.running:
            return False
        state = SyncState()
        state.on_progress = self._relay_progress.forward  # called on the sync thread
        self.state = state
        self.job = self.bg.net(self.ws.sync, state, name="sync",
                               on_result=self._on_done, on_error=self._on_error)
        self.sig_started.emit()
        return True

    def cancel(self) -> None:
        if self.state is not None:
            self.state.cancel()

    def _set_online(self, online: bool | None) -> None:
        if online != self.online:
            self.online = online
            self.sig_online_changed.emit(online)
        self._arm()

    def _on_done(self, report: SyncReport) -> None:
        self.job = None
        self.last_report, self.last_error = report, None
        self._set_online(True)
        self.sig_finished.emit(report)

    def _on_error(self, exc: BaseException) -> None:
        self.job = None
        self.last_error = exc
        code = error_code(exc)
        if code in OFFLINE_CODES:
            self._set_online(False)
        elif code != "cancelled":
            self._set_online(self.online)
        if code not in OFFLINE_CODES and code != "cancelled" and describe(exc).code == "unexpected":
            log.error("sync failed", exc_info=(type(exc), exc, exc.__traceback__))
        self.sig_failed.emit(exc)

    def stop(self) -> None:
        self.timer.stop()
        self.cancel()


class _ProgressRelay(QObject):
    sig = Signal(object)

    def forward(self, state: SyncState) -> None:
        # Emitted from the sync thread: Qt queues it to the UI thread. Copy the numbers now,
        # the state object keeps changing.
        self.sig.emit(SyncProgress(state.phase, state.pushed, state.pulled, state.to_push,
                                   state.pages))


PHASES = {"push": QT_TRANSLATE_NOOP("", "正在上传"), "pull": QT_TRANSLATE_NOOP("", "正在下载"),
          "bootstrap": QT_TRANSLATE_NOOP("", "正在下载全部任务"),
          "repair": QT_TRANSLATE_NOOP("", "正在校验修复"), "done": QT_TRANSLATE_NOOP("", "完成")}


def format_server_time(text: str | None) -> str:
    """Server time (ISO 8601) as local 'MM-DD HH:MM' for the status bar."""
    if not text:
        return _t("从未同步")
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if dt.tzinfo is not None:
        dt = dt.astimezone()
    return dt.strftime("%m-%d %H:%M")


class SyncStatusBar(QWidget):
    """● 在线 · 上次同步 10:42（服务器时间） · 待上传 6 · 冲突 1   [立即同步] ▓▓░ [取消]"""

    sig_show_outbox = Signal()
    """The worker clicked the pending counts."""
    sig_login_needed = Signal()
    """Sync needs the password again."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.online_label = QLabel(self)
        self.last_sync_label = QLabel(self)
        self.counts_label = QLabel(self)
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.counts_label.linkActivated.connect(lambda _l: self.sig_show_outbox.emit())
        self.message_label = ElidedLabel(self)
        self.sync_button = QPushButton(_t("立即同步"), self)
        self.sync_button.setToolTip("F5")
        self.login_button = QPushButton(_t("重新登录…"), self)
        self.login_button.hide()
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QPushButton(_t("取消"), self)
        self.cancel_button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        for w in (self.online_label, self.last_sync_label, self.counts_label):
            layout.addWidget(w)
        layout.addWidget(self.message_label, 1)
        for control in (self.login_button, self.sync_button, self.progress, self.cancel_button):
            layout.addWidget(control)
        self.sync_button.clicked.connect(controller.sync_now)
        self.cancel_button.clicked.connect(controller.cancel)
        self.login_button.clicked.connect(self.sig_login_needed)
        controller.sig_started.connect(self._on_started)
        controller.sig_progress.connect(self._on_progress)
        controller.sig_finished.connect(self._on_finished)
        controller.sig_failed.connect(self._on_failed)
        controller.sig_online_changed.connect(lambda _o: self._show_online())
        self._show_online()
        self.set_last_sync(None)
        self.set_counts(0, 0)

    def _show_online(self) -> None:
        online = self.controller.online
        text = "● " + _t("在线") if online else "○ " + _t("离线") if online is False \
            else "◌ " + _t("未连接")
        self.online_label.setText(text)
        self.online_label.setProperty("role", "ok" if online else "hint")
        self.online_label.style().unpolish(self.online_label)
        self.online_label.style().polish(self.online_label)

    def set_last_sync(self, server_time: str | None) -> None:
        self.last_sync_label.setText(_t("上次同步 {time}（服务器时间）").format(
            time=format_server_time(server_time)))

    def set_counts(self, pending: int, conflicts: int) -> None:
        parts = [_t("待上传 {n}").format(n=pending)]
        if conflicts:
            parts.append(_t("冲突 {n}").format(n=conflicts))
        self.counts_label.setText('<a href="outbox">' + " · ".join(parts) + "</a>")
        self.pending, self.conflicts = pending, conflicts

    def _on_started(self) -> None:
        self.sync_button.setEnabled(False)
        self.login_button.hide()
        self.progress.setRange(0, 0)  # busy until the first numbers arrive
        self.progress.show()
        self.cancel_button.show()
        self._message(_t("正在同步…"), "hint")

    def _on_progress(self, p: SyncProgress) -> None:
        if p.phase == "push" and p.to_push:
            self.progress.setRange(0, p.to_push)
            self.progress.setValue(min(p.pushed, p.to_push))
            self.progress.setFormat(_t("上传 %v/%m"))
        else:
            self.progress.setRange(0, 0)
        label = PHASES.get(p.phase)
        text = _t(label) if label else _t("正在同步")
        if p.pulled:
            text += _t("，已下载 {n} 条").format(n=p.pulled)
        self._message(text + "…", "hint")

    def _finish_ui(self) -> None:
        self.sync_button.setEnabled(True)
        self.progress.hide()
        self.cancel_button.hide()

    def _on_finished(self, report) -> None:
        self._finish_ui()
        self.set_last_sync(report.server_time)
        extra = []
        if report.conflicts:
            extra.append(_t("{n} 条冲突需要处理").format(n=len(report.conflicts)))
        if report.rejected:
            extra.append(_t("{n} 条被退回").format(n=len(report.rejected)))
        if report.gone:
            extra.append(_t("{n} 条已被收回").format(n=len(report.gone)))
        text = _t("同步完成：上传 {up} 条，下载 {down} 条").format(up=report.pushed,
                                                                   down=report.pulled)
        self._message("；".join([text, *extra]), "warning" if extra else "ok")

    def _on_failed(self, exc: BaseException) -> None:
        self._finish_ui()
        msg = describe(exc)
        if msg.code in ("auth_expired", "login_failed"):
            self.login_button.show()
        role = "hint" if msg.code in ("cancelled", "offline") else "error"
        self._message(msg.text, role, details=msg.details)

    def _message(self, text: str, role: str, details: str = "") -> None:
        # One line in the bar, cut with "…" where the buttons begin; the whole text on hover.
        self.message_label.set_full_text(text)
        self.message_label.setProperty("role", role)
        self.message_label.setProperty("full_text", text)
        self.message_label.style().unpolish(self.message_label)
        self.message_label.style().polish(self.message_label)
