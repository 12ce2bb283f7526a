"""Training mode window: prepares the demo server and worker off the UI thread, then shows the
main window with the amber 培训模式 banner, the account on screen and a 培训 menu (reset)."""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QVBoxLayout, QWidget

from client.paths import Settings
from ui.case_screen import CaseScreen
from ui.conflict_view import ConflictView
from ui.duplicates_view import DuplicatesView
from ui.error_editor import ErrorRecordEditor
from ui.errors import show_message
from ui.own_message import own_message

if TYPE_CHECKING:  # imported when the window opens: the preparing window shows first
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


class PreparingWindow(QWidget):
    """What the trainer sees while the demo county is generated and loaded (first run: seconds)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_t("核查工作台 — 培训模式"))
        layout = QVBoxLayout(self)
        banner = QLabel(_t("培训模式"), self)
        banner.setProperty("role", "banner")
        self.label = QLabel(_t("正在启动培训服务器并准备演示数据，请稍候…"), self)
        self.label.setWordWrap(True)
        layout.addWidget(banner)
        layout.addWidget(self.label)
        self.resize(420, 120)

    def set_text(self, text: str) -> None:
        self.label.setText(text)


class DemoController(QObject):
    """Owns the DemoSession and the training main window; `check` quits after the first sync."""

    sig_window_shown = Signal(object)
    """The training main window is on screen (argument: the MainWindow)."""
    sig_synced = Signal(object)
    """The window's first sync after opening finished (SyncReport)."""
    sig_reset_done = Signal(object)
    """A reset finished and the new window is shown (the server's reset report)."""
    sig_failed = Signal(str)
    """Starting or resetting failed (the reason in Chinese)."""
    sig_simulated = Signal(str)
    """A simulated office edit or withdrawal reached the server (argument: the task id)."""
    _say = Signal(str)

    def __init__(self, bg, settings: Settings, session, *, check: bool = False, parent=None):
        super().__init__(parent)
        self.bg, self.settings, self.session, self.check = bg, settings, session, check
        self.window: MainWindow | None = None
        self.preparing: PreparingWindow | None = None
        self.exit_code: int | None = None
        from ui.demo import STARTED
        self.started_at = STARTED
        self.timings: dict[str, float] = {}
        self.last_report = None
        # The session reports progress from the worker thread: a queued signal brings it home.
        self._say.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)
        session.server.say = self._say.emit

    # -- starting --------------------------------------------------------------------------------

    def start(self) -> None:
        self.preparing = PreparingWindow()
        self.preparing.show()
        self.timings["first_window"] = round(time.perf_counter() - self.started_at, 3)
        self.bg.net(self._prepare, name="demo-start", on_result=self._open_window,
                    on_error=self._failed)

    def _prepare(self):
        self.session.start()
        return self.session.open()

    def _show_progress(self, text: str) -> None:
        if self.preparing is not None:
            self.preparing.set_text(text)

    def _open_window(self, workspace) -> None:
        from ui.main_window import MainWindow
        from ui.session import password_checker

        a = self.session.account
        window = self.window = MainWindow(
            self.bg, workspace, self.settings, online=True, training=True,
            login_message=_t("培训模式：已登录培训服务器。"),
            check_password=password_checker(workspace))
        window.banner.setText(
            _t("培训模式 · 账号 {user}（{name}） · 密码 {password} · 练习数据只保存在本机和培训服务器")
            .format(user=a["username"], name=a["display_name"], password=a["password"]))
        window.setWindowTitle(window.windowTitle() + _t("（培训模式）"))
        self._add_training_menu(window)
        window.sync.sig_finished.connect(self._synced)
        window.sync.sig_failed.connect(self._sync_failed)
        window.show()  # before closing the preparing window: never zero windows (app quits)
        if self.preparing is not None:
            self.preparing.close()
            self.preparing = None
        self.timings["window"] = round(time.perf_counter() - self.started_at, 3)
        self.sig_window_shown.emit(window)
        window.sync.sync_now()

    def _add_training_menu(self, window) -> None:
        menu = window.menuBar().addMenu(_t("培训(&T)"))
        self.reset_action = menu.addAction(_t("重置培训数据…"))
        self.reset_action.triggered.connect(self.ask_reset)
        menu.addSeparator()
        self.office_edit_action = menu.addAction(_t("模拟县办修改当前记录（制造冲突）"))
        self.office_edit_action.triggered.connect(self.simulate_office_edit)
        self.withdraw_action = menu.addAction(_t("模拟省平台撤回当前任务"))
        self.withdraw_action.triggered.connect(self.simulate_withdraw)
        menu.addSeparator()
        accounts = menu.addAction(_t("培训账号与服务器地址…"))
        accounts.triggered.connect(self.show_accounts)

    def _synced(self, report) -> None:
        self.last_report = report
        self.timings.setdefault("first_sync", round(time.perf_counter() - self.started_at, 3))
        self.sig_synced.emit(report)
        if self.check:
            self._finish(0)

    def _sync_failed(self, exc) -> None:
        if self.check:
            print(f"培训模式自检失败：同步出错：{own_message(exc) or exc}", file=sys.stderr)
            self._finish(1)

    def _failed(self, exc: BaseException) -> None:
        from ui.demo import failure_text
        text = failure_text(exc)
        log.error("training mode failed: %s", text, exc_info=(type(exc), exc, exc.__traceback__))
        self.sig_failed.emit(text)
        if self.check or self.window is None:
            print(f"培训模式启动失败：{text}", file=sys.stderr)
            if self.check:
                self._finish(1)
                return
            # The preparing window stays (closing the last window would quit before the trainer
            # could read why) and carries the message; closing the message ends the program.
            if self.preparing is None:
                self.preparing = PreparingWindow()
                self.preparing.show()
            self.preparing.set_text(_t("培训模式启动失败。"))
            box = show_message(_t("培训模式启动失败：{reason}").format(reason=text), parent=self.preparing)
            box.finished.connect(lambda _r: self._finish(1))
            return
        show_message(_t("操作失败：{reason}").format(reason=text), parent=self.window)
        if self.preparing is not None:
            self.preparing.close()
            self.preparing = None

    def _finish(self, code: int) -> None:
        if self.exit_code is None:
            self.exit_code = code
            app = QApplication.instance()
            if app is not None:
                app.quit()

    # -- reset -----------------------------------------------------------------------------------

    def ask_reset(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, _t("重置培训数据"),
                          _t("把培训数据恢复到初始状态？本机所有练习修改（包括未上传的）都将清除。"),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.window)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda r: self.reset() if r == QMessageBox.StandardButton.Yes else None)
        self._reset_box = box
        box.open()

    def reset(self) -> None:
        """Close the window, restore the server's starting state, open a fresh window."""
        self.preparing = PreparingWindow()
        self.preparing.set_text(_t("正在恢复培训数据的初始状态…"))
        self.preparing.show()  # first: closing the last window would quit the application
        old = self.window
        if old is not None:
            old.sync.stop()
            old.close()
            old.deleteLater()
        self.window = None
        # The old window's list queries finish first (the reader thread runs jobs in order), then
        # the store closes on the database thread after its last write.
        def close_after_reads(_=None) -> None:
            self.bg.db(self.session.reset, name="demo-reset", on_result=self._reset_server_done,
                       on_error=self._failed)
        self.bg.read(lambda: None, name="demo-drain", on_result=close_after_reads, on_error=self._failed)

    def _reset_server_done(self, result) -> None:
        def opened(ws):
            self._open_window(ws)
            self.sig_reset_done.emit(result)
        self.bg.net(self.session.open, name="demo-login", on_result=opened, on_error=self._failed)

    def current_task_id(self) -> str | None:
        """The case on screen: the open case page's, else the worklist's current row."""
        w = self.window
        if w is None:
            return None
        page = w.pages.currentWidget()
        if isinstance(page, (CaseScreen, ErrorRecordEditor, DuplicatesView, ConflictView)) \
                and page.task is not None:
            return page.task.id
        return w.worklist.current_id()

    def _simulate(self, fn, done_text: str) -> None:
        task_id = self.current_task_id()
        if task_id is None:
            show_message(_t("请先在列表中选中或打开一条任务。"), parent=self.window)
            return

        def done(_result) -> None:
            self.sig_simulated.emit(task_id)
            show_message(done_text.format(id=task_id), parent=self.window,
                         icon=QMessageBox.Icon.Information)

        def failed(exc) -> None:
            show_message(own_message(exc) or str(exc), parent=self.window)

        self.bg.net(fn, task_id, name="demo-simulate", on_result=done, on_error=failed)

    def simulate_office_edit(self) -> None:
        self._simulate(self.session.simulate_office_edit,
                       _t("县办已在服务器上修改了任务 {id} 的同一字段。点击「立即同步」，即可看到冲突。"))

    def simulate_withdraw(self) -> None:
        self._simulate(self.session.simulate_withdraw,
                       _t("省平台已撤回任务 {id}。点击「立即同步」，它会出现在「已撤回」中。"))

    def show_accounts(self) -> None:
        lines = [_t("培训服务器：{url}").format(url=self.session.server.url), ""]
        for a in self.session.server.accounts:
            lines.append(f"{a['username']:<10} {a['password']:<14} {a['display_name']}")
        show_message("\n".join(lines), parent=self.window, title=_t("培训账号"),
                     icon=QMessageBox.Icon.Information)

    def shutdown(self) -> None:
        if self.window is not None:
            self.window.sync.stop()
        try:
            self.bg.run_blocking_on_db(self.session.close_workspace)
        except RuntimeError:  # executors already shut down
            self.session.close_workspace()
        self.session.close()

    def summary(self) -> dict:
        a = self.session.account
        r = self.last_report
        return {"ok": self.exit_code == 0, "url": self.session.server.url if self.session.server.thread else None,
                "username": a["username"], "pulled": r.pulled if r else None,
                "pending": r.pending if r else None, "seconds": dict(self.timings),
                "session_seconds": dict(self.session.seconds),
                "platform": QGuiApplication.platformName()}


