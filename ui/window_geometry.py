"""The main window's size and place on the screen it opens on (issue 15.3): within the screen's
available geometry (above the task bar), restored from the settings when it still fits there."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMargins, QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

PREFERRED = QSize(1280, 800)
# Room for the window manager's title bar and borders, which a hidden window does not know yet.
FRAME = QMargins(8, 32, 8, 8)


def fit_rect(wanted: QRect | None, available: QRect, minimum: QSize) -> QRect:
    """The window's (client) rectangle with its frame inside available: wanted moved and shrunk
    to fit, or the preferred size centred when there is none; never smaller than minimum."""
    room = available.marginsRemoved(FRAME)
    if wanted is None or not wanted.isValid():
        wanted = QRect(QPoint(0, 0), PREFERRED)
        wanted.moveCenter(room.center())
    size = wanted.size().boundedTo(room.size()).expandedTo(minimum)
    x = max(room.left(), min(wanted.left(), room.right() + 1 - size.width()))
    y = max(room.top(), min(wanted.top(), room.bottom() + 1 - size.height()))
    return QRect(QPoint(x, y), size)


def place_window(window: QWidget, saved: str | None) -> None:
    """Restore the saved geometry (base64 of saveGeometry) or size the window for its screen,
    then make sure it lies within the screen's available geometry."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    available = screen.availableGeometry()
    wanted = None
    if saved and window.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii"))):
        if window.isMaximized() or window.isFullScreen():
            return
        wanted = window.geometry()
    window.setGeometry(fit_rect(wanted, available, window.minimumSizeHint()))


def saved_geometry(window: QWidget) -> str:
    return bytes(window.saveGeometry().toBase64().data()).decode("ascii")
