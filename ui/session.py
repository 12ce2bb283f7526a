"""One GUI session: the login dialog, then the main window for the opened workspace; closes the
workspace (on the database thread, after its last write) when the window closes."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from client.paths import AppPaths, Settings

if TYPE_CHECKING:  # imported where they are used: the login first, the main window after it
    from client.workspace import Workspace
    from ui.login_dialog import LoginDialog
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)


def password_checker(workspace):
    """A blocking callable that raises WrongPassword unless the password opens this store."""
    from client import keys
    from client.workspace import user_dir

    key_path = user_dir(workspace.data_dir, workspace.username) / "store.key.json"
    return lambda password: keys.unwrap_store_key(key_path, password)


class Session(QObject):
    def __init__(self, paths: AppPaths, settings: Settings, bg, *, server_url: str | None = None,
                 username: str | None = None, training: bool = False, parent=None):
        super().__init__(parent)
        self.paths, self.settings, self.bg = paths, settings, bg
        self.server_url, self.username, self.training = server_url, username, training
        self.login: LoginDialog | None = None
        self.window: MainWindow | None = None
        self.workspace: Workspace | None = None

    def start(self) -> None:
        from ui.login_dialog import LoginDialog
        login = self.login = LoginDialog(self.bg, self.paths.data_dir, self.settings,
                                         server_url=self.server_url, username=self.username)
        login.sig_logged_in.connect(self.open_main_window)
        login.rejected.connect(self._quit_if_no_window)
        login.open()

    def open_main_window(self, result) -> None:
        from client.training import store_mark
        from ui.main_window import MainWindow
        self.workspace = result.workspace
        # A store made against a classroom (training) server shows the 培训模式 banner too.
        training = self.training or store_mark(result.workspace.store) is True
        window = self.window = MainWindow(self.bg, result.workspace, self.settings, online=result.online,
                                          login_message=result.message, training=training,
                                          check_password=password_checker(result.workspace))
        window.sig_signed_out.connect(self._signed_out)
        window.show()
        if result.online:
            # Fetch new tasks right after an online login (an expired password is changed first).
            window.after_online_login()

    def _signed_out(self, _forced: bool) -> None:
        """退出登录: close the window and the store, then the login dialog again."""
        window, self.window = self.window, None
        workspace, self.workspace = self.workspace, None
        if window is not None:
            window.close()
            window.deleteLater()
        if workspace is not None:
            self.bg.run_blocking_on_db(workspace.close)
        self.start()

    def _quit_if_no_window(self) -> None:
        app = QApplication.instance()
        if self.window is None and app is not None:
            app.quit()

    def shutdown(self) -> None:
        """Close the workspace after queued database work (never cut a transaction)."""
        if self.window is not None:
            self.window.sync.stop()
        if self.workspace is not None:
            try:
                self.bg.run_blocking_on_db(self.workspace.close)
            except RuntimeError:  # executors already shut down
                self.workspace.close()
            self.workspace = None