def run_demo_gui(args, root: Path) -> int:
    """`hecha demo` (and `--check`): the Qt application around a DemoController."""
    import asyncio

    import qasync

    from client.paths import app_paths
    from ui import app as ui_app, errors
    from ui.background import Background
    from ui.demo import session_for

    paths = app_paths().ensure()
    ui_app.setup_logging(paths)
    root.mkdir(parents=True, exist_ok=True)
    # Training settings stay with the training data: the real user's window state is untouched.
    settings = Settings.load(root / "settings.json")
    settings.set("idle_lock_minutes", 30)
    if args.check:
        settings.set("auto_sync_minutes", 0)
    if args.language:
        settings.set("language", args.language)
    if args.large_font:
        settings.set("large_font", True)
    app = ui_app.create_application(settings)
    errors.install_excepthook()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    bg = Background()
    session = session_for(args, root)
    controller = DemoController(bg, settings, session, check=args.check)
    quit_event = asyncio.Event()
    app.aboutToQuit.connect(quit_event.set)
    controller.start()
    with loop:
        loop.run_until_complete(quit_event.wait())
    controller.shutdown()
    bg.shutdown(wait=True)
    if not args.check:
        try:
            settings.save()
        except OSError as exc:
            log.warning("training settings not saved: %s", exc)
    code = controller.exit_code if controller.exit_code is not None else 0
    if args.check:
        summary = controller.summary()
        if args.json:
            print(json.dumps(summary, ensure_ascii=False))
        elif code == 0:
            print(f"培训模式自检通过：账号 {summary['username']}，下载 {summary['pulled']} 条，"
                  f"首个窗口 {summary['seconds'].get('first_window')} 秒，主窗口 {summary['seconds'].get('window')} 秒，"
                  f"首次同步 {summary['seconds'].get('first_sync')} 秒")
    return code
