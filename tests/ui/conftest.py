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
