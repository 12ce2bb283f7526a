"""The main window: wires navigation, worklist, case editors, outbox and the sync status bar.
It holds no business logic: views call the workspace through the background helper and report
the Changes they made; the window refreshes whatever depends on them."""

from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtGui import QActionGroup, QKeySequence
from PySide6.QtWidgets import (QApplication, QInputDialog, QLabel, QLineEdit, QMainWindow,
                               QMessageBox, QSplitter, QStackedWidget, QVBoxLayout, QWidget)

from client.workspace import Changes, SyncReport, Workspace
from ui import app as ui_app
from ui import help_sheet
from ui.birth_editor import BirthEditor
from ui.case_screen import CaseScreen, keys_text
from ui.conflict_view import ConflictView
from ui.duplicates_view import DuplicatesView
from ui.error_editor import ErrorRecordEditor
from ui.errors import describe, show_message
from ui.home_list import HomeList
from ui.i18n import LANGUAGES
from ui.idle_lock import IdleWatcher, LockScreen
from ui.navigation import NavigationPanel
from ui.outbox_view import OutboxView
from ui.paper_forms import PaperForms
from ui.supervision_view import SupervisionView
from ui.sync_status import SyncController, SyncStatusBar
from ui.toast import Toast
from ui.window_geometry import place_window, saved_geometry
from ui.worklist_view import WorklistView

log = logging.getLogger(__name__)
WINDOW_TITLE = QT_TRANSLATE_NOOP("", "全员人口数据核查 — 核查工作台")


def _t(text: object) -> str:  # QT_TRANSLATE_NOOP entries are typed object by PySide6's stubs
    return QCoreApplication.translate("", str(text))


def supervises(ws: Workspace) -> bool:
    """County and city accounts (and the office) get the 辖区进度 page."""
    user = ws.user or {}
    return user.get("role") in ("county", "city", "admin", "trainer")


def workspace_counts(ws) -> tuple[dict, int, int]:
    """Blocking: counts per (kind, state), cases waiting for upload, conflicts. The status bar
    and the left panel count the same thing (cases, not operations), so they agree."""
    from client.worklist import counts
    c = counts(ws)
    pending = sum(n for (_k, st), n in c.items() if st == "pending")
    conflicts = sum(n for (_k, st), n in c.items() if st == "conflict")
    return c, pending, conflicts


