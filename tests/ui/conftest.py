"""Fixtures for the desktop-app tests: the background helper, a clean HECHA_HOME, Qt warnings."""

from __future__ import annotations

import pytest

from ui import errors


@pytest.fixture
def bg(qapp):
    from ui.background import Background
    b = Background()
    yield b
    b.shutdown(wait=True)


@pytest.fixture(autouse=True)
def hecha_home(tmp_path, monkeypatch):
    # No test may touch the real user's data, logs or settings.
    monkeypatch.setenv("HECHA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture(autouse=True)
def close_message_boxes():
    yield
    for box in list(errors.open_dialogs):
        box.close()
    errors.open_dialogs.clear()


def type_text(widget, text: str) -> None:
    """Type text as key events, including Chinese and full-width characters (QTest.keyClicks
    only handles ASCII)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


# -- the real stack: reference server on loopback, encrypted local stores ----------------------

@pytest.fixture
def settings(tmp_path):
    from client.paths import Settings
    s = Settings.load(tmp_path / "settings.json")
    s.set("auto_sync_minutes", 0)  # tests start syncs themselves
    s.set("idle_lock_minutes", 30)
    return s


@pytest.fixture
def workspace(live_server, tmp_path, bg):
    """alice's workspace, logged in online and synced once (real SQLCipher store)."""
    from client.workspace import Workspace
    from ui.login_dialog import gui_retry_policy
    ws = Workspace.login(tmp_path / "data", live_server.url, "alice", "alice-pw",
                         retry=gui_retry_policy())
    ws.sync()
    yield ws
    bg.shutdown(wait=True)
    ws.close()


@pytest.fixture
def ws(server, tmp_path, bg):
    """alice's workspace against the module's own `server` fixture (a workflow dataset)."""
    from tests.ui.workflow_data import login
    w = login(server, tmp_path)
    yield w
    bg.shutdown(wait=True)
    w.close()


@pytest.fixture
def window(qtbot, bg, workspace, settings):
    from ui.main_window import MainWindow
    from ui.session import password_checker
    w = MainWindow(bg, workspace, settings, online=True, login_message="已在线登录。",
                   check_password=password_checker(workspace))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.worklist.model.rowCount() > 0 and bool(w.nav.counts.get("error")),
                    timeout=10_000)
    return w


def wait_idle(qtbot, bg, timeout=10_000):
    """Wait until no background job is pending (their callbacks have run)."""
    qtbot.waitUntil(lambda: not bg.busy, timeout=timeout)


@pytest.fixture
def editor(qtbot, bg, ws):
    """The newborn screen on the module's `server` (via `ws`), shown at 1280×800."""
    from ui.birth_editor import BirthEditor
    e = BirthEditor(bg, ws)
    qtbot.addWidget(e)
    e.resize(1280, 800)
    e.show()
    return e


def open_birth(qtbot, editor, case_id: str) -> None:
    """Open a birth case in the editor and wait until it shows."""
    editor.open_case(case_id)
    qtbot.waitUntil(lambda: editor.task is not None and editor.task.id == case_id, timeout=5000)