class MainWindow(QMainWindow):
    sig_signed_out = Signal(bool)
    """退出登录 finished (argument: forced by too many wrong unlock passwords); show the login again."""

    def __init__(self, bg, workspace, settings, *, online: bool | None = None,
                 login_message: str = "", training: bool = False, check_password=None,
                 parent=None):
        super().__init__(parent)
        self.bg, self.ws, self.settings = bg, workspace, settings
        self._hidden_for_lock: list[QWidget] = []  # other windows hidden while the screen is locked
        self.setWindowTitle(_t(WINDOW_TITLE))
        self.nav = NavigationPanel(self)
        self.worklist = WorklistView(bg, workspace, self)
        self.home_list = HomeList(bg, workspace, self.worklist)
        neighbour = self.home_list.neighbour
        self.editor = ErrorRecordEditor(bg, workspace, self, neighbour=neighbour)
        self.births = BirthEditor(bg, workspace, self, neighbour=neighbour)
        self.duplicates = DuplicatesView(bg, workspace, self, neighbour=neighbour)
        self.conflicts = ConflictView(bg, workspace, self, neighbour=neighbour)
        self.case_screens: tuple[CaseScreen, ...] = (self.editor, self.births, self.duplicates,
                                                     self.conflicts)
        self.outbox = OutboxView(bg, workspace, self)
        self.supervision = SupervisionView(bg, workspace, self) if supervises(workspace) else None
        self.case_pages: dict[str, CaseScreen] = {"error": self.editor, "birth": self.births,
                           "duplicates": self.duplicates}
        self.pages = QStackedWidget(self)
        for w in (self.worklist, self.editor, self.births, self.duplicates, self.conflicts,
                  self.outbox, self.supervision):
            if w is not None:
                self.pages.addWidget(w)
        if self.supervision is not None:
            self.nav.add_page("supervision", _t("辖区进度"))
        splitter = QSplitter(self)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([190, 1000])
        self.banner = QLabel(self)
        self.banner.setProperty("role", "banner")
        name = (workspace.user or {}).get("display_name") or workspace.username
        self.banner.setText(_t("培训模式 · 账号 {user}").format(user=workspace.username))
        self.banner.setVisible(training)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        self.main_page = central
        self.lock_screen = LockScreen(bg, check_password or (lambda pw: None),
                                      workspace.username, self)
        self.root = QStackedWidget(self)
        self.root.addWidget(central)
        self.root.addWidget(self.lock_screen)
        self.setCentralWidget(self.root)
        self.sync = SyncController(bg, workspace, online, settings.get("auto_sync_minutes"), self)
        self.status = SyncStatusBar(self.sync, self)
        self.statusBar().addWidget(self.status, 1)
        self.status.set_last_sync(workspace.last_sync_time() if hasattr(workspace, "last_sync_time")
                                  else None)
        self.user_label = QLabel(name, self)
        self.statusBar().addPermanentWidget(self.user_label)
        self.idle = IdleWatcher(settings.get("idle_lock_minutes"), self)
        self.toast = Toast(self)
        self._close_confirmed = False
        self.paper = PaperForms(self)
        self._build_menus()
        self._connect()
        place_window(self, settings.get("window_geometry"))
        self.nav.select("error")
        self.refresh_counts()
        if login_message:
            self.status._message(login_message, "ok" if online else "warning")

    # -- construction ---------------------------------------------------------------------------

    def _build_menus(self) -> None:
        mb = self.menuBar()
        file_menu = mb.addMenu(_t("文件(&F)"))
        export = file_menu.addAction(_t("导出当前列表到Excel…"))
        export.triggered.connect(self.worklist.export_dialog)
        file_menu.addSeparator()
        self.find_form_action = file_menu.addAction(_t("按表号查找…"))
        self.find_form_action.setShortcut(QKeySequence("Ctrl+G"))
        self.find_form_action.triggered.connect(self.paper.find_by_number)
        print_forms = file_menu.addAction(_t("打印入户核查表…"))
        print_forms.setShortcut(QKeySequence.StandardKey.Print)
        print_forms.triggered.connect(self.paper.print_forms)
        progress = file_menu.addAction(_t("导出核查工作进度表…"))
        progress.triggered.connect(self.paper.export_progress)
        password = file_menu.addAction(_t("修改密码…"))
        password.triggered.connect(self.change_password)
        trace = file_menu.addAction(_t("本机操作记录…"))
        trace.triggered.connect(self.show_trace)
        logout = file_menu.addAction(_t("退出登录"))
        logout.triggered.connect(self.sign_out)
        file_menu.addSeparator()
        quit_action = file_menu.addAction(_t("退出"))
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))  # StandardKey.Quit is empty without a desktop theme
        quit_action.triggered.connect(self.close)
        view = mb.addMenu(_t("视图(&V)"))
        self.large_font_action = view.addAction(_t("大字体模式"))
        self.large_font_action.setCheckable(True)
        self.large_font_action.setChecked(self.settings.get("large_font"))
        self.large_font_action.toggled.connect(self.set_large_font)
        lang_menu = view.addMenu(_t("语言 / Language"))
        group = QActionGroup(self)
        for code, label in LANGUAGES.items():
            a = lang_menu.addAction(label)
            a.setCheckable(True)
            a.setChecked(self.settings.get("language") == code)
            a.triggered.connect(lambda _c=False, code=code: self.set_language(code))
            group.addAction(a)
        view.addSeparator()
        lock = view.addAction(_t("锁定屏幕"))
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.lock)
        sync_menu = mb.addMenu(_t("同步(&S)"))
        self.sync_action = sync_menu.addAction(_t("立即同步"))
        self.sync_action.setShortcut(QKeySequence("F5"))
        self.sync_action.triggered.connect(self.sync.sync_now)
        outbox = sync_menu.addAction(_t("待上传的修改…"))
        outbox.triggered.connect(self.show_outbox)
        # The current case screen's commands, with their keys (the keys themselves belong to
        # the screen: shown here as text so they are not registered twice).
        self.case_menu = mb.addMenu(_t("处理(&C)"))
        self.case_menu.aboutToShow.connect(self._fill_case_menu)
        help_menu = mb.addMenu(_t("帮助(&H)"))
        guide = help_menu.addAction(_t("本页说明"))
        guide.triggered.connect(lambda: help_sheet.show_guide(self, self.pages.currentWidget()))
        keys = help_menu.addAction(_t("快捷键"))
        keys.triggered.connect(lambda: help_sheet.show_shortcuts(self))
        help_menu.addSeparator()
        about = help_menu.addAction(_t("关于"))
        about.triggered.connect(self.about)

    def _connect(self) -> None:
        self.nav.sig_selected.connect(self.show_list)
        self.nav.sig_page.connect(self.show_page)
        if self.supervision is not None:
            self.supervision.sig_status.connect(lambda text: self.status._message(text, "ok"))
        self.worklist.sig_open_case.connect(self.open_case)
        self.worklist.sig_position_changed.connect(self._remember_position)
        self.nav.itemClicked.connect(self._nav_clicked)
        for page in self.case_screens:
            page.sig_changes.connect(self.apply_changes)
            page.sig_close.connect(self.back_to_list)
            page.sig_go.connect(self.open_case)
            page.sig_notice.connect(self.toast.show_text)
        self.outbox.sig_close.connect(self.back_to_list)
        self.worklist.model.sig_loaded.connect(self._refresh_case_navigation)
        self.outbox.sig_sync_requested.connect(self.sync.sync_now)
        self.outbox.sig_changes.connect(self.apply_changes)
        self.outbox.sig_open_case.connect(self.open_case)
        self.status.sig_show_outbox.connect(self.show_outbox)
        self.status.sig_login_needed.connect(self.ask_password)
        self.sync.sig_finished.connect(lambda report: self.apply_changes(report.changes))
        self.sync.sig_finished.connect(self.announce_merged)
        self.sync.sig_failed.connect(lambda _e: self.refresh_counts())
        self.idle.sig_idle.connect(self.lock)
        self.lock_screen.sig_unlocked.connect(self.unlock)
        self.lock_screen.sig_sign_out.connect(lambda: self.sign_out(forced=True))

    # -- lists and cases ------------------------------------------------------------------------

    def _refresh_case_navigation(self, _rows: int) -> None:
        page = self.current_case_screen()
        if page is not None:
            page.refresh_navigation()

    def current_case_screen(self) -> CaseScreen | None:
        page = self.pages.currentWidget()
        return page if page in self.case_screens else None

    def leave_case(self, then) -> None:
        """Run then() once the case on screen may be left (asks when it has unsaved changes)."""
        page = self.current_case_screen()
        if page is None:
            then()
        else:
            page.request_leave(then)

    def show_list(self, entry) -> None:
        on_screen = self.current_case_screen()
        if on_screen is not None and on_screen.is_dirty():
            # Picking a list while a changed case is open: ask first; 取消 keeps the case and
            # puts the selection back.
            previous = self.worklist.list_key
            self.nav.blockSignals(True)
            if previous:
                self.nav.select(previous)
            self.nav.blockSignals(False)
            self.leave_case(lambda: (self.nav.select(entry.key), self._show_list(entry)))
            return
        self._show_list(entry)

    def _show_list(self, entry) -> None:
        positions = self.settings.get("list_positions")
        self.worklist.show_list(entry.key, entry.query(), positions.get(entry.key))
        self.pages.setCurrentWidget(self.worklist)

    def _nav_clicked(self, item) -> None:
        """Clicking the list already selected on the left goes back to it from a case."""
        entry = self.nav.current_entry()
        if entry is not None and self.pages.currentWidget() is not self.worklist \
                and item is self.nav.currentItem():
            self.leave_case(self.back_to_list)

    def _remember_position(self, key: str, case_id: str) -> None:
        positions = self.settings.get("list_positions")
        positions[key] = case_id
        self.settings.set("list_positions", positions)

    def open_case(self, case_id: str) -> None:
        """Load the case, then show the screen for its kind (or its conflict); a changed case
        on screen is asked about first."""
        self.leave_case(lambda: self.bg.read(self.ws.task, case_id, name="open case",
                                             on_result=self.show_task))

    def show_task(self, task) -> None:
        self.worklist.select_case(task.id)
        page: CaseScreen | None
        if task.status == "conflict" and task.conflict:
            page = self.conflicts
        else:
            page = self.case_pages.get(task.kind)
        if page is None:
            show_message(_t("这类任务（{id}）的处理界面尚未提供。").format(id=task.id), parent=self)
            return
        page.show_task(task)
        self.pages.setCurrentWidget(page)
        self.home_list.follow(task, page.refresh_navigation)

    def back_to_list(self) -> None:
        """The list, at the case that was on screen (or where it was, if it left the list)."""
        page = self.current_case_screen()
        if page is not None and page.task is not None:
            self.worklist.select_case(page.task.id)
        self.pages.setCurrentWidget(self.worklist)
        self.worklist.table.setFocus()

    def show_page(self, key: str) -> None:
        if key == "supervision" and self.supervision is not None:
            self.show_supervision()

    def show_supervision(self) -> None:
        assert self.supervision is not None
        self.supervision.refresh()
        self.pages.setCurrentWidget(self.supervision)
        self.supervision.table.setFocus()

    def show_outbox(self) -> None:
        self.leave_case(self._show_outbox)

    def _show_outbox(self) -> None:
        self.outbox.refresh()
        self.pages.setCurrentWidget(self.outbox)
        self.outbox.table.setFocus()

    def announce_merged(self, report: SyncReport) -> None:
        """Soft conflicts: say what others changed while the worker's decision was offline."""
        merged = report.merged
        if merged:
            from ui.conflict_view import merged_notice
            show_message("\n".join(merged_notice(cid, fields) for cid, fields in sorted(merged.items())),
                         parent=self, icon=QMessageBox.Icon.Information)

    def apply_changes(self, changes: Changes) -> None:
        """Refresh what depends on a change set (Changes of the workspace)."""
        self.refresh_counts()
        if changes.all_tasks or changes.tasks:
            # Membership of a filtered list can change (open → pending): re-run the id query.
            self.worklist.reload()
        if changes.outbox and self.pages.currentWidget() is self.outbox:
            self.outbox.refresh()

    def refresh_counts(self) -> None:
        def done(result) -> None:
            c, pending, conflicts = result
            self.nav.set_counts(c)
            self.status.set_counts(pending, conflicts)
            self.status.set_last_sync(self.ws.last_sync_time())
        self.bg.read(workspace_counts, self.ws, name="counts", on_result=done)

    def ask_password(self) -> None:
        """Login expired (or an offline start): log in online again, then sync."""
        dlg = QInputDialog(self)
        dlg.setWindowTitle(_t("重新登录"))
        dlg.setLabelText(_t("请输入用户 {user} 的密码：").format(user=self.ws.username))
        dlg.setTextEchoMode(QLineEdit.EchoMode.Password)
        dlg.textValueSelected.connect(lambda pw: self.bg.net(
            self.ws.reauthenticate, pw, name="reauthenticate",
            on_result=lambda _r: self.after_online_login(pw),
            on_error=lambda exc: show_message(describe(exc).text, parent=self)))
        self.password_dialog = dlg
        dlg.open()

    # -- view settings --------------------------------------------------------------------------

    def set_large_font(self, on: bool) -> None:
        self.settings.set("large_font", bool(on))
        app = QApplication.instance()
        assert isinstance(app, QApplication)  # a main window lives in a widgets application
        ui_app.apply_fonts(app, bool(on), self.settings.get("font_scale"))

    def set_language(self, code: str) -> None:
        self.settings.set("language", code)
        show_message(_t("语言设置将在下次启动时生效。"), parent=self)

    def about(self) -> None:
        from client import __version__
        show_message(_t("核查工作台 {version}\n全员人口数据核查的离线工作台。").format(version=__version__),
                     parent=self, icon=QMessageBox.Icon.Information)

    # -- locking and closing --------------------------------------------------------------------

    def lock(self) -> None:
        # Every other window of the app (dialogs, exports) is hidden too, and shown again after.
        self._hidden_for_lock = [w for w in QApplication.topLevelWidgets()
                                 if w is not self and w.isVisible() and w.isWindow()]
        for w in self._hidden_for_lock:
            w.hide()
        self.root.setCurrentWidget(self.lock_screen)
        self.menuBar().setEnabled(False)
        self.lock_screen.password.setFocus()

    def unlock(self) -> None:
        self.root.setCurrentWidget(self.main_page)
        self.menuBar().setEnabled(True)
        for w in self._hidden_for_lock:
            w.show()
        self._hidden_for_lock = []
        self.idle.resume()

    def _close_after_leave(self) -> None:
        self._close_confirmed = True
        self.close()
    def sign_out(self, forced: bool = False) -> None:
        """退出登录: the login ends on the server (when reachable) and here; with `forced` (too many
        wrong unlock passwords) the store also needs an online login before it opens again."""
        from client.workspace import offline, user_dir
        page = self.current_case_screen()
        if not forced and page is not None and page.is_dirty():
            page.request_leave(self.sign_out)   # 保存/放弃/取消 first, as for any way out
            return
        self._close_confirmed = True           # the session closes the window next
        ws = self.ws
        if forced:
            offline.require_online(user_dir(ws.data_dir, ws.username))
        for w in self._hidden_for_lock:
            w.close()
        self._hidden_for_lock = []
        self.sync.stop()
        self.bg.net(ws.logout, name="logout", on_result=lambda _r: self.sig_signed_out.emit(forced),
                    on_error=lambda _e: self.sig_signed_out.emit(forced))

    def change_password(self, old_password: str = "", reason: str = "") -> None:
        from ui.password_dialog import PasswordDialog
        self.change_password_dialog = PasswordDialog(self.bg, self.ws.change_password, self,
                                                     old_password=old_password, reason=reason)
        self.change_password_dialog.open()

    def after_online_login(self, password: str = "") -> None:
        """Sync at once, unless the server takes nothing but a new password from this login (it
        expired, or an admin set it): then that is asked for first, and the sync follows it."""
        auth = self.ws.auth
        if auth is not None and auth.password_change_required:
            self.change_password(password, _t("管理员为您设置了初始密码（新账号或密码已重置）：请设置您自己的新密码。"))
        elif auth is not None and auth.password_expired:
            self.change_password(password)
        else:
            self.sync.sync_now()
            return
        self.change_password_dialog.sig_changed.connect(self.sync.sync_now)

    def show_trace(self) -> None:
        from ui.trace_view import TraceDialog
        self.trace_dialog = TraceDialog(self.bg, self.ws, self)
        self.trace_dialog.open()

    @property
    def locked(self) -> bool:
        return self.root.currentWidget() is self.lock_screen

    def _fill_case_menu(self) -> None:
        self.case_menu.clear()
        page = self.current_case_screen()
        if page is None:
            self.case_menu.addAction(_t("（请先打开一条任务）")).setEnabled(False)
            return
        for command in page.commands:
            action = self.case_menu.addAction(f"{command.label}\t{keys_text(command.keys)}")
            action.triggered.connect(lambda _c=False, slot=command.slot: slot())

    def closeEvent(self, event) -> None:
        page = self.current_case_screen()
        if not self._close_confirmed and page is not None and page.is_dirty():
            # Ctrl+Q or the window's close button with an unsaved case: ask first.
            event.ignore()
            page.request_leave(self._close_after_leave)
            return
        self.sync.stop()
        self.idle.stop()
        self.settings.set("window_geometry", saved_geometry(self))
        try:
            self.settings.save()
        except OSError as exc:
            log.warning("settings not saved: %s", exc)
        super().closeEvent(event)
